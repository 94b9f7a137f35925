"""The preflight: what a printer's prepress department, a store and an accessibility auditor check
in the files a build wrote, each finding a diagnostic with the file, the page and a code.

``blog2book check --preflight`` runs ``check_files`` on a build folder; the print build runs
``check_print_file`` on the press interior and the cover before writing them (render/print/readback.py),
so that a failure keeps the previous outputs. Codes:

- ``preflight.pdf-error`` Ghostscript (-dPDFSTOPONERROR), ``qpdf --check`` or pdfium cannot draw a page (every PDF);
- ``preflight.subset`` two font programs under one subset name (every PDF);
- ``preflight.rgb`` RGB colour, image or gradient in a print file; ``preflight.pdfx`` the rest of PDF/X
  (conformance key, output intent, fonts embedded, annotations, transparency for X-1a);
- ``preflight.boxes`` TrimBox ⊆ BleedBox ⊆ MediaBox, the same trim and bleed on every page;
- ``preflight.ink`` total ink over 300 % (print files);
- ``preflight.image-resolution`` an image under 300 ppi at its printed size (warning; the press interior and the cover);
- ``preflight.overflow`` text beyond the trim (warning; print files);
- ``preflight.untagged`` a trade PDF without structure tree, /MarkInfo or /Lang (warning);
- ``preflight.ace`` DAISY Ace on the EPUB (critical, serious: errors); ``preflight.tools`` a tool missing.

This package reads files only: it imports no back end (render/ uses it, not the reverse).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from blog2book.diagnostics import Diagnostic, Location, error, info, warning

MM = 72 / 25.4


@dataclass(frozen=True)
class BookFiles:
    """The files of one book in a build folder (None: not there)."""

    trade: Path | None = None  # <name>.pdf
    press: Path | None = None  # <name>-<profile>.pdf
    cover: Path | None = None  # <name>-cover.pdf
    epub: Path | None = None
    others: tuple[Path, ...] = ()  # the review proof and other PDFs of the book

    def pdfs(self) -> list[Path]:
        return [p for p in (self.trade, self.press, self.cover, *self.others) if p is not None]

    def any(self) -> bool:
        return bool(self.pdfs() or self.epub)


@dataclass(frozen=True)
class Expect:
    """What the manuscript asks of the print files."""

    bleed: float | None = 3 * MM  # points a side (None: the file's own, the same on every page)
    cover_bleed: float | None = None
    bookmarks: bool = False
    images: dict = field(default_factory=dict)  # (width, height) in pixels -> (post file, image name)


def find_files(outdir: Path, name: str, profile: str | None) -> BookFiles:
    """``name``'s files in ``outdir``: the trade PDF, the printer's (``name-profile.pdf``), the cover,
    the EPUB and the other PDFs named after the book (the review proof)."""
    def there(file: str) -> Path | None:
        path = outdir / file
        return path if path.is_file() else None

    press = there(f"{name}-{profile}.pdf") if profile and profile != "screen" else None
    known = {f"{name}.pdf", f"{name}-cover.pdf", press.name if press else ""}
    others = tuple(p for p in sorted(outdir.glob(f"{name}-*.pdf")) if p.name not in known and not p.name.startswith(f"{name}-index"))
    if press is not None:
        others = tuple(p for p in others if p.name.removesuffix(".pdf").rsplit("-", 1)[-1] not in ("press", "kdp", "ingram"))
    return BookFiles(there(f"{name}.pdf"), press, there(f"{name}-cover.pdf"), there(f"{name}.epub"), others)


def check_files(files: BookFiles, expect: Expect, ace: bool = True) -> list[Diagnostic]:
    """Every check on every file there."""
    from blog2book.checks.tools import missing_message, missing_tools

    diags: list[Diagnostic] = []
    missing = missing_tools()
    if missing:
        diags.append(error("preflight.tools", missing_message(missing) + "; the pages were not drawn, nor their inks measured", None))
    printed = {files.press: expect.bleed, files.cover: expect.cover_bleed}
    broken = set()
    for path in files.pdfs():
        problem = unreadable(path)
        if problem is not None:  # what the tools say of it, then nothing more can be read
            broken.add(path)
            diags.extend(drawn(path) if not missing else [])
            diags.append(error("preflight.pdf-error", f"cannot be read as a PDF ({problem}): not checked further", Location(path), "rebuild it with blog2book build"))
            continue
        with tempfile.TemporaryDirectory(prefix="blog2book-preflight-") as rasters:
            # a print file is drawn as CMYK rasters, whose inks are then measured: one drawing
            diags.extend(drawn(path, Path(rasters) if path in printed else None) if not missing else [])
            diags.extend(readable(path, subsets, path))
            if path in printed:
                diags.extend(readable(path, print_checks, path, printed[path], expect.bookmarks, None if missing else Path(rasters)))
    for path in (files.press, files.cover):  # the cover's: its front image, when the manuscript gives one
        if path is not None and path not in broken:
            diags.extend(readable(path, resolution, path, expect.images))
    if files.trade is not None and files.trade not in broken:
        diags.extend(readable(files.trade, untagged, files.trade))
    if files.epub is not None and ace:
        diags.extend(accessibility(files.epub))
    return diags


def unreadable(path: Path) -> str | None:
    """Why pikepdf, pypdf or pdfium cannot open the file (not a PDF, cut short), or None."""
    import pikepdf
    import pypdfium2
    from pypdf import PdfReader

    try:
        with pikepdf.open(path):
            pass
        len(PdfReader(str(path)).pages)
        pypdfium2.PdfDocument(str(path)).close()
    except Exception as exc:  # each library raises its own errors on a broken file
        return f"{type(exc).__name__}: {one_line(str(exc), 200)}"
    return None


_WHAT = {"subsets": "font subsets", "print_checks": "colours, boxes, inks and trim", "resolution": "image resolution", "untagged": "tags"}


def readable(path: Path, check, *args) -> list[Diagnostic]:
    """``check(*args)``, or an error saying what could not be read: a file that opens may still hold
    an object a library refuses."""
    try:
        return check(*args)
    except Exception as exc:  # pypdf, pikepdf and pdfium each raise their own errors on a broken file
        return [error("preflight.pdf-error", f"{_WHAT.get(check.__name__, check.__name__)} not checked: the file cannot be read ({type(exc).__name__}: {one_line(str(exc), 200)})",
                      Location(path), "rebuild it with blog2book build")]


def check_print_file(data: bytes, path: Path, cover: bool) -> list[Diagnostic]:
    """The checks of a print file the build is about to write at ``path``: drawn by the three tools,
    one program per subset, total ink, text inside the trim; for the cover, the PDF/X read-back too
    (the interior's runs in its back end, with the exact trim and bleed)."""
    from dataclasses import replace

    from blog2book.checks.tools import missing_message, missing_tools

    missing = missing_tools()
    with tempfile.TemporaryDirectory(prefix="blog2book-preflight-") as folder:
        copy = Path(folder) / Path(path).name
        copy.write_bytes(data)
        rasters = Path(folder) / "rasters"
        rasters.mkdir()
        diags = [] if missing else drawn(copy, rasters)
        diags += subsets(copy)
        diags += print_checks(copy, None, False, None if missing else rasters, pdfx=cover)
    diags = [replace(d, location=Location(Path(path))) if d.location.path == copy else d for d in diags]
    if missing:
        diags.append(warning("preflight.tools", "not drawn nor its inks measured: " + missing_message(missing), Location(Path(path))))
    return diags


def _where(path: Path, page: int | None) -> str:
    return f"page {page}: " if page else ""


def drawn(path: Path, rasters: Path | None = None) -> list[Diagnostic]:
    """Ghostscript, qpdf and pdfium's findings; ``rasters``: where Ghostscript leaves the pages as CMYK TIFFs."""
    from blog2book.checks.tools import problems_by_page

    hint = "a file the tools cannot draw is refused by printers and stores; rebuild it, and report this if it stays"
    return [error("preflight.pdf-error", f"{_where(path, page)}{one_line(message)}", Location(path), hint) for page, message in problems_by_page(path, rasters)]


def one_line(message: str, limit: int = 400) -> str:
    """A tool's report on one line: its first line, then the lines that say error or warning."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    said = lines[:1] + [line for line in lines[1:] if any(w in line.lower() for w in ("error", "warning"))]
    text = " | ".join(dict.fromkeys(said))
    return text if len(text) <= limit else text[:limit] + "…"


def subsets(path: Path) -> list[Diagnostic]:
    from blog2book.checks.structure import subsets_with_two_programs

    return [
        error("preflight.subset", f"the font subset {name} has {count} different font programs (a RIP may draw glyphs from the wrong one)", Location(path), "rebuild it; report this if it stays")
        for name, count in subsets_with_two_programs(path).items()
    ]


def print_checks(path: Path, bleed: float | None, bookmarks: bool, rasters: Path | None, pdfx: bool = True) -> list[Diagnostic]:
    """A print file's PDF/X read-back (RGB, boxes, the rest), its total ink (measured on the pages
    ``drawn`` left in ``rasters``; None: not measured) and its text beyond the trim."""
    from blog2book.checks.ink import MAX_TAC, measured
    from blog2book.checks.pages import text_outside
    from blog2book.checks.pdfx import findings

    diags: list[Diagnostic] = []
    if pdfx:
        hints = {"rgb": "convert the image or colour it names to CMYK or greyscale, or rebuild with blog2book", "boxes": "rebuild the file with blog2book build --print", "pdfx": "rebuild the file with blog2book build --print"}
        for code, page, message in findings(path.read_bytes(), None, None, bleed if bleed is not None else _own_bleed(path), bookmarks):
            diags.append(error(f"preflight.{code}", f"{_where(path, page)}{message}", Location(path), hints[code]))
    if rasters is not None:
        for page, tac in enumerate(measured(rasters), start=1):
            if tac > MAX_TAC + 0.5:
                diags.append(error("preflight.ink", f"page {page}: total ink {tac:.0f} % (printers take {MAX_TAC:.0f} % at most)", Location(path), "blog2book caps the inks of the colours and RGB images it converts: a CMYK image goes to print as it is; convert it to RGB, or lower its ink to 300 %"))
    for page, distance in text_outside(path):
        diags.append(warning("preflight.overflow", f"page {page}: text {distance:.1f} pt beyond the trim (it will be cut)", Location(path), "shorten the line (a long URL, a word without hyphenation), or widen the margins"))
    return diags


def _own_bleed(path: Path) -> float:
    """The bleed of the file's first page (every page must have the same)."""
    from pypdf import PdfReader

    page = PdfReader(str(path)).pages[0]
    if "/TrimBox" not in page or "/BleedBox" not in page:
        return 0.0
    return float(page.trimbox.left) - float(page.bleedbox.left)


