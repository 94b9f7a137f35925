"""What blog2book reads in a laid-out WeasyPrint document besides its lines and notes: the anchors
on each page, the chapter each page belongs to, the page numbers it printed and where (for
``renumber``), the printed size of its images and its margins (for a printer's preflight).

These read WeasyPrint's page boxes (``Page._page_box``) and box classes: internals, checked by
``engine/__init__.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from weasyprint.formatting_structure import boxes

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Slot:
    """A page number the layout printed: on ``page`` (0-based, in the piece), in the line of text
    whose origin is (``x``, ``y``) in CSS pixels; ``target`` is the anchor whose page it prints, or
    "" for the folio; ``digits`` what it printed."""

    page: int
    x: float
    y: float
    target: str
    digits: str
    align: float = 0.0  # a folio: where its line is aligned in its margin box (0 left, 0.5 centre, 1 right)

    def to_json(self) -> list:
        return [self.page, self.x, self.y, self.target, self.digits, self.align]

    @classmethod
    def from_json(cls, data) -> "Slot":
        page, x, y, target, digits, align = data
        return cls(int(page), float(x), float(y), str(target), str(digits), float(align))


def number_slots(document, start: int) -> tuple[tuple[Slot, ...] | None, tuple[tuple, ...]]:
    """The page numbers a WeasyPrint ``document`` printed (``start``: its first folio), and the text styles they
    were printed in (for the calibration page). A number is a run of digits that is the whole
    value of a link's ``data-page`` in that link's ``::before``/``::after`` (« voir p. N », contents),
    or the folio in a margin box that prints ``counter(page)``. None instead of the slots when
    such a place prints digits that are not just its number (« p. 12, chap. 3 »): that layout is
    never renumbered."""
    slots: list[Slot] = []
    styles: dict[tuple, None] = {}

    complete = True

    def owner(box):
        """What a margin box or a link's generated text prints: ("folio", alignment), ("page",
        (target, value)), or None; what any other box prints is what its parent does."""
        if isinstance(box, boxes.MarginBox):
            content = box.style["content"]
            prints = isinstance(content, (list, tuple)) and any(
                isinstance(c, tuple) and c[0] == "counter()" and c[1][0] == "page" for c in content
            )
            align = {"right": 1.0, "end": 1.0, "center": 0.5}.get(str(box.style["text_align_all"]), 0.0)
            return ("folio", align) if prints else None
        el = box.element
        href = (el.get("href") or "") if el is not None else ""
        if href.startswith("b2b:") and el.get("data-page") and el.get("data-xref") != "chapter":
            return ("page", (unescape(href[4:]), el.get("data-page")))
        return None

    def walk(box, prints, n):
        nonlocal complete
        if isinstance(box, boxes.TextBox):
            runs = _DIGITS.findall(box.text)
            if not runs or prints is None:
                return
            kind, what = prints
            if kind == "folio":
                target, align, value = "", what, str(start + n)
            else:
                (target, value), align = what, 0.0
            if runs != [value]:
                # digits where a page number is printed, but not the number alone: this layout's
                # numbers cannot all be found again, it is never renumbered
                complete = False
                return
            slots.append(Slot(n, box.position_x, box.position_y + box.baseline, target, runs[0], align))
            styles.setdefault(text_style(box.style), None)
            return
        if isinstance(box, boxes.MarginBox) or (getattr(box, "element_tag", None) or "").endswith(("::after", "::before")):
            prints = owner(box)
        for child in getattr(box, "children", ()):
            walk(child, prints, n)

    for n, page in enumerate(document.pages):
        walk(page._page_box, None, n)
    return (tuple(slots) if complete else None), tuple(styles)


def text_style(style) -> tuple:
    """What decides the glyphs of a number: its face, its features, its language."""
    names = (
        "font_family", "font_style", "font_weight", "font_stretch", "font_variant_numeric", "font_variant_caps",
        "font_variant_position", "font_variant_ligatures", "font_feature_settings", "font_variation_settings",
        "font_kerning", "font_language_override", "lang",
    )
    return tuple((name, hashable(style[name])) for name in names)


def hashable(value):
    if isinstance(value, (list, tuple)):
        return tuple(hashable(v) for v in value)
    return value


def print_facts(document) -> tuple[tuple, tuple]:
    """What a printer checks in a layout (render/print/backend.py): each raster image's pixels and
    printed width, and the smallest page margins (a piece starts on a recto)."""
    images: dict[str, tuple[str, int, float]] = {}
    inner = outer = top = bottom = float("inf")
    for n, page in enumerate(document.pages):
        box = page._page_box
        left, right = box.margin_left / 96, box.margin_right / 96
        inner, outer = min(inner, left if n % 2 == 0 else right), min(outer, right if n % 2 == 0 else left)
        top, bottom = min(top, box.margin_top / 96), min(bottom, box.margin_bottom / 96)
        for child in box.descendants():
            if isinstance(child, boxes.ReplacedBox) and child.element is not None and type(child.replacement).__name__ == "RasterImage":
                src = child.element.get("src") or ""
                printed = child.width / 96
                if printed > 0 and (src not in images or images[src][2] < printed):
                    images[src] = (src, int(child.replacement.width), round(printed, 4))
    margins = (inner, outer, top, bottom) if document.pages else ()
    return tuple(images.values()), tuple(round(m, 4) for m in margins)


_PARAGRAPH = re.compile(r"__p\d+$")  # render/shared/paragraphs.py


def page_anchors(document) -> tuple[tuple[str, ...], ...]:
    """Anchors per page. WeasyPrint may list, on a blank page made by ``break-before: right``,
    anchors of the element that starts on the next page: they are moved to that page. An element
    split across pages is listed on each (a chapter's on all its pages); a paragraph's anchor, which
    the paragraph itself carries (render/pdf/html.py), only on the page where it starts."""
    pages: list[list[str]] = []
    carried: list[str] = []
    started: set[str] = set()
    for page in document.pages:
        names = [n for n in carried + list(page.anchors.keys()) if not (_PARAGRAPH.search(n) and n in started)]
        started.update(n for n in names if _PARAGRAPH.search(n))
        box = getattr(page, "_page_box", None)
        if box is not None and getattr(box.page_type, "blank", False):
            pages.append([])
            carried = names
        else:
            pages.append(names)
            carried = []
    return tuple(tuple(names) for names in pages)


def _scope_of(element) -> str | None:
    """The first id inside a chapter or matter element (its heading's), or None."""
    for el in element.iter():
        ident = el.get("id")
        if ident:
            return ident
    return None


def page_scopes(document) -> list[str | None]:
    """For each page, the chapter (or matter section) it belongs to, as its first id."""
    out: list[str | None] = []
    for page in document.pages:
        scope = None
        for box in page._page_box.descendants():
            el = getattr(box, "element", None)
            if el is not None and {"chapter", "matter"} & set((el.get("class") or "").split()):
                scope = _scope_of(el)
                break
        out.append(scope)
    return out
