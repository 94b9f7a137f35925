"""Print layout in pieces: the book is cut at recto openings (parts, chapters, back matter) into
pieces of a few dozen pages, each laid out by WeasyPrint in a worker process, then merged.

A single WeasyPrint document gets slower per page as it grows and uses one core; pieces keep every
document small, run side by side and are cached across builds. What crosses piece boundaries is
computed here, in passes:

* pass 1 lays the pieces out with the page numbers they refer to unknown (or as the previous build
  left them) and learns each piece's page count and the page of every anchor;
* the next pass gives each piece its first folio (``@page :first { counter-reset: page N }``), its
  chapter number and the pages of the anchors its links point to (« voir p. N », the table of
  contents); a piece whose HTML did not change is not laid out again (content-hashed cache);
* passes stop when the numbers a pass used are the numbers its layout produced.

Links between pieces are written as ``b2b:ANCHOR`` URIs, which the merge (``render/merge.py``) turns
into page destinations. The note-placement correction (``notefix``) runs inside each piece.
"""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Callable, Iterable

from blog2book import __version__, pandoc
from blog2book.render.cache import store
from blog2book.render.corrections import Fixes
from blog2book.model import Book, Chapter, Part
from blog2book.render.pagemarks import PageMarks, marks_from_json, marks_to_json, page_marks

LINK_SCHEME = "b2b:"
MAX_PASSES = 4
PIECE_WORDS = 6000  # consecutive chapters are grouped up to about this many words (≈ 20 pages)

_TARGET_PAGE = re.compile(r"target-counter\(\s*attr\(\s*href\s*\)\s*,\s*page\s*\)")
_TARGET_CHAPTER = re.compile(r"target-counter\(\s*attr\(\s*href\s*\)\s*,\s*chapter\s*\)")
_INTERNAL_HREF = re.compile(r'(<a\b[^>]*?)\shref="#([^"]+)"')


def piece_css(css: str) -> str:
    """A stylesheet for a piece: page and chapter numbers of link targets come from the attributes
    this module writes (the target may be in another piece, where ``target-counter`` cannot see)."""
    css = _TARGET_PAGE.sub("attr(data-page)", css)
    return _TARGET_CHAPTER.sub("attr(data-chapter)", css)


# ---------------------------------------------------------------- what a worker is given and returns


@dataclass(frozen=True)
class PieceJob:
    """One WeasyPrint document to lay out (everything it needs, picklable for any executor)."""

    key: str
    html: str
    base_url: str
    roots: tuple[str, ...]  # folders the PDF engine may read (style, images)
    write: bool  # also write the PDF (the last pass); else layout only
    correct: bool = True  # the corrections (render/corrections.py); not in a cold first pass
    fixes: Fixes = Fixes()  # the corrections an earlier layout of this piece needed: the start
    options: tuple = ()  # write_pdf options (a printer's file: PDF/X variant), as (name, value) pairs


@dataclass(frozen=True)
class Bookmark:
    level: int
    label: str
    page: int  # 0-based, in the piece
    x: float
    y: float  # PDF coordinates


