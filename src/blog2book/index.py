"""The book's index: terms found in the text, anchors at each occurrence, an « Index » in the back matter.

Terms come from the manuscript (``index: {terms: [...], from_tags: true, see: {...}}``) and from
marks in the posts (``[Twitter]{.index}``, ``[Obama]{.index term="Obama, Barack"}``, a sub-entry
after ``!``: ``term="Twitter!politique"``). ``add_index`` puts an empty anchor span
``<post-id>__ix<N>`` before each occurrence (numbered per post, so one post's edit renames none of
another's) and adds the index to the back matter. The entries' text depends on where the anchors
land, so it is made by pure functions of a mapping ``anchor -> page``:

- ``index_blocks(index, page_of, lang)`` (AST) / ``index_html(...)`` (HTML): page numbers with
  ranges (« 12–14 ») linked to the first occurrence, or, for an anchor without a page (an EPUB or
  web edition built without the PDF), the chapter (« chap. 3 »).
- ``with_pages(book, page_of)``: the book with its index matter rebuilt; a layout engine lays the
  book out once, reads every anchor's page, and lays it out again with this.

Sorting follows French practice (``collation.sort_key``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from blog2book import lang as lang_mod
from blog2book import html5, tree
from blog2book.collation import sort_key
from blog2book.indexterms import Term, index_terms, person, split_term
from blog2book.diagnostics import Diagnostic, Location, warning
from blog2book.manifest import IndexSpec
from blog2book.model import Book, Chapter, Matter, Part, Post

INDEX_MATTER_ID = "back-index"


@dataclass(frozen=True)
class Entry:
    term: str  # as shown
    sub: str | None = None  # a sub-entry of ``term``
    anchors: tuple[str, ...] = ()  # occurrences, in book order
    see: tuple[str, ...] = ()  # « voir » / « voir aussi »
    kind: str = ""  # "person" (filed by surname: « Gladwell, Malcolm ») or "title" (a work, in italics)
    subjects: tuple[tuple[str, str], ...] = ()  # (start, end anchor) of each post about it (tagged with it)


@dataclass(frozen=True)
class BookIndex:
    entries: tuple[Entry, ...]  # sorted: each term followed by its sub-entries
    chapter_of: Mapping[str, int]  # anchor -> chapter number (locators when there are no pages)


# ---------------------------------------------------------------- sorting

def group_letter(text: str, lang: str) -> str:
    first = sort_key(text, lang)[0][:1]
    return first.upper() if first.isalpha() else "0–9"


# ---------------------------------------------------------------- placing anchors

class _Marker:
    """Walks one post, placing an anchor before each term's first occurrence in each paragraph."""

    def __init__(self, post: Post, terms: list[Term], found: dict[tuple[str, str | None], list[str]], kinds: dict[str, str]):
        self.post, self.terms, self.found, self.kinds = post, terms, found, kinds
        self.count = 0
        self.marks_without_term = 0

    def anchor(self, key: tuple[str, str | None]) -> dict:
        self.count += 1
        ident = f"{self.post.id}__ix{self.count}"
        self.found.setdefault(key, []).append(ident)
        return tree.Span(ident, ["index-anchor"], [])

    def blocks(self, blocks: list) -> list:
        out = []
        for b in blocks:
            t = b["t"]
            if t in ("Para", "Plain"):
                text = tree.stringify(b)
                seen: set = set()
                out.append({"t": t, "c": self.inlines(b["c"], seen, text)})
            elif t == "BlockQuote":
                out.append({"t": t, "c": self.blocks(b["c"])})
            elif t == "Div":
                attr, inner = b["c"]
                out.append(b if "dateline" in attr[1] else {"t": "Div", "c": [attr, self.blocks(inner)]})
            elif t == "BulletList":
                out.append({"t": t, "c": [self.blocks(item) for item in b["c"]]})
            elif t == "OrderedList":
                out.append({"t": t, "c": [b["c"][0], [self.blocks(item) for item in b["c"][1]]]})
            elif t == "DefinitionList":
                out.append({"t": t, "c": [[term, [self.blocks(d) for d in defs]] for term, defs in b["c"]]})
            else:
                out.append(b)  # headings, code, tables, raw blocks: not indexed
        return out

    def inlines(self, inlines: list, seen: set, para_text: str) -> list:
        out: list = []
        for el in inlines:
            t = el["t"]
            if t == "Span" and "index" in el["c"][0][1]:
                attrs, classes = dict(el["c"][0][2]), el["c"][0][1]
                term = attrs.get("term") or tree.stringify(el["c"][1])
                head, sub = split_term(term)
                if "person" in classes and head:  # [Malcolm Gladwell]{.index .person}: filed by surname
                    head = person(head)[0]
                    self.kinds[head] = "person"
                elif "title" in classes and head:  # [Les médias sociaux 101]{.index .title}: in italics
                    self.kinds[head] = "title"
                if not head:
                    self.marks_without_term += 1
                    out.extend(self.inlines(el["c"][1], seen, para_text))
                    continue
                out.extend(self.inlines(el["c"][1], seen, para_text))
                out.append(self.anchor((head, sub)))  # after the words: on their line, whatever the break before them
                continue
            if t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
                el = {"t": t, "c": self.inlines(el["c"], seen, para_text)}
            elif t in ("Span", "Quoted", "Link"):
                c = list(el["c"])
                c[1] = self.inlines(c[1], seen, para_text)
                el = {"t": t, "c": c}
            elif t == "Note":
                el = {"t": "Note", "c": self.blocks(el["c"])}
            out.append(el)
        return self._match(out, seen, para_text)

    def _match(self, inlines: list, seen: set, para_text: str) -> list:
        """Anchors after the Str where each term starts (runs of Str and spaces are searched): an
        anchor before the word went with the space before it to the end of the line above, the page
        before when the line ended a page (the print's glued spaces, ``layout.glue_spaces``)."""
        starts: list[tuple[int, int]] = []  # (offset in text, index in inlines)
        text = ""
        for i, el in enumerate(inlines):
            if el["t"] == "Str":
                starts.append((len(text), i))
                text += el["c"]
            elif el["t"] in ("Space", "SoftBreak"):
                text += " "
            else:
                text += "\u0000"  # a run ends here
        after: dict[int, list] = {}
        for term in self.terms:
            key = (term.head, term.sub)
            if term.pattern is None or key in seen:
                continue
            if term.need is not None and not term.need.search(para_text):
                continue
            m = term.pattern.search(text)
            if not m:
                continue
            index = max(i for off, i in starts if off <= m.start()) if starts and starts[0][0] <= m.start() else None
            if index is None:
                continue
            seen.add(key)
            after.setdefault(index, []).append(self.anchor(key))
        if not after:
            return inlines
        out = []
        for i, el in enumerate(inlines):
            out.append(el)
            out.extend(after.get(i, []))
        return out


