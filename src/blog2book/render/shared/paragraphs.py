"""Paragraph anchors shared by the print and EPUB editions.

Every paragraph of a post gets an empty anchor ``<post-id>__p<N>``: the PDF layout reports on which
page each one starts (for the EPUB page list), and the review proof numbers paragraphs with them.
The ``__`` cannot occur in a post id, nor after it in a heading id (``<post-id>--<heading>``).
"""

from __future__ import annotations

from blog2book import tree
from blog2book.model import Post

def paragraph_id(post: Post, n: int) -> str:
    return f"{post.id}__p{n}"


def number_paragraphs(post: Post, page_marks: dict[str, list[int]] | None = None, extra=None, wrap=None) -> list:
    """The post's blocks with its paragraph anchors (see ``number_blocks``)."""
    return number_blocks(list(post.blocks), post.id, page_marks, extra and (lambda n, inl: extra(post, n, inl)), wrap and (lambda n, para: wrap(post, n, para)))


def number_blocks(blocks: list, prefix: str, page_marks: dict[str, list[int]] | None = None, extra=None, wrap=None) -> list:
    """The post's blocks with an anchor span opening each top-level paragraph (and list item text).

    Anchors are ``<prefix>__p<N>`` (a post's id, or a front/back matter's id). ``page_marks`` maps a
    paragraph anchor to the print pages that start there: a page-break marker is put before it.
    ``extra(n, inlines)`` may return inlines to put after the anchor; ``wrap(n, para)`` may return
    a block to put in the paragraph's place (not for the first paragraph of a list item, which
    must stay the item's first block). Definition lists (a glossary) get an anchor per definition.
    """
    count = 0
    page_marks = page_marks or {}

    def mark(inlines: list) -> list:
        nonlocal count
        count += 1
        anchor = f"{prefix}__p{count}"
        head: list = []
        for page in page_marks.get(anchor, []):
            head.append(
                tree.RawInline(
                    "html",
                    f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{page}" aria-label="{page}"></span>',
                )
            )
        head.append(tree.Span(anchor, ["para-anchor"], []))
        if extra is not None:
            head.extend(extra(count, inlines))
        return head + inlines

    def visit(blocks: list) -> list:
        out = []
        for b in blocks:
            t = b["t"]
            if t == "Para":
                para = tree.Para(mark(b["c"]))
                out.append(wrap(count, para) if wrap is not None else para)
            elif t in ("BlockQuote",):
                out.append({"t": t, "c": visit(b["c"])})
            elif t == "Div":
                attr, inner = b["c"]
                skip = {"dateline", "tweet-source"} & set(attr[1])
                out.append(b if skip else {"t": "Div", "c": [attr, visit(inner)]})
            elif t in ("BulletList", "OrderedList"):
                items = b["c"] if t == "BulletList" else b["c"][1]
                new_items = [visit_item(item) for item in items]
                out.append({"t": t, "c": new_items if t == "BulletList" else [b["c"][0], new_items]})
            elif t == "DefinitionList":
                out.append({"t": t, "c": [[term, [visit_item(d) for d in defs]] for term, defs in b["c"]]})
            else:
                out.append(b)
        return out

    def visit_item(item: list) -> list:
        if item and item[0]["t"] in ("Plain", "Para"):
            first = {"t": item[0]["t"], "c": mark(item[0]["c"])}
            return [first, *visit(item[1:])]
        return visit(item)

    return visit(list(blocks))
