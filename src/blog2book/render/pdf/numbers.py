"""The page numbers the pieces of the print book depend on: each piece's first folio and the page of
every anchor a link points to (« voir p. N », the contents), guessed before a cold build's first
layout, learnt from layouts after (``render/pdf/layout.py`` runs the passes).

Only a number's count of digits changes a layout (tabular figures): a piece laid out with a guess
whose digits were right is renumbered in its PDF later, not laid out again. A guess near a power
of ten (page 100, 1000, 10 000) may have one digit too many or too few; a piece that prints such a
number is laid out later in the first pass (``uncertain``), with the numbers the pieces already laid
out give (``numbers_so_far``): the pages of the pieces laid out, and the others' guesses scaled by
what the laid-out ones measured against theirs (``calibrated``). How near is near grows with the
page: a guess is off by a share of the pages before it (``GUESS_ERROR``), and what the pieces laid
out before it give is exact (``exact_until``).
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
    """The numbers the pieces laid out so far give (their layouts), the others guessed (scaled by
    what the laid-out pieces measured against their guesses: ``calibrated``)."""
    scaled = calibrated(guesses, results)
    return numbers_from([r if r is not None else g for r, g in zip(results, scaled)], recto)


def calibrated(guesses: list[Guess], results: list) -> list[Guess]:
    """The guesses scaled by the pages the laid-out pieces (``results``, None where not laid out)
    have against the pages guessed for them: the guess's bias for this book and style (the word-space
    budget makes pages fuller than the characters a page count, a style's type another size)."""
    pairs = [(r.pages, g.pages) for r, g in zip(results, guesses) if r is not None and g.pages > 1]
    made, guessed = sum(p for p, _ in pairs), sum(g for _, g in pairs)
    if not pairs or not guessed:
        return guesses
    ratio = made / guessed
    return [Guess(max(1, round(g.pages * ratio)), {a: int(n * ratio) for a, n in g.anchors.items()}) for g in guesses]


def exact_until(results: list, numbers: Numbers) -> int:
    """The folio from which ``numbers`` are guesses: the first page of the first piece not laid
    out (the pages before it are the laid-out pieces', exact); past the book when all are."""
    for r, start in zip(results, numbers.starts):
        if r is None:
            return start
    return 1 << 30


UNCERTAIN_PAGES = 30  # how far a guess may be from the page at least (the archive's were within 15 pages)
GUESS_ERROR = 0.03  # how far a guess may be, as a share of the guessed pages before it (measured: 1.7 % too many at 300 posts)
CALIBRATED_ERROR = 0.01  # the same, once scaled by what laid-out pieces measured (``calibrated``)


def uncertain(body: str, numbers: Numbers, exact: int = 1, error: float = GUESS_ERROR) -> bool:
    """Whether the piece links to a page whose guess is near a power of ten (page 10, 100, 1000…):
    its count of digits may be wrong, and the piece's layout with it not the final one. Pages
    before ``exact`` are known (``exact_until``); a guess after it may be off by ``error`` of the
    guessed pages between (never less than ``UNCERTAIN_PAGES``, nor more than 15 % of the power)."""
    for m in _INTERNAL_HREF.finditer(body):
        page = numbers.pages.get(m.group(2))
        if page is None or page < exact:
            continue
        digits = len(str(page))
        near = max(UNCERTAIN_PAGES, int(error * (page - exact)))
        for power in (10 ** (digits - 1), 10**digits):
            if power >= 10 and abs(page - power) <= max(2, min(power * 15 // 100, near)):
                return True
    return False
