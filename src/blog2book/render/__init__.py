"""Back ends: each turns a Book into one output file.

The registry is a plain dict; a back end has a ``name``, a ``suffix`` and
``render(book, ctx) -> bytes``. The pipeline writes the bytes atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from blog2book.model import Book


@dataclass(frozen=True)
class RenderContext:
    """What a back end may know besides the Book."""

    links: str = "footnote"  # footnote | endnote | inline
    profile: str = "book"  # book | review
    compare: Path | None = None  # md output of an earlier build (review profile)
    build_date: Any = None  # datetime.date shown on review proofs
    page_map: Any = None  # print page layout, filled by the PDF back end for the EPUB page list
    sources: Any = None  # slug -> SourcePost, for the review profile
    press: Any = None  # manifest.PrintSpec with the profile to write (print profiles, cover)
    print_pages: int | None = None  # page count of the print PDF built in this run (the cover's spine)
    print_trim: tuple[float, float] | None = None  # its trim size in points


class Backend(Protocol):
    name: str
    suffix: str

    def render(self, book: Book, ctx: RenderContext) -> bytes: ...


BACKENDS = {
    "md": ("blog2book.render.markdown", "MarkdownBackend"),
    "pdf": ("blog2book.render.pdf", "PdfBackend"),
    "epub": ("blog2book.render.epub", "EpubBackend"),
    "cover": ("blog2book.render.coverprint", "CoverBackend"),
}
FORMATS = tuple(BACKENDS)


def backend(fmt: str) -> Backend:
    """A new back end for ``fmt``; modules load lazily (WeasyPrint is slow to import)."""
    import importlib

    module, cls = BACKENDS[fmt]
    return getattr(importlib.import_module(module), cls)()
