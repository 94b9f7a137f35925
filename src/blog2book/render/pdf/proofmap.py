"""The source map a book PDF carries (roundtrip/sourcemap.py): written here, after the merge.

It holds, for each page, the bands of the paragraphs the layout put on it (``engine.marks.PageMarks``:
their tops and bottoms), and where each paragraph starts in its post (render/shared/sourcelines.py:
its text matched with the post's Markdown, roundtrip/locate.py). The printed lines themselves are
read with PDFium (roundtrip/pdflines.py) from the annotated copy when ``blog2book corrections`` reads
it, not on every build: reading every character's box of a 230-page book took 2.4 s of the build's
serial time, and the lines made the embedded map 0.5 MB of a 1.6 MB PDF (now a few KB). A review
proof's map carries the lines, read from the book PDF (``lines=True``): its sheets place the pages
elsewhere. The map is embedded as a file (``/EmbeddedFiles``), which annotating readers keep when
they save.
"""

from __future__ import annotations

import hashlib
import io

from blog2book.model import Book
from blog2book.render.pdf.engine.marks import PageMarks
from blog2book.render.shared.sourcelines import paragraph_sources
from blog2book.roundtrip.pdflines import read_lines
from blog2book.roundtrip.sourcemap import (
    EMBEDDED_NAME,
    Band,
    Placement,
    SourceMap,
    encode,
)


def source_map(pdf: bytes, marks: tuple[PageMarks, ...], book: Book, facts: tuple, lines: bool = False) -> SourceMap:
    """The map of a book PDF (``pdf``, whose layout gave ``marks``; ``facts``: its ``book_facts``,
    which the caller has read): its page i shows book page i. It carries each page's paragraph
    bands; with ``lines``, the lines read from ``pdf`` too (a review proof's map: its sheets do
    not show the book's pages as they are)."""
    size, count, build = facts
    bands = tuple(tuple(Band(p.anchor, p.top, p.bottom) for p in (marks[i].paragraphs if i < len(marks) else ())) for i in range(count))
    files, paragraphs = paragraph_sources(book)
    sheets = tuple((Placement(i),) for i in range(count))
    smap = SourceMap(build, size, files, paragraphs, (), sheets, bands)
    return smap.with_lines(read_lines(pdf, bands)) if lines else smap


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
