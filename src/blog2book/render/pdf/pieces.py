"""What a worker does with one piece of the print book, and what the cache keeps of it.

A ``PieceJob`` holds everything a WeasyPrint layout of one piece needs (picklable, for any
``concurrent.futures.Executor``); ``lay_out_piece`` lays it out with its corrections (page by
page, ``render/pdf/engine/corrector.py``; what is left after the layout, ``render/pdf/corrections.py``) and returns a
``PieceLayout``: page count, anchors and where they fell, bookmarks, the facts a printer checks, the
paragraph marks of the review proof, and the PDF. ``LayoutCache`` keeps layouts by the hash of what made them. The passes that
settle page numbers across pieces are ``render/pdf/layout.py``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from blog2book.infra.cache import store
from blog2book.render.pdf import timings
from blog2book.render.pdf.corrections import Fixes
from blog2book.render.pdf.engine.marks import PageMarks, marks_from_json, marks_to_json, page_marks
from blog2book.render.pdf.engine.overflow import Overflow, overflows
from blog2book.render.pdf.engine.pages import Slot, page_anchors, print_facts
from blog2book.render.pdf.structure import is_tagged

_TARGET_PAGE = re.compile(r"target-counter\(\s*attr\(\s*href\s*\)\s*,\s*page\s*\)")
_TARGET_CHAPTER = re.compile(r"target-counter\(\s*attr\(\s*href\s*\)\s*,\s*chapter\s*\)")


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
    fixes: Fixes = Fixes()  # the corrections an earlier layout of this piece needed: the start
    options: tuple = ()  # write_pdf options (a printer's file: PDF/X variant), as (name, value) pairs
    source: "PieceLayout | None" = None  # a layout of this piece with other numbers, same shape: renumber it
    files: tuple[tuple[str, str], ...] = ()  # on a cluster's worker: (name, SHA-256) of every file it may read (``content``)
    environment: tuple[tuple[str, str], ...] = ()  # on a cluster's worker: what it must run (``engine.environment``)


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
    slots: tuple[Slot, ...] | None = ()  # the page numbers it printed, where (``renumber``); None: not all found
    renumbered: bool = False  # made from another layout by ``renumber`` in this build
    fallbacks: tuple[str, ...] = ()  # why the page-by-page corrector was left out of this layout (engine.corrector)
    overflows: tuple[Overflow, ...] = ()  # what passes the text block of its pages (engine.overflow)

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
            "slots": None if self.slots is None else [slot.to_json() for slot in self.slots],
            "fallbacks": list(self.fallbacks),
            "overflows": [o.to_json() for o in self.overflows],
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
            _fixes(data["fixes"]),
            marks_from_json(data["marks"]),
            tuple((i[0], i[1], i[2]) for i in data.get("images", ())),
            tuple(data.get("margins", ())),
            pdf_file,
            None if data["slots"] is None else tuple(Slot.from_json(slot) for slot in data["slots"]),
            fallbacks=tuple(data.get("fallbacks", ())),
            overflows=tuple(Overflow.from_json(o) for o in data.get("overflows", ())),
        )


def _fixes(data) -> Fixes:
    found = Fixes.from_json(data)  # (a Fixes with nothing to correct is false, but keeps its shape)
    return found if found is not None else Fixes()


class WorkerMismatch(Exception):
    """A cluster's worker that runs other versions than the client, or was sent other bytes."""


def lay_out_shipped(job: PieceJob) -> PieceLayout:
    """A cluster's worker: ``lay_out_piece`` reading only the files the client sent this worker
    (``infra.cluster.kept``, by the digests of ``job.files``), and only if this worker runs what the
    client does (a worker that joined after the client checked them all)."""
    from blog2book.infra.cluster import kept
    from blog2book.render.pdf.engine import environment

    here = environment()
    differences = [f"{name} {here.get(name, 'missing')} (client {value})" for name, value in job.environment if here.get(name) != value]
    if differences:
        raise WorkerMismatch(f"worker {_worker_name()} runs {', '.join(differences)}")
    blobs = kept(d for _, d in job.files)
    return lay_out_piece(job, {name: blobs[d] for name, d in job.files})


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"process {os.getpid()}"


def lay_out_piece(job: PieceJob, files: dict[str, bytes] | None = None) -> PieceLayout:
    """Worker: ``_lay_out_piece``, its time recorded when ``BLOG2BOOK_TIMINGS`` asks (``timings``)."""
    if not timings.enabled():
        return _lay_out_piece(job, files)
    with timings.clock() as took:
        result = _lay_out_piece(job, files)
    timings.record({"event": "piece", "key": job.key, **took, "pages": result.pages, "renumbered": result.renumbered, "pid": os.getpid()})
    return result


def _lay_out_piece(job: PieceJob, files: dict[str, bytes] | None = None) -> PieceLayout:
    """Worker: lay one piece out with WeasyPrint, corrected (notes kept on their call's page, no
    ladders, no word cut across a recto's turn), read what the book needs from the layout, write
    its PDF; ``files``: the only files it may read (a cluster's worker), else the roots'. A job with a ``source`` (the same piece
    laid out with page numbers of the same widths) gets that layout with its numbers changed in
    the PDF (``renumber``), when they can be."""
    if job.source is not None:
        from blog2book.render.pdf.renumber import renumber

        done = renumber(job.source.pdf_data(), job.source.pages, job.source.slots, job.html)
        if done is not None:
            return replace(job.source, key=job.key, pdf=done[0], slots=done[1], pdf_file=None, renumbered=True)
    import io

    from blog2book.render.pdf.corrections import correct
    from blog2book.render.pdf.engine import html, quiet, write_pdf
    from blog2book.render.pdf.engine.fetch import SafeFetcher
    from blog2book.render.pdf.engine.corrector import corrected, take_failures

    fetcher = SafeFetcher([Path(r) for r in job.roots], transform_css=piece_css, files=files)
    # each page corrected as it is made (engine.corrector); what is left, after the layout (corrections)
    quiet()
    render = corrected(lambda h: html(h, job.base_url, fetcher).render())
    # same-page references (and what a page gave up on); the next pass starts from these fixes when
    # its document has the same shape (page numbers of the same lengths)
    document, fixes = correct(job.html, job.fixes, render)
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
    from blog2book.render.pdf.engine.pages import number_slots
    from blog2book.render.pdf.renumber import calibration_html, first_folio

    # the page after the piece's own: every digit in every setting a number was printed in, so
    # that a later pass can change the numbers in this PDF (the merge leaves that page out)
    slots, styles = number_slots(document, first_folio(job.html))
    calibration = html(calibration_html(job.html, styles), job.base_url, fetcher).render(font_config=document.font_config)
    out = io.BytesIO()
    write_pdf(document.copy(document.pages + calibration.pages), out, **({"pdf_tags": False} | dict(job.options)))
    pdf = out.getvalue()
    if is_tagged(job.options):
        from blog2book.render.pdf.engine.notes import note_pages
        from blog2book.render.pdf.structure import finish_tags

        pdf = finish_tags(pdf, note_pages(document))  # running heads and folios: artifacts; notes: Note
    images, margins = print_facts(document)
    return PieceLayout(
        job.key, len(document.pages), anchors, tuple(positions), tuple(bookmarks), (width, height), tuple(dict.fromkeys(fetcher.refused)),
        pdf, fixes, page_marks(document), images, margins, None, slots, fallbacks=take_failures(), overflows=overflows(document),
    )


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
        if "slots" not in data or "overflows" not in data or Fixes.from_json(data.get("fixes")) is None or any("loose" not in m for m in data.get("marks", ())):  # an older version
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
