"""What the design's corrections read in a finished layout (``render/pdf/engine/corrector.py`` makes the same
corrections page by page during the layout; this reads what is left, for ``render/pdf/corrections.py``,
and for the tests).

* No more than two hyphenated lines in a row (a ladder): the word ending the third is set unbreakable.
* A word hyphenated at the foot of a recto, across the page turn (the reader must turn the leaf
  in the middle of the word), is set unbreakable (``span.nohyph``). WeasyPrint has no
  ``hyphenate-limit-last``; this is the same rule done after the fact.
* (Cross-references on their target's own page, « (ci-dessous) » / « (plus haut) »: ``xreftext``.)

The corrector (``engine.corrector``) reads its lines with the functions at the end of this module.
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


# ---------------------------------------------------------------- for the page-by-page corrector (corrector.py)

def page_last_texts(page) -> list:
    """The last text box of each line of the page's flow (not its notes or margins), in order."""
    return [last_text(line) for line in flow_lines(page)]


STUB = 6  # characters a paragraph's last line holds besides the end of a word cut on the line before


def is_stub(last) -> bool:
    """Whether a paragraph's last line is a stub: the end of the word cut on the line before and
    fewer than ``STUB`` more characters (« vants : », « bleries. »)."""
    from weasyprint.formatting_structure import boxes

    text = "".join(b.text for b in last.descendants() if isinstance(b, boxes.TextBox)).strip()
    tail = 0
    while tail < len(text) and (text[tail].isalnum() or text[tail] in "’'"):
        tail += 1
    return len(text) < tail + STUB


def last_text(line):
    """A line box's last text box (where a hyphenated line was cut), or None."""
    from weasyprint.formatting_structure import boxes

    texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
    return texts[-1] if texts else None


def hyphenated_at(last):
    """(source text box, UTF-8 offset of the cut) when the line ending with text box ``last`` was
    hyphenated inside a word (not at a compound's own hyphen), else None."""
    before = cut_in_word(last)
    if before is None:
        return None
    source = getattr(last, "_b2b_src", None)
    return (source, len(before)) if source is not None and source.text == last._b2b_cut[0] else None


def cut_in_word(last) -> str | None:
    """The text before the cut when the line ending with text box ``last`` was hyphenated inside a
    word (not at a compound's own hyphen), else None."""
    if last is None or not hasattr(last, "_b2b_cut"):
        return None
    text, resume = last._b2b_cut
    mark = last.style["hyphenate_character"] or ""
    if not mark or not last.text.endswith(mark):
        return None
    raw = text.encode()
    before, after = raw[:resume].decode("utf-8", "ignore"), raw[resume:].decode("utf-8", "ignore")
    if not (before[-1:].isalpha() and after[:1].isalpha() and after[:1].islower()):
        return None
    return before


def word_spans(targets):
    """For each source text box, the (start, end) character spans of the words cut at the targets."""
    by_source: dict[int, tuple] = {}
    for source, at in targets:
        text = source.text
        start = at
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        end = at
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        entry = by_source.setdefault(id(source), (source, set()))
        entry[1].add((start, end))
    for source, spans in by_source.values():
        yield source, sorted(spans)
