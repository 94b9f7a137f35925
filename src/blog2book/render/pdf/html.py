"""Book -> one HTML document for print (WeasyPrint).

Generated pages (half-title, title page, copyright page, table of contents) are HTML written here;
the book's text goes through pandoc (AST -> HTML5) in one call. Notes and web links become CSS
footnotes (``float: footnote``) or per-chapter endnotes; cross-references keep their ``#id`` so
``target-counter()`` prints the page where the target really is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from blog2book import lang as lang_mod
from blog2book import html5, tree
from blog2book.model import Book, Part
from blog2book.styles import openers
from blog2book.render import RenderContext
from blog2book.render.shared.nohyphen import protect_words
from blog2book.render.shared.openers import CAPACITY, chapter_opener, display_html, one_line, part_opener, title_page_html
from blog2book.render.pdf.codelines import wrapped_code
from blog2book.render.shared.matter import copyright_lines, toc_html
from blog2book.render.shared.paragraphs import number_blocks, number_paragraphs
from blog2book.render.pdf.xreftext import prepare_xrefs, xref_css


def css_string(text: str) -> str:
    """A CSS string literal with every non-ASCII character escaped."""
    out = []
    for ch in text:
        if ch in '"\\' or ord(ch) > 126 or ord(ch) < 32:
            out.append(f"\\{ord(ch):06x} ")  # the space ends the escape (CSS eats it), so a real one survives
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def generated_css(book: Book) -> str:
    """The part of the stylesheet that depends on the book: words in its language, trim size."""
    css = [
        xref_css(book.meta.lang, css_string),
        ".fn { footnote-policy: line; }",  # a note that cannot fit takes its call's line to the next page
        ".printed-only { display: none; }",  # « Imprimé au Canada »: shown by the print profiles' CSS alone
        f":root {{ string-set: booktitle {css_string(one_line(book.meta.title))}; }}",
    ]
    if book.meta.trim:
        css.append(f"@page {{ size: {book.meta.trim}; }}")
    if openers(book.style) == "any":  # the style opens on the next page, recto or verso: no blank versos
        css.append("nav.toc, .matter.front, .part, .chapter, .matter.back { break-before: page; }")
    return "\n".join(css)


# ---------------------------------------------------------------- notes and links

def _inlines_of(blocks: list) -> list:
    out: list = []
    for b in blocks:
        if b["t"] in ("Para", "Plain"):
            if out:
                out.append(tree.Space())
            out.extend(b["c"])
        elif b["t"] == "Div":
            out.extend(_inlines_of(b["c"][1]))
        else:
            text = tree.stringify(b)
            if text:
                if out:
                    out.append(tree.Space())
                out.extend(tree.text_inlines(text))
    return out


def _is_note_link(el: dict) -> bool:
    classes = el["c"][0][1]
    return "external" in classes and "bare" not in classes


def _url_link(url: str) -> dict:
    return tree.Link([tree.Str(url)], url, classes=["url"])


def notes_for_print(blocks: list, policy: str, chapter_id: str, title: str = "Notes") -> tuple[list, list]:
    """Author notes and web links -> footnote spans, or endnote calls plus the chapter's note list."""
    endnotes: list[list] = []

    def note(content: list) -> list:
        if policy == "endnote":
            endnotes.append(content)
            n = len(endnotes)
            call = tree.Link([tree.Str(str(n))], f"#{chapter_id}-note-{n}", ident=f"{chapter_id}-call-{n}", classes=["endnote-call"])
            return [{"t": "Superscript", "c": [call]}]
        return [tree.Span("", ["fn"], content)]

    def inside_note(el):  # links inside a note: the URL goes in parentheses, no note in a note
        if el["t"] == "Link" and _is_note_link(el):
            url = el["c"][2][0]
            return [el, tree.Str(" ("), _url_link(url), tree.Str(")")]
        return None

    def visit(node):
        # copy on change: the parts of the book without notes or note links are shared, not copied
        if isinstance(node, list):
            out = None
            for i, item in enumerate(node):
                if type(item) is dict and item.get("t") in tree.CHILDLESS:  # a word or a space (most of a text)
                    if out is not None:
                        out.append(item)
                    continue
                res = visit(item)
                spread = isinstance(item, dict) and "t" in item and isinstance(res, list)
                if out is None:
                    if res is item:
                        continue
                    out = list(node[:i])
                if spread:
                    out.extend(res)
                else:
                    out.append(res)
            return node if out is None else out
        if not isinstance(node, dict) or "t" not in node:
            return node
        if node["t"] == "Note":
            return note(tree.walk(_inlines_of(node["c"]), inside_note))
        if node["t"] == "Link" and _is_note_link(node):
            url = node["c"][2][0]
            if policy == "inline":
                return [node, tree.Str(" ("), _url_link(url), tree.Str(")")]
            return [node, *note([_url_link(url)])]
        return tree.map_values(node, visit)

    blocks = visit(blocks)
    tail: list = []
    if endnotes:
        items = []
        for n, content in enumerate(endnotes, start=1):
            back = tree.Link([tree.Str("\u2191")], f"#{chapter_id}-call-{n}", classes=["endnote-back"])  # ↩ is in none of the faces (a machine font would set it)
            items.append([tree.Para([tree.Span(f"{chapter_id}-note-{n}", [], []), *content, tree.Space(), back])])
        heading = tree.Para([tree.Span("", ["endnotes-title"], tree.text_inlines(title))])
        tail = [tree.Div("", ["endnotes"], [heading, {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], items]}])]
    return blocks, tail


