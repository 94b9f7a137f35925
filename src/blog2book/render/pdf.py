"""Book -> print PDF: pandoc writes the HTML, WeasyPrint lays it out with the style's CSS."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from blog2book.diagnostics import Location, warning
from blog2book.model import Book
from blog2book.render import RenderContext
from blog2book.render.notefix import keep_notes_with_calls
from blog2book.render.printhtml import print_html


class _QuietFontTools(logging.Filter):
    """WeasyPrint warns on every run when HarfBuzz-subset is missing; the output is fine."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "HarfBuzz" not in record.getMessage()


@dataclass(frozen=True)
class PageMap:
    """Where the print pages fall: for each page (1-based), the anchors that start on it."""

    anchors: tuple[tuple[str, ...], ...]

    @property
    def page_count(self) -> int:
        return len(self.anchors)


def layout(book: Book, ctx: RenderContext, extra_css: str = "", post_extra=None, stylesheet: str = "print.css", html_filter=None, post_wrap=None):
    """Lay the book out; returns the WeasyPrint document (pages known, nothing written yet).

    ``html_filter(html) -> html`` may add to the document before layout (the review's first page)."""
    warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*")
    logging.getLogger("weasyprint").addFilter(_QuietFontTools())
    import weasyprint

    from blog2book.render.fetch import SafeFetcher

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    style = book.style
    html = print_html(book, ctx, [(style / stylesheet).as_uri()], extra_css, post_extra, post_wrap)
    if html_filter is not None:
        html = html_filter(html)
    roots = [style, style.parent, *(p.parent for p in _image_files(book))]
    fetcher = SafeFetcher(roots)
    base = style.as_uri() + "/"
    # notes at the foot of the page of their call: relaid out when WeasyPrint moved one (printhtml)
    document, html = keep_notes_with_calls(html, lambda h: weasyprint.HTML(string=h, base_url=base, url_fetcher=fetcher).render())
    return document, fetcher, html


def _image_files(book: Book) -> list[Path]:
    from blog2book import tree

    files: list[Path] = []

    def visit(el):
        if el["t"] == "Image":
            files.append(Path(el["c"][2][0]))
        return None

    for post in book.posts():
        tree.walk(list(post.blocks), visit)
    return files


def page_map(document) -> PageMap:
    """Anchors per page. WeasyPrint may list, on a blank page made by ``break-before: right``,
    anchors of the element that starts on the next page: they are moved to that page."""
    pages: list[list[str]] = []
    carried: list[str] = []
    for page in document.pages:
        names = carried + list(page.anchors.keys())
        box = getattr(page, "_page_box", None)
        if box is not None and getattr(box.page_type, "blank", False):
            pages.append([])
            carried = names
        else:
            pages.append(names)
            carried = []
    return PageMap(tuple(tuple(names) for names in pages))


class PdfBackend:
    name = "pdf"
    suffix = ".pdf"

    def render(self, book: Book, ctx: RenderContext) -> bytes:
        if ctx.profile == "review":
            from blog2book.render.review import render_review

            data, self.page_map = render_review(book, ctx)
            return data
        if ctx.press is not None and ctx.press.profile != "screen":  # a printer's file (render/printbook.py)
            from blog2book.render.printbook import render_print

            data, self.page_map, self.diagnostics, self.pages, self.trim = render_print(book, ctx, layout)
            return data
        document, fetcher, _ = layout(book, ctx)
        self.diagnostics = [
            warning("pdf.fetch-refused", f"the style asked the PDF engine for {url}, which it may not read", Location(book.style), "styles may use their own files and fontpkg: fonts only")
            for url in dict.fromkeys(fetcher.refused)
        ]
        out = io.BytesIO()
        document.write_pdf(out, pdf_tags=False)
        self.page_map = page_map(document)
        return out.getvalue()
