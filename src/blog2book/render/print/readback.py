"""The read-back of the print files before they are written (``Format.check``, pipeline.build): the
fonts (render/pdf/fontcheck.py), then the preflight (blog2book.checks): an error keeps the previous
outputs, as any build error does."""

from __future__ import annotations

from pathlib import Path

from blog2book.checks import check_print_file
from blog2book.diagnostics import Diagnostic
from blog2book.render.pdf.fontcheck import machine_fonts


def interior(path: Path, data: bytes, book, sources: dict | None = None) -> list[Diagnostic]:
    """The printer's interior (its PDF/X read-back ran in its back end, with the exact trim)."""
    return machine_fonts(path, data, book, sources) + check_print_file(data, path, cover=False)


def cover(path: Path, data: bytes, book, sources: dict | None = None) -> list[Diagnostic]:
    return machine_fonts(path, data, book, sources) + check_print_file(data, path, cover=True)
