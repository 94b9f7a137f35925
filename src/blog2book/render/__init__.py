"""Back ends: each turns a Book into one output and returns what it made.

``FORMATS`` is the one list of output formats: for each, the module and class of its back end, the
file suffix, and what it needs from and provides to the others (the PDF provides the print page
map, the EPUB uses it for its page list). A back end's ``render(book, ctx)`` returns a ``Rendered``:
the bytes to write, its diagnostics and its products. The pipeline writes the bytes atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol

from blog2book.model import Book


@dataclass(frozen=True)
class RenderContext:
    """What a back end may know besides the Book."""

    links: str = "footnote"  # footnote | endnote | inline
    profile: str = "book"  # book | review
    compare: Path | None = None  # md output of an earlier build (review profile)
    build_date: Any = None  # datetime.date shown on review proofs
    page_map: Any = None  # print page layout, from the PDF back end, for the EPUB page list
    page_marks: Any = None  # per print page, its paragraphs (render/pagemarks.py): the EPUB marks a carried paragraph's tail
    sources: Any = None  # slug -> SourcePost, for the review profile
    name: str = "book"  # the manuscript's name: outputs and cache records are named after it
    cache_dir: Path | None = None  # where laid-out pieces and other per-build work are kept
    jobs: int = 1  # worker processes for the print layout
    executor: str | None = None  # None: local processes; "dask://HOST:PORT": a Dask cluster
    steps: Callable[[int, int, str], None] | None = None  # progress: done, total, what
    sheet: str = "letter"  # review profile: the sheet the book's pages are placed on (render/impose.py)
    press: Any = None  # manifest.PrintSpec with the profile to write (print profiles, cover)
    print_pages: int | None = None  # page count of the print PDF built in this run (the cover's spine)
    print_trim: tuple[float, float] | None = None  # its trim size in points
    publish: Callable[[Mapping[str, Any]], None] | None = None  # the PDF gives its page products here as soon as it knows them (before its merge)


@dataclass(frozen=True)
class Rendered:
    """What a back end made: the output's bytes, what went wrong, what other formats may use."""

    data: bytes
    diagnostics: tuple = ()
    products: Mapping[str, Any] = field(default_factory=dict)
    summary: str = ""  # e.g. "212 pages", shown after the file's size


class Backend(Protocol):
    def render(self, book: Book, ctx: RenderContext) -> Rendered: ...


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    cls: str
    suffix: str
    needs: tuple[str, ...] = ()  # products used when another format of the build provides them
    provides: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ("book",)  # --profile values this format accepts
    folder: bool = False  # the output is a folder (its bytes are a zip the pipeline unpacks in place)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", "blog2book.render.markdown.backend", "MarkdownBackend", ".md", profiles=("book", "review")),
        Format("pdf", "blog2book.render.pdf.backend", "PdfBackend", ".pdf", provides=("page_map",), profiles=("book", "review")),
        Format("epub", "blog2book.render.epub.backend", "EpubBackend", ".epub", needs=("page_map",)),
        Format("html", "blog2book.render.web.backend", "HtmlBackend", "-html", needs=("page_map",), folder=True),
        # the printer's file (--print), written as <name>-<profile>.pdf, and the cover it sizes
        Format("print", "blog2book.render.print.backend", "PrintBackend", ".pdf", provides=("print_pages", "print_trim")),
        Format("cover", "blog2book.render.print.cover", "CoverBackend", "-cover.pdf", needs=("print_pages",)),
    )
}


def order(formats) -> list[Format]:
    """The requested formats, each after the formats that provide what it needs."""
    chosen = [FORMATS[f] for f in dict.fromkeys(formats)]
    provided = {p: f for f in chosen for p in f.provides}
    out: list[Format] = []

    def add(f: Format) -> None:
        if f in out:
            return
        for need in f.needs:
            if need in provided:
                add(provided[need])
        out.append(f)

    for f in chosen:
        add(f)
    return out


def backend(fmt: str) -> Backend:
    """A new back end for ``fmt``; modules load lazily (WeasyPrint is slow to import)."""
    import importlib

    f = FORMATS[fmt]
    return getattr(importlib.import_module(f.module), f.cls)()
