"""The editors' proof: ``blog2book build --profile review`` writes ``<name>-review.pdf``.

The proof is the book's own pages, untouched (the PDF that ``-f pdf`` writes, page for page), each
placed on a larger sheet (``--sheet letter|a4|tabloid-half``, render/review/impose.py) with, in the added
margin (render/review/overlay.py):

* the stamp: « ÉPREUVE », the build date, the build id (a hash of the pages) and « page N de M »;
* each post's source (URL or file, date, word count) beside the place where the post starts;
* a number beside each paragraph, counted per page among the paragraphs that start or continue on
  it (a continued one says so), so that « p. 42, § 3 » names one paragraph of the book's p. 42;
* with ``--compare OLD.md`` (the md output of an earlier build): a bar beside every paragraph whose
  text is not among the old post's paragraphs (all of a new post's), and, on leaves of their own
  before the book's pages, the posts added and removed and the changed paragraphs by page.

The marks come from the book's layout (``engine.marks.page_marks``, read by each piece's worker in
render/pdf/layout.py and concatenated by render/pdf/backend.py); the proof is drawn after the book's PDF
exists, from its bytes, and never lays the text out again.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from blog2book import lang as lang_mod
from blog2book import pandoc, tree
from blog2book.diagnostics import BuildError, Diagnostic, Location, error, warning
from blog2book.model import Book, Post
from blog2book.render import Products, RenderContext, Rendered
from blog2book.render.review.impose import book_facts, compose, plan
from blog2book.render.review.overlay import Stamp, Summary, overlay_document, source_items
from blog2book.render.pdf.engine.marks import PageMarks
from blog2book.render.pdf.proofmap import embed, source_map
from blog2book.roundtrip.sourcemap import Placement
from blog2book.render.shared.paragraphs import number_paragraphs, paragraph_id

# ---------------------------------------------------------------- comparing with an earlier build


def normalise(text: str) -> str:
    """Paragraph text as compared: NFC, every kind of space one space, trimmed."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").split())


def paragraph_text(inlines: list) -> str:
    """The text of a paragraph, its notes included (a corrected note is a change too)."""
    notes: list[str] = []

    def visit(el):
        if el["t"] == "Note":
            notes.append(tree.stringify(el["c"]))
        return None

    tree.walk(list(inlines), visit)
    return normalise(" ".join([tree.stringify(list(inlines)), *notes]))


@dataclass(frozen=True)
class OldPost:
    slug: str
    title: str
    paragraphs: frozenset[str]


def _attrs(attr: list) -> dict[str, str]:
    return {k.removeprefix("data-"): v for k, v in attr[2]}


def read_previous(markdown: str) -> dict[str, OldPost]:
    """slug -> the post as it was, from the md output of an earlier build."""
    doc = pandoc.to_ast(markdown)
    posts: dict[str, OldPost] = {}

    def collect(blocks: list, out: list[str]) -> None:
        for b in blocks:
            t = b["t"]
            if t in ("Para", "Plain"):
                out.append(paragraph_text(b["c"]))
            elif t in ("BlockQuote",):
                collect(b["c"], out)
            elif t == "Div":
                collect(b["c"][1], out)
            elif t == "BulletList":
                for item in b["c"]:
                    collect(item, out)
            elif t == "OrderedList":
                for item in b["c"][1]:
                    collect(item, out)
            elif t == "DefinitionList":
                for term, defs in b["c"]:
                    for d in defs:
                        collect(d, out)

    def visit(blocks: list) -> None:
        for b in blocks:
            if b["t"] != "Div":
                continue
            attr, inner = b["c"]
            if "post" in attr[1]:
                slug = _attrs(attr).get("slug", "")
                title = next((tree.stringify(x["c"][2]) for x in inner if x["t"] == "Header"), slug)
                paras: list[str] = []
                collect([x for x in inner if x["t"] != "Header"], paras)
                posts[slug] = OldPost(slug, normalise(title), frozenset(paras))
            else:
                visit(inner)

    visit(doc["blocks"])
    return posts


@dataclass
class Changes:
    """What changed since the earlier build: paragraph numbers per post, posts added and removed."""

    changed: dict[str, set[int]] = field(default_factory=dict)  # slug -> paragraph numbers
    added: list[Post] = field(default_factory=list)
    removed: list[OldPost] = field(default_factory=list)

    def is_changed(self, slug: str, n: int) -> bool:
        return n in self.changed.get(slug, ())


def compare(book: Book, previous: dict[str, OldPost]) -> Changes:
    changes = Changes()
    slugs = set()
    for post in book.posts():
        slugs.add(post.slug)
        old = previous.get(post.slug)
        if old is None:
            changes.added.append(post)
        numbers: set[int] = set()

        def probe(p, n, inlines, old=old, numbers=numbers):
            if old is None or paragraph_text(inlines) not in old.paragraphs:
                numbers.add(n)
            return []

        number_paragraphs(post, extra=probe)
        if numbers:
            changes.changed[post.slug] = numbers
    changes.removed = [old for slug, old in previous.items() if slug not in slugs]
    return changes


