"""The editors' proof: ``blog2book build --profile review`` writes ``<name>-review.pdf``.

The book's own print style, plus:

* « ÉPREUVE » and the build date at the head of every page;
* a wider outer margin for the editor's notes (the text block narrows, the trim does not change);
* each paragraph's number (§ N, counted per page among the paragraphs that start on it, from the
  paragraph anchors of render/paragraphs.py) in the outer margin, so a note can say « p. 42, § 3 »;
* under each post's title, where it comes from: URL (or source file), date, word count;
* with ``--compare OLD.md`` (the md output of an earlier build): a bar in the outer margin beside
  every paragraph whose text is not among the old post's paragraphs (all of a new post's), and a
  first page that lists the posts added and removed.

The outer margin is on the right of a recto and on the left of a verso, and an element cannot know
on which side it will fall: the book is laid out once, the side of each paragraph read from the
layout, then laid out again with numbers and bars on that side (absolutely positioned, they do not
move the text, so the second layout has the same pages as the first).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

from blog2book import lang as lang_mod
from blog2book import pandoc, tree
from blog2book.model import Book, Chapter, Part, Post
from blog2book.render import RenderContext
from blog2book.render.paragraphs import number_paragraphs, paragraph_anchors, paragraph_id
from blog2book.render.printhtml import css_string

# ---------------------------------------------------------------- comparing with an earlier build


def normalise(text: str) -> str:
    """Paragraph text as compared: NFC, every kind of space one space, trimmed."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").split())


def paragraph_text(inlines: list) -> str:
    """The text of a paragraph, its notes included (a corrected note is a change too)."""
    notes: list[str] = []

    def visit(el):
        if el["t"] == "Note":
            notes.append(tree.stringify(el["c"]))
        return None

    tree.walk(list(inlines), visit)
    return normalise(" ".join([tree.stringify(list(inlines)), *notes]))


@dataclass(frozen=True)
class OldPost:
    slug: str
    title: str
    paragraphs: frozenset[str]


def _attrs(attr: list) -> dict[str, str]:
    return {k.removeprefix("data-"): v for k, v in attr[2]}


def read_previous(markdown: str) -> dict[str, OldPost]:
    """slug -> the post as it was, from the md output of an earlier build."""
    doc = pandoc.to_ast(markdown)
    posts: dict[str, OldPost] = {}

    def collect(blocks: list, out: list[str]) -> None:
        for b in blocks:
            t = b["t"]
            if t in ("Para", "Plain"):
                out.append(paragraph_text(b["c"]))
            elif t in ("BlockQuote",):
                collect(b["c"], out)
            elif t == "Div":
                collect(b["c"][1], out)
            elif t == "BulletList":
                for item in b["c"]:
                    collect(item, out)
            elif t == "OrderedList":
                for item in b["c"][1]:
                    collect(item, out)
            elif t == "DefinitionList":
                for term, defs in b["c"]:
                    for d in defs:
                        collect(d, out)

    def visit(blocks: list) -> None:
        for b in blocks:
            if b["t"] != "Div":
                continue
            attr, inner = b["c"]
            if "post" in attr[1]:
                slug = _attrs(attr).get("slug", "")
                title = next((tree.stringify(x["c"][2]) for x in inner if x["t"] == "Header"), slug)
                paras: list[str] = []
                collect([x for x in inner if x["t"] != "Header"], paras)
                posts[slug] = OldPost(slug, normalise(title), frozenset(paras))
            else:
                visit(inner)

    visit(doc["blocks"])
    return posts


@dataclass
class Changes:
    """What changed since the earlier build: paragraph numbers per post, posts added and removed."""

    changed: dict[str, set[int]] = field(default_factory=dict)  # slug -> paragraph numbers
    added: list[Post] = field(default_factory=list)
    removed: list[OldPost] = field(default_factory=list)

    def is_changed(self, slug: str, n: int) -> bool:
        return n in self.changed.get(slug, ())


def compare(book: Book, previous: dict[str, OldPost]) -> Changes:
    changes = Changes()
    slugs = set()
    for post in book.posts():
        slugs.add(post.slug)
        old = previous.get(post.slug)
        if old is None:
            changes.added.append(post)
        numbers: set[int] = set()

        def probe(p, n, inlines, old=old, numbers=numbers):
            if old is None or paragraph_text(inlines) not in old.paragraphs:
                numbers.add(n)
            return []

        number_paragraphs(post, extra=probe)
        if numbers:
            changes.changed[post.slug] = numbers
    changes.removed = [old for slug, old in previous.items() if slug not in slugs]
    return changes


# ---------------------------------------------------------------- the book as the proof shows it

