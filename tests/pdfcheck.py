"""A PDF is valid when the tools that draw it say nothing: Ghostscript draws every page (stopping
on the first error), ``qpdf --check`` reads every object and stream, and pdfium (pypdfium2, the
engine of Chrome's viewer) renders every page. Any error, any warning, fails.

``assert_valid_pdf(path)`` checks one file. ``Watch`` checks every PDF blog2book writes during the
tests (``conftest.py`` puts it around ``pipeline.write_outputs``, the one place a build's files are
written): each as it is written, once per distinct content.

Ghostscript and qpdf are Debian packages (``make system-deps``, run by ``make test``). Without
them, the check fails in CI and wherever ``make test`` would install them (root with apt-get);
elsewhere it is skipped, and says why.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

GS = ["gs", "-dPDFSTOPONERROR", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", "-q"]
QPDF = ["qpdf", "--check"]
PDFIUM_SCALE = 0.3  # enough to draw every object of the page, cheap (a 50-page book: 0.1 s)
TIMEOUT = 120  # seconds per tool and file


def missing_tools() -> list[str]:
    return [tool for tool in ("gs", "qpdf") if shutil.which(tool) is None]


def tools_required() -> bool:
    """In CI, or where ``make test`` installs the tools itself (root, apt-get): their absence is a failure."""
    installable = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None
    return os.environ.get("CI", "").lower() in ("true", "1") or installable


def missing_message(missing: list[str]) -> str:
    return (f"the PDF checks need {' and '.join(missing)} (Debian: ghostscript, qpdf): `make test` installs them "
            "(its system-deps target, as root), or `sudo apt-get install ghostscript qpdf`")


def require_tools() -> None:
    """Fail (CI, or installable here) or skip, with what to do, when Ghostscript or qpdf is missing."""
    missing = missing_tools()
    if missing:
        (pytest.fail if tools_required() else pytest.skip)(missing_message(missing))


def pdf_problems(path: Path) -> list[str]:
    """What Ghostscript, qpdf and pdfium say of the PDF at ``path`` (nothing: it is valid). The two
    programs run while pdfium renders the pages."""
    path = Path(path)
    runs = {
        "gs": subprocess.Popen([*GS, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
        "qpdf --check": subprocess.Popen([*QPDF, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL),
    }
    pdfium, pages = _pdfium_problems(path)
    problems = [f"pdfium: {p}" for p in pdfium]
    for name, run in runs.items():
        try:
            out, _ = run.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            run.kill()
            run.communicate()
            problems.append(f"{name}: no answer after {TIMEOUT} s")
            continue
        text = out.decode("utf-8", "replace").strip()
        if name == "gs" and (run.returncode != 0 or text):
            problems.append(f"gs (exit {run.returncode}){_first_page_gs_rejects(path, pages)}: {text or 'no message'}")
        elif name != "gs" and (run.returncode != 0 or "warning" in text.lower()):
            problems.append(f"qpdf --check (exit {run.returncode}): {text}")
    return problems


def _pdfium_problems(path: Path) -> tuple[list[str], int]:
    """What pdfium says rendering every page, and the page count it read."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        return [f"cannot open: {exc}"], 0
    problems = []
    try:
        count = len(pdf)
        if count == 0:
            problems.append("no pages")
        for index in range(count):
            try:
                page = pdf[index]
                page.render(scale=PDFIUM_SCALE).close()
                page.close()
            except pdfium.PdfiumError as exc:
                problems.append(f"page {index + 1}: {exc}")
    finally:
        pdf.close()
    return problems, count


def _first_page_gs_rejects(path: Path, pages: int) -> str:
    """" on page N": the first page Ghostscript does not draw silently, found by halves (only
    when the whole file failed); "" when no page alone fails."""
    low, high = 1, pages
    if pages == 0 or ghostscript_says(path, low, high) == "":
        return ""
    while low < high:  # pages low..high fail, pages before low were drawn silently
        middle = (low + high) // 2
        if ghostscript_says(path, low, middle):
            high = middle
        else:
            low = middle + 1
    return f" on page {low}"


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


def empty_filtered_streams(path: Path) -> list[str]:
    """The streams that declare a filter but hold no bytes (no filter's data is empty: an empty
    Flate stream is 8 bytes), each as "object N G (its /Type, /Subtype)"."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [
            f"object {obj.objgen[0]} {obj.objgen[1]} ({obj.get('/Type')}, {obj.get('/Subtype')})"
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and "/Filter" in obj and not obj.read_raw_bytes()
        ]


def assert_valid_pdf(path: Path) -> None:
    require_tools()
    problems = pdf_problems(path)
    assert not problems, f"{path} is not a valid PDF:\n" + "\n".join(problems)


class Watch:
    """The PDFs written during the session, each checked as it is written (once per content);
    ``failures()`` hands over, once, what failed since it was last called."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.pending: list[str] = []
        self.checked = 0
        self.seconds = 0.0
        self.unchecked = 0  # PDFs written while gs or qpdf was missing (and not required)

    def written(self, paths) -> None:
        for path in paths:
            path = Path(path)
            if path.suffix.lower() != ".pdf" or not path.is_file():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in self.seen:
                continue
            self.seen.add(digest)
            missing = missing_tools()
            if missing:
                if tools_required():
                    self.pending.append(f"{path}: not checked: {missing_message(missing)}")
                else:
                    self.unchecked += 1
                continue
            start = time.perf_counter()
            problems = pdf_problems(path)
            self.seconds += time.perf_counter() - start
            self.checked += 1
            if problems:
                self.pending.append(f"{path} (as written):\n  " + "\n  ".join(problems))

    def failures(self) -> list[str]:
        out, self.pending = self.pending, []
        return out

    def summary(self) -> str | None:
        if self.unchecked:
            return f"PDF checks skipped for {self.unchecked} PDF(s): {missing_message(missing_tools())}"
        if self.checked:
            return f"PDF checks (gs, qpdf --check, pdfium): {self.checked} distinct PDF(s) written, all checked, in {self.seconds:.1f} s"
        return None
