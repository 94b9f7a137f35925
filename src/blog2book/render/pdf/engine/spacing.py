"""The word-spacing budget of justified text, kept as the lines are made (``engine.corrector``).

WeasyPrint breaks lines greedily and justifies a line by widening its spaces only: a line that
could not take its next word (a name, which is never hyphenated, an address, a word whose cut
would leave a stub) is left with wide spaces, and a run of them makes a river. A designer gives
justified text a budget: a word space of at most ``BUDGET`` em. A line made looser than that is
made again, in this order, keeping the first that holds the budget (else the tightest):

1. *tight*: its spaces narrowed by ``SHRINK`` em and its letters by 1 %: the next word (or its
   first part, hyphenated) may now fit, and the line's spaces are then stretched less;
2. *letter-spaced*: the same words, letters spaced by up to 2 % (``TRACK``) so that the spaces take
   less of the line's slack.

A line still looser than the budget is counted on its page (``loose_lines``) and the build reports
it (``pdf.loose-line``, the post's file and the page). Word spaces here are the advance of the
space in the line's face, plus its ``word-spacing`` and WeasyPrint's justification, over the font
size: what a reader sees between two words.

WeasyPrint internals used: ``text.line_break.create_layout``/``line_size`` (the width of a space)
and the ``justification_spacing`` WeasyPrint sets on the text boxes of a justified line.
"""

from __future__ import annotations

import re

BUDGET = 0.5  # em: the widest word space a justified line may have
SHRINK = 0.04  # em taken off every space of a tight line (a space of Source Serif is about 0.23 em)
CONDENSE = 0.01  # letters of a tight line: -1 % of the font size
TRACK = 0.02  # letters of a loose line: at most +2 % of the font size

_spaces: dict = {}  # (face, size…) -> advance of a space, in CSS px
_DIGIT = re.compile(r"\d")


def _text_boxes(line):
    from weasyprint.formatting_structure import boxes

    return [b for b in line.descendants() if isinstance(b, boxes.TextBox)]


def justified(line) -> bool:
    return line.style["text_align_all"] == "justify"


def space_width(context, style) -> float:
    """The advance of a space in ``style``'s face and size (no word- or letter-spacing), in px."""
    key = (tuple(style["font_family"]), style["font_size"], style["font_weight"], style["font_style"],
           style["font_stretch"], style["font_variant_caps"], style["lang"])
    found = _spaces.get(key)
    if found is None:
        from weasyprint.text.line_break import create_layout, line_size

        plain = style.copy()
        plain["letter_spacing"], plain["word_spacing"] = "normal", 0

        def width(text):
            layout = create_layout(text, plain, context, None, 0)
            return line_size(layout.get_first_line()[0], plain)[0]

        found = _spaces[key] = width("n n") - width("nn")
    return found


def word_space(context, line) -> float:
    """The widest word space of a line, in em of its text's font size (0 for a line without one)."""
    widest = 0.0
    for box in _text_boxes(line):
        if " " not in box.text.strip() and not (box.text.startswith(" ") or box.text.endswith(" ")):
            continue
        style = box.style
        size = style["font_size"] or 1
        letter = 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]
        gap = space_width(context, style) + style["word_spacing"] + letter + (box.justification_spacing or 0)
        widest = max(widest, gap / size)
    return widest


def letters(line) -> int:
    return sum(len(b.text) for b in _text_boxes(line))


def spaces(line) -> int:
    return sum(b.text.count(" ") + b.text.count("\u00a0") for b in _text_boxes(line))


class Adjust:
    """How the text boxes of the line being made are set: ``tight``, or letters spaced by
    ``track`` em. A page number (a link's « p. 38 ») keeps its letters as they are: its widths are
    what ``render/pdf/renumber.py`` rewrites in place. Styles are copied once per source style
    (WeasyPrint shares them)."""

    def __init__(self, tight: bool = False, track: float = 0.0):
        self.tight, self.track = tight, track
        self._made: dict = {}

    def style(self, style, box=None):
        figures = box is not None and holds_page_number(box)
        found = self._made.get((id(style), figures))
        if found is None or found[0] is not style:
            copy = style.copy()
            size = style["font_size"]
            letter = 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]
            if self.tight:
                copy["word_spacing"] = style["word_spacing"] - SHRINK * size
                if not figures:
                    copy["letter_spacing"] = letter - CONDENSE * size
            elif not figures:
                copy["letter_spacing"] = letter + self.track * size
            found = self._made[(id(style), figures)] = (style, copy)
        return found[1]


def holds_page_number(box) -> bool:
    """Whether a text box is (in) a link that prints its target's page (``b2b:`` links, renumbered
    in place) and has figures."""
    if not _DIGIT.search(box.text):  # a text box holds its paragraph's whole text: no loop in Python
        return False
    for _ in range(4):  # the link, or a span in it (boxes carry their parent: corrector.attach)
        element = getattr(box, "element", None)
        if element is not None and element.tag == "a" and (element.get("href") or "").startswith("b2b:"):
            return True
        box = getattr(box, "_b2b_parent", None)
        if box is None:
            return False
    return False


def track_for(context, line) -> float:
    """The letter-spacing (em, at most ``TRACK``) that brings the line's word spaces to the budget,
    or 0 when letter-spacing alone cannot."""
    n, gaps = letters(line), spaces(line)
    if not n or not gaps:
        return 0.0
    excess = word_space(context, line) - BUDGET  # em per space
    needed = excess * gaps / n  # em per letter
    return min(TRACK, max(0.0, needed) + 0.001)


def too_loose(context, line) -> bool:
    return justified(line) and word_space(context, line) > BUDGET


def fit(context, item, remake):
    """The line ``item`` (line box, where the next line resumes), or the same line made again
    within the budget: ``remake(lines made, adjust)`` makes the line again from where it started
    (discarding ``lines made``). A line left over the budget is marked ``_b2b_loose`` (its widest
    word space, in em) for the page's marks (``engine.marks``)."""
    line, resume_at = item
    if not justified(line):
        return item
    loose = word_space(context, line)
    if loose <= BUDGET:
        return item
    tight = remake([line], Adjust(tight=True))
    if tight is not None and tight[1] != resume_at and word_space(context, tight[0]) < loose:
        best = tight  # a word more (or a part of one) on the line
    else:
        track = track_for(context, line)
        best = remake([tight[0]] if tight else [], Adjust(track=track) if track else None)
        if best is not None and track and best[1] != resume_at:  # pragma: no cover - wider letters pushed a word out
            best = remake([best[0]], None)
        if best is None:  # pragma: no cover - the same text makes at least one line
            return item
    space = word_space(context, best[0])
    if space > BUDGET + 0.005:
        best[0]._b2b_loose = round(space, 3)
    return best