def _source_block(post: Post, ctx: RenderContext, lang: str) -> dict:
    words = lang_mod.strings(lang)
    source = (ctx.sources or {}).get(post.slug)
    url = post.url or getattr(source, "url", None)
    date = post.date or getattr(source, "date", None)
    items: list[list] = []
    if url:
        items.append([tree.Link([tree.Str(url)], url, classes=["url"])])
    path = getattr(source, "path", None) or post.source
    if path is not None:
        items.append([{"t": "Code", "c": [["", [], []], Path(path).name]}])
    if date is not None:
        items.append(tree.text_inlines(lang_mod.format_date(date, lang)))
    count = f"{post.word_count:,}".replace(",", "\u202f" if lang_mod.base_language(lang) == "fr" else ",")
    items.append(tree.text_inlines(f"{count}\u00a0{words['words']}"))
    inlines: list = [tree.Span("", ["review-label"], [tree.Str(words["source"] + words["colon"])]), tree.Space()]
    for i, item in enumerate(items):
        if i:
            inlines += [tree.Str("\u00a0·"), tree.Space()]
        inlines += item
    return tree.Div("", ["review-source"], [tree.Plain(inlines)])


Positions = dict[str, tuple[str, int]]  # paragraph anchor -> (side of its page, number on its page)


def changed_wrapper(changes: Changes | None, sides: Positions):
    """The ``post_wrap`` hook of print_html: a changed paragraph goes in a ``div.changed`` on the
    outer side of its page (the bar in the margin spans all its lines, across pages)."""

    def wrap(post: Post, n: int, para: dict) -> dict:
        if changes is None or not changes.is_changed(post.slug, n):
            return para
        side = sides.get(paragraph_id(post, n), ("recto", n))[0]
        return tree.Div("", ["changed", side], [para])

    return wrap


def proof_book(book: Book, ctx: RenderContext) -> Book:
    """The book with each post's source under its title."""

    def post_for_proof(post: Post) -> Post:
        blocks = list(post.blocks)
        at = 0
        for i, b in enumerate(blocks[:3]):
            if b["t"] == "Header" or (b["t"] == "Div" and "dateline" in b["c"][0][1]):
                at = i + 1
        blocks.insert(at, _source_block(post, ctx, book.meta.lang))
        return replace(post, blocks=tuple(blocks))

    def chapter(ch: Chapter) -> Chapter:
        return replace(ch, posts=tuple(post_for_proof(p) for p in ch.posts))

    divisions = tuple(
        replace(d, chapters=tuple(chapter(c) for c in d.chapters)) if isinstance(d, Part) else chapter(d)
        for d in book.divisions
    )
    return replace(book, divisions=divisions)


def paragraph_marker(changes: Changes | None, sides: Positions, lang: str):
    """The ``post_extra`` hook of print_html: the § number (and « modifié ») in the outer margin."""
    words = lang_mod.strings(lang)

    def extra(post: Post, n: int, inlines: list) -> list:
        # numbered per page, as the layout of the previous pass placed them: « p. 42, § 3 »
        side, number = sides.get(paragraph_id(post, n), ("recto", n))
        changed = changes is not None and changes.is_changed(post.slug, n)
        content: list = [tree.Str(f"§\u00a0{number}")]
        if changed:
            content += [{"t": "LineBreak"}, tree.Span("", ["pnum-changed"], [tree.Str(words["changed"])])]
        classes = ["pnum", side] + (["changed"] if changed else [])
        return [tree.Span("", classes, content)]

    return extra


# ---------------------------------------------------------------- generated page and CSS


def summary_html(book: Book, ctx: RenderContext, changes: Changes) -> str:
    """The first page of a compared proof: the posts added and removed."""
    words = lang_mod.strings(book.meta.lang)
    proof = f"{words['proof']} \u2014 {lang_mod.format_date(ctx.build_date or dt.date.today(), book.meta.lang)}"
    out = [f'<section class="review-summary"><p class="review-summary-proof">{escape(proof)}</p>']
    if ctx.compare is not None:
        out.append(f'<p class="review-summary-compare"><code>{escape(Path(ctx.compare).name)}</code></p>')
    for key, items in (("added_posts", [(p.title, p.slug) for p in changes.added]),
                       ("removed_posts", [(o.title, o.slug) for o in changes.removed])):
        out.append(f'<h2 class="review-summary-title">{escape(words[key])} ({len(items)})</h2>')
        if items:
            out.append('<ul class="review-summary-list">')
            out += [f'<li><span class="review-post-title">{escape(t)}</span> <code>{escape(s)}</code></li>' for t, s in items]
            out.append("</ul>")
        else:
            out.append('<p class="review-summary-none">\u2014</p>')
    out.append("</section>")
    return "".join(out)


