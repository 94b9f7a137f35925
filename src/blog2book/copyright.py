"""The copyright page, « De la même auteure » and the back cover's text, as matter of the book.

The copyright page is the author's Markdown file (``copyright: file.md`` or ``copyright: {file: …}``)
with its placeholders filled in (``{isbn_print}``, ``{isbn_pdf}``, ``{isbn_epub}``, ``{depot_legal}``,
``{edition}``…), or the default page: what a Québec book carries (publisher and address, © lines, the
reproduction notice, credits, ISBNs, the legal deposit with BAnQ and LAC and its quarter and year,
an optional grant line, the optional cataloguing in publication record (``cip:``, under « Catalogage
avant publication de BAnQ et BAC »), « Imprimé au Canada »). Every edition sets the same page, but for « Imprimé au
Canada » (the ``printed_in`` paragraph, in a ``printed-only`` Div): the print profiles' PDFs
(press, KDP, IngramSpark) show it; the PDF, EPUB and web editions, which are not printed, do not.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from blog2book import lang as lang_mod
from blog2book import html5, pandoc, tree, typography
from blog2book.diagnostics import Diagnostic, Location, did_you_mean, error, warning
from blog2book.manifest import ManifestSpec
from blog2book.manifest.spec import Work
from blog2book.model import Matter

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = (
    "title", "subtitle", "author", "publisher", "address", "year", "edition", "isbn_print", "isbn_pdf",
    "isbn_epub", "depot_legal", "quarter", "revision", "correction", "design", "cover_design", "printed_in", "cip",
)


def _md(text: str) -> str:
    """Text from the manuscript, safe inside Markdown."""
    return re.sub(r"([\\*_\[\]`<>#])", r"\\\1", text)


def copyright_values(spec: ManifestSpec) -> dict[str, str | None]:
    words = lang_mod.strings(spec.lang)
    published = spec.date or dt.date.today()
    quarter = lang_mod.ordinal_quarter(published.month, spec.lang)
    c = spec.copyright
    return {
        "title": spec.title,
        "subtitle": spec.subtitle,
        "author": ", ".join(spec.authors),
        "publisher": spec.publisher,
        "address": c.address,
        "year": str(published.year),
        "edition": c.edition,
        "isbn_print": spec.isbn_print,
        "isbn_pdf": spec.isbn_pdf,
        "isbn_epub": spec.isbn_epub,
        "quarter": quarter,
        "depot_legal": f"{words['legal_deposit']} – {words['legal_deposit_libraries']}, {quarter} {published.year}",
        "revision": c.revision,
        "correction": c.correction,
        "design": c.design,
        "cover_design": c.cover_design,
        "printed_in": c.printed_in or words["printed_in"],
        "cip": "\n".join([words["cip"], *(line.strip() for line in c.cip.splitlines() if line.strip())]) if c.cip else None,
    }


def default_copyright(spec: ManifestSpec) -> str:
    """The default page as Markdown: blocks separated by blank lines, lines by hard breaks."""
    words = lang_mod.strings(spec.lang)
    v = {k: (_md(x) if x else None) for k, x in copyright_values(spec).items()}
    colon = words["colon"]
    blocks: list[list[str]] = []
    blocks.append([x for x in (v["publisher"], v["address"]) if x])
    year = v["year"]
    blocks.append([f"© {v['author']}, {year}"] + ([f"© {v['publisher']}, {year}"] if v["publisher"] else []) + [_md(spec.rights or words["all_rights"])])
    blocks.append([_md(words["reproduction"])])
    blocks.append([f"{_md(words[k])}{colon} {v[k]}" for k in ("revision", "correction", "design", "cover_design") if v[k]])
    if v["edition"]:
        blocks.append([v["edition"]])
    blocks.append([f"{_md(words[f'isbn_{k}'])}{colon} {v[f'isbn_{k}']}" for k in ("print", "pdf", "epub") if v[f"isbn_{k}"]])
    if spec.lang.startswith("fr"):
        blocks.append([v["depot_legal"]])
    if v["cip"]:  # the record as BAnQ and LAC wrote it, line by line, under its heading
        blocks.append(v["cip"].split("\n"))
    if spec.copyright.grants:
        blocks.append([_md(words["grants"])])
    blocks.append([v["printed_in"]])
    return "\n\n".join("\\\n".join(lines) for lines in blocks if lines) + "\n"


def fill_placeholders(text: str, values: dict[str, str | None], path: Path) -> tuple[str, list[Diagnostic]]:
    """``{name}`` -> its value; an unknown name is an error, a name with no value a warning (at its line)."""
    diags: list[Diagnostic] = []

    def sub(match: re.Match, line_no: int) -> str:
        name = match.group(1)
        if name not in values:
            diags.append(error("copyright.placeholder", f"unknown placeholder {{{name}}}", Location(path, line_no, match.start() + 1), did_you_mean(name, PLACEHOLDERS) or "known: " + ", ".join(PLACEHOLDERS)))
            return match.group(0)
        value = values[name]
        if value is None:
            diags.append(warning("copyright.missing-value", f"{{{name}}} has no value in the manuscript; left empty", Location(path, line_no, match.start() + 1), "give it in the manuscript (isbn:, copyright:, date:) or remove the placeholder"))
            return ""
        return "\\\n".join(_md(line) for line in value.split("\n"))

    lines = [_PLACEHOLDER.sub(lambda m, n=n: sub(m, n), line) for n, line in enumerate(text.split("\n"), start=1)]
    return "\n".join(lines), diags


def read_book_matter(spec: ManifestSpec, typo: typography.Typography) -> tuple[Matter | None, Matter | None, Matter | None, list[Diagnostic]]:
    """(copyright page, « De la même auteure », back cover text) and what went wrong reading them."""
    from blog2book.assemble import matter_blocks, read_matter_file

    words = lang_mod.strings(spec.lang)
    diags: list[Diagnostic] = []

    def blocks_of(markdown: str, path: Path | None = None, kind: str = "", body_line: int = 1) -> tuple:
        """The blocks of a generated page, or of the author's file ``path`` (its raw HTML and
        images checked as a post's are, see ``assemble.matter_blocks``)."""
        blocks = pandoc.to_ast(markdown)["blocks"] if path is None else (matter_blocks(spec, path, kind, markdown, body_line, diags) or [])
        return tuple(typography.apply(tree.shift_headers(blocks, 2), typo))

    source = spec.copyright.file
    if source is not None:
        read, d = read_matter_file(source)
        diags.extend(d)
        body = read[1] if read else ""
        # the front matter's lines were cut: count them back for located messages
        offset = 0
        if read is not None:
            full = source.read_text("utf-8")
            offset = full[: max(0, full.find(body))].count("\n") if body else 0
        text, d = fill_placeholders("\n" * offset + body, copyright_values(spec), source)
        diags.extend(d)
    else:
        text = default_copyright(spec)
    printed_in = copyright_values(spec)["printed_in"] or ""
    copyright_page = Matter("copyright", "copyright", words["copyright"], printed_only(blocks_of(text, source, "copyright"), printed_in, typo), source)

    others = []
    for kind, path, title in (("also_by", spec.also_by, words["also_by"]), ("back_cover", spec.back_cover, "")):
        if kind == "also_by" and spec.works:
            others.append(Matter(kind, "also-by", spec.also_by_title or title, blocks_of(works_markdown(spec.works, spec.lang)), None))
            continue
        if path is None:
            others.append(None)
            continue
        read, d = read_matter_file(path)
        diags.extend(d)
        if read is None:
            others.append(None)
            continue
        others.append(Matter(kind, kind.replace("_", "-"), read[0] or title, blocks_of(read[1], path, kind, read[2]), path))
    return copyright_page, others[0], others[1], diags