# ---------------------------------------------------------------- the proof


def changed_anchors(book: Book, changes: Changes | None) -> frozenset[str]:
    """The anchors (render/shared/paragraphs.py) of the changed paragraphs."""
    if changes is None:
        return frozenset()
    return frozenset(paragraph_id(post, n) for post in book.posts() for n in changes.changed.get(post.slug, ()))


def review_pdf(book_pdf: bytes, marks: tuple[PageMarks, ...], book: Book, ctx: RenderContext,
               diagnostics: list[Diagnostic] | None = None) -> bytes:
    """The proof of the book whose PDF is ``book_pdf`` and whose layout gave ``marks`` (one per
    page). Warnings (a sheet too small for the book's trim) are appended to ``diagnostics``."""
    import io

    from blog2book.render.pdf.engine import html as engine_html
    from blog2book.render.pdf.engine import write_pdf
    from blog2book.render.pdf.engine.fetch import SafeFetcher

    trim, count, build_id = book_facts(book_pdf)
    if len(marks) != count:
        raise ValueError(f"{len(marks)} page marks for a book of {count} pages")
    sheets, grown = plan(ctx.sheet, trim, count)
    if grown and diagnostics is not None:
        diagnostics.append(warning(
            "review.sheet-small",
            f"the book's {trim[0] / 72:g} × {trim[1] / 72:g} in pages and their margin notes do not fit on {ctx.sheet} sheets; the proof's sheets were made larger",
            Location(book.style / "print.css"), "choose a larger sheet with --sheet (letter, a4, tabloid-half) or print the proof scaled to fit",
        ))
    changes = None
    if ctx.compare is not None:
        changes = compare(book, read_previous(_read_compared(Path(ctx.compare))))
    changed = changed_anchors(book, changes)
    lang = book.meta.lang
    words = lang_mod.strings(lang)
    stamp = Stamp(words["proof"], lang_mod.format_date(ctx.build_date or dt.date.today(), lang),
                  f"{words['proof_build']} {build_id}", count)
    sources = {post.slug: source_items(post, ctx, lang) for post in book.posts()}
    summary = None
    if changes is not None:
        summary = Summary(
            Path(ctx.compare).name,
            tuple((p.title, p.slug) for p in changes.added),
            tuple((o.title, o.slug) for o in changes.removed),
            changed_by_page(marks, changed),
        )
    html = overlay_document(book, sheets, marks, trim, stamp, changed, sources, summary)
    fetcher = SafeFetcher([book.style, book.style.parent])
    overlay = io.BytesIO()
    write_pdf(engine_html(html, book.style.as_uri() + "/", fetcher), overlay, pdf_tags=False)
    placed: dict[int, tuple[int, float, float]] = {}
    proof = compose(book_pdf, overlay.getvalue(), sheets, placed)
    # the source map (roundtrip/sourcemap.py): the book's lines, where each page lies on its sheet
    smap = source_map(book_pdf, marks, book, (trim, count, build_id), lines=True)
    on_sheets: list[list[Placement]] = [[] for _ in range(max((s for s, _, _ in placed.values()), default=-1) + 1)]
    for page, (sheet, dx, dy) in sorted(placed.items()):
        on_sheets[sheet].append(Placement(page, dx, dy))
    return embed(proof, smap.with_sheets(on_sheets))


def _read_compared(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        raise BuildError([error("review.compare-unreadable", f"cannot read the earlier build to compare with: {reason}",
                                Location(path), "give --compare the .md output of an earlier build (blog2book build -f md)")]) from exc


def changed_by_page(marks: tuple[PageMarks, ...], changed: frozenset[str]) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """(page, the numbers of its changed paragraphs) for every page that has one."""
    out = []
    for number, page in enumerate(marks, start=1):
        ks = tuple(k for k, para in enumerate(page.paragraphs, start=1) if para.anchor in changed)
        if ks:
            out.append((number, ks))
    return tuple(out)


class ReviewBackend:
    """The PDF under ``--profile review`` (``Format.profile_backends``): the book's very pages on
    larger sheets, marks around them."""

    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        from blog2book.render.pdf.backend import render_book
        from blog2book.render.pdf.structure import TAGGED

        printed = render_book(book, ctx, options=TAGGED)  # the trade PDF's pieces (laid out once for both)
        diagnostics = list(printed.diagnostics)
        data = review_pdf(printed.data, printed.products.page_marks, book, ctx, diagnostics)
        pages = printed.products.pages
        return Rendered(data, tuple(diagnostics), Products(pages=pages), f"the book's {pages} pages on {ctx.sheet} sheets")
