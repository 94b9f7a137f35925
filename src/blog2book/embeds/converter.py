"""The pass over a post's tree that hands each blog artefact to the module that converts it.

It walks the blocks and inlines, reads lists holding raw HTML as a token stream (``rawhtml``), and
turns paragraphs, block quotes and lists into tweets (``tweets``), embeds (``media``) or nothing
(share buttons, ``share``); a paragraph that is a ``[caption]`` shortcode becomes a Figure
(``shortcodes``). It never changes a node it is given: it builds new lists and elements, and keeps
the words (and what it has no reason to rebuild) as they are, shared with the caller's tree. What
it made is marked final, never converted again.

Images
  pandoc's own Figures are kept (alt text included). A Figure whose image was removed (an unsafe
  target) becomes a paragraph of its caption.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any, Iterator

from blog2book import lang as lang_mod
from blog2book import tree
from blog2book.embeds import media, rawhtml, share, shortcodes, tweets
from blog2book.embeds.common import Finding, only_url, with_scheme

_INLINE_TYPES = tree.INLINE_TYPES
_BLOCK_TYPES = frozenset(
    "Plain Para LineBlock CodeBlock RawBlock BlockQuote OrderedList BulletList DefinitionList Header "
    "HorizontalRule Table Figure Div".split()
)
_WORDS = tree.CHILDLESS


class Converter:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = lang_mod.strings(lang)
        self.findings: list[Finding] = []
        self._final: set[int] = set()
        self._keep: list[Any] = []
        self.reported: set[tuple[str, str]] = set()  # (what, tag) reported once per post
        self.quiet_depth = 0  # > 0 inside a tweet or embed: no tweet/embed detection there
        self.list_depth = 0  # > 0 inside a list of the author's: its items are text, never share buttons

    # ----- bookkeeping

    def find(self, level: str, code: str, message: str, needle: str) -> None:
        self.findings.append(Finding(level, code, message, needle))

    def final(self, node: dict) -> dict:
        self._final.add(id(node))
        self._keep.append(node)
        return node

    def is_final(self, node: Any) -> bool:
        return id(node) in self._final

    @contextlib.contextmanager
    def quietly(self) -> Iterator[None]:
        """Inside a tweet or an embed: no tweet or embed is looked for there."""
        self.quiet_depth += 1
        try:
            yield
        finally:
            self.quiet_depth -= 1

    # ----- generic traversal

    def value(self, v: Any) -> Any:
        if isinstance(v, list):
            if v and all(isinstance(x, dict) and x.get("t") in _INLINE_TYPES for x in v):
                return self.inlines(v)
            if v and all(isinstance(x, dict) and x.get("t") in _BLOCK_TYPES for x in v):
                return self.blocks(v)
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        return v

    # ----- block lists

    def blocks(self, blocks: list) -> list:
        return rawhtml.resolve(self, rawhtml.tokens(self, blocks), "block")

    def quiet_blocks(self, blocks: list) -> list:
        with self.quietly():
            return self.blocks(blocks)

    def block(self, b: dict) -> list:
        t = b["t"]
        c = b.get("c")
        if t in ("Para", "Plain"):
            inlines = self.inlines(c, markers=True)
            figure = shortcodes.caption_figure(inlines)
            if figure is not None:
                self.find("info", "embed.caption", "WordPress [caption] turned into a figure", "[caption")
                return [self.final(figure)]
            out: list = []
            segment: list = []
            for el in inlines + [None]:
                if el is None or el.get("t") == media.MARKER:
                    out.extend(self.para(t, segment))
                    segment = []
                    if el is not None:
                        out.append(el["c"])
                else:
                    segment.append(el)
            return out
        if t == "BlockQuote":
            made = tweets.quoted_tweets(self, c)
            if made is not None:
                return made
            return [{"t": "BlockQuote", "c": self.blocks(c)}]
        if t in ("BulletList", "OrderedList"):
            if share.is_button_row(self, c if t == "BulletList" else c[1]):
                return []
            self.list_depth += 1  # an item « partager » among the author's items is the author's word
            try:
                return [{"t": t, "c": self.value(c)}]
            finally:
                self.list_depth -= 1
        if t == "Div":
            attr, children = c
            if {"tweet", "embed"} & set(attr[1]):
                return [{"t": "Div", "c": [rawhtml.clean_attr(self, attr, "div"), self.quiet_blocks(children)]}]
            new_attr = rawhtml.clean_attr(self, attr, "div")
            if new_attr == ["", [], []]:
                return self.blocks(children)  # no id, class or attribute left: a Div for nothing
            return [{"t": "Div", "c": [new_attr, self.blocks(children)]}]
        if t == "Header":
            level, attr, inlines = c
            return [{"t": "Header", "c": [level, rawhtml.clean_attr(self, attr, "heading"), self.inlines(inlines)]}]
        if t == "CodeBlock":
            return [{"t": "CodeBlock", "c": [rawhtml.clean_attr(self, c[0], "code block"), c[1]]}]
        if t == "Figure":
            return self.figure(b)
        if t == "RawBlock":  # not reached: raw blocks are resolved as tokens
            return []
        if c is None:
            return [dict(b)]
        return [{"t": t, "c": self.value(c)}]

    def figure(self, b: dict) -> list:
        attr, (short, caption), body = b["c"]
        before = len([f for f in self.findings if f.code == "image.unsafe"])
        new_body = [
            {"t": x["t"], "c": self.inlines(x["c"])} if x["t"] in ("Plain", "Para") else y
            for x in body
            for y in ([x] if x["t"] in ("Plain", "Para") else self.blocks([x]))
        ]
        new_caption = self.quiet_blocks(caption)
        removed = len([f for f in self.findings if f.code == "image.unsafe"]) > before
        if removed:
            paras = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in new_caption]
            return paras or new_body
        return [{"t": "Figure", "c": [rawhtml.clean_attr(self, attr, "figure"), [copy.deepcopy(short), new_caption], new_body]}]

    # ----- inline lists

    def inlines(self, inlines: list, markers: bool = False) -> list:
        if any(el.get("t") == "RawInline" for el in inlines):
            out = rawhtml.resolve(self, rawhtml.tokens(self, inlines), "inline")
        else:  # no raw HTML to read as a stream (most text): the words as they are, the rest made anew
            out = []
            for el in inlines:
                if el.get("t") in _WORDS and type(el.get("c", "")) is str or self.is_final(el):
                    out.append(el)
                else:
                    out.extend(self.final(x) for x in self.inline(el))
        if not markers:
            out = [media.embed_span(el["c"]) if el.get("t") == media.MARKER else el for el in out]
        return out

    def inline(self, el: dict) -> list:
        t = el["t"]
        c = el.get("c")
        if t in ("Link", "Image"):
            attr, content, (url, title) = c  # a link's text, an image's alt text
            content = self.inlines(content)
            removed = rawhtml.unsafe_link(self, t, url, content)
            if removed is not None:
                return [removed]
            return [{"t": t, "c": [rawhtml.clean_attr(self, attr, t.lower()), content, [url, title]]}]
        if t == "Span":
            attr, children = c
            new_attr = rawhtml.clean_attr(self, attr, "span")
            if new_attr == ["", [], []]:
                return self.inlines(children)  # no id, class or attribute left: a Span for nothing
            return [{"t": "Span", "c": [new_attr, self.inlines(children)]}]
        if t == "Code":
            return [{"t": "Code", "c": [rawhtml.clean_attr(self, c[0], "code"), c[1]]}]
        if t == "Note":
            return [{"t": "Note", "c": self.blocks(c)}]
        if t == "RawInline":  # not reached: raw inlines are resolved as tokens
            return []
        if c is None:
            return [dict(el)]
        return [{"t": t, "c": self.value(c)}]

    # ----- paragraphs

    def para(self, t: str, inlines: list) -> list:
        """A paragraph (``t``: Para or Plain) without its share buttons, or the tweet or embed it is."""
        inlines = tree.strip_spaces(inlines)
        if not inlines:
            return []
        if self.quiet_depth:
            return [{"t": t, "c": inlines}]
        inlines = share.without_buttons(self, inlines)
        if inlines is None:
            return []
        only = only_url(inlines)
        if only is not None:
            url, needle = only
            if tweets.status(url):
                return [tweets.tweet(self, with_scheme(url), [], needle)]
            if media.embed_kind(url):
                return [media.embed(self, with_scheme(media.embed_page(url)), needle, "block")]
        made = tweets.ending_tweet(self, t, inlines)
        if made is not None:
            return made
        return [{"t": t, "c": inlines}]