@dataclass(frozen=True)
class PieceLayout:
    """What a piece's layout produced: page count, anchors per page and where they are, its
    bookmarks, and the PDF when asked."""

    key: str
    pages: int
    anchors: tuple[tuple[str, ...], ...]  # for each page, the anchors that start on it
    positions: tuple[tuple[str, int, float, float], ...]  # anchor, page, x, y (PDF points)
    bookmarks: tuple[Bookmark, ...]
    size: tuple[float, float]  # page width and height in points
    refused: tuple[str, ...] = ()
    pdf: bytes | None = None
    fixes: Fixes = Fixes()  # the corrections the layout needed (``corrections``), for the next one
    marks: tuple[PageMarks, ...] = ()  # for each page, its paragraphs and posts (the review proof)
    images: tuple[tuple[str, int, float], ...] = ()  # raster images: src, pixels wide, inches wide printed
    margins: tuple[float, ...] = ()  # smallest inner, outer, top, bottom page margin in inches
    pdf_file: str | None = None  # where the cache keeps the PDF (read by the merge, only if it merges)

    def pdf_data(self) -> bytes:
        """The piece's PDF: laid out in this build, or read from the cache when the merge needs it."""
        if self.pdf is not None:
            return self.pdf
        assert self.pdf_file is not None, "the last pass writes every piece"
        return Path(self.pdf_file).read_bytes()

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "pages": self.pages,
            "anchors": [list(a) for a in self.anchors],
            "positions": [list(p) for p in self.positions],
            "bookmarks": [[b.level, b.label, b.page, b.x, b.y] for b in self.bookmarks],
            "size": list(self.size),
            "refused": list(self.refused),
            "fixes": self.fixes.to_json(),
            "marks": marks_to_json(self.marks),
            "images": [list(i) for i in self.images],
            "margins": list(self.margins),
        }

    @classmethod
    def from_json(cls, data: dict, pdf_file: str | None) -> "PieceLayout":
        return cls(
            data["key"],
            data["pages"],
            tuple(tuple(a) for a in data["anchors"]),
            tuple((p[0], p[1], p[2], p[3]) for p in data["positions"]),
            tuple(Bookmark(*b) for b in data["bookmarks"]),
            tuple(data["size"]),
            tuple(data["refused"]),
            None,
            Fixes.from_json(data["fixes"]) or Fixes(),
            marks_from_json(data["marks"]),
            tuple((i[0], i[1], i[2]) for i in data.get("images", ())),
            tuple(data.get("margins", ())),
            pdf_file,
        )


def lay_out_piece(job: PieceJob) -> PieceLayout:
    """Worker: lay one piece out with WeasyPrint (notes kept on their call's page), read what the
    book needs from the layout, write the PDF when asked."""
    import io
    import logging
    import warnings

    warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*")
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    import weasyprint

    from blog2book.render.corrections import correct
    from blog2book.render.fetch import SafeFetcher

    fetcher = SafeFetcher([Path(r) for r in job.roots], transform_css=piece_css)
    render = lambda h: weasyprint.HTML(string=h, base_url=job.base_url, url_fetcher=fetcher).render()  # noqa: E731
    # notes, same-page references, hyphens; the next pass starts from these fixes when its document has
    # the same shape (page numbers of the same lengths): a cold first pass, which only learns page counts
    # and anchors with stand-in numbers, does not correct
    if job.correct:
        document, fixes = correct(job.html, job.fixes, render)
    else:
        document, fixes = render(job.html), job.fixes
    anchors = page_anchors(document)
    positions = []
    bookmarks = []
    height = 0.0
    for n, page in enumerate(document.pages):
        height = page.height * 0.75
        for name, (x, y, *_rest) in page.anchors.items():
            positions.append((name, n, round(x * 0.75, 2), round((page.height - y) * 0.75, 2)))
        for level, label, (x, y), _state in page.bookmarks:
            bookmarks.append(Bookmark(level, label, n, round(x * 0.75, 2), round((page.height - y) * 0.75, 2)))
    width = document.pages[0].width * 0.75 if document.pages else 0.0
    pdf = None
    if job.write:
        out = io.BytesIO()
        document.write_pdf(out, **({"pdf_tags": False} | dict(job.options)))
        pdf = out.getvalue()
    images, margins = print_facts(document)
    return PieceLayout(job.key, len(document.pages), anchors, tuple(positions), tuple(bookmarks), (width, height), tuple(dict.fromkeys(fetcher.refused)), pdf, fixes, page_marks(document), images, margins)


