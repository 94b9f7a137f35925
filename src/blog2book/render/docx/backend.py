"""Book -> the editors' manuscript, a DOCX written by pandoc: the book's title, its parts, chapters and
posts in the manuscript's order, the posts' notes as Word footnotes, images as their description.

Each paragraph of a post opens with a hidden bookmark ``b2b_<post>_<line>_<k>``: the post's number in
the file list the document carries (a custom property, ``FILES_PROPERTY``: the posts' paths relative to
the project), the line of the post where the paragraph starts, and a counter that keeps names unique.
Headings outside the posts (parts, chapters, matter) carry ``b2b_0_0_<k>``: what follows is no post's.
Bookmarks and custom properties are what Word and LibreOffice keep when they save a document (a
hidden paragraph or a field code may be dropped or edited); a name of letters, digits and ``_`` of at
most 40 characters is a valid Word bookmark name.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from blog2book import pandoc, tree
from blog2book.model import Book, Part, Post
from blog2book.render import RenderContext, Rendered
from blog2book.render.docx.reference import reference_docx
from blog2book.render.shared.paragraphs import number_paragraphs, paragraph_id
from blog2book.render.shared.sourcelines import paragraph_sources
from blog2book.roundtrip.docxmarks import BUILD_PROPERTY, FILES_PROPERTY, bookmark_name


class _Names:
    def __init__(self):
        self.count = 0

    def span(self, post: int, line: int) -> dict:
        self.count += 1
        return tree.Span(bookmark_name(post, line, self.count), [], [])


def _plain(inlines: list) -> list:
    """Images as their description in brackets (an editor reads the text), raw HTML dropped."""

    def fix(el: dict):
        if el["t"] == "Image":
            alt = tree.stringify(el["c"][1]).strip()
            return tree.Span("", ["image"], [tree.Str(f"[{alt or 'image'}]")])
        if el["t"] in ("RawInline", "RawBlock"):
            return []
        if el["t"] == "Span" and "para-anchor" in el["c"][0][1]:
            return []
        return None

    return tree.rewrite(inlines, fix, only=frozenset({"Image", "RawInline", "RawBlock", "Span"}))


def _post_blocks(post: Post, index: int, paragraphs: dict, names: _Names) -> list:
    first = paragraphs.get(paragraph_id(post, 1))
    default = first.line if first else 1

    def extra(p, n, inlines):
        para = paragraphs.get(paragraph_id(p, n))
        return [names.span(index, para.line if para else default)] if index else []

    blocks = number_paragraphs(post, extra=extra)

    def head(el: dict):
        if el["t"] == "Header" and index:
            level, attr, inlines = el["c"]
            return {"t": "Header", "c": [level, attr, [names.span(index, default), *inlines]]}
        return None

    return _plain(tree.rewrite(blocks, head, only=frozenset({"Header"})))


def _outside(level: int, title: str, names: _Names, classes=()) -> dict:
    return tree.Header(level, "", [names.span(0, 0), *tree.text_inlines(title.replace("\n", " "))], classes=list(classes))


def document(book: Book) -> tuple[str, str]:
    """The pandoc document of the manuscript (its JSON text) and its build id (a hash of its content)."""
    files, paragraphs = paragraph_sources(book)
    root = Path(book.project_root or ".").resolve()
    numbers: dict[str, int] = {}
    for post in book.posts():
        try:
            name = Path(post.source).resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        if name in files:
            numbers[post.id] = files.index(name) + 1
    names = _Names()
    blocks: list = []
    for matter in book.front:
        if matter.source is not None:
            blocks += [_outside(1, matter.title, names), *_plain(list(matter.blocks))]
    for div in book.divisions:
        chapters = div.chapters if isinstance(div, Part) else (div,)
        if isinstance(div, Part):
            blocks.append(_outside(1, div.title, names))
        for ch in chapters:
            blocks.append(_outside(2, ch.title, names))
            for post in ch.posts:
                blocks += _post_blocks(post, numbers.get(post.id, 0), paragraphs, names)
    for matter in book.back:
        if matter.source is not None:
            blocks += [_outside(1, matter.title, names), *_plain(list(matter.blocks))]
    body = json.dumps(blocks, ensure_ascii=False)  # once: a long book's JSON is tens of MB
    build = hashlib.sha256(json.dumps(files, ensure_ascii=False).encode() + body.encode()).hexdigest()[:8]
    m = book.meta
    meta = {
        "title": {"t": "MetaInlines", "c": tree.text_inlines(m.title.replace("\n", " "))},
        "author": {"t": "MetaList", "c": [{"t": "MetaInlines", "c": tree.text_inlines(a)} for a in m.author]},
        "lang": {"t": "MetaString", "c": m.lang},
        BUILD_PROPERTY: {"t": "MetaString", "c": build},
        FILES_PROPERTY: {"t": "MetaString", "c": json.dumps(list(files), ensure_ascii=False)},
    }
    if m.subtitle:
        meta["subtitle"] = {"t": "MetaInlines", "c": tree.text_inlines(m.subtitle)}
    return f'{{"pandoc-api-version": {json.dumps(pandoc.api_version())}, "meta": {json.dumps(meta, ensure_ascii=False)}, "blocks": {body}}}', build


class DocxBackend:
    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        import os
        import tempfile

        doc, build = document(book)
        with tempfile.TemporaryDirectory(prefix="blog2book-docx-") as tmp:
            ref = os.path.join(tmp, "reference.docx")
            with open(ref, "wb") as f:
                f.write(reference_docx(book.meta.lang))
            data = pandoc.run_bytes(["-f", "json", "-t", "docx", "--reference-doc", ref, "-o", "-"], doc)
        count = sum(1 for _ in book.posts())
        return Rendered(data, summary=f"{count} posts, build {build}")