def full_title(work: Work, lang: str) -> str:
    """« Title : subtitle » (French) / « Title: Subtitle » (English)."""
    if not work.subtitle:
        return work.title
    return f"{work.title} : {work.subtitle}" if lang.startswith("fr") else f"{work.title}: {work.subtitle}"


def works_markdown(works, lang: str) -> str:
    """« De la même auteure » from the manuscript's list: one paragraph a book, « *Titre : sous-titre*,
    essai, Éditeur, 2010. »"""
    lines = []
    for w in works:
        parts = [f"*{_md(full_title(w, lang))}*"] + [_md(x) for x in (w.kind, w.publisher) if x] + ([str(w.year)] if w.year else [])
        lines.append(", ".join(parts) + ".")
    return "\n\n".join(lines) + "\n"


_WORDS = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _WORDS.findall(text.replace("\u2019", "'")))


def work_titles(also_by: Matter | None, works, lang: str) -> list[tuple[str, str]]:
    """(short title, full title) of each book the « De la même auteure » page lists: the manuscript's
    list, or the page's italics (« *Titre. Sous-titre* », the short title before its first . : or —)."""
    if works:
        return [(w.title, full_title(w, lang)) for w in works]
    found = []
    for emph in _emphs(also_by.blocks if also_by else ()):
        text = tree.stringify(emph["c"]).strip()
        short = re.split(r"\s*[.:—–]\s+", text, maxsplit=1)[0]
        if short and short != text:
            found.append((short, text))
    return found