# ---------------------------------------------------------------- generated pages

def _title_pages(book: Book) -> str:
    half = f'<section class="half-title" id="half-title"><p class="book-title">{display_html(book.meta.title, CAPACITY["half"])}</p></section>'
    title = f'<section class="title-page" id="title-page">{title_page_html(book)}</section>'
    lines = copyright_lines(book)
    copyright_page = '<section class="copyright-page" id="copyright-page">' + "".join(f"<p>{line}</p>" for line in lines) + "</section>"
    return half + title + copyright_page


# ---------------------------------------------------------------- the document

@dataclass(frozen=True)
class Segment:
    """A run of the printed book that starts on a new page: where the layout may cut it in pieces."""

    kind: str  # front | part | chapter | back
    blocks: tuple
    words: int = 0


def segments(book: Book, ctx: RenderContext, post_extra=None, post_wrap=None) -> list[Segment]:
    """The printed book's text as AST blocks, with raw HTML for the generated pages, in segments
    that each start on a recto (front matter, part openers, chapters, back matter)."""
    words = lang_mod.strings(book.meta.lang)
    front: list = [tree.RawBlock("html", _title_pages(book))]
    if book.copyright is not None:  # the page from the manuscript's copyright file or the default (copyright.py)
        half, title = front[0]["c"][1].split("</section>", 2)[:2]
        front = [tree.RawBlock("html", half + "</section>")]
        if book.also_by is not None:
            header = tree.Header(1, book.also_by.id, tree.text_inlines(book.also_by.title), classes=["also-by-title"])
            front.append(tree.Div("", ["also-by"], [header, *book.also_by.blocks]))
        front.append(tree.RawBlock("html", title + "</section>"))
        front.append(tree.Div("copyright-page", ["copyright-page"], list(book.copyright.blocks)))

    def matter_div(matter, side):
        hidden = ["visually-hidden"] if matter.kind == "dedication" else []  # a dedication shows no title
        header = tree.Header(1, matter.id, tree.text_inlines(matter.title), classes=["matter-title", *hidden])
        # paragraph anchors: the EPUB's page list finds front and back matter pages by them
        content, tail = notes_for_print(protect_words(number_blocks(list(matter.blocks), matter.id)), ctx.links, matter.id, words["notes"])
        return tree.Div("", ["matter", side, matter.kind], [header, *content, *tail])

    for matter in book.front:
        if matter.kind == "dedication":
            front.append(matter_div(matter, "front"))
    front.append(tree.RawBlock("html", toc_html(book)))
    for matter in book.front:
        if matter.kind != "dedication":
            front.append(matter_div(matter, "front"))
    out = [Segment("front", tuple(prepare_xrefs(front, book.meta.lang, "xref-front")))]
    for div in book.divisions:
        chapters = div.chapters if isinstance(div, Part) else (div,)
        if isinstance(div, Part):
            out.append(Segment("part", (tree.Div("", ["part"], part_opener(div, book.meta.lang)),)))
        for ch in chapters:
            inner = chapter_opener(ch, book.meta.lang, 2)
            for post in ch.posts:
                post_blocks = wrapped_code(protect_words(number_paragraphs(post, extra=post_extra, wrap=post_wrap)))
                inner.append(tree.Div("", ["post"], post_blocks, attrs=[["data-slug", post.slug]]))
            inner, tail = notes_for_print(inner, ctx.links, ch.id, words["notes"])
            several = ["several-posts"] if len(ch.posts) > 1 else []  # the recto head names the post
            chapter = [tree.Div("", ["chapter", *several], inner + tail)]  # the posts' words, shared since the transform
            out.append(Segment("chapter", tuple(prepare_xrefs(chapter, book.meta.lang, f"xref-{ch.id}")), sum(p.word_count for p in ch.posts)))
    for matter in book.back:
        out.append(Segment("back", tuple(prepare_xrefs([matter_div(matter, "back")], book.meta.lang, f"xref-{matter.id}"))))
    return out


