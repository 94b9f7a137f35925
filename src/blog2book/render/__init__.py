"""Back ends: each turns a Book into one output and returns what it made.

``FORMATS`` is the one list of output formats: for each, the module and class of its back end, the
file suffix, and what it needs from and provides to the others (the PDF provides the print page
map, the EPUB uses it for its page list). A back end's ``render(book, ctx)`` returns a ``Rendered``:
the bytes to write, its diagnostics and its products. The pipeline writes the bytes atomically.
"""

from __future__ import annotations

from dataclasses import dataclass

from blog2book.render.contract import Backend, Products, RenderContext, Rendered

__all__ = ["FORMATS", "Backend", "Format", "Products", "RenderContext", "Rendered", "asked", "backend", "order", "read_back"]


@dataclass(frozen=True)
class Format:
    """An output format: its back end, its file, and what the pipeline must know of it."""

    name: str
    module: str  # the back end's module (loaded lazily: WeasyPrint is slow to import)
    cls: str  # its class, a ``Backend``
    suffix: str
    needs: tuple[str, ...] = ()  # products used when another format of the build provides them
    provides: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ("book",)  # --profile values this format accepts
    folder: bool = False  # the output is a folder (its bytes are a zip the pipeline unpacks in place)
    title: str = ""  # how progress lines name it ("PDF"; ``{press}``: the print profile's name)
    lays_out: bool = False  # a long layout in worker processes: what needs at most its products is made beside it
    cached: bool = False  # its Rendered is kept whole in the book cache, reused while nothing changed
    engines: tuple[str, ...] = ()  # distributions whose version is part of that cache's key
    faces: tuple[str, ...] = ()  # faces prepared before rendering: "style" (the style's), "cover" (the typographic cover's)
    press: bool = False  # the printer's file: made when a print profile is set, named <name>-<profile><suffix>
    press_with: tuple[str, ...] = ()  # with a print profile, asking for one of these formats makes this one too
    asks_press: bool = False  # made for a print profile, ``press`` when the build sets none
    check: str | None = None  # "module:function" reading the written bytes back: (path, data, book, sources) -> diagnostics
    profile_named: bool = False  # under another profile than "book", another product: <name>-<profile><suffix> (the review proof)
    profile_backends: tuple[tuple[str, str, str], ...] = ()  # (profile, module, class): another back end under that profile

    def label(self, profile: str, press_profile: str | None) -> str:
        """The format as a progress line names it."""
        what = (self.title or self.name.upper()).format(press=press_profile)
        return what + (f" ({profile} profile)" if profile != "book" and profile in self.profiles and self.profile_named else "")

    def file_name(self, name: str, profile: str, press_profile: str | None) -> str:
        """The output's name for the manuscript ``name``: a proof is ``<name>-review.pdf``, the
        printer's file ``<name>-<profile>.pdf``."""
        if self.press:
            return f"{name}-{press_profile}{self.suffix}"
        if profile != "book" and self.profile_named:
            return f"{name}-{profile}{self.suffix}"
        return f"{name}{self.suffix}"


_READ_BACK = "blog2book.render.pdf.fontcheck:machine_fonts"  # never a PDF in the machine's fonts
_PREFLIGHT = "blog2book.render.print.readback"  # the fonts, then the preflight (blog2book.checks)

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", "blog2book.render.markdown.backend", "MarkdownBackend", ".md", profiles=("book", "review"), cached=True),
        Format("pdf", "blog2book.render.pdf.backend", "PdfBackend", ".pdf", provides=("page_map",), profiles=("book", "review"),
               lays_out=True, cached=True, engines=("weasyprint",), faces=("style",), check=_READ_BACK, profile_named=True,
               profile_backends=(("review", "blog2book.render.review.proof", "ReviewBackend"),)),
        Format("epub", "blog2book.render.epub.backend", "EpubBackend", ".epub", needs=("page_map",), cached=True, faces=("style", "cover")),
        # the editors' manuscript in Word (tracked changes and comments come back with blog2book corrections)
        Format("docx", "blog2book.render.docx.backend", "DocxBackend", ".docx", title="DOCX"),
        Format("html", "blog2book.render.web.backend", "HtmlBackend", "-html", needs=("page_map",), folder=True, faces=("style",)),
        # the printer's file (--print), written as <name>-<profile>.pdf, and the cover it sizes
        Format("print", "blog2book.render.print.backend", "PrintBackend", ".pdf", provides=("print_pages", "print_trim"),
               title="the {press} PDF", press=True, press_with=("pdf", "cover"), check=f"{_PREFLIGHT}:interior"),
        Format("cover", "blog2book.render.print.cover", "CoverBackend", "-cover.pdf", needs=("print_pages",), asks_press=True, check=f"{_PREFLIGHT}:cover"),
    )
}


def asked() -> list[Format]:
    """The formats a user may ask for (-f): not those a build adds itself (the printer's file)."""
    return [f for f in FORMATS.values() if not f.press]


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


def read_back(fmt: Format):
    """The function that checks ``fmt``'s written bytes, or None."""
    if fmt.check is None:
        return None
    import importlib

    module, name = fmt.check.split(":")
    return getattr(importlib.import_module(module), name)


def backend(fmt: str, profile: str = "book") -> Backend:
    """A new back end for ``fmt`` under ``profile``; modules load lazily (WeasyPrint is slow to import)."""
    import importlib

    f = FORMATS[fmt]
    module, cls = next(((m, c) for p, m, c in f.profile_backends if p == profile), (f.module, f.cls))
    return getattr(importlib.import_module(module), cls)()