def check_work_titles(matters, titles: list[tuple[str, str]]) -> list[Diagnostic]:
    """A book of the author's named in a matter file (in italics) with a title or subtitle other than
    the « De la même auteure » page's: one book, one title, on every page (a warning, located)."""
    diags: list[Diagnostic] = []
    for matter in matters:
        if matter is None:
            continue
        for emph in _emphs(matter.blocks):
            text = tree.stringify(emph["c"]).strip()
            said = _words(text)
            for short, full in titles:
                known, whole = _words(short), _words(full)
                if said[: len(known)] == known and said not in (known, whole):
                    diags.append(warning(
                        "matter.work-title",
                        f"« {text} » is « {full} » on the « De la même auteure » page",
                        Location(matter.source, _line_of(matter.source, text)) if matter.source else Location(None),
                        "give the book's title once (also_by: in the manuscript) and write it the same way here",
                    ))
    return diags


def _emphs(blocks) -> list[dict]:
    found: list[dict] = []
    tree.walk(list(blocks), lambda el: found.append(el) if el.get("t") == "Emph" else None)
    return found


def _line_of(path: Path, text: str) -> int | None:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    head = " ".join(text.split()[:3])
    return next((n for n, line in enumerate(lines, start=1) if head in line.replace("\u00a0", " ")), None)


PRINTED_ONLY = "printed-only"


def printed_only(blocks: tuple, printed_in: str, typo: typography.Typography) -> tuple:
    """The blocks with the paragraph that says where the book was printed (« Imprimé au Canada »,
    alone in its paragraph) in a ``printed-only`` Div."""
    wanted = tree.stringify(typography.apply([tree.Plain(tree.text_inlines(printed_in))], typo)).strip()
    return tuple(
        tree.Div("", [PRINTED_ONLY], [b]) if wanted and b.get("t") in ("Para", "Plain") and tree.stringify(b).strip() == wanted else b
        for b in blocks
    )


def unprinted(blocks) -> list:
    """The blocks an edition that is not printed shows (``printed-only`` Divs left out)."""
    return [b for b in blocks if not (b.get("t") == "Div" and PRINTED_ONLY in b["c"][0][1])]


def copyright_html(matter: Matter) -> str:
    """The page's HTML in the editions that are not printed (EPUB, web; the PDF sets the blocks
    itself, « Imprimé au Canada » shown by the print profiles' CSS): pandoc's HTML5 of its blocks."""
    return html5.fragment(unprinted(matter.blocks))
