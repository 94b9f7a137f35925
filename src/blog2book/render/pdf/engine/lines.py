"""What the design's corrections read in a finished layout (``render/pdf/engine/corrector.py`` makes the same
corrections page by page during the layout; this reads what is left, for ``render/pdf/corrections.py``,
and for the tests).

* No more than two hyphenated lines in a row (a ladder): the word ending the third is set unbreakable.
* A word hyphenated at the foot of a recto, across the page turn (the reader must turn the leaf
  in the middle of the word), is set unbreakable (``span.nohyph``). WeasyPrint has no
  ``hyphenate-limit-last``; this is the same rule done after the fact.
* (Cross-references on their target's own page, « (ci-dessous) » / « (plus haut) »: ``xreftext``.)

Lines are read from WeasyPrint's page boxes (internal API: ``page._page_box``), as ``engine.notes`` does.
"""

from __future__ import annotations

import re


def flow_lines(box):
    """The line boxes of a laid-out page's text, in order: not its notes, not its margins."""
    from weasyprint.formatting_structure import boxes

    for child in box.all_children() if hasattr(box, "all_children") else ():
        if isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)):
            continue
        if isinstance(child, boxes.LineBox):
            yield child
        else:
            yield from flow_lines(child)


def _lines(box, out: list[str]) -> list[str]:
    from weasyprint.formatting_structure import boxes

    out.extend("".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)) for line in flow_lines(box))
    return out


def _split(a: str, b: str, html: str) -> str | None:
    """The word hyphenated between line ``a`` and line ``b`` (not a compound broken at its own
    hyphen, « là-/dedans »), or None."""
    head = re.search(r"(\w+)-$", a.rstrip())
    tail = re.match(r"(\w+)", b.lstrip())
    if head and tail and tail.group(1)[:1].islower() and f"{head.group(1)}-{tail.group(1)}" not in html:
        return head.group(1) + tail.group(1)
    return None


def hyphenated_words(document, html: str, limit: int = 2) -> list[tuple[int, str]]:
    """(0-based page, word) for each word to set unbreakable: hyphenated between the last line of a
    recto and the first of the next page (the reader would turn the leaf inside the word; page 0 is
    a recto), or ending the line after ``limit`` hyphenated lines in a row on its page (a ladder;
    WeasyPrint has neither ``hyphenate-limit-last`` nor ``hyphenate-limit-lines``)."""
    pages = [_lines(page._page_box, []) for page in document.pages]
    out: list[tuple[int, str]] = []
    for index, lines in enumerate(pages):
        run = 0
        for a, b in zip(lines, lines[1:]):
            word = _split(a, b, html)
            run = run + 1 if word else 0
            if run > limit:
                out.append((index, word))
                run = 0
        if index % 2 == 0 and index + 1 < len(pages) and lines and pages[index + 1]:
            word = _split(lines[-1], pages[index + 1][0], html)
            if word:
                out.append((index, word))
    return out


def recto_foot_words(document, html: str) -> set[str]:
    """Words hyphenated between the last line of a recto and the first line of the next page."""
    pages = [_lines(page._page_box, []) for page in document.pages]
    return {word for index in range(0, len(pages) - 1, 2) if pages[index] and pages[index + 1]
            for word in [_split(pages[index][-1], pages[index + 1][0], html)] if word}


