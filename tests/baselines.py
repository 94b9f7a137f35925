"""The last baseline of each page's text block, read back from a PDF (pypdfium2), for the facing
pages check (issue 25, item 3).

A page's text block is what lies between its running head and its folio: characters whose
baseline is below the top margin and above the foot margin. A page is *full* when it has a running
head (not an opener, not front matter), its next page has one too (it is not the last page of a
chapter, before a blank page or an opener), and its text reaches the foot: its last baseline within
two lines of the lowest last baseline of the book's pages.
"""

from __future__ import annotations

from ctypes import c_double
from dataclasses import dataclass


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based
    head: bool  # a running head above the text block
    last: float | None  # the last baseline of the text block, pt from the top of the page


def page_texts(path, top_margin: float = 16 / 25.4 * 72, foot_margin: float = 20 / 25.4 * 72) -> list[PageText]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    out = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            height = page.get_height()
            text = page.get_textpage()
            head, last = False, None
            for i in range(text.count_chars()):
                if text.get_text_range(i, 1).isspace():
                    continue
                x, y = c_double(), c_double()
                raw.FPDFText_GetCharOrigin(text, i, x, y)
                from_top = height - y.value
                if from_top < top_margin:
                    head = True
                elif from_top <= height - foot_margin + 1:
                    last = from_top if last is None else max(last, from_top)
            out.append(PageText(number + 1, head, None if last is None else round(last, 2)))
    finally:
        pdf.close()
    return out


def full_spreads(pages: list[PageText], line: float = 14.7) -> list[tuple[PageText, PageText]]:
    """(verso, recto) pairs of full text pages (page 1 is a recto: versos are even)."""
    lowest = max((p.last for p in pages if p.last is not None), default=0)
    by_number = {p.number: p for p in pages}

    def full(p: PageText | None) -> bool:
        after = by_number.get(p.number + 1) if p else None
        return bool(p and p.head and p.last is not None and after and after.head and p.last >= lowest - 2 * line)

    return [(by_number[n], by_number[n + 1]) for n in range(2, len(pages), 2)
            if full(by_number.get(n)) and full(by_number.get(n + 1))]
