"""Book -> print PDF: ``html5.py`` writes the HTML of each piece (pandoc what it cannot),
WeasyPrint lays the pieces out side by side (``render/pdf/layout.py``), pikepdf (qpdf) merges them
(``render/pdf/merge.py``).

The review proof (``--profile review``) is made by ``render/review/proof.py``.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from blog2book import html5
from blog2book.diagnostics import Location, warning
from blog2book.model import Book
from blog2book.render import Products, RenderContext, Rendered
from blog2book.render.pdf.layout import (
    LayoutCache,
    Piece,
    chapter_numbers,
    group_segments,
    lay_out,
    glue_spaces,
    piece_css,
    style_key,
)
from blog2book.infra.cache import key_of, store
from blog2book.infra.atomic import atomic_write
from blog2book.render.pdf.numbers import Numbers
from blog2book.render.pdf.corrections import Fixes
from blog2book.render.pdf.engine.marks import PageMarks
from blog2book.render.pdf.html import anchor_paragraphs, document_head, segments
from blog2book.styles import openers


@dataclass(frozen=True)
class PageMap:
    """Where the print pages fall: for each page (1-based), the anchors that start on it."""

    anchors: tuple[tuple[str, ...], ...]


def image_files(book: Book) -> list[Path]:
    from blog2book import tree

    files: list[Path] = []

    def visit(el):
        if el["t"] == "Image":
            files.append(Path(el["c"][2][0]))
        return None

    for post in book.posts():
        tree.walk(list(post.blocks), visit)
    for matter in (*book.front, *book.back, book.copyright, book.also_by, book.back_cover):  # their images are checked like the posts' (assemble.matter_blocks)
        if matter is not None:
            tree.walk(list(matter.blocks), visit)
    return files


def executor_factory(ctx: RenderContext) -> Callable[[], Executor] | None:
    """Local worker processes (``--jobs``), or the executor of a Dask cluster (``--executor``)."""
    if ctx.executor:
        from blog2book.infra.workers import dask_executor
        from blog2book.render.pdf.engine import environment

        return lambda: dask_executor(ctx.executor, probe=environment)  # every worker runs what this machine does
    if ctx.jobs <= 1:
        return None
    from blog2book.infra.workers import process_executor

    return lambda: process_executor(ctx.jobs, preload=("pikepdf", "weasyprint"))  # imported once, before the workers fork


class PdfBackend:
    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        """The book PDF, tagged (PDF/UA-1: render/pdf/structure.py) and carrying its source map
        (render/pdf/proofmap.py: ``blog2book corrections`` reads an annotated copy of it)."""
        from blog2book.render.pdf.proofmap import book_facts, embed, source_map
        from blog2book.render.pdf.structure import TAGGED

        made = render_book(book, ctx, options=TAGGED)  # the trade PDF: tagged, PDF/UA-1
        smap = source_map(made.data, made.products.page_marks, book, book_facts(made.data))
        return replace(made, data=embed(made.data, smap), products=replace(made.products, source_map=smap))


def render_book(book: Book, ctx: RenderContext, extra_css: str = "", options: dict | None = None) -> Rendered:
    """The book PDF. With an index, its page numbers come from a first layout of the book; the
    book is then laid out again, which lays out only the index's piece (the others are cached).
    A printer's file (render/print/backend.py) adds its CSS (bleed, marks) and its ``write_pdf``
    options (PDF/X), then finishes the merged PDF."""
    if book.index is None:
        return _render_book(book, ctx, extra_css, options, ctx.publish)
    from blog2book.index import page_of, with_pages

    first = _render_book(book, ctx, extra_css, options)
    final = _render_book(with_pages(book, page_of(first.products.page_map)), ctx, extra_css, options, ctx.publish)
    return replace(final, summary=_summary(final.products.pages, first.products.layout, final.products.layout))


def _render_book(book: Book, ctx: RenderContext, extra_css: str = "", options: dict | None = None, publish=None) -> Rendered:
    """The book laid out and merged; ``publish`` (if any) is given the page products as soon as
    they are known, before the merge."""
    style = book.style
    pieces = _pieces(book, ctx)
    head = piece_css(document_head(book, [(style / "print.css").as_uri()], extra_css))
    roots = [style, style.parent, *(p.parent for p in image_files(book))]
    cache = LayoutCache(ctx.cache_dir / "pieces" if ctx.cache_dir else None)
    record = ctx.cache_dir / "numbers" / f"{ctx.name}.json" if ctx.cache_dir else None
    total_words = sum(p.word_count for p in book.posts())

    def steps(done: int, total: int, pages: int) -> None:
        if ctx.steps:
            ctx.steps(done, total, f"pieces laid out, {pages} pages")

    shipment = None
    if ctx.executor:  # a cluster's workers see none of this machine's files: they are sent them
        from blog2book.render.pdf.content import shipment as make_shipment

        shipment = make_shipment(style, image_files(book))
    layout = lay_out(
        pieces, head, chapter_numbers(book), style.as_uri() + "/", roots, style_key(style), cache,
        executor_factory(ctx), _previous(record), total_words, steps, options, workers=ctx.jobs, shipment=shipment,
        recto=openers(style) == "recto",
    )
    _remember(record, layout.numbers)

    from blog2book.render.pdf.merge import MERGE_VERSION, blanks_before, merge_apart

    # the book's pages are known before the merge: formats made beside the PDF need no more
    blanks = blanks_before([piece.pages for piece in layout.pieces], layout.recto)
    anchors: list[tuple[str, ...]] = []
    marks: list[PageMarks] = []
    firsts: list[int] = []
    for piece, blank in zip(layout.pieces, blanks):
        if blank:
            anchors.append(())
            marks.append(PageMarks())
        firsts.append(len(anchors) + 1)
        anchors.extend(piece.anchors)
        marks.extend(piece.marks)
    products = Products(page_map=PageMap(tuple(anchors)), page_marks=tuple(marks), pages=len(anchors), layout=layout)
    if publish is not None:
        publish(products.kept())

    merged_key = key_of("merged", MERGE_VERSION, [p.key for p in layout.pieces])
    merged_folder = ctx.cache_dir / "merged" if ctx.cache_dir else None
    merged = _cached_merge(merged_folder, merged_key, len(anchors))
    if merged is None:
        merged = merge_apart(layout)
        if merged_folder is not None:
            store(merged_folder / f"{merged_key}.pdf", merged.pdf)
            store(merged_folder / f"{merged_key}.json", json.dumps({"pages": merged.pages}).encode())
    assert merged.pages == len(anchors), "the merge's pages are not the page map's"
    diagnostics = [
        warning("pdf.fetch-refused", f"the style asked the PDF engine for {url}, which it may not read", Location(style), "styles may use their own files and fontpkg: fonts only")
        for url in dict.fromkeys(u for p in layout.pieces for u in p.refused)
    ]
    from blog2book.render.pdf.engine import fallback_notice
    from blog2book.render.pdf.overflowed import overflow_warnings

    diagnostics += overflow_warnings(book, layout.pieces, firsts)

    notice = fallback_notice()
    failures = list(dict.fromkeys(f for p in layout.pieces for f in p.fallbacks))
    if notice is None and failures:
        notice = (f"blog2book's page-by-page corrections failed in {sum(1 for p in layout.pieces if p.fallbacks)} piece(s) ({failures[0]}):"
                  " those pieces were corrected after their layout instead (the same book, slower)")
    if notice is not None:
        diagnostics.append(warning("pdf.engine-fallback", notice, Location(style), "install a supported WeasyPrint (pyproject.toml), or report this with the message"))
    from blog2book.render.pdf.looselines import loose_lines

    diagnostics += loose_lines(book, marks)
    if not layout.converged:
        diagnostics.append(
            warning("pdf.numbers-unsettled", f"page numbers still moved after {layout.passes} layout passes; some « voir p. » or contents numbers may be off by a page", Location(style), "rebuild; if it persists, report the book")
        )
    return Rendered(merged.pdf, tuple(diagnostics), products, _summary(merged.pages, layout))


def _pieces(book: Book, ctx: RenderContext) -> list[Piece]:
    """The book cut in pieces, as HTML. The print blocks they are made from are not kept: they
    would be held, and copied into every worker process, for the whole layout."""
    groups = group_segments(book, segments(book, ctx))
    html_cache = ctx.cache_dir / "html" if ctx.cache_dir else None
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        bodies = list(pool.map(lambda g: glue_spaces(anchor_paragraphs(html5.fragment([b for seg in g for b in seg.blocks], html_cache))), groups))
    pieces = []
    chapters = 0
    for i, (group, body) in enumerate(zip(groups, bodies)):
        pieces.append(Piece(i, body, chapters))
        chapters += sum(1 for seg in group if seg.kind == "chapter")
    return pieces


def single_flow(book: Book, ctx: RenderContext) -> tuple[bytes, PageMap]:
    """The whole book laid out as one WeasyPrint document: the pieces' HTML, numbers and
    corrections, only not cut. The reference the pieced PDF is checked against
    (``tests/test_pieces.py``, ``bench/run.py``): the PDF and its page map."""
    from blog2book.render.pdf.merge import merge

    style = book.style
    whole = Piece(0, "\n".join(p.body for p in _pieces(book, ctx)), 0)
    head = piece_css(document_head(book, [(style / "print.css").as_uri()]))
    roots = [style, style.parent, *(p.parent for p in image_files(book))]
    layout = lay_out(
        [whole], head, chapter_numbers(book), style.as_uri() + "/", roots, style_key(style), LayoutCache(None), None,
        total_words=sum(p.word_count for p in book.posts()),
    )
    # merged as the pieces are: the calibration page left out, links and outline as in the book
    return merge(layout).pdf, PageMap(layout.pieces[0].anchors)


def _summary(pages: int, *layouts) -> str:
    """What the layout did, over every layout of this build (an indexed book is laid out twice)."""
    passes = sum(lay.passes for lay in layouts)
    laid_out = sum(lay.laid_out for lay in layouts)
    renumbered = sum(lay.renumbered for lay in layouts)
    cached = sum(len(lay.pieces) * lay.passes for lay in layouts) - laid_out - renumbered
    return (
        f"{pages} pages; {len(layouts[-1].pieces)} pieces, {laid_out} laid out, {renumbered} renumbered, {cached} from the cache, "
        f"{passes} pass{'es' if passes > 1 else ''}"
    )


def _cached_merge(folder: Path | None, key: str, pages: int):
    """The merged PDF of exactly these laid-out pieces (``pages`` pages), from an earlier build."""
    from blog2book.render.pdf.merge import Merged

    if folder is None:
        return None
    try:
        facts = json.loads((folder / f"{key}.json").read_text("utf-8"))
        pdf = (folder / f"{key}.pdf").read_bytes()
    except (OSError, ValueError):
        return None
    if facts.get("pages") != pages:
        return None
    return Merged(pdf, pages)


def _previous(record: Path | None) -> Numbers | None:
    """The numbers the last build of this book settled on: the first pass starts from them."""
    if record is None:
        return None
    try:
        data = json.loads(record.read_text("utf-8"))
        fixes = {body: Fixes.from_json(f) for body, f in dict(data.get("fixes", {})).items()}
        return Numbers(tuple(data["starts"]), dict(data["pages"]), {body: f for body, f in fixes.items() if f is not None})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(record: Path | None, numbers: Numbers) -> None:
    if record is None:
        return
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(record, json.dumps({"starts": list(numbers.starts), "pages": numbers.pages, "fixes": {body: f.to_json() for body, f in numbers.fixes.items()}}))
    except OSError:
        pass
