"""A PDF is valid when the tools that draw it say nothing: Ghostscript draws every page (stopping on
the first error), ``qpdf --check`` reads every object and stream, and pdfium (pypdfium2, the engine
of Chrome's viewer) renders every page. Any error, any warning, is a problem.

Ghostscript and qpdf are Debian packages (``make system-deps``); pdfium comes with pypdfium2.
``tests/pdfcheck.py`` runs the same over every PDF the tests write.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

GS = ["gs", "-dPDFSTOPONERROR", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", "-q"]
QPDF = ["qpdf", "--check"]
RASTER = ["-sDEVICE=tiff32nc", "-r50"]  # CMYK, no anti-aliasing: the inks as laid (checks/ink.py)
PDFIUM_SCALE = 0.3  # enough to draw every object of the page, cheap (a 50-page book: 0.1 s)
TIMEOUT = 120  # seconds per tool and file


def missing_tools() -> list[str]:
    return [tool for tool in ("gs", "qpdf") if shutil.which(tool) is None]


def missing_message(missing: list[str]) -> str:
    return f"the PDF checks need {' and '.join(missing)} (Debian: ghostscript, qpdf): `make system-deps` as root, or `sudo apt-get install ghostscript qpdf`"


def problems_by_page(path: Path, rasters: Path | None = None) -> list[tuple[int | None, str]]:
    """(page or None, what a tool said) for the PDF at ``path``; nothing: it is valid. The two
    programs run while pdfium renders the pages. ``rasters``: a folder where Ghostscript, drawing,
    leaves every page as a CMYK TIFF (checks/ink.py measures them: one drawing, not two)."""
    path = Path(path)
    draw = [*GS[:-2], *RASTER, "-o", str(Path(rasters) / "p%05d.tif"), "-q"] if rasters is not None else GS
    runs = {
        "gs": subprocess.Popen([*draw, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
        "qpdf --check": subprocess.Popen([*QPDF, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
    }
    pdfium, pages = _pdfium_problems(path)
    problems = [(page, f"pdfium: {p}") for page, p in pdfium]
    for name, run in runs.items():
        try:
            out, _ = run.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            run.kill()
            run.communicate()
            problems.append((None, f"{name}: no answer after {TIMEOUT} s"))
            continue
        text = out.decode("utf-8", "replace").strip()
        if name == "gs" and (run.returncode != 0 or text):
            page = first_page_gs_rejects(path, pages)
            problems.append((page, f"gs (exit {run.returncode}): {text or 'no message'}"))
        elif name != "gs" and (run.returncode != 0 or "warning" in text.lower()):
            problems.append((None, f"qpdf --check (exit {run.returncode}): {text}"))
    return problems


def pdf_problems(path: Path) -> list[str]:
    """The same as lines, a page named where one is known."""
    return [f"{message.split(':', 1)[0]} on page {page}:{message.split(':', 1)[1]}" if page else message for page, message in problems_by_page(path)]


def _pdfium_problems(path: Path) -> tuple[list[tuple[int | None, str]], int]:
    """What pdfium says rendering every page, and the page count it read."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        return [(None, f"cannot open: {exc}")], 0
    problems: list[tuple[int | None, str]] = []
    try:
        count = len(pdf)
        if count == 0:
            problems.append((None, "no pages"))
        for index in range(count):
            try:
                page = pdf[index]
                page.render(scale=PDFIUM_SCALE).close()
                page.close()
            except pdfium.PdfiumError as exc:
                problems.append((index + 1, str(exc)))
    finally:
        pdf.close()
    return problems, count


def first_page_gs_rejects(path: Path, pages: int) -> int | None:
    """The first page Ghostscript does not draw silently, found by halves (only when the whole file
    failed); None when no page alone fails."""
    low, high = 1, pages
    if pages == 0 or ghostscript_says(path, low, high) == "":
        return None
    while low < high:  # pages low..high fail, pages before low were drawn silently
        middle = (low + high) // 2
        if ghostscript_says(path, low, middle):
            high = middle
        else:
            low = middle + 1
    return low


def ghostscript_says(path: Path, first: int | None = None, last: int | None = None) -> str:
    """What Ghostscript prints drawing the PDF (pages ``first`` to ``last``, 1-based, if given),
    with its exit status when it failed: "" when it drew them silently."""
    pages = []
    if first is not None:
        pages.append(f"-dFirstPage={first}")
    if last is not None:
        pages.append(f"-dLastPage={last}")
    run = subprocess.run([*GS, *pages, str(path)], capture_output=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
    text = (run.stdout + run.stderr).decode("utf-8", "replace").strip()
    return f"exit {run.returncode}: {text}" if run.returncode or text else ""
