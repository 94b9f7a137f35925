"""The page numbers the pieces of the print book depend on: each piece's first folio and the page of
every anchor a link points to (« voir p. N », the contents), guessed before a cold build's first
layout, learnt from layouts after (``render/pdf/layout.py`` runs the passes).

Only a number's count of digits changes a layout (tabular figures): a piece laid out with a guess
whose digits were right is renumbered in its PDF later, not laid out again. A guess near a power
of ten (page 100, 1000, 10 000) may have one digit too many or too few; a piece that prints such a
number is laid out last in the first pass (``uncertain``), with the numbers the pieces already laid
out give (``numbers_so_far``): nearly every number it prints is then known, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blog2book.render.pdf.pieces import PieceLayout

_INTERNAL_HREF = re.compile(r'(<a\b[^>]*?)\shref="#([^"]+)"')


@dataclass(frozen=True)
class Numbers:
    """What one pass assumes: the first folio of each piece, the page of each anchor."""

    starts: tuple[int, ...]
    pages: dict = field(default_factory=dict)  # anchor -> page (1-based folio)
    fixes: dict = field(default_factory=dict, compare=False)  # piece body hash -> Fixes


@dataclass(frozen=True)
class Guess:
    """A piece's length as guessed from its text: pages, and each anchor's page from its first."""

    pages: int
    anchors: dict  # anchor -> page offset in the piece (0: its first page)


def numbers_from(results: list, recto: bool = True) -> Numbers:
    """Folios as the merged book will have them: a piece starts on a recto, so a blank page comes
    before it when the previous piece ended on a recto (``recto=False``, a style whose openers fall
    on any page: the next page, a verso too). ``results``: each piece's layout (``PieceLayout``) or
    its guess (``Guess``)."""
    starts = []
    folio = 1
    pages: dict[str, int] = {}
    for r in results:
        if recto and folio % 2 == 0:
            folio += 1  # the blank verso the merge inserts
        starts.append(folio)
        if isinstance(r, PieceLayout):
            for n, names in enumerate(r.anchors):
                for name in names:
                    pages.setdefault(name, folio + n)
        else:
            for name, n in r.anchors.items():
                pages.setdefault(name, folio + n)
        folio += r.pages
    return Numbers(tuple(starts), pages)


def placeholder(total_words: int) -> str:
    """A stand-in page number of the likely width, for a link whose target is not in the book."""
    return "8" * len(str(max(9, total_words // 250)))


CHARS_PER_PAGE = 1850  # of text between tags, in the series' styles (the bench corpora: 1700–1800 in chapters)
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\bid="([^"]+)"')
# what starts a page of its own: a recto and the verso after it (openers, title pages), or a recto
_SPREAD = re.compile(r'^<(?:div|section|nav)\b[^>]*\bclass="(?:part|half-title|title-page)\b')
_RECTO = re.compile(r'^<(?:div|section|nav)\b[^>]*\bclass="(?:chapter|matter|toc|index-body)\b')


def guess(body: str) -> Guess:
    """A piece's pages and anchors guessed from the length of the text before each anchor."""
    anchors: dict[str, int] = {}
    chars, at, breaks = 0, 0, 0.0
    for m in _TAG.finditer(body):
        chars += m.start() - at
        at = m.end()
        tag = m.group(0)
        if _SPREAD.match(tag):
            breaks += 2
        elif _RECTO.match(tag):
            breaks += 1
        ident = _ID.search(tag)
        if ident:
            anchors.setdefault(ident.group(1), int(breaks + chars / CHARS_PER_PAGE))
    chars += len(body) - at
    return Guess(max(1, round(breaks + chars / CHARS_PER_PAGE)), anchors)


def estimate(bodies: list[str], recto: bool = True) -> tuple[Numbers, list[Guess]]:
    """The numbers a cold build's first pass starts from, guessed from the pieces' text, and each
    piece's guess (``numbers_so_far`` uses them for the pieces not laid out yet)."""
    guesses = [guess(body) for body in bodies]
    return numbers_from(guesses, recto), guesses


def numbers_so_far(results: list, guesses: list[Guess], recto: bool = True) -> Numbers:
    """The numbers the pieces laid out so far give (their layouts), the others guessed."""
    return numbers_from([r if r is not None else g for r, g in zip(results, guesses)], recto)


UNCERTAIN_PAGES = 30  # how far a guess may be from the page (the archive's were within 15 pages)


def uncertain(body: str, numbers: Numbers) -> bool:
    """Whether the piece links to a page whose guess is near a power of ten (page 10, 100, 1000…):
    its count of digits may be wrong, and the piece's layout with it not the final one."""
    for m in _INTERNAL_HREF.finditer(body):
        page = numbers.pages.get(m.group(2))
        if page is None:
            continue
        digits = len(str(page))
        for power in (10 ** (digits - 1), 10**digits):
            if power >= 10 and abs(page - power) <= max(2, min(power * 15 // 100, UNCERTAIN_PAGES)):
                return True
    return False
