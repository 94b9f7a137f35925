"""Book -> one normalised Pandoc Markdown file with a metadata block: what an editor reads and diffs.

The file is written chapter by chapter (one pandoc call each, side by side, kept by the hash of the
chapter's blocks), so the whole archive never sits in one pandoc process.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from blog2book import pandoc, tree
from blog2book.model import Book, Part
from blog2book.render import RenderContext, Rendered
from blog2book.infra.cache import cached_text, key_of

_NOTE_LABEL = re.compile(r"\[\^(\d+)\]")


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


def book_chunks(book: Book) -> list[list]:
    """The whole book as AST blocks in chunks (a matter file, a chapter with its part's title):
    parts, chapters and posts as fenced divs with stable ids."""
    out: list[list] = []
    for matter in book.front:
        out.append([tree.Div(matter.id, ["matter", matter.kind], [tree.Header(1, "", tree.text_inlines(matter.title.replace("\n", " "))), *matter.blocks])])
    for div in book.divisions:
        chapters = div.chapters if isinstance(div, Part) else (div,)
        chunk: list = []
        if isinstance(div, Part):
            chunk.append(tree.Header(1, div.id, tree.text_inlines(div.title.replace("\n", " ")), classes=["part-title"]))
        for ch in chapters:
            inner: list = [tree.Header(2, ch.id, tree.text_inlines(ch.title.replace("\n", " ")), classes=["chapter-title"])]
            for post in ch.posts:
                inner.append(tree.Div("", ["post"], list(post.blocks), attrs=[["data-slug", post.slug]] + ([["data-url", post.url]] if post.url else [])))
            chunk.append(tree.Div("", ["chapter"], inner))
            out.append(chunk)
            chunk = []
    for matter in book.back:
        out.append([tree.Div(matter.id, ["matter", matter.kind], [tree.Header(1, "", tree.text_inlines(matter.title.replace("\n", " "))), *matter.blocks])])
    return out


def _chunk_markdown(blocks: list, n: int, folder: Path | None) -> str:
    """One chunk as Markdown; its note labels are made unique in the book (``[^3-1]``)."""

    def produce() -> str:
        md = pandoc.from_ast(pandoc.document(blocks), pandoc.WRITE_MARKDOWN, "--wrap=none").strip()
        return _NOTE_LABEL.sub(lambda m: f"[^{n}-{m.group(1)}]", md)

    return cached_text(folder, key_of("md", n, blocks), produce)


class MarkdownBackend:
    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        header = pandoc.from_ast(pandoc.document([], book_metadata(book)), pandoc.WRITE_MARKDOWN, "--standalone", "--wrap=none").strip()
        folder = ctx.cache_dir / "md" if ctx.cache_dir else None
        chunks = book_chunks(book)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            parts = []
            for n, part in enumerate(pool.map(lambda item: _chunk_markdown(item[1], item[0], folder), enumerate(chunks, start=1)), start=1):
                parts.append(part)
                if ctx.steps and len(chunks) >= 20:
                    ctx.steps(n, len(chunks), "chapters")
        return Rendered(("\n\n".join([header, *parts]) + "\n").encode("utf-8"))