def resolution(path: Path, images: dict) -> list[Diagnostic]:
    """A warning per image under 300 ppi at its printed size, at the post that shows it when known."""
    from blog2book.checks.pages import MIN_PPI, image_resolutions

    diags = []
    for page, size, ppi in image_resolutions(path):
        if ppi + 0.5 >= MIN_PPI:
            continue
        owner = images.get(size)
        what = f"image {owner[1]}" if owner else "an image"
        where = Location(owner[0]) if owner else Location(path)
        diags.append(warning("preflight.image-resolution", f"{path.name} page {page}: {what} ({size[0]} × {size[1]} px) prints at {ppi:.0f} ppi; printers want {MIN_PPI}",
                             where, f"give a larger image (at least {round(size[0] * MIN_PPI / ppi)} px wide) or print it smaller"))
    return diags


def untagged(path: Path) -> list[Diagnostic]:
    from blog2book.checks.structure import missing_tags

    lacks = missing_tags(path)
    if not lacks:
        return []
    return [warning("preflight.untagged", "the PDF edition is not accessible: " + "; ".join(lacks), Location(path),
                    "a PDF sold in the EU must be accessible (European Accessibility Act): a tagged PDF (PDF/UA-1) is needed")]


def accessibility(epub: Path) -> list[Diagnostic]:
    from blog2book.checks import ace

    command = ace.command()
    if command is None:
        return [info("preflight.ace", f"ace not installed, skipped (DAISY Ace: npm install -g @daisy/ace, or name it in {ace.ENV})", Location(epub))]
    try:
        found = ace.run(epub, command)
    except RuntimeError as exc:
        return [error("preflight.ace", str(exc), Location(epub), f"check that {command[0]} runs (Ace needs Node.js and a Chromium)")]
    level = {"critical": error, "serious": error, "moderate": warning}
    diags = [level.get(v.impact, info)("preflight.ace", f"{v.where + ': ' if v.where else ''}{v.impact}: {v.rule}: {v.description}", Location(epub)) for v in found]
    return diags or [info("preflight.ace", "DAISY Ace: no violation", Location(epub))]
