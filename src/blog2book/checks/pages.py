"""What a page of a PDF shows, read by pdfium (pypdfium2): each image's resolution at the size it is
printed, and text beyond the trim (the page's edge for a file without a TrimBox)."""

from __future__ import annotations

import math
from pathlib import Path

MIN_PPI = 300  # what offset printers ask of an image at its printed size
SLACK = 1.0  # points: a glyph's box may pass its advance by a hair


def _placed(page, kind: int):
    """(object, its matrix on the page, its bounds on the page) of every object of ``kind``, inside
    forms too (pdfium gives a form's objects in the form's own space)."""
    import pypdfium2.raw as raw

    forms: dict[int, object] = {}  # level -> the page matrix of the form open at that level
    for obj in page.get_objects(max_depth=8):
        outer = forms.get(obj.level - 1)
        if obj.type == raw.FPDF_PAGEOBJ_FORM:
            forms[obj.level] = obj.get_matrix() if outer is None else obj.get_matrix().multiply(outer)
            continue
        if obj.type != kind:
            continue
        matrix = obj.get_matrix() if outer is None else obj.get_matrix().multiply(outer)
        left, bottom, right, top = obj.get_bounds()
        if outer is not None:
            xs, ys = zip(*(outer.on_point(x, y) for x in (left, right) for y in (bottom, top)))
            left, bottom, right, top = min(xs), min(ys), max(xs), max(ys)
        yield obj, matrix, (left, bottom, right, top)


def image_resolutions(path: Path) -> list[tuple[int, tuple[int, int], float]]:
    """(page, (width, height) in pixels, ppi at the printed size) of every image drawn, forms included."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number, page in enumerate(pdf, start=1):
            for obj, m, _ in _placed(page, raw.FPDF_PAGEOBJ_IMAGE):
                width, height = obj.get_px_size()
                # the image's unit square, drawn by the matrix: its sides in points
                wide, high = math.hypot(m.a, m.b), math.hypot(m.c, m.d)
                if not width or not height or wide < 1 or high < 1:
                    continue
                found.append((number, (width, height), min(width / (wide / 72), height / (high / 72))))
            page.close()
    finally:
        pdf.close()
    return found


def text_outside(path: Path) -> list[tuple[int, float]]:
    """(page, how far in points) for every page with text beyond its TrimBox (or its MediaBox)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number, page in enumerate(pdf, start=1):
            x0, y0, x1, y1 = page.get_trimbox()
            worst = 0.0
            for _, _, (left, bottom, right, top) in _placed(page, raw.FPDF_PAGEOBJ_TEXT):
                if right - left <= 0 or top - bottom <= 0:
                    continue
                worst = max(worst, x0 - left, y0 - bottom, right - x1, top - y1)
            if worst > SLACK:
                found.append((number, worst))
            page.close()
    finally:
        pdf.close()
    return found
