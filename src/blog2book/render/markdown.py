"""Book -> one normalised Pandoc Markdown file with a metadata block: what an editor reads and diffs."""

from __future__ import annotations

from blog2book import pandoc, tree
from blog2book.model import Book, Part
from blog2book.render import RenderContext


def _meta_str(text: str) -> dict:
    return {"t": "MetaInlines", "c": tree.text_inlines(text.replace("\n", " "))}


def book_metadata(book: Book) -> dict:
    m = book.meta
    meta = {
        "title": _meta_str(m.title),
        "author": {"t": "MetaList", "c": [_meta_str(a) for a in m.author]},
        "lang": _meta_str(m.lang),
        "identifier": _meta_str(m.identifier),
    }
    if m.subtitle:
        meta["subtitle"] = _meta_str(m.subtitle)
    if m.publisher:
        meta["publisher"] = _meta_str(m.publisher)
    if m.date:
        meta["date"] = _meta_str(m.date.isoformat())
    if m.description:
        meta["description"] = _meta_str(m.description)
    return meta


def book_blocks(book: Book) -> list:
    """The whole book as AST blocks: parts, chapters and posts as fenced divs with stable ids."""
    out: list = []
    for matter in book.front:
        out.append(tree.Div(matter.id, ["matter", matter.kind], [tree.Header(1, "", tree.text_inlines(matter.title.replace("\n", " "))), *matter.blocks]))
    for div in book.divisions:
        chapters = div.chapters if isinstance(div, Part) else (div,)
        if isinstance(div, Part):
            out.append(tree.Header(1, div.id, tree.text_inlines(div.title.replace("\n", " ")), classes=["part-title"]))
        for ch in chapters:
            inner: list = [tree.Header(2, ch.id, tree.text_inlines(ch.title.replace("\n", " ")), classes=["chapter-title"])]
            for post in ch.posts:
                inner.append(tree.Div("", ["post"], list(post.blocks), attrs=[["data-slug", post.slug]] + ([["data-url", post.url]] if post.url else [])))
            out.append(tree.Div("", ["chapter"], inner))
    for matter in book.back:
        out.append(tree.Div(matter.id, ["matter", matter.kind], [tree.Header(1, "", tree.text_inlines(matter.title.replace("\n", " "))), *matter.blocks]))
    return out


class MarkdownBackend:
    name = "md"
    suffix = ".md"

    def render(self, book: Book, ctx: RenderContext) -> bytes:
        doc = pandoc.document(book_blocks(book), book_metadata(book))
        text = pandoc.from_ast(doc, pandoc.WRITE_MARKDOWN, "--standalone", "--wrap=none")
        return text.encode("utf-8")
