"""The source map a book PDF carries (roundtrip/sourcemap.py): written here, after the merge.

Each page's lines of running text are read from the merged PDF itself with PDFium (every
character's box, as a reader that annotates the PDF sees it), and each line is given the paragraph
whose band the layout reported on that page (``engine.marks.PageMarks``: the paragraphs' tops and
bottoms); lines in no paragraph (running heads, folios, titles, notes) are left out. Each
paragraph's line in its post is found by matching its text with the post's Markdown
(roundtrip/locate.py). The map is embedded as a file (``/EmbeddedFiles``), which annotating readers
keep when they save.
"""

from __future__ import annotations

import hashlib
import io

from blog2book.model import Book
from blog2book.render.pdf.engine.marks import PageMarks
from blog2book.render.shared.sourcelines import paragraph_sources
from blog2book.roundtrip.sourcemap import (
    EMBEDDED_NAME,
    Line,
    Placement,
    SourceMap,
    encode,
)


def source_map(pdf: bytes, marks: tuple[PageMarks, ...], book: Book, build: str) -> SourceMap:
    """The map of a book PDF (``pdf``, whose layout gave ``marks``): its page i shows book page i."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        size = (0.0, 0.0)
        for index in range(len(doc)):
            page = doc[index]
            size = size if index else (page.get_width(), page.get_height())
            bands = marks[index].paragraphs if index < len(marks) else ()
            pages.append(tuple(_page_lines(page, bands)))
    finally:
        doc.close()
    files, paragraphs = paragraph_sources(book)
    sheets = tuple((Placement(i),) for i in range(len(pages)))
    return SourceMap(build, size, files, paragraphs, tuple(pages), sheets)


def _page_lines(page, bands) -> list[Line]:
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


def book_facts(book_pdf: bytes) -> tuple[tuple[float, float], int, str]:
    """The book PDF's page size (of its first page, pt), its page count and its ``pages_id``: a
    hash of what the pages draw (sizes and content streams; the PDF's own bytes vary), the build id
    the proof prints and the source map records. Read with qpdf (pikepdf): fast on long books."""
    import pikepdf

    digest = hashlib.sha256()
    with pikepdf.open(io.BytesIO(book_pdf)) as doc:
        for page in doc.pages:
            digest.update(repr([float(v) for v in page.mediabox]).encode())
            contents = page.obj.get("/Contents")
            streams = [] if contents is None else list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            digest.update(b"\n".join(s.read_bytes() for s in streams))
        box = doc.pages[0].mediabox
        size = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
        count = len(doc.pages)
    return size, count, digest.hexdigest()[:8]


def embed(pdf: bytes, smap: SourceMap) -> bytes:
    """``pdf`` with the map embedded (its pages, links and outline untouched)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        spec = pikepdf.AttachedFileSpec(doc, encode(smap), description="blog2book: where each printed line came from (blog2book corrections)",
                                        filename=EMBEDDED_NAME, mime_type="application/gzip")
        doc.attachments[EMBEDDED_NAME] = spec
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()
