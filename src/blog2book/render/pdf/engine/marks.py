"""Where the paragraphs and posts of the laid-out book fall on each page: what the review proof marks.

``page_marks(document)`` reads WeasyPrint's page boxes (internal API: ``page._page_box``) once the
book is laid out and returns, per page, a frozen ``PageMarks``: the paragraphs that start or
continue on it (their anchor from render/shared/paragraphs.py, the top and bottom of their lines on the
page) and the posts that start on it. Positions are in PDF points from the top of the page.

The proof (render/review/proof.py) is drawn from these marks around the book's own PDF pages, so nothing
is laid out twice. A book laid out in pieces calls ``page_marks`` on each piece's document and
concatenates the results in page order.
"""

from __future__ import annotations

from dataclasses import dataclass

PT_PER_PX = 0.75  # WeasyPrint's layout unit is the CSS px (1/96 in); PDF points are 1/72 in


@dataclass(frozen=True)
class ParagraphMark:
    anchor: str  # "<post-id>__p<N>" (render/shared/paragraphs.py)
    top: float  # pt from the top of the page: the top of its first line on this page
    bottom: float  # pt from the top of the page: the bottom of its last line on this page
    continued: bool  # it started on an earlier page (this is its continuation)


@dataclass(frozen=True)
class PostMark:
    slug: str
    top: float  # pt from the top of the page: where the post (its title) starts


@dataclass(frozen=True)
class LooseLine:
    """A justified line left looser than the word-space budget (``engine.spacing``)."""

    anchor: str  # the paragraph's anchor, "<post-id>__p<N>"
    space: float  # its widest word space, in em
    text: str  # the line's first words


@dataclass(frozen=True)
class PageMarks:
    """One page: its paragraphs in reading order (a paragraph carried over from the previous page
    comes first, ``continued``), the posts that start on it, and its loose lines."""

    paragraphs: tuple[ParagraphMark, ...] = ()
    posts: tuple[PostMark, ...] = ()
    loose: tuple[LooseLine, ...] = ()


def paragraph_anchor(element) -> str | None:
    """The anchor of a paragraph element (a ``p``, or an ``li`` or ``dd`` whose text is not in a
    ``p``): its own id when it is a ``para-anchor`` (render/pdf/html.py ``anchor_paragraphs``), else
    the id of its first child when that is the empty ``span.para-anchor`` that number_paragraphs
    puts at the start of every paragraph."""
    if element is None:
        return None
    if "para-anchor" in (element.get("class") or "").split():
        return element.get("id") or None
    if len(element) == 0:
        return None
    first = element[0]
    if not isinstance(first.tag, str) or first.tag.rsplit("}", 1)[-1] != "span":
        return None
    if "para-anchor" not in (first.get("class") or "").split():
        return None
    return first.get("id") or None


def page_marks(document, first_page: int = 0) -> tuple[PageMarks, ...]:
    """The marks of ``document.pages[first_page:]`` (every page before ``first_page`` is read too,
    to know which paragraphs they started)."""
    from weasyprint.formatting_structure import boxes

    seen: set[int] = set()  # paragraph and post elements already met on an earlier page
    out: list[PageMarks] = []
    for index, page in enumerate(document.pages):
        paragraphs: list[ParagraphMark] = []
        posts: list[PostMark] = []
        loose: list[LooseLine] = []
        met: set[int] = set()

        def visit(box) -> None:
            for child in box.all_children() if hasattr(box, "all_children") else ():
                if not isinstance(child, boxes.BlockBox) or isinstance(child, boxes.FootnoteAreaBox):
                    continue
                element = child.element
                if element is not None and id(element) not in met and type(child.style).__name__ != "AnonymousStyle":
                    slug = element.get("data-slug")
                    if slug is not None and id(element) not in seen:
                        met.add(id(element))
                        posts.append(PostMark(slug, _pt(child.position_y)))
                    anchor = paragraph_anchor(element)
                    lines = _own_lines(child, boxes) if anchor is not None else []
                    if anchor is not None and lines:
                        met.add(id(element))
                        top = _pt(lines[0].position_y)
                        bottom = _pt(lines[-1].position_y + lines[-1].height)
                        paragraphs.append(ParagraphMark(anchor, top, bottom, id(element) in seen))
                        loose.extend(LooseLine(anchor, line._b2b_loose, _words(line, boxes)) for line in lines if hasattr(line, "_b2b_loose"))
                visit(child)

        visit(page._page_box)
        seen |= met
        if index >= first_page:
            out.append(PageMarks(tuple(paragraphs), tuple(posts), tuple(loose)))
    return tuple(out)


def _own_lines(block, boxes) -> list:
    """The lines of a paragraph's block on this page: its line boxes, and those of the anonymous
    block that holds a list item's text beside its marker; not the lines of a nested list."""
    lines = []
    for child in block.children:
        if isinstance(child, boxes.LineBox):
            lines.append(child)
        elif isinstance(child, boxes.BlockBox) and child.element is block.element and type(child.style).__name__ == "AnonymousStyle":
            lines += [c for c in child.children if isinstance(c, boxes.LineBox)]
    return lines


def _words(line, boxes) -> str:
    text = " ".join("".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _pt(px: float) -> float:
    return round(px * PT_PER_PX, 2)


def marks_to_json(marks: tuple[PageMarks, ...]) -> list:
    """Page marks as JSON data (the layout cache keeps them with each piece)."""
    return [
        {"paragraphs": [[p.anchor, p.top, p.bottom, p.continued] for p in page.paragraphs],
         "posts": [[p.slug, p.top] for p in page.posts],
         "loose": [[x.anchor, x.space, x.text] for x in page.loose]}
        for page in marks
    ]


def marks_from_json(data: list) -> tuple[PageMarks, ...]:
    return tuple(
        PageMarks(tuple(ParagraphMark(a, float(t), float(b), bool(c)) for a, t, b, c in page["paragraphs"]),
                  tuple(PostMark(s, float(t)) for s, t in page["posts"]),
                  tuple(LooseLine(a, float(w), t) for a, w, t in page["loose"]))
        for page in data
    )