def add_index(book: Book, spec: IndexSpec, sources: Mapping[str, Any] | None = None) -> tuple[Book, list[Diagnostic]]:
    """The book with anchors at every occurrence and its index as the last back matter."""
    diags: list[Diagnostic] = []
    terms = index_terms(spec, book)
    subject_tags = {t.tag for t in terms if t.tag}
    found: dict[tuple[str, str | None], list[str]] = {}
    kinds = {t.head: t.kind for t in terms if t.kind}
    chapter_of: dict[str, int] = {}
    new_posts: dict[str, Post] = {}
    tagged: dict[str, list[Post]] = {}
    for ch in book.chapters():
        for post in ch.posts:
            marker = _Marker(post, terms, found, kinds)
            blocks = marker.blocks(list(post.blocks))
            if any(tag.strip().casefold() in subject_tags for tag in post.tags):
                blocks = _with_end(blocks, f"{post.id}__end")
                chapter_of[f"{post.id}__end"] = ch.number
            for n in range(1, marker.count + 1):
                chapter_of[f"{post.id}__ix{n}"] = ch.number
            chapter_of[post.id] = ch.number
            new_posts[post.slug] = replace(post, blocks=tuple(blocks))
            if marker.marks_without_term:
                src = (sources or {}).get(post.slug)
                loc = src.find_line("[]{.index") if src is not None else Location(post.source)
                diags.append(warning("index.empty-mark", "an index mark has no text and no term", loc, 'write [word]{.index} or [word]{.index term="Term"}'))
            for tag in post.tags:
                tagged.setdefault(tag.strip().casefold(), []).append(post)
    for term in terms:
        key = (term.head, term.sub)
        if key in found:
            continue
        if term.location is not None:
            diags.append(warning("index.term-not-found", f"index term '{term.head}' occurs nowhere in the book's text", term.location, "check its spelling, or mark it in a post with [word]{.index term=\"…\"}"))
        elif spec.from_tags:  # a tag the text never names: the index sends to the posts tagged with it
            found[key] = [p.id for p in tagged.get(term.head.casefold(), [])]
    # one entry per (term, sub); heads that only have sub-entries still get their line
    subjects = {(t.head, None): tuple((p.id, f"{p.id}__end") for p in tagged.get(t.tag, ())) for t in terms if t.tag and t.sub is None}
    entries: dict[tuple[str, str | None], Entry] = {
        key: Entry(key[0], key[1], tuple(anchors), kind=kinds.get(key[0], "") if key[1] is None else "", subjects=subjects.get(key, ()))
        for key, anchors in found.items()
    }
    for head, sub in list(entries):
        if sub is not None and (head, None) not in entries:
            entries[(head, None)] = Entry(head, kind=kinds.get(head, ""))
    heads = {k[0].casefold(): k[0] for k in entries if k[1] is None}
    for term, targets, loc in spec.see:
        head, sub = split_term(term)
        for target in targets:
            if split_term(target)[0].casefold() not in heads:
                diags.append(warning("index.see-unknown", f"index.see: '{target}' is not a term of the index", loc, "name a term of index.terms, a tag, or a marked word"))
        key = (heads.get(head.casefold(), head), sub)
        old = entries.get(key, Entry(key[0], sub))
        entries[key] = replace(old, see=old.see + tuple(targets))
    lang = book.meta.lang
    order = sorted(entries.values(), key=lambda e: (sort_key(e.term, lang), e.sub is not None, sort_key(e.sub or "", lang)))
    index = BookIndex(tuple(order), chapter_of)

    def chapter(ch: Chapter) -> Chapter:
        return replace(ch, posts=tuple(new_posts[p.slug] for p in ch.posts))

    divisions = tuple(replace(d, chapters=tuple(chapter(c) for c in d.chapters)) if isinstance(d, Part) else chapter(d) for d in book.divisions)
    words = lang_mod.strings(lang)
    matter = Matter("index", INDEX_MATTER_ID, words["index"], tuple(index_blocks(index, {}, lang)))
    return replace(book, divisions=divisions, back=(*book.back, matter), index=index), diags


