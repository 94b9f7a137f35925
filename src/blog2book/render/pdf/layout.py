"""Print layout in pieces: the book is cut at recto openings (parts, chapters, back matter) into
pieces of a few dozen pages, each laid out by WeasyPrint in a worker process, then merged.

A single WeasyPrint document gets slower per page as it grows and uses one core; pieces keep every
document small, run side by side and are cached across builds. What crosses piece boundaries is
computed here, in passes:

* a cold build's pass 1 lays each piece out, corrected and written, with page numbers guessed
  from the length of the text (``render/pdf/numbers.py``): its page count and the page of every
  anchor; a piece whose guessed numbers may have the wrong count of digits is laid out last, with
  the numbers the pieces laid out before it give;
* each later pass gives each piece its first folio (``@page :first { counter-reset: page N }``),
  its chapter number and the pages of the anchors its links point to (« voir p. N », the table of
  contents) that the pass before learnt; a piece whose HTML did not change is not laid out again
  (content-hashed cache), and one whose numbers changed but kept their widths — what a good
  guess gives — is **renumbered**: its digits are changed in its PDF (``render/pdf/renumber.py``)
  instead of a new layout;
* passes stop when the numbers a pass used are the numbers its layout produced. A rebuild starts
  from the numbers the last build settled on.

Links between pieces are written as ``b2b:ANCHOR`` URIs, which the merge (``render/pdf/merge.py``) turns
into page destinations. What a worker does with one piece, and the cache of laid-out pieces, is
``render/pdf/pieces.py``; the corrections a layout gets are ``render/pdf/corrections.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import Callable, Iterable

from blog2book import __version__
from blog2book.model import Book
from blog2book.render.pdf import timings
from blog2book.render.pdf.content import Shipment
from blog2book.render.pdf.corrections import Fixes
from blog2book.render.pdf.engine.pages import page_anchors  # noqa: F401  (for the PDF back end and bench)
from blog2book.render.pdf.numbers import Numbers, estimate, numbers_from, numbers_so_far, placeholder, uncertain
from blog2book.render.pdf.pieces import LayoutCache, PieceJob, PieceLayout, lay_out_piece, piece_css  # noqa: F401  (piece_css: for the PDF back end and bench)
from blog2book.render.pdf.pool import Pool

LINK_SCHEME = "b2b:"
MAX_PASSES = 4
PIECE_WORDS = 6000  # consecutive chapters are grouped up to about this many words (≈ 20 pages)

_INTERNAL_HREF = re.compile(r'(<a\b[^>]*?)\shref="#([^"]+)"')


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


def piece_html(piece: Piece, head: str, numbers: Numbers | None, chapter_numbers: dict[str, int], filler: str, recto: bool = True) -> str:
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
    if not recto and start % 2 == 0:  # a piece that starts on a verso: its first page a left-hand one
        css += "\nhtml { break-before: left; }"
    return head.replace("</style></head>", "\n" + css + "</style></head>", 1) + f"<body>\n{body}\n</body></html>\n"


# ---------------------------------------------------------------- the passes


@dataclass(frozen=True)
class BookLayout:
    pieces: tuple[PieceLayout, ...]
    numbers: Numbers
    passes: int
    laid_out: int  # pieces actually laid out (not from the cache)
    converged: bool
    renumbered: int = 0  # pieces whose numbers were changed in their PDF (render/pdf/renumber.py)
    recto: bool = True  # pieces start on a recto (blank versos between them); False: the style's --openers: any


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
    workers: int = 1,
    recto: bool = True,
    shipment: Shipment | None = None,
) -> BookLayout:
    """Lay the pieces out until the page numbers they use are the ones they produce. A piece
    whose numbers changed but kept their widths is renumbered in its PDF, not laid out again.
    ``workers``: the processes of each local pool ``executor_factory`` makes (its ``--jobs``).
    ``recto=False`` (the style's ``--openers: any``): a piece starts on the page after the last, a
    verso too, laid out as one (its first page a left-hand page), and no blank page comes between.
    ``shipment``: the files a layout reads, sent by content to an executor that can ``share``
    them (a Dask cluster's workers, which see none of this machine's files)."""
    from blog2book.render.pdf.corrections import shape

    roots_t = tuple(str(r) for r in roots)
    opts = tuple(sorted((options or {}).items()))
    filler = placeholder(total_words)
    cold = previous is None or len(previous.starts) != len(pieces)
    numbers, guesses = estimate([p.body for p in pieces], recto) if cold else (previous, None)
    # a cold first pass lays out last the pieces whose guessed numbers may have the wrong count of
    # digits, with the numbers the others' layouts give then (not the contents: the longest piece,
    # laid out first, lest a worker wait alone at the pass's end)
    longest = max((len(p.body) for p in pieces), default=0)
    later = sorted((p.index for p in pieces if cold and len(p.body) < longest and uncertain(p.body, numbers)), key=lambda i: -len(pieces[i].body))
    pool = Pool(executor_factory, workers, shipment) if executor_factory is not None else None
    laid_out = renumbered = 0
    results: list[PieceLayout] = []
    converged = False
    passes = 0
    # the corrections a piece needed in the last build (or pass) start its next layout: the HTML of
    # two passes differs only by numbers
    remembered = previous.fixes if previous is not None else {}
    fixes = [remembered.get(_body_hash(p), Fixes()) for p in pieces]
    before: list[tuple[str, PieceLayout] | None] = [None] * len(pieces)  # the last pass's shape and layout
    run = f"{os.getpid()}-{time.time_ns()}"  # names this layout's batches in the timings file
    try:
        for passes in range(1, MAX_PASSES + 1):
            def job_for(piece: Piece, numbers: Numbers) -> PieceJob:
                html = piece_html(piece, head, numbers, chapter_numbers, filler, recto)
                form = shape(html)
                # fixes found for a document of another shape are not used (corrections.correct): the
                # job is named by what it really starts from
                start = fixes[piece.index] if fixes[piece.index].shape == form else Fixes()
                return PieceJob(_job_key(html, start, opts, style_key), html, base_url, roots_t, start, opts)

            deferred = later if passes == 1 else []
            results = [None] * len(pieces)  # type: ignore[list-item]
            jobs: list[PieceJob] = [None if p.index in deferred else job_for(p, numbers) for p in pieces]  # type: ignore[misc]
            pages = done = 0
            for batch in ([i for i, job in enumerate(jobs) if job is not None], deferred):
                if batch is deferred:  # laid out last, with the numbers the others' layouts give
                    known = numbers_so_far(results, guesses, recto) if batch else None
                    for i in batch:
                        jobs[i] = job_for(pieces[i], known)
                todo = []
                for i in batch:
                    hit = cache.get(jobs[i].key, need_pdf=True)
                    if hit is not None:
                        results[i] = hit
                        pages, done = pages + hit.pages, done + 1
                        continue
                    last = before[i]
                    if last is not None and last[0] == jobs[i].fixes.shape:  # the same layout, other numbers
                        jobs[i] = replace(jobs[i], source=replace(last[1], pdf=last[1].pdf_data()))
                    todo.append(i)
                # the longest first, renumbering (milliseconds) last: the workers finish together
                todo.sort(key=lambda i: (jobs[i].source is not None, -len(jobs[i].html)))
                started = time.perf_counter()
                made = pool.run(todo, jobs) if pool is not None and len(todo) > 1 else ((i, lay_out_piece(jobs[i])) for i in todo)
                for i, result in made:
                    cache.put(result)
                    if result.fixes != jobs[i].fixes:  # the same layout, as the next pass will ask for it
                        cache.put(replace(result, key=_job_key(jobs[i].html, result.fixes, opts, style_key)))
                    results[i] = result
                    if result.renumbered:
                        renumbered += 1
                    else:
                        laid_out += 1
                    done += 1
                    pages += result.pages
                    if steps:
                        steps(done, len(pieces), pages)
                if todo and timings.enabled():  # for bench/plan.py: what was given to the workers together
                    timings.record({
                        "event": "batch", "layout": run, "pass": passes, "batch": int(batch is deferred), "keys": [jobs[i].key for i in todo],
                        "hits": len(batch) - len(todo), "workers": workers if pool is not None and len(todo) > 1 else 1,
                        "wall": round(time.perf_counter() - started, 4),
                    })
            fixes = [r.fixes for r in results]
            before = [(r.fixes.shape, r) for r in results]
            found = numbers_from(results, recto)
            if found == numbers:
                converged = True
                break
            numbers = found
    finally:
        if pool is not None:
            pool.close()
    numbers = Numbers(numbers.starts, numbers.pages, {_body_hash(p): f for p, f in zip(pieces, fixes) if f != Fixes()})
    return BookLayout(tuple(results), numbers, passes, laid_out, converged, renumbered, recto)


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


# an inline element's start tag after a space, unless the element keeps its words together (a
# space inside it would no longer be a place to break the line) or is a note (the space would
# leave the text for the foot of the page)
_SPACE_THEN_INLINE = re.compile(
    r' (<(?:a|span|em|strong|i|b|abbr|cite|q|small|mark|sup|sub|dfn|var|kbd|samp|u|s|del|ins)\b'
    r'(?![^>]*\bclass="[^"]*\b(?:tie|index-locator|nobreak|fn)\b)[^>]*>)'
)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def glue_spaces(html: str) -> str:
    """The space before an inline element moved inside it (`` <em>mot`` -> ``<em> mot``).

    WeasyPrint (70, with Pango 1.50) breaks a justified line wrongly where a text box ends with a
    space and an inline box follows: one or two words are left alone on a line, the line before
    ends early. On a test paragraph with a link, an emphasis and two index anchors, 13 (hyphens
    auto) to 22 (hyphens manual) widths of 35 had such a line; none once the spaces were moved
    (``tests/unit/test_glue_spaces.py``). The characters, their order and the places a line may
    break are unchanged; code blocks are left as they are."""
    parts = _PRE.split(html)
    for i in range(0, len(parts), 2):  # even indexes: outside <pre>
        parts[i] = _SPACE_THEN_INLINE.sub(r"\1 ", parts[i])
    return "".join(parts)


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