def print_facts(document) -> tuple[tuple, tuple]:
    """What a printer checks in a layout (render/printbook.py): each raster image's pixels and
    printed width, and the smallest page margins (a piece starts on a recto)."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    images: dict[str, tuple[str, int, float]] = {}
    inner = outer = top = bottom = float("inf")
    for n, page in enumerate(document.pages):
        box = page._page_box
        left, right = box.margin_left / 96, box.margin_right / 96
        inner, outer = min(inner, left if n % 2 == 0 else right), min(outer, right if n % 2 == 0 else left)
        top, bottom = min(top, box.margin_top / 96), min(bottom, box.margin_bottom / 96)
        for child in box.descendants():
            if isinstance(child, ReplacedBox) and child.element is not None and type(child.replacement).__name__ == "RasterImage":
                src = child.element.get("src") or ""
                printed = child.width / 96
                if printed > 0 and (src not in images or images[src][2] < printed):
                    images[src] = (src, int(child.replacement.width), round(printed, 4))
    margins = (inner, outer, top, bottom) if document.pages else ()
    return tuple(images.values()), tuple(round(m, 4) for m in margins)


def page_anchors(document) -> tuple[tuple[str, ...], ...]:
    """Anchors per page. WeasyPrint may list, on a blank page made by ``break-before: right``,
    anchors of the element that starts on the next page: they are moved to that page."""
    pages: list[list[str]] = []
    carried: list[str] = []
    for page in document.pages:
        names = carried + list(page.anchors.keys())
        box = getattr(page, "_page_box", None)
        if box is not None and getattr(box.page_type, "blank", False):
            pages.append([])
            carried = names
        else:
            pages.append(names)
            carried = []
    return tuple(tuple(names) for names in pages)


# ---------------------------------------------------------------- the cache


class LayoutCache:
    """Laid-out pieces by the hash of everything that makes them (their HTML with its numbers,
    the style's files, the tool's and WeasyPrint's versions): a layout record (JSON) and its PDF."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str, need_pdf: bool) -> PieceLayout | None:
        if self.folder is None:
            return None
        pdf = self.folder / f"{key}.pdf"
        if need_pdf and not pdf.is_file():
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if "marks" not in data or Fixes.from_json(data.get("fixes")) is None:  # a record of an older version
            return None
        # the PDF itself is read only if the merge needs it (not when the merged book is cached)
        return PieceLayout.from_json(data, str(pdf) if need_pdf else None)

    def put(self, result: PieceLayout) -> None:
        if self.folder is None:
            return
        try:  # best effort: a cache that cannot be written only costs time
            self.folder.mkdir(parents=True, exist_ok=True)
            if result.pdf is not None:
                store(self.folder / f"{result.key}.pdf", result.pdf)
            store(self.folder / f"{result.key}.json", json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass


# ---------------------------------------------------------------- cutting the book


@dataclass(frozen=True)
class Piece:
    """A run of the book that starts on a recto: the front matter, chapters (with the opener of
    their part), the back matter."""

    index: int
    body: str  # HTML of the body (pandoc's output), internal links still ``#id``
    chapters_before: int  # for the chapter counter


def group_segments(book: Book, segments: list) -> list[list]:
    """Group the body's segments into pieces: front matter alone, back matter together, chapters
    (a part opener goes with the chapter that follows it) up to about PIECE_WORDS words."""
    groups: list[list] = []
    current: list = []
    words = 0
    for seg in segments:
        starts_group = seg.kind in ("front", "back") or not current or current[-1].kind in ("front",) or (
            seg.kind in ("part", "chapter") and current[-1].kind != "part" and words >= PIECE_WORDS
        )
        if seg.kind == "back" and current and current[-1].kind == "back":
            starts_group = False
        if starts_group and current:
            groups.append(current)
            current, words = [], 0
        current.append(seg)
        words += seg.words
    if current:
        groups.append(current)
    return groups


# ---------------------------------------------------------------- the numbers a piece depends on


@dataclass(frozen=True)
class Numbers:
    """What one pass assumes: the first folio of each piece, the page of each anchor."""

    starts: tuple[int, ...]
    pages: dict = field(default_factory=dict)  # anchor -> page (1-based folio)
    fixes: dict = field(default_factory=dict, compare=False)  # piece body hash -> Fixes


def numbers_from(results: list[PieceLayout]) -> Numbers:
    """Folios as the merged book will have them: a piece starts on a recto, so a blank page comes
    before it when the previous piece ended on a recto."""
    starts = []
    folio = 1
    pages: dict[str, int] = {}
    for r in results:
        if folio % 2 == 0:
            folio += 1  # the blank verso the merge inserts
        starts.append(folio)
        for n, names in enumerate(r.anchors):
            for name in names:
                pages.setdefault(name, folio + n)
        folio += r.pages
    return Numbers(tuple(starts), pages)


def placeholder(total_words: int) -> str:
    """A stand-in page number of the likely width, for the first pass of a cold build."""
    return "8" * len(str(max(9, total_words // 250)))


def piece_html(piece: Piece, head: str, numbers: Numbers | None, chapter_numbers: dict[str, int], filler: str) -> str:
    """The piece's document: the book's head, this piece's first folio and chapter counter, and
    every internal link rewritten as ``b2b:ANCHOR`` carrying the target's page and chapter."""
    start = numbers.starts[piece.index] if numbers else 1

    def link(m: re.Match) -> str:
        target = m.group(2)
        page = numbers.pages.get(target) if numbers else None
        chapter = chapter_numbers.get(target)
        extra = f' data-page="{page if page is not None else filler}"'
        if chapter is not None:
            extra += f' data-chapter="{chapter}"'
        return f'{m.group(1)} href="{LINK_SCHEME}{escape(target)}"{extra}'

    body = _INTERNAL_HREF.sub(link, piece.body)
    css = f"@page :first {{ counter-reset: page {start}; }}\n:root {{ counter-reset: chapter {piece.chapters_before}; }}"
    return head.replace("</style></head>", "\n" + css + "</style></head>", 1) + f"<body>\n{body}\n</body></html>\n"


# ---------------------------------------------------------------- the passes


@dataclass(frozen=True)
class BookLayout:
    pieces: tuple[PieceLayout, ...]
    numbers: Numbers
    passes: int
    laid_out: int  # pieces actually laid out (not from the cache)
    converged: bool


Steps = Callable[[int, int, int], None]  # pieces done, pieces in all, pages so far


def lay_out(
    pieces: list[Piece],
    head: str,
    chapter_numbers: dict[str, int],
    base_url: str,
    roots: Iterable[Path],
    style_key: str,
    cache: LayoutCache,
    executor_factory: Callable[[], Executor] | None,
    previous: Numbers | None = None,
    total_words: int = 0,
    steps: Steps | None = None,
    options: dict | None = None,
) -> BookLayout:
    """Lay the pieces out until the page numbers they use are the ones they produce."""
    roots_t = tuple(str(r) for r in roots)
    opts = tuple(sorted((options or {}).items()))
    filler = placeholder(total_words)
    numbers = previous if previous is not None and len(previous.starts) == len(pieces) else None
    executor: Executor | None = None
    laid_out = 0
    results: list[PieceLayout] = []
    converged = False
    passes = 0
    # the corrections a piece needed in the last build (or pass) start its next layout: the HTML of
    # two passes differs only by numbers
    remembered = previous.fixes if previous is not None else {}
    fixes = [remembered.get(_body_hash(p), Fixes()) for p in pieces]
    try:
        for passes in range(1, MAX_PASSES + 1):
            # a cold first pass only needs page counts and anchors; the others correct and write the PDF
            write = numbers is not None
            jobs = []
            for piece in pieces:
                html = piece_html(piece, head, numbers, chapter_numbers, filler)
                jobs.append(PieceJob(_job_key(html, fixes[piece.index], opts, style_key) + ("" if write else "-sketch"), html, base_url, roots_t, write, write, fixes[piece.index], opts))
            results, done = [None] * len(jobs), 0  # type: ignore[list-item]
            todo = []
            for i, job in enumerate(jobs):
                hit = cache.get(job.key, need_pdf=job.write)
                if hit is not None:
                    results[i] = hit
                else:
                    todo.append(i)
            pages = sum(r.pages for r in results if r is not None)
            done = len(jobs) - len(todo)
            if todo:
                if executor is None and executor_factory is not None and len(todo) > 1:
                    executor = executor_factory()
                runner = executor.map if executor is not None else map
                for i, result in zip(todo, runner(lay_out_piece, [jobs[i] for i in todo])):
                    cache.put(result)
                    if result.fixes != jobs[i].fixes:  # the same layout, as the next pass will ask for it
                        cache.put(replace(result, key=_job_key(jobs[i].html, result.fixes, opts, style_key)))
                    results[i] = result
                    laid_out += 1
                    done += 1
                    pages += result.pages
                    if steps:
                        steps(done, len(jobs), pages)
            fixes = [r.fixes for r in results]
            found = numbers_from(results)
            if write and found == numbers:
                converged = True
                break
            numbers = found
    finally:
        if executor is not None:
            executor.shutdown()
    numbers = Numbers(numbers.starts, numbers.pages, {_body_hash(p): f for p, f in zip(pieces, fixes) if f})
    return BookLayout(tuple(results), numbers, passes, laid_out, converged)


def _body_hash(piece: Piece) -> str:
    return hashlib.sha256(piece.body.encode("utf-8")).hexdigest()


def _job_key(html: str, fixes: Fixes, options: tuple, style_key: str) -> str:
    return _key(html + json.dumps(fixes.to_json()) + (repr(options) if options else ""), style_key)


def _key(html: str, style_key: str) -> str:
    h = hashlib.sha256()
    h.update(f"{__version__}|{style_key}|".encode())
    h.update(html.encode("utf-8"))
    return h.hexdigest()


def style_key(style: Path) -> str:
    """A hash of every file of the style and of the shared base style, and of WeasyPrint's version."""
    from importlib.metadata import version

    h = hashlib.sha256(version("weasyprint").encode())
    for folder in (style, style.parent / "base"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    h.update(str(path.relative_to(folder)).encode())
                    h.update(path.read_bytes())
    return h.hexdigest()


def pandoc_html(blocks: list) -> str:
    return pandoc.from_ast(pandoc.document(blocks), "html5", "--wrap=none")


def chapter_numbers(book: Book) -> dict[str, int]:
    """Anchor -> chapter number, for « voir le chapitre N » across pieces."""
    out: dict[str, int] = {}
    for ch in book.chapters():
        out[ch.id] = ch.number
        for post in ch.posts:
            out[post.id] = ch.number
            for h in post.headings:
                out[h.id] = ch.number
    return out


# ---------------------------------------------------------------- one document (the reference)


def single_flow(book: Book, ctx):
    """Lay the whole book out as one WeasyPrint document, as blog2book did before pieces: the
    reference the pieced layout is checked against (``tests/test_pieces.py``, ``bench/run.py``).
    Returns the document, the fetcher (its refusals) and the HTML laid out."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*")
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    import weasyprint

    from blog2book.render.corrections import Fixes, correct
    from blog2book.render.fetch import SafeFetcher
    from blog2book.render.pdf import image_files
    from blog2book.render.printhtml import print_html

    style = book.style
    html = print_html(book, ctx, [(style / "print.css").as_uri()])
    fetcher = SafeFetcher([style, style.parent, *(p.parent for p in image_files(book))])
    base = style.as_uri() + "/"
    render = lambda h: weasyprint.HTML(string=h, base_url=base, url_fetcher=fetcher).render()  # noqa: E731
    document, fixes = correct(html, Fixes(), render)
    return document, fetcher, fixes.apply(html)