def _with_end(blocks: list, ident: str) -> list:
    """The post's blocks with an anchor at their end (the last page of a post an entry is about)."""
    end = tree.Span(ident, ["index-anchor"], [])
    if blocks and blocks[-1]["t"] in ("Para", "Plain"):
        return [*blocks[:-1], {"t": blocks[-1]["t"], "c": [*blocks[-1]["c"], end]}]
    return [*blocks, tree.Plain([end])]


# ---------------------------------------------------------------- the index's text

def page_of(page_map) -> dict[str, int]:
    """``PageMap`` (anchors per page) -> anchor -> page."""
    out: dict[str, int] = {}
    if page_map is None:
        return out
    for n, anchors in enumerate(page_map.anchors, start=1):
        for a in anchors:
            out.setdefault(a, n)
    return out


def _locators(entry: Entry, index: BookIndex, pages: Mapping[str, int], lang: str) -> list:
    """Inlines: « 12–14, 20 » linked to the first occurrence of each run, or « chap. 3 ». The posts
    an entry is about (tagged with it) give their whole page range, passing mentions their page."""
    words = lang_mod.strings(lang)
    spans: list[tuple[int, int, str]] = []
    by_chapter: dict[int, str] = {}
    for start, end in (*((a, a) for a in entry.anchors), *entry.subjects):
        if start in pages:
            spans.append((pages[start], max(pages[start], pages.get(end, pages[start])), start))
        else:
            by_chapter.setdefault(index.chapter_of.get(start, 0), start)
    runs: list[tuple[int, int, str]] = []
    for first, last, anchor in sorted(spans):
        if runs and first <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(last, runs[-1][1]), runs[-1][2])
        else:
            runs.append((first, last, anchor))
    labels = [(str(a) if a == b else f"{a}\u2013{b}", anchor) for a, b, anchor in runs]
    labels += [(f"{words['index_chapter']}\u00a0{n}", anchor) for n, anchor in sorted(by_chapter.items())]
    out: list = []
    for i, (label, anchor) in enumerate(labels):
        if i:
            out += [tree.Str(","), tree.Space()]
        out.append(tree.Link([tree.Str(label)], f"#{anchor}", classes=["index-locator"]))
    return out


