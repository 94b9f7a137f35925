"""A PDF is valid when the tools that draw it say nothing: Ghostscript draws every page (stopping
on the first error), ``qpdf --check`` reads every object and stream, and pdfium (pypdfium2, the
engine of Chrome's viewer) renders every page. Any error, any warning, fails.

The checks are the package's (``blog2book.checks.tools``, which ``blog2book check --preflight``
runs); ``assert_valid_pdf(path)`` checks one file. ``Watch`` checks every PDF blog2book writes during the
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
import time
from pathlib import Path

import pytest

from blog2book.checks.tools import ghostscript_says, missing_tools, pdf_problems  # noqa: F401  the package's checks (ghostscript_says: for tests)


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
