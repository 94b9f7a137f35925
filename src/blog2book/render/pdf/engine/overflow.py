"""What leaves the text block of a laid-out page: a word, a code line, a table or an image wider
than the measure, which WeasyPrint draws past the margin (or clips) without a word.

``overflows(document)`` reads each page's boxes (``Page._page_box``: internal, checked by
``engine/__init__.py``) against the page's content box and returns one ``Overflow`` per element and
page: the post it is in (``section.post[data-slug]``), the element's tag and first words (to find its
line in the post's file), and by how much it passes the text block. Running heads and folios
(margin boxes) and footnotes are not the text block's; a box that is hidden (``overflow: hidden``
on an ancestor of the text block's width) is not drawn past it.
"""

from __future__ import annotations

from dataclasses import dataclass

TOLERANCE = 1.5  # CSS px (0.4 mm): what rounding and hanging punctuation may add to a line
_WHOLE = ("table", "pre", "figure", "h1", "h2", "h3", "h4", "h5", "h6")
_NAMED = ("pre", "table", "img", "svg", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "dd", "dt", "td", "th", "code", "a", "span")


@dataclass(frozen=True)
class Overflow:
    page: int  # 0-based, in the document
    slug: str | None  # the post it is in, "#ID" for a contents line (the anchor it lists), None elsewhere
    tag: str  # the element that passes the text block (pre, table, img, h3…)
    text: str  # its first words, to find it in the post's file
    excess: float  # mm past the text block's edge (the larger side)

    def to_json(self) -> list:
        return [self.page, self.slug, self.tag, self.text, self.excess]

    @classmethod
    def from_json(cls, data) -> "Overflow":
        page, slug, tag, text, excess = data
        return cls(int(page), slug, str(tag), str(text), float(excess))


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _words(element) -> str:
    text = " ".join("".join(element.itertext()).split()) if element is not None else ""
    if not text and element is not None:
        text = element.get("src") or element.get("alt") or ""
    return text[:80]


def overflows(document) -> tuple[Overflow, ...]:
    from weasyprint.formatting_structure import boxes

    found: dict[tuple[int, int], Overflow] = {}
    for n, page in enumerate(document.pages):
        root = page._page_box
        left = root.content_box_x()
        right = left + root.width

        def visit(box, slug, named, clipped) -> None:
            if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
                return
            element = getattr(box, "element", None)
            if element is not None and type(box.style).__name__ != "AnonymousStyle":
                slug = element.get("data-slug") or slug
                href = element.get("href") or ""
                if slug is None and _tag(element) == "a" and href.startswith(("#", "b2b:")):
                    slug = "#" + href.split("#", 1)[-1].removeprefix("b2b:")  # a contents line: the post it lists
                if _tag(element) in _NAMED and (named is None or _tag(named) not in _WHOLE):
                    named = element  # the innermost element, but a table, code block, figure or heading as a whole
                    if slug is None and element.get("id"):
                        slug = "#" + element.get("id")  # outside posts: a part's or chapter's title
            if isinstance(box, (boxes.TextBox, boxes.ReplacedBox, boxes.TableBox)) and box.width:
                if not clipped and named is not None:
                    start = box.border_box_x()
                    excess = max(start + box.border_width() - right, left - start)
                    if excess > TOLERANCE:
                        key = (n, id(named))
                        mm = round(excess * 25.4 / 96, 1)
                        if key not in found or found[key].excess < mm:
                            found[key] = Overflow(n, slug, _tag(named), _words(named), mm)
            if box.style["overflow"] != "visible" and isinstance(box, boxes.BlockBox):
                clipped = clipped or box.border_box_x() >= left - TOLERANCE and box.border_box_x() + box.border_width() <= right + TOLERANCE
            for child in getattr(box, "children", ()):
                visit(child, slug, named, clipped)

        visit(root, None, None, False)
    return tuple(found.values())
