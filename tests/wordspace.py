"""Word spaces read back from a PDF (pypdfium2's character boxes): for every justified line of
running text, its widest space between two words, in em of its font size.

A line is taken as justified when it is set in the body size and ends at the right edge of the
page's text block (a paragraph's last line and ragged text end short of it). Characters are
grouped into lines by baseline, a superscript (« 2ᵉ », « XXIᵉ ») with the line it sits on.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

PX_TO_PT = 0.75  # pdfium gives WeasyPrint's font sizes in CSS px


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    space: float  # widest word space, em
    text: str


def _chars(textpage):
    import pypdfium2.raw as raw
    from ctypes import c_double

    for i in range(textpage.count_chars()):
        x, y = c_double(), c_double()
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        left, _, right, _ = textpage.get_charbox(i, loose=True)
        yield textpage.get_text_range(i, 1), left, right, raw.FPDFText_GetFontSize(textpage, i) * PX_TO_PT, x.value, y.value


def justified_lines(path, body_size: float = 10.5) -> list[Line]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    out: list[Line] = []
    try:
        for number in range(len(pdf)):
            chars = [c for c in _chars(pdf[number].get_textpage()) if c[0] not in "\r\n"]
            rows: list[list] = []  # by baseline, top to bottom; a raised character joins the row below it
            for c in sorted(chars, key=lambda c: -c[5]):
                if rows and rows[-1][0][5] - c[5] < 0.6 * body_size:
                    rows[-1].append(c)
                else:
                    rows.append([c])
            glyph_rows = [[c for c in row if not c[0].isspace()] for row in rows]
            edges = [max(c[2] for c in g) for g in glyph_rows if g]
            if not edges:
                continue
            edge = max(edges)
            for row, glyphs in zip(rows, glyph_rows):
                if not glyphs or abs(statistics.median(c[3] for c in glyphs) - body_size) > 0.3 or edge - max(c[2] for c in glyphs) > 1.0:
                    continue
                row.sort(key=lambda c: c[4])
                size = statistics.median(c[3] for c in glyphs)
                gaps = []
                for k, c in enumerate(row):
                    if c[0] == " " and 0 < k < len(row) - 1:
                        before = [g for g in row[:k] if not g[0].isspace()]
                        after = [g for g in row[k + 1:] if not g[0].isspace()]
                        if before and after:
                            gaps.append((after[0][1] - before[-1][2]) / size)
                if gaps:
                    out.append(Line(number + 1, max(gaps), "".join(c[0] for c in row).strip()))
    finally:
        pdf.close()
    return out


def summary(lines: list[Line], budget: float) -> dict:
    spaces = sorted(line.space for line in lines)
    return {"lines": len(spaces), "max": round(spaces[-1], 3), "p95": round(spaces[int(0.95 * (len(spaces) - 1))], 3),
            "over": sum(s > budget for s in spaces)}