def _see(entry: Entry, lang: str) -> list:
    if not entry.see:
        return []
    words = lang_mod.strings(lang)
    label = words["index_see_also"] if entry.anchors else words["index_see"]
    targets = ", ".join(entry.see)
    lead = [tree.Str(". "), {"t": "Emph", "c": tree.text_inlines(label[0].upper() + label[1:])}] if entry.anchors else [tree.Str(", "), {"t": "Emph", "c": tree.text_inlines(label)}]
    return lead + [tree.Space(), *tree.text_inlines(targets)]


def _line(text: str, entry: Entry, index: BookIndex, pages: Mapping[str, int], lang: str) -> list:
    locs = _locators(entry, index, pages, lang)
    inlines = tree.text_inlines(text)
    if entry.kind == "title" and entry.sub is None:
        inlines = [{"t": "Emph", "c": inlines}]
    if locs:
        inlines += [tree.Str(","), tree.Space(), *locs]
    return inlines + _see(entry, lang)


def index_blocks(index: BookIndex, page_of: Mapping[str, int], lang: str) -> list:
    """The index as AST blocks: letter groups, entries, sub-entries, locators linked to anchors."""
    groups: dict[str, list] = {}
    items: list = []
    current: list | None = None
    for entry in index.entries:
        if entry.sub is None:
            current = [tree.Plain(_line(entry.term, entry, index, page_of, lang))]
            letter = group_letter(entry.term, lang)
            groups.setdefault(letter, []).append(current)
        elif current is not None:
            sub_item = [tree.Plain(_line(entry.sub, entry, index, page_of, lang))]
            if len(current) == 1:
                current.append({"t": "BulletList", "c": []})
            current[1]["c"].append(sub_item)
    for letter, entries in groups.items():
        items.append(tree.Div("", ["index-group"], [tree.Para([tree.Span("", ["index-letter"], [tree.Str(letter)])]), {"t": "BulletList", "c": entries}]))
    return [tree.Div("", ["index-body"], items)] if items else []


def index_html(index: BookIndex, page_of: Mapping[str, int], lang: str) -> str:
    """The index as an HTML fragment (for a layout engine that fills it in after a first pass)."""
    return html5.fragment(index_blocks(index, page_of, lang))


def with_pages(book: Book, pages: Mapping[str, int]) -> Book:
    """The book with its index's locators set from ``pages`` (anchor -> page)."""
    if book.index is None:
        return book
    blocks = tuple(index_blocks(book.index, pages, book.meta.lang))
    back = tuple(replace(m, blocks=blocks) if m.id == INDEX_MATTER_ID else m for m in book.back)
    return replace(book, back=back)
