"""The copyright page, « De la même auteure » and the back cover's text, as matter of the book.

The copyright page is the author's Markdown file (``copyright: file.md`` or ``copyright: {file: …}``)
with its placeholders filled in (``{isbn_print}``, ``{isbn_pdf}``, ``{isbn_epub}``, ``{depot_legal}``,
``{edition}``…), or the default page: what a Québec book carries (publisher and address, © lines, the
reproduction notice, credits, ISBNs, the legal deposit with BAnQ and LAC and its quarter and year,
an optional grant line, « Imprimé au Canada »). Both editions set the same page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from blog2book import lang as lang_mod
from blog2book import html5, pandoc, tree, typography
from blog2book.diagnostics import Diagnostic, Location, did_you_mean, error, warning
from blog2book.manifest import ManifestSpec
from blog2book.model import Matter

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = (
    "title", "subtitle", "author", "publisher", "address", "year", "edition", "isbn_print", "isbn_pdf",
    "isbn_epub", "depot_legal", "quarter", "revision", "correction", "design", "cover_design", "printed_in",
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
        return _md(value)

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
    copyright_page = Matter("copyright", "copyright", words["copyright"], blocks_of(text, source, "copyright"), source)

    others = []
    for kind, path, title in (("also_by", spec.also_by, words["also_by"]), ("back_cover", spec.back_cover, "")):
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


def copyright_html(matter: Matter) -> str:
    """The page's HTML (print and EPUB): pandoc's HTML5 of its blocks."""
    return html5.fragment(list(matter.blocks))
