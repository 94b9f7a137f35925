"""The lines of running text of a blog2book PDF's pages, read with PDFium: what the source map's
``pages`` hold (roundtrip/sourcemap.py).

Each page's characters are read with their boxes, as a reader that annotates the PDF sees them, and
grouped into printed lines; each line is given the paragraph whose band (``Band``: where the layout
put the paragraph's lines on that page) holds its middle; lines in no paragraph (running heads,
folios, titles, notes) are left out. A book PDF's map carries the bands only: its lines are read
here from the annotated copy itself when ``blog2book corrections`` needs them (its pages draw what
the book's did: readers add annotations, they do not redraw the text). A review proof's map carries
the lines, read from the book PDF before its pages were placed on the proof's sheets.
"""

from __future__ import annotations

from blog2book.roundtrip.sourcemap import Band, Line


def read_lines(pdf: bytes, bands: tuple[tuple[Band, ...], ...]) -> tuple[tuple[Line, ...], ...]:
    """Each page's lines (``bands[i]``: page i's paragraph bands)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return tuple(tuple(page_lines(doc[i], bands[i] if i < len(bands) else ())) for i in range(len(doc)))
    finally:
        doc.close()


def page_lines(page, bands) -> list[Line]:
    """A pdfium page's lines of running text, each given the paragraph whose band holds its middle."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # characters outside the BMP: read one by one
            text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
        raw: list[list[tuple[str, tuple]]] = [[]]
        last_x0 = bottom = None  # the line's last inked character's left edge, its lowest ink
        for i, ch in enumerate(text):
            if ch in "\r\n":
                if raw[-1]:
                    raw.append([])
                last_x0 = bottom = None
                continue
            box = textpage.get_charbox(i)
            if not ch.isspace():
                # back at the left and below the line: PDFium ran two printed lines together
                if last_x0 is not None and box[0] < last_x0 - 20 and (box[1] + box[3]) / 2 < bottom:
                    raw.append([])
                    bottom = None
                last_x0 = box[0]
                bottom = box[1] if bottom is None else min(bottom, box[1])
            raw[-1].append((ch, box))
            if ch == "\ufffe":  # PDFium's hyphen at a line's end: the next line follows with no break
                raw.append([])
                last_x0 = bottom = None
    finally:
        textpage.close()
    out = []
    for chars in raw:
        inked = [box for ch, box in chars if not ch.isspace()]
        if not inked:
            continue
        y0, y1 = min(b[1] for b in inked), max(b[3] for b in inked)
        middle = height - (y0 + y1) / 2
        anchor = next((b.anchor for b in bands if b.top - 1 <= middle <= b.bottom + 1), None)
        if anchor is None:
            continue
        while chars and chars[-1][0].isspace():
            chars.pop()
        lefts = tuple(box[0] for _, box in chars)
        x1 = max(b[2] for b in inked)
        out.append(Line(anchor, (min(lefts), y0, x1, y1), "".join(ch for ch, _ in chars), lefts))
    return out
