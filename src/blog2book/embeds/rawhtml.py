"""Raw HTML turned into book text: no raw HTML survives this pass, so no back end can load a URL
from a post.

* ``<script>``, ``<style>`` and their content, ``<link>``, ``<meta>``, ``<form>``, ``<input>``,
  ``<button>``, ``<base>``, frames, and embeds without a usable source: removed with a warning
  ``html.removed`` naming the tag (the Twitter/Instagram/Facebook widget scripts that follow an
  embed are only an info). Any tag with an event-handler attribute (``on…``) or a
  ``javascript:``/``vbscript:``/``data:``/``file:`` URL in an attribute: dropped with the same
  warning; so are ``on…`` attributes of the Divs and Spans pandoc builds from HTML. ``style``
  attributes are dropped silently (they can hold ``url(…)``).
* Harmless inline tags are not lost: ``<em>/<i>`` -> Emph, ``<strong>/<b>`` -> Strong,
  ``<sup>``, ``<sub>``, ``<u>``, ``<s>/<del>``, ``<code>``, ``<q>``, ``<br>`` -> LineBreak,
  ``<a href>`` -> Link, ``<img>`` -> Image; ``<span>``, ``<font>``, ``<p>``, ``<div>`` ... leave
  only their content (a raw ``<p>`` makes a Para, a raw ``<blockquote>`` a BlockQuote, ``<hr>`` a
  HorizontalRule). Tables and lists written in raw HTML lose their structure (info
  ``html.dropped``). HTML comments disappear. Embed tags (``<iframe>``…) are ``media``'s,
  WordPress's ``<blockquote class="twitter-tweet">`` ``tweets``'.
* Other raw formats: pandoc reads things like ``\\dossier`` as raw TeX; there is no TeX back
  end, so the text is kept as the author typed it (a ``Str``; a raw TeX block becomes a Para).

Unsafe links and images
  Links and images whose target uses ``javascript:``, ``vbscript:``, ``data:`` or ``file:``, or is
  a local file-system path (``/etc/…``, ``/home/…``, ``/Users/…`` and the other system folders,
  ``~/…``, ``C:\\…``) become a Span of their text / alt text (class ``link-removed`` /
  ``image-removed``), with a warning ``link.unsafe`` / ``image.unsafe``. Root-relative web paths
  such as ``/2010/10/slug/`` are blog links, not files, and are kept for the cross-reference pass.

A list of inlines or blocks holding raw HTML is read as one stream of tokens: ``("final", node)``
(a node already converted), ``("node", node)`` and ``("other", raw node)`` (to convert), and the
tag events of ``htmlrules.html_events``; ``resolve`` turns the stream back into elements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from blog2book import tree
from blog2book.embeds import media, tweets
from blog2book.embeds.common import text_inlines
from blog2book.embeds.htmlrules import (
    EMBED_TAGS, HTML_FORMATS, SKIP_CONTENT, URL_ATTRS, VOID, html_events, needle_for_tag, removal, unsafe_scheme,
    unsafe_target,
)

if TYPE_CHECKING:
    from blog2book.embeds.converter import Converter

_TEX_FORMATS = frozenset(("tex", "latex", "context"))
_WORDS = tree.CHILDLESS
_HOSTILE = frozenset(
    "script style link meta form input button textarea select option base frame frameset applet "
    "noscript template head title svg math canvas map portal param source track".split()
)
_INLINE_TAGS = frozenset(
    "a em i strong b u ins sup sub s strike del span br img small big font abbr acronym cite q code "
    "tt kbd samp var mark wbr dfn time bdi bdo nobr".split()
)
_FORMAT = {
    "em": "Emph", "i": "Emph", "cite": "Emph", "dfn": "Emph", "var": "Emph",
    "strong": "Strong", "b": "Strong",
    "u": "Underline", "ins": "Underline",
    "sup": "Superscript", "sub": "Subscript",
    "s": "Strikeout", "strike": "Strikeout", "del": "Strikeout",
}
_SILENT = frozenset(
    "p div span font center br hr blockquote a img wbr small big abbr acronym cite q code tt kbd samp "
    "var mark dfn time bdi bdo nobr figure figcaption section article header footer aside main nav "
    "html body caption label fieldset legend address em i strong b u ins sup sub s strike del "
    "tr td th thead tbody tfoot colgroup col li dt dd".split()
)


# ---------------------------------------------------------------- attributes, links and images


def clean_attr(conv: Converter, attr: list, where: str) -> list:
    """A pandoc attribute without its event handlers, ``style`` and unsafe URLs (``where``: what
    it belongs to, for the warning)."""
    ident, classes, kvs = attr
    kept = []
    for k, val in kvs:
        lk = k.lower()
        if lk.startswith("on"):
            conv.find("warning", "html.removed", f"removed the event-handler attribute {k} of a {where}", f"{k}=")
        elif lk == "style":
            continue
        elif unsafe_scheme(val):
            conv.find("warning", "html.removed", f"removed the attribute {k}={val!r} of a {where}", val)
        else:
            kept.append([k, val])
    return [ident, list(classes), kept]


def unsafe_link(conv: Converter, t: str, url: str, content: list) -> dict | None:
    """The Span that replaces a link (``t``: "Link") or an image ("Image") whose target ``url`` a
    book must not follow or load: its text, or alt text (``content``); None for a safe target."""
    if not unsafe_target(url):
        return None
    if t == "Link":
        conv.find("warning", "link.unsafe", f"link to {url!r} removed (the book keeps its text)", url)
        return tree.Span("", ["link-removed"], content)
    conv.find("warning", "image.unsafe", f"image {url!r} removed (the book keeps its alt text)", url)
    return tree.Span("", ["image-removed"], content)


# ---------------------------------------------------------------- the token stream


def tokens(conv: Converter, items: list) -> list[tuple]:
    """The token stream of a list of inlines or blocks."""
    stream: list[tuple] = []
    for el in items:
        t = el.get("t")
        if conv.is_final(el):
            stream.append(("final", el))
        elif t in _WORDS and type(el.get("c", "")) is str:  # a word or a space: the copy inline() makes of it, without its calls
            stream.append(("final", conv.final({"t": t, "c": el["c"]} if "c" in el else dict(el))))
        elif t in ("RawInline", "RawBlock"):
            fmt, text = el["c"]
            if fmt.lower() in HTML_FORMATS:
                stream.extend(html_events(text))
            else:
                stream.append(("other", el))
        else:
            stream.append(("node", el))
    return stream


def resolve(conv: Converter, stream: list[tuple], ctx: str) -> list:
    """The elements of a token stream, inlines or blocks (``ctx``: "inline" or "block")."""
    out: list = []
    i = 0
    n = len(stream)
    while i < n:
        tok = stream[i]
        kind = tok[0]
        if ctx == "block" and _inline_token(tok):
            j = i
            while j < n and _inline_token(stream[j]):
                j += 1
            run = resolve(conv, stream[i:j], "inline")
            if any(x["t"] not in ("Space", "SoftBreak", "LineBreak") for x in run):
                out.extend(conv.final(x) for x in conv.block({"t": "Plain", "c": tree.strip_spaces(run)}))
            i = j
            continue
        if kind == "final":
            out.append(tok[1])
            i += 1
            continue
        if kind in ("node", "other"):
            if kind == "node":
                made = conv.block(tok[1]) if ctx == "block" else conv.inline(tok[1])
            else:
                made = _other_raw(conv, tok[1], ctx)
                made = [y for x in made for y in (conv.block(x) if ctx == "block" else conv.inline(x))]
            out.extend(conv.final(x) for x in made)
            i += 1
            continue
        if kind == "data":
            if ctx == "inline":
                out.extend(text_inlines(tok[1]))
            i += 1
            continue
        if kind in ("comment", "end"):
            i += 1
            continue
        i = _tag(conv, stream, i, ctx, out)
    return out


def _inline_token(tok: tuple) -> bool:
    kind = tok[0]
    if kind == "data":
        return bool(tok[1].strip())
    if kind in ("start", "startend", "end"):
        return tok[1] in _INLINE_TAGS
    return False


def _other_raw(conv: Converter, el: dict, ctx: str) -> list:
    fmt, text = el["c"]
    if fmt.lower() in _TEX_FORMATS:
        if ctx == "inline":
            return [tree.Str(text)]
        conv.find("info", "raw.tex", "a line read as raw TeX is printed as text", text.strip()[:60])
        return [tree.Para(text_inlines(text))]
    conv.find("info", "raw.dropped", f"raw {fmt} content dropped", text.strip()[:60])
    return []


def _end(stream: list[tuple], i: int, tag: str) -> int | None:
    if stream[i][0] == "startend":
        return None
    depth = 1
    for k in range(i + 1, len(stream)):
        tok = stream[k]
        if tok[0] == "start" and tok[1] == tag:
            depth += 1
        elif tok[0] == "end" and tok[1] == tag:
            depth -= 1
            if depth == 0:
                return k
    return None


def _bad_attrs(conv: Converter, tag: str, attrs: list, raw: str, urls: bool = True) -> bool:
    bad = False
    for k, v in attrs:
        if k.startswith("on"):
            conv.find("warning", "html.removed", f"removed <{tag}> with the event-handler attribute {k}", needle_for_tag(raw, tag))
            bad = True
        elif urls and k in URL_ATTRS and v and unsafe_target(v):
            conv.find("warning", "html.removed", f"removed <{tag}> pointing to {v!r}", needle_for_tag(raw, tag))
            bad = True
    return bad


# ---------------------------------------------------------------- a tag


def _tag(conv: Converter, stream: list[tuple], i: int, ctx: str, out: list) -> int:
    """Appends to ``out`` what the tag at ``stream[i]`` makes; returns the index after it."""
    kind, tag, attrs, raw = stream[i]
    attrs_d = {k: (v or "") for k, v in attrs}
    j = _end(stream, i, tag) if tag not in VOID or tag == "embed" else None
    after = (j + 1) if j is not None else i + 1
    needle = needle_for_tag(raw, tag)

    if tag in SKIP_CONTENT:
        if j is None and kind == "start" and any(t[0] == "data" and t[1].strip() or t[0] in ("node", "other") for t in stream[i + 1:]):
            conv.find("warning", "html.unclosed", f"<{tag}> is never closed: the text after it is kept (close it with </{tag}> where it ends, or delete it)", needle)
            return after
        level, message = removal(tag, attrs_d.get("src", ""))
        conv.find(level, "html.removed", message, needle)
        return after
    if tag in EMBED_TAGS:
        group = stream[i:after]
        url = media.embed_url(group)
        if url is None:
            conv.find("warning", "html.removed", f"removed <{tag}>: no web address to print for it", needle)
        else:
            _bad_attrs(conv, tag, attrs, raw)
            out.append(media.embed(conv, url, needle, ctx))
        return after
    if tag == "blockquote" and "twitter-tweet" in attrs_d.get("class", "") and j is not None:
        with conv.quietly():
            inner = resolve(conv, stream[i + 1:j], "block")
        tweet = tweets.wordpress_tweet(conv, inner, needle)
        if tweet is not None:
            out.append(tweet)
            return after
    if tag in _HOSTILE:
        conv.find("warning", "html.removed", f"removed <{tag}>", needle)
        return i + 1
    if ctx == "inline" and tag == "img":
        if _bad_attrs(conv, tag, attrs, raw, urls=False):
            return i + 1
        src = attrs_d.get("src", "")
        alt = text_inlines(attrs_d.get("alt", ""))
        if src:
            image = {"t": "Image", "c": [["", [], []], alt, [src, attrs_d.get("title", "")]]}
            out.extend(conv.final(x) for x in conv.inline(image))
        else:
            out.extend(alt)
        return i + 1
    if _bad_attrs(conv, tag, attrs, raw):
        if tag == "a" and j is not None and ctx == "inline":
            out.extend(resolve(conv, stream[i + 1:j], ctx))
            return after
        return i + 1

    if ctx == "inline":
        if tag == "br":
            out.append(conv.final({"t": "LineBreak"}))
            return i + 1
        if j is not None and tag == "a" and attrs_d.get("href"):
            children = resolve(conv, stream[i + 1:j], ctx)
            link = {"t": "Link", "c": [["", [], []], children, [attrs_d["href"], attrs_d.get("title", "")]]}
            out.append(conv.final(unsafe_link(conv, "Link", attrs_d["href"], children) or link))
            return after
        if j is not None and (tag in _FORMAT or tag in ("code", "tt", "kbd", "samp", "q")):
            children = resolve(conv, stream[i + 1:j], ctx)
            if tag in _FORMAT:
                node = {"t": _FORMAT[tag], "c": children}
            elif tag == "q":
                node = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, children]}
            else:
                node = {"t": "Code", "c": [["", [], []], tree.stringify(children)]}
            out.append(conv.final(node))
            return after
    else:
        if tag == "hr":
            out.append(conv.final({"t": "HorizontalRule"}))
            return i + 1
        if j is not None and tag in ("blockquote", "p"):
            inner = resolve(conv, stream[i + 1:j], ctx)
            if tag == "p":
                inner = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in inner]
                out.extend(conv.final(x) for x in inner)
            else:
                out.append(conv.final({"t": "BlockQuote", "c": inner}))
            return after
    if tag not in _SILENT and ("dropped", tag) not in conv.reported:
        conv.reported.add(("dropped", tag))
        conv.find("info", "html.dropped", f"HTML <{tag}> dropped (its text is kept, not its layout)", needle)
    return i + 1