def review_css(book: Book, ctx: RenderContext) -> str:
    words = lang_mod.strings(book.meta.lang)
    date = lang_mod.format_date(ctx.build_date or dt.date.today(), book.meta.lang)
    mark = css_string(f"{words['proof']}\n{date}")
    stamp = ("font-size: 7pt; line-height: 1.3; letter-spacing: 0.1em; color: #b3261e; white-space: pre; "
             "font-style: normal; vertical-align: bottom; padding-bottom: 3mm; text-align: center;")
    return f"""
/* review profile (generated by blog2book.render.review) */
@page :right {{ @top-right-corner {{ content: {mark}; }} }}
@page :left {{ @top-left-corner {{ content: {mark}; }} }}
@page {{ @top-right-corner {{ {stamp} }} @top-left-corner {{ {stamp} }} }}
@page :right {{ margin-left: 15mm; margin-right: 34mm; }}
@page :left {{ margin-left: 34mm; margin-right: 15mm; }}
section.post {{ position: relative; }}
.pnum {{ position: absolute; width: 22mm; font-size: 6.5pt; line-height: 1.2; font-style: normal;
  font-weight: 400; text-indent: 0; letter-spacing: 0; color: #555; text-transform: none; }}
.pnum.recto {{ right: -26mm; text-align: left; }}
.pnum.verso {{ left: -26mm; text-align: right; }}
.pnum.changed {{ color: #b3261e; font-weight: 700; }}
.pnum-changed {{ font-weight: 400; font-style: italic; }}
div.changed.recto {{ border-right: 1.8pt solid #b3261e; padding-right: 2.5mm; margin-right: calc(-2.5mm - 1.8pt); }}
div.changed.verso {{ border-left: 1.8pt solid #b3261e; padding-left: 2.5mm; margin-left: calc(-2.5mm - 1.8pt); }}
.review-source {{ font-size: 7.5pt; line-height: 1.3; margin: 0 0 5mm; color: #333; text-align: left;
  hyphens: manual; break-before: avoid; }}
.dateline p {{ margin-bottom: 1mm; }}
h3.post-title {{ break-after: avoid; }}
.dateline {{ break-after: avoid; }}
.review-source + p, .review-source + div.changed > p, .dateline + div.changed > p {{ text-indent: 0; }}
.review-label {{ font-variant: small-caps; letter-spacing: 0.05em; }}
.review-source code, .review-summary code {{ font-size: 0.95em; }}
.review-summary {{ page: front; break-after: page; }}
.review-summary p {{ text-indent: 0; text-align: left; }}
.review-summary-proof {{ font-size: 13pt; letter-spacing: 0.12em; color: #b3261e; margin-top: 10mm; }}
h2.review-summary-title {{ font-size: 12pt; margin: 8mm 0 3mm; bookmark-level: 1; }}
.review-summary-list {{ margin-left: 1.2em; }}
.review-summary-list li {{ text-align: left; margin-bottom: 1.5mm; }}
"""


# ---------------------------------------------------------------- rendering


def sides_of(document, book: Book) -> Positions:
    """Paragraph anchor -> (side of the page it starts on, its number among the paragraphs that
    start on that page, in reading order)."""
    from blog2book.render.layout import page_anchors

    post_ids = {p.id for p in book.posts()}
    positions: Positions = {}
    for number, anchors in enumerate(page_anchors(document), start=1):
        on_page = 0
        for anchor in paragraph_anchors(anchors, post_ids):
            if anchor not in positions:
                on_page += 1
                positions[anchor] = ("recto" if number % 2 else "verso", on_page)
    return positions


def render_review(book: Book, ctx: RenderContext):
    """The proof PDF, its page map and diagnostics (files the PDF engine was refused)."""
    from blog2book.diagnostics import Location, warning
    from blog2book.render.layout import page_anchors, single_flow
    from blog2book.render.pdf import PageMap

    changes = None
    if ctx.compare is not None:
        previous = read_previous(Path(ctx.compare).read_text("utf-8"))
        changes = compare(book, previous)
    css = review_css(book, ctx)
    prefix = summary_html(book, ctx, changes) if changes is not None else ""

    def add_summary(html: str) -> str:
        return html.replace("<body>\n", "<body>\n" + prefix, 1) if prefix else html

    proof = proof_book(book, ctx)
    sides: Positions = {}
    for _ in range(3):
        marker, wrapper = paragraph_marker(changes, sides, book.meta.lang), changed_wrapper(changes, sides)
        document, fetcher, _html = single_flow(proof, ctx, css, marker, html_filter=add_summary, post_wrap=wrapper)
        found = sides_of(document, book)
        if found == sides:
            break
        sides = found
    out = io.BytesIO()
    document.write_pdf(out, pdf_tags=False)
    diagnostics = [
        warning("pdf.fetch-refused", f"the style asked the PDF engine for {url}, which it may not read", Location(book.style), "styles may use their own files and fontpkg: fonts only")
        for url in dict.fromkeys(fetcher.refused)
    ]
    return out.getvalue(), PageMap(page_anchors(document)), diagnostics
