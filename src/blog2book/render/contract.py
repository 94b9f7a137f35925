"""The contract between the pipeline and the back ends: what a back end is given (``RenderContext``),
what it returns (``Rendered``) and the one method it has (``Backend.render``). The registry of formats
is ``render/__init__.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Protocol

from blog2book.model import Book


@dataclass(frozen=True)
class RenderContext:
    """What a back end may know besides the Book."""

    links: str = "footnote"  # footnote | endnote | inline
    profile: str = "book"  # book | review
    compare: Path | None = None  # md output of an earlier build (review profile)
    build_date: Any = None  # datetime.date shown on review proofs
    page_map: Any = None  # print page layout, from the PDF back end, for the EPUB page list
    page_marks: Any = None  # per print page, its paragraphs (render/pdf/engine/marks.py): the EPUB marks a carried paragraph's tail
    sources: Any = None  # slug -> SourcePost, for the review profile
    name: str = "book"  # the manuscript's name: outputs and cache records are named after it
    cache_dir: Path | None = None  # where laid-out pieces and other per-build work are kept
    jobs: int = 1  # worker processes for the print layout
    executor: str | None = None  # None: local processes; "dask://HOST:PORT": a Dask cluster
    steps: Callable[[int, int, str], None] | None = None  # progress: done, total, what
    sheet: str = "letter"  # review profile: the sheet the book's pages are placed on (render/review/impose.py)
    press: Any = None  # manifest.PrintSpec with the profile to write (print profiles, cover)
    print_pages: int | None = None  # page count of the print PDF built in this run (the cover's spine)
    print_trim: tuple[float, float] | None = None  # its trim size in points
    publish: Callable[["Products"], None] | None = None  # the PDF gives its page products here as soon as it knows them (before its merge)


@dataclass(frozen=True)
class Products:
    """What a back end made for the other formats of the build and for the pipeline (``Format.provides``
    names the ones another format may need)."""

    page_map: Any = None  # the PDF: for each page, the anchors that start on it (the EPUB's page list, index locators)
    page_marks: Any = None  # the PDF: for each page, its paragraphs and posts (render/pdf/engine/marks.py)
    pages: int | None = None  # the PDF (or the review proof): its page count
    layout: Any = None  # the PDF: its pieces' layouts (the printer's file lays out from them); never cached
    print_pages: int | None = None  # the printer's file: its page count (the cover's spine)
    print_trim: tuple[float, float] | None = None  # its trim size in points
    source_map: Any = None  # the PDF: where each printed line came from (roundtrip/sourcemap.py), as embedded in it

    def for_context(self) -> dict[str, Any]:
        """The products a ``RenderContext`` takes, those that were made."""
        return {name: value for name in _CONTEXT_PRODUCTS if (value := getattr(self, name)) is not None}

    def kept(self) -> "Products":
        """What a later build or another process needs: all but the layout (its PDFs are in the pieces' cache)."""
        return replace(self, layout=None)


_CONTEXT_PRODUCTS = ("page_map", "page_marks", "print_pages", "print_trim")


@dataclass(frozen=True)
class Rendered:
    """What a back end made: the output's bytes, what went wrong, what other formats may use."""

    data: bytes
    diagnostics: tuple = ()
    products: Products = Products()
    summary: str = ""  # e.g. "212 pages", shown after the file's size


class Backend(Protocol):
    def render(self, book: Book, ctx: RenderContext) -> Rendered: ...
