"""Facing pages end on the same baseline: vertical justification of the spread.

Two full pages facing each other (a verso and the recto after it) should end on one line: the
reader sees them together. WeasyPrint fills each page on its own, and a page comes out short of
its neighbour by a line (widows and orphans, a heading kept with its text) or by part of one (a
heading, a quotation, a dateline or a note is not a whole number of lines). Once the pages of a
document are made (``corrector._make_all_pages``, before WeasyPrint adds the margin boxes and reads
anchors and links), the shorter page of each such spread is stretched to the other's last
baseline: the difference is shared out between the gaps around its headings, separators,
quotations, lists and figures, or (a page of plain paragraphs) between its paragraphs.

A spread is justified only when both pages are full (their text reaches within ``FULL`` lines of
the foot) and they differ by at most ``MOST`` lines; a page whose last line is a note (notes stand
at the foot) or that is set in columns (the index: column tops stay level) is not stretched. What a run moved is taken back before WeasyPrint makes the pages
again (``undo``), since it reuses the pages it need not remake.
"""

from __future__ import annotations

FULL = 2.25  # lines: a page whose last baseline is this close to the foot (its content box's bottom) is full
MOST = 2.25  # lines: the most a page is stretched by
ELASTIC = ("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "ul", "ol", "table", "hr", "dl")


def _lines(box, notes: bool, out: list) -> list:
    from weasyprint.formatting_structure import boxes

    for child in box.all_children() if hasattr(box, "all_children") else ():
        if isinstance(child, boxes.MarginBox) or (isinstance(child, boxes.FootnoteAreaBox) and not notes):
            continue
        if isinstance(child, boxes.LineBox):
            out.append(child)
        else:
            _lines(child, notes, out)
    return out


def _last_baseline(page) -> tuple[float, bool] | None:
    """The page's last baseline (px from the top) and whether it is a note's."""
    flow = _lines(page, False, [])
    every = _lines(page, True, [])
    if not every:
        return None
    last = max(line.position_y + line.baseline for line in every)
    in_flow = max((line.position_y + line.baseline for line in flow), default=None)
    return last, in_flow is None or in_flow < last - 0.01


def _units(box, out: list) -> list:
    """The blocks of the page's flow that move as one, in order: a block of lines, a framed block
    (a quotation, a tweet, a figure, a list, a table), a replaced box."""
    from weasyprint.formatting_structure import boxes

    for child in box.children if hasattr(box, "children") else ():
        if isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)) or not isinstance(child, boxes.BlockLevelBox):
            continue
        if child.style["position"] in ("absolute", "fixed") or (child.element_tag or "").startswith("@"):
            continue  # not the flow: the note area (``@note-area``) stands at the foot
        tag = (child.element_tag or "").split("::")[0]
        framed = tag in ("blockquote", "figure", "ul", "ol", "table", "dl", "hr") or isinstance(child, boxes.ReplacedBox) \
            or any(child.style[f"border_{side}_width"] for side in ("left", "right", "top"))
        if framed or any(isinstance(c, boxes.LineBox) for c in getattr(child, "children", ())) or not getattr(child, "children", None):
            out.append(child)
        else:
            _units(child, out)
    return out


def _elastic(unit) -> bool:
    tag = (unit.element_tag or "").split("::")[0]
    classes = (unit.element.get("class") or "").split() if unit.element is not None else ()
    return tag in ELASTIC or "dateline" in classes or "tweet" in classes


def _stretch(page, by: float, moved: list) -> bool:
    """Move the page's flow down by up to ``by`` px, its last line by ``by``: the gaps around
    headings, quotations, lists and the like take it, or, a page without them (plain
    paragraphs), every line a little (feathering: 1 pt over twenty lines is not seen)."""
    if any(b.style["column_count"] != "auto" or b.style["column_width"] != "auto" for b in page.descendants()):
        return False  # columns (the index): their tops stay level
    units = _units(page, [])
    weights = [1.0 if _elastic(a) or _elastic(b) else 0.0 for a, b in zip(units, units[1:])]
    if not any(weights):
        units = _lines(page, False, [])
        weights = [1.0] * (len(units) - 1)
    if not weights:
        return False
    total = sum(weights)
    shift = 0.0
    for unit, weight in zip(units[1:], weights):
        shift += by * weight / total
        if shift:
            unit.translate(dy=shift)
            moved.append((unit, shift))
    return True


def undo(moved: list) -> None:
    for box, shift in reversed(moved):
        box.translate(dy=-shift)
    moved.clear()


def justify(pages, moved: list) -> int:
    """Stretch the shorter page of each full spread to its neighbour's last baseline; what was
    moved is appended to ``moved`` (for ``undo``). Returns the pages stretched."""
    stretched = 0
    for verso, recto in zip(pages, pages[1:]):
        if verso.page_type.side != "left" or verso.page_type.blank or recto.page_type.blank:
            continue
        ends = [_last_baseline(verso), _last_baseline(recto)]
        if None in ends:
            continue
        lines = _lines(verso, False, []) + _lines(recto, False, [])
        lead = sorted(line.height for line in lines)[len(lines) // 2] if lines else 0
        foot = [p.content_box_y() + p.height for p in (verso, recto)]
        if not lead or any(f - end[0] > FULL * lead for f, end in zip(foot, ends)):
            continue
        (left, left_note), (right, right_note) = ends
        short, by, note = (verso, right - left, left_note) if left < right else (recto, left - right, right_note)
        if by < 0.3 or by > MOST * lead or note:
            continue
        stretched += _stretch(short, by, moved)
    return stretched