def body_blocks(book: Book, ctx: RenderContext, post_extra=None, post_wrap=None) -> list:
    """The whole printed book as one list of AST blocks."""
    return [b for seg in segments(book, ctx, post_extra, post_wrap) for b in seg.blocks]


def document_head(book: Book, stylesheets: list[str], extra_css: str = "") -> str:
    """The print document up to ``<body>``: metadata, the style's sheets, the generated CSS."""
    links = "".join(f'<link rel="stylesheet" href="{escape(href)}">' for href in stylesheets)
    authors = ", ".join(book.meta.author)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(book.meta.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(one_line(book.meta.title))}</title>"
        f'<meta name="author" content="{escape(authors)}">'
        + (f'<meta name="description" content="{escape(book.meta.description)}">' if book.meta.description else "")
        + (f'<meta name="keywords" content="{escape(", ".join(book.meta.subjects))}">' if book.meta.subjects else "")
        + '<meta name="generator" content="blog2book">'
        + links
        + f"<style>{generated_css(book)}\n{extra_css}</style></head>\n"
    )


def print_html(book: Book, ctx: RenderContext, stylesheets: list[str], extra_css: str = "", post_extra=None, post_wrap=None) -> str:
    """The whole book as one HTML document (the single-flow layout of the review proof)."""
    body = html5.fragment(body_blocks(book, ctx, post_extra, post_wrap))
    return document_head(book, stylesheets, extra_css) + f"<body>\n{body}\n</body></html>\n"


_EMPTY_ANCHOR = re.compile(r'<(p|li|dd)>(\s*)<span id="([^"]+)" class="para-anchor"></span>')


def anchor_paragraphs(html: str) -> str:
    """Each paragraph's anchor on the paragraph itself (``<p id="…" class="para-anchor">``), not on
    an empty span opening it (render/shared/paragraphs.py: the EPUB and the web edition keep the
    span). WeasyPrint lays a line that opens with an empty inline box out much more slowly: on the
    60-post bench corpus, the layout of every piece took 15.0 s of CPU with the spans and 10.5 s
    without; the pages, their anchors and the paragraphs' bands are the same."""
    return _EMPTY_ANCHOR.sub(r'<\1 id="\3" class="para-anchor">\2', html)
