"""The source map a blog2book PDF carries: where each printed line of a post came from.

It is a gzipped JSON file embedded in the PDF (``/EmbeddedFiles``, named ``EMBEDDED_NAME``), which
the readers that annotate PDFs keep when they save (Acrobat, Preview, Okular, pdf.js, qpdf,
pikepdf). It holds:

* ``build``: the build id the review proof prints (a hash of what the book's pages draw);
* ``files``: the posts, relative to the project; ``paragraphs``: anchor -> (file, line, number),
  the line of the post where each paragraph (render/shared/paragraphs.py) starts;
* ``bands``: for each page of the book, where the layout put each paragraph's lines on it (its
  anchor, top and bottom in points from the top of the page);
* ``pages``: for each page of the book, its lines of running text (not the running heads, folios
  or notes): the paragraph anchor, the box (PDF points, the page's own space) and the text, with
  each character's left edge (so that a mark's quad points select characters). A review proof's
  map carries them; a book PDF's does not (format 2): they are read from the annotated PDF itself
  (roundtrip/pdflines.py, ``with_lines``), which draws the book's pages as they are;
* ``sheets``: for each page of the PDF, the book pages drawn on it and where (a review proof
  places them on larger sheets; a book PDF's page i shows book page i where it is).

Everything here is plain data (frozen dataclasses); the PDF back end writes it, ``pdfmarks`` reads it.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, replace

EMBEDDED_NAME = "blog2book-sourcemap.json.gz"
FORMAT = 2  # 2: bands, and lines only in a review proof's map; 1 (still read): lines always
UNIT = 10  # character edges are stored in tenths of a point


@dataclass(frozen=True)
class Line:
    """One printed line: its paragraph's anchor, its box (x0, y0, x1, y1: PDF points, y up) and its
    text; ``lefts`` is each character's left edge (the last one ends at x1)."""

    anchor: str
    box: tuple[float, float, float, float]
    text: str
    lefts: tuple[float, ...]

    def char_span(self, i: int) -> tuple[float, float]:
        right = self.lefts[i + 1] if i + 1 < len(self.lefts) else self.box[2]
        return self.lefts[i], max(right, self.lefts[i])


@dataclass(frozen=True)
class Band:
    """Where a paragraph's lines are on a page: points from the top of the page."""

    anchor: str
    top: float
    bottom: float


@dataclass(frozen=True)
class Paragraph:
    file: str  # relative to the project, with /
    line: int  # 1-based line of the post where the paragraph starts (0: not found)
    number: int  # its number in the post (render/shared/paragraphs.py)


@dataclass(frozen=True)
class Placement:
    """A book page drawn on a page of the PDF, moved by (dx, dy)."""

    page: int  # 0-based book page
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True)
class SourceMap:
    build: str
    size: tuple[float, float]  # the book's page size (pt)
    files: tuple[str, ...]
    paragraphs: dict  # anchor -> Paragraph
    pages: tuple[tuple[Line, ...], ...]  # per book page; () until read from the PDF (``with_lines``)
    sheets: tuple[tuple[Placement, ...], ...]  # per page of the PDF
    bands: tuple[tuple[Band, ...], ...] = ()  # per book page

    @property
    def needs_lines(self) -> bool:
        """The lines are to be read from the PDF that carries the map (a book PDF's map)."""
        return not self.pages and bool(self.bands)

    def placed(self, sheet: int, x: float, y: float, near: bool = False) -> tuple[int, float, float] | None:
        """The book page under the point (x, y) of the PDF's page ``sheet`` (0-based), and the
        point in that page's space; ``near``: the nearest page of the sheet, the point brought onto
        it (a note in the proof's margin is about the page beside it)."""
        if not 0 <= sheet < len(self.sheets):
            return None
        w, h = self.size
        best = None
        for p in self.sheets[sheet]:
            bx, by = x - p.dx, y - p.dy
            off = max(-2 - bx, bx - w - 2, 0) + max(-2 - by, by - h - 2, 0)
            if off == 0:
                return p.page, bx, by
            if near and (best is None or off < best[0]):
                best = (off, p.page, min(max(bx, 0.0), w), min(max(by, 0.0), h))
        return best[1:] if best is not None else None

    def with_sheets(self, sheets) -> "SourceMap":
        return replace(self, sheets=tuple(tuple(s) for s in sheets))

    def with_lines(self, pages) -> "SourceMap":
        return replace(self, pages=tuple(tuple(p) for p in pages))


def encode(smap: SourceMap) -> bytes:
    index = {f: i for i, f in enumerate(smap.files)}

    def line(ln: Line) -> list:
        lefts = [round(v * UNIT) for v in ln.lefts]
        deltas = [lefts[0]] + [b - a for a, b in zip(lefts, lefts[1:])] if lefts else []
        return [ln.anchor, [round(v, 1) for v in ln.box], ln.text, deltas]

    data = {
        "format": FORMAT,
        "build": smap.build,
        "size": [round(v, 2) for v in smap.size],
        "files": list(smap.files),
        "paragraphs": {a: [index[p.file], p.line, p.number] for a, p in smap.paragraphs.items()},
        "pages": [[line(ln) for ln in page] for page in smap.pages],
        "sheets": [[[p.page, round(p.dx, 3), round(p.dy, 3)] for p in s] for s in smap.sheets],
        "bands": [[[b.anchor, round(b.top, 2), round(b.bottom, 2)] for b in page] for page in smap.bands],
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


class MapError(ValueError):
    """The embedded map cannot be read."""


def decode(blob: bytes) -> SourceMap:
    try:
        data = json.loads(gzip.decompress(blob).decode("utf-8"))
        if data.get("format") not in (1, FORMAT):
            raise MapError(f"source map format {data.get('format')!r}, this blog2book reads 1 and {FORMAT}")
        files = tuple(str(f) for f in data["files"])
        paragraphs = {str(a): Paragraph(files[int(f)], int(ln), int(n)) for a, (f, ln, n) in data["paragraphs"].items()}

        def line(item) -> Line:
            anchor, box, text, deltas = item
            lefts, at = [], 0
            for d in deltas:
                at += int(d)
                lefts.append(at / UNIT)
            if len(lefts) != len(text):
                raise MapError("a line's characters and edges differ in number")
            return Line(str(anchor), tuple(float(v) for v in box), str(text), tuple(lefts))

        pages = tuple(tuple(line(i) for i in page) for page in data["pages"])
        sheets = tuple(tuple(Placement(int(p), float(dx), float(dy)) for p, dx, dy in s) for s in data["sheets"])
        bands = tuple(tuple(Band(str(a), float(t), float(b)) for a, t, b in page) for page in data.get("bands", ()))
        w, h = data["size"]
        return SourceMap(str(data["build"]), (float(w), float(h)), files, paragraphs, pages, sheets, bands)
    except MapError:
        raise
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise MapError(f"the source map is damaged ({type(exc).__name__})") from exc
