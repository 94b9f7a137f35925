"""Blog artefacts turned into book text: tweets, video embeds, share buttons, raw HTML.

``convert(blocks, lang)`` is pure (no I/O, no pandoc call) and returns new blocks plus findings for
the author. It is idempotent on its own output.

Tweets
  * a block quote whose last paragraph is only a status URL (``twitter.com/<account>/status/<id>``,
    ``/statuses/``, ``#!/``, ``mobile.twitter.com``, ``x.com``; a ``Str`` or an autolink), or
    whose last paragraph ends with such a URL after a line break or space;
  * a paragraph whose text ends with a status URL (the text is the tweet), unless the text ends
    with ``:`` (then it introduces the tweet: the paragraph stays, the tweet follows it alone);
  * WordPress's ``<blockquote class="twitter-tweet">…</blockquote>`` (its ``&mdash; Name (@handle)
    <a href=status>date</a>`` line gives the attribution; the date is re-written in the book's
    language when it can be read);
  become::

      Div(class "tweet", data-url=<url>)
        BlockQuote(<the tweet's text>)
        Div(class "tweet-source")
          Para("—\u00a0@account," Link(<url>, text=<url>))       (or "— Name (@account), date, <link>")

  A paragraph that is only a status URL has no text to quote: the Div holds only the tweet-source
  Para "Gazouillis de @account\u00a0: <link>" / "Tweet by @account: <link>". The link text is the
  URL itself (class ``uri``), which tells the link pass not to repeat it in a note.
  A block quote of one or two short paragraphs that opens on an ``@handle`` but gives no status URL
  (a reply quoted without its address) is a tweet too: ``Div(class "tweet tweet-no-url")``
  holding the BlockQuote, set like the other tweets, without a source line.

Video and other embeds
  A paragraph that is only a YouTube/Vimeo/Dailymotion/Facebook-video/Instagram-reel URL, or a raw
  ``<iframe>``/``<embed>``/``<object>``/``<video>``/``<audio>`` with an http(s) source, becomes
  ``Div(class "embed video")[Para("Vidéo\u00a0:" Link(url))]``; SlideShare, Instagram posts and any
  other iframe source give "Contenu intégré" (class "embed content"); a link alone to a video file
  (``.mp4``, ``.webm``…) is a video, to a sound file (``.mp3``, ``.ogg``…) "Audio" (class
  "embed audio"). Embed-player URLs are rewritten to their public page (``youtube.com/embed/ID``
  -> ``youtube.com/watch?v=ID``, ``player.vimeo.com/video/ID`` -> ``vimeo.com/ID``). An embed met
  in the middle of a paragraph splits it. Findings: info ``embed.video`` / ``embed.audio`` /
  ``embed.content``.

Share buttons
  A paragraph that is only share-button text ("Pin It", "Partager :", "Share this:", "Tweet",
  "J’aime", "J’aime chargement…", "Like this:", "Imprimer", "Print", with network names such as
  "Facebook" beside them) is dropped; "Pin It", "Partager :", "Share this:", "Like this:" and
  "J’aime chargement…" are also cut from the end of a paragraph. Finding: info ``share.removed``.

Raw HTML (no raw HTML survives this pass, so no back end can load a URL from a post)
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
    ``html.dropped``). HTML comments disappear.
  * Other raw formats: pandoc reads things like ``\\dossier`` as raw TeX; there is no TeX back
    end, so the text is kept as the author typed it (a ``Str``; a raw TeX block becomes a Para).

Unsafe links and images
  Links and images whose target uses ``javascript:``, ``vbscript:``, ``data:`` or ``file:``, or is
  a local file-system path (``/etc/…``, ``/home/…``, ``/Users/…`` and the other system folders,
  ``~/…``, ``C:\\…``) become a Span of their text / alt text (class ``link-removed`` /
  ``image-removed``), with a warning ``link.unsafe`` / ``image.unsafe``. Root-relative web paths
  such as ``/2010/10/slug/`` are blog links, not files, and are kept for the cross-reference pass.
  A Figure whose image was removed becomes a paragraph of its caption.

Images
  pandoc's own Figures are kept (alt text included). WordPress's
  ``[caption id=… align=…]<img src=… alt=…/> Caption[/caption]`` (with or without an ``<a>``
  around the image, or a ``caption="…"`` attribute) becomes a Figure with that caption.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from blog2book import lang as lang_mod
from blog2book import tree


@dataclass(frozen=True)
class Finding:
    """Something the author should hear about; the caller locates ``needle`` in the post source."""

    level: str  # "info" | "warning"
    code: str
    message: str
    needle: str


# ---------------------------------------------------------------- element kinds

_INLINE_TYPES = tree.INLINE_TYPES
_BLOCK_TYPES = frozenset(
    "Plain Para LineBlock CodeBlock RawBlock BlockQuote OrderedList BulletList DefinitionList Header "
    "HorizontalRule Table Figure Div".split()
)
_HTML_FORMATS = frozenset(("html", "html4", "html5"))
_TEX_FORMATS = frozenset(("tex", "latex", "context"))
_WORDS = tree.CHILDLESS
_MARKER = "_b2b_embed"  # a private inline that carries an embed Div up to its paragraph

# ---------------------------------------------------------------- URLs

_STATUS = re.compile(
    r"^(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:#!/)?"
    r"(?:i/web|(?P<account>[A-Za-z0-9_]{1,15}))/status(?:es)?/(?P<id>\d+)(?:[/?#][^\s]*)?$",
    re.I,
)
_URL_TRAIL = ".,;:!?)»"

_VIDEO_URL = re.compile(
    r"^//(?:[\w-]+\.)*(?:"
    r"youtube\.com/(?:watch\?|embed/|v/|shorts/|live/)|youtube-nocookie\.com/embed/|youtu\.be/"
    r"|vimeo\.com/(?:\d+|video/\d+|channels/[^/\s]+/\d+)"
    r"|dailymotion\.com/(?:video|embed/video)/|dai\.ly/"
    r"|facebook\.com/(?:[^\s?]+/videos/|watch|plugins/video\.php)|fb\.watch/"
    r"|instagram\.com/(?:reel|reels|tv)/"
    r"|ted\.com/talks/"
    r")",
    re.I,
)
_CONTENT_URL = re.compile(
    r"^//(?:[\w-]+\.)*(?:slideshare\.net/|instagram\.com/p/|facebook\.com/[^\s]+/posts/"
    r"|soundcloud\.com/|scribd\.com/|prezi\.com/|flickr\.com/photos/|speakerdeck\.com/)",
    re.I,
)
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file):", re.I)
_SYSTEM_PATH = re.compile(
    r"^(?:~|[A-Za-z]:[\\/]|\\\\|/(?:etc|proc|sys|dev|home|root|usr|var|tmp|bin|sbin|lib|lib64|opt|mnt"
    r"|media|boot|srv|run|private|Users|Volumes|Library|System|Applications)(?:/|$))"
)
_WIDGET_SCRIPT = re.compile(
    r"(?:platform\.twitter\.com|instagram\.com/embed|connect\.facebook\.net|embedr?\.|"
    r"platform\.linkedin\.com|s\.imgur\.com|widgets\.)",
    re.I,
)


def _clean_url(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url)


def unsafe_target(url: str) -> bool:
    """A link or image target a book must never follow or load."""
    u = _clean_url(url)
    return bool(_UNSAFE_SCHEME.match(u) or _SYSTEM_PATH.match(u))


def _trim(url: str) -> str:
    while url and url[-1] in _URL_TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _status(url: str) -> re.Match | None:
    return _STATUS.match(url.strip())


def _embed_page(url: str) -> str:
    """The public page of an embed-player URL."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    m = re.match(r"^https?://(?:www\.)?(?:youtube(?:-nocookie)?\.com)/(?:embed|v)/([\w-]+)", url, re.I)
    if m:
        return f"https://www.youtube.com/watch?v={m.group(1)}"
    m = re.match(r"^https?://player\.vimeo\.com/video/(\d+)", url, re.I)
    if m:
        return f"https://vimeo.com/{m.group(1)}"
    m = re.match(r"^https?://(?:www\.)?dailymotion\.com/embed/video/(\w+)", url, re.I)
    if m:
        return f"https://www.dailymotion.com/video/{m.group(1)}"
    return url


def _is_web_url(url: str) -> bool:
    return bool(re.match(r"^(?:https?:)?//[^\s/]+\.[^\s]+", url.strip(), re.I))


_MEDIA_FILE = re.compile(r"^(?:https?:)?//\S+?\.(?:(?P<video>mp4|m4v|webm|ogv|mov|wmv|flv)|(?P<audio>mp3|ogg|oga|wav|m4a|wma|flac))(?:[?#]\S*)?$", re.I)


def _embed_kind(url: str) -> str | None:
    m = _MEDIA_FILE.match(url.strip())
    if m:  # a video or sound file (WordPress's [video]/[audio] shortcodes point at them)
        return "video" if m.group("video") else "audio"
    u = url.strip()
    if re.match(r"^https?:", u, re.I):
        u = u.split(":", 1)[1]
    elif not u.startswith("//"):
        u = "//" + u
    if _VIDEO_URL.match(u):
        return "video"
    if _CONTENT_URL.match(u):
        return "content"
    return None


def _is_reply(children: list) -> bool:
    """A block quote of one or two short paragraphs opening on an @handle: a tweet quoted without
    its address."""
    if not children or len(children) > 2 or any(b["t"] not in ("Para", "Plain") for b in children):
        return False
    first = children[0]["c"]
    text = tree.stringify(children)
    return bool(first) and first[0].get("t") == "Str" and bool(re.match(r"@\w+", first[0]["c"])) and len(text) <= 320


def _with_scheme(url: str) -> str:
    if url.startswith("//"):
        return "https:" + url
    if not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return "https://" + url
    return url


# ---------------------------------------------------------------- raw HTML tokens


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs, self.get_starttag_text() or f"<{tag}"))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("startend", tag, attrs, self.get_starttag_text() or f"<{tag}"))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))

    def handle_comment(self, data):
        self.events.append(("comment",))

    def handle_decl(self, decl):
        self.events.append(("comment",))

    def handle_pi(self, data):
        self.events.append(("comment",))

    def unknown_decl(self, data):
        self.events.append(("comment",))


def _html_events(text: str) -> list[tuple]:
    parser = _Events()
    parser.feed(text)
    parser.close()
    return parser.events


_VOID = frozenset("br img hr input meta link base param source track wbr col area embed keygen".split())
_SKIP_CONTENT = frozenset("script style noscript template title head textarea select svg math canvas map".split())
_EMBED_TAGS = frozenset("iframe video audio object embed".split())
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
_URL_ATTRS = frozenset("href src action formaction data xlink:href background poster cite codebase srcset".split())


def _needle_for_tag(raw: str, tag: str) -> str:
    m = re.search(r"<\s*" + re.escape(tag), raw, re.I)
    return m.group(0) if m else raw[:40]


# ---------------------------------------------------------------- the converter


class _Converter:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = lang_mod.strings(lang)
        self.findings: list[Finding] = []
        self._final: set[int] = set()
        self._keep: list[Any] = []
        self._reported: set[tuple[str, str]] = set()
        self._quiet = 0  # > 0 inside a tweet or embed: no tweet/embed detection there
        self._in_list = 0  # > 0 inside a list of the author's: its items are text, never share buttons

    # ----- bookkeeping

    def find(self, level: str, code: str, message: str, needle: str) -> None:
        self.findings.append(Finding(level, code, message, needle))

    def final(self, node: dict) -> dict:
        self._final.add(id(node))
        self._keep.append(node)
        return node

    def is_final(self, node: Any) -> bool:
        return id(node) in self._final

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

    def attr(self, attr: list, where: str) -> list:
        ident, classes, kvs = attr
        kept = []
        for k, val in kvs:
            lk = k.lower()
            if lk.startswith("on"):
                self.find("warning", "html.removed", f"removed the event-handler attribute {k} of a {where}", k)
            elif lk == "style":
                continue
            elif _UNSAFE_SCHEME.match(_clean_url(val)):
                self.find("warning", "html.removed", f"removed the attribute {k}={val!r} of a {where}", val)
            else:
                kept.append([k, val])
        return [ident, list(classes), kept]

    # ----- block lists

    def blocks(self, blocks: list) -> list:
        return self.resolve(self.tokens(blocks), "block")

    def block(self, b: dict) -> list:
        t = b["t"]
        c = b.get("c")
        if t in ("Para", "Plain"):
            inlines = self.inlines(c, markers=True)
            figure = self.caption_shortcode(inlines)
            if figure is not None:
                return [figure]
            out: list = []
            segment: list = []
            for el in inlines + [None]:
                if el is None or el.get("t") == _MARKER:
                    out.extend(self.para(t, segment))
                    segment = []
                    if el is not None:
                        out.append(el["c"])
                else:
                    segment.append(el)
            return out
        if t == "BlockQuote":
            tweets = self.blockquote_tweets(c)
            if tweets is not None:
                return tweets
            tweet = self.attributed_tweet(c)
            if tweet is not None:
                return [tweet]
            if not self._quiet and _is_reply(c):  # « @someone … » with no status URL: a tweet all the same, set as one
                return [self.final(tree.Div("", ["tweet", "tweet-no-url"], [tree.BlockQuote(self.quiet_blocks(c))]))]
            return [{"t": "BlockQuote", "c": self.blocks(c)}]
        if t in ("BulletList", "OrderedList"):
            items = c if t == "BulletList" else c[1]
            texts = [tree.stringify(item).strip() for item in items]
            if not self._quiet and texts and _is_share(" ".join(texts)):  # a row of share buttons (« Partager », networks)
                self.find("info", "share.removed", f"share-button list {' · '.join(texts)!r} removed", texts[0])
                return []
            self._in_list += 1  # an item « partager » among the author's items is the author's word
            try:
                return [{"t": t, "c": self.value(c)}]
            finally:
                self._in_list -= 1
        if t == "Div":
            attr, children = c
            if {"tweet", "embed"} & set(attr[1]):
                return [{"t": "Div", "c": [self.attr(attr, "div"), self.quiet_blocks(children)]}]
            new_attr = self.attr(attr, "div")
            if new_attr == ["", [], []]:
                return self.blocks(children)  # no id, class or attribute left: a Div for nothing
            return [{"t": "Div", "c": [new_attr, self.blocks(children)]}]
        if t == "Header":
            level, attr, inlines = c
            return [{"t": "Header", "c": [level, self.attr(attr, "heading"), self.inlines(inlines)]}]
        if t == "CodeBlock":
            return [{"t": "CodeBlock", "c": [self.attr(c[0], "code block"), c[1]]}]
        if t == "Figure":
            return self.figure(b)
        if t == "RawBlock":  # not reached: raw blocks are resolved as tokens
            return []
        if c is None:
            return [dict(b)]
        return [{"t": t, "c": self.value(c)}]

    def quiet_blocks(self, blocks: list) -> list:
        self._quiet += 1
        try:
            return self.blocks(blocks)
        finally:
            self._quiet -= 1

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
        return [{"t": "Figure", "c": [self.attr(attr, "figure"), [copy.deepcopy(short), new_caption], new_body]}]

    # ----- inline lists

    def inlines(self, inlines: list, markers: bool = False) -> list:
        if any(el.get("t") == "RawInline" for el in inlines):
            out = self.resolve(self.tokens(inlines), "inline")
        else:  # no raw HTML to read as a stream (most text): the words as they are, the rest made anew
            out = []
            for el in inlines:
                if el.get("t") in _WORDS and type(el.get("c", "")) is str or self.is_final(el):
                    out.append(el)
                else:
                    out.extend(self.final(x) for x in self.inline(el))
        if not markers:
            out = [self.embed_span(el["c"]) if el.get("t") == _MARKER else el for el in out]
        return out

    def inline(self, el: dict) -> list:
        t = el["t"]
        c = el.get("c")
        if t == "Link":
            attr, text, (url, title) = c
            text = self.inlines(text)
            if unsafe_target(url):
                self.find("warning", "link.unsafe", f"link to {url!r} removed (the book keeps its text)", url)
                return [tree.Span("", ["link-removed"], text)]
            return [{"t": "Link", "c": [self.attr(attr, "link"), text, [url, title]]}]
        if t == "Image":
            attr, alt, (url, title) = c
            alt = self.inlines(alt)
            if unsafe_target(url):
                self.find("warning", "image.unsafe", f"image {url!r} removed (the book keeps its alt text)", url)
                return [tree.Span("", ["image-removed"], alt)]
            return [{"t": "Image", "c": [self.attr(attr, "image"), alt, [url, title]]}]
        if t == "Span":
            attr, children = c
            new_attr = self.attr(attr, "span")
            if new_attr == ["", [], []]:
                return self.inlines(children)  # no id, class or attribute left: a Span for nothing
            return [{"t": "Span", "c": [new_attr, self.inlines(children)]}]
        if t == "Code":
            return [{"t": "Code", "c": [self.attr(c[0], "code"), c[1]]}]
        if t == "Note":
            return [{"t": "Note", "c": self.blocks(c)}]
        if t == "RawInline":  # not reached: raw inlines are resolved as tokens
            return []
        if c is None:
            return [dict(el)]
        return [{"t": t, "c": self.value(c)}]

    # ----- raw HTML as a token stream

    def tokens(self, items: list) -> list[tuple]:
        stream: list[tuple] = []
        for el in items:
            t = el.get("t")
            if self.is_final(el):
                stream.append(("final", el))
            elif t in _WORDS and type(el.get("c", "")) is str:  # a word or a space: the copy inline() makes of it, without its calls
                stream.append(("final", self.final({"t": t, "c": el["c"]} if "c" in el else dict(el))))
            elif t in ("RawInline", "RawBlock"):
                fmt, text = el["c"]
                if fmt.lower() in _HTML_FORMATS:
                    stream.extend(_html_events(text))
                else:
                    stream.append(("other", el))
            else:
                stream.append(("node", el))
        return stream

    def resolve(self, stream: list[tuple], ctx: str) -> list:
        out: list = []
        i = 0
        n = len(stream)
        while i < n:
            tok = stream[i]
            kind = tok[0]
            if ctx == "block" and self._inline_token(tok):
                j = i
                while j < n and self._inline_token(stream[j]):
                    j += 1
                run = self.resolve(stream[i:j], "inline")
                if any(x["t"] not in ("Space", "SoftBreak", "LineBreak") for x in run):
                    out.extend(self.final(x) for x in self.block({"t": "Plain", "c": _strip_spaces(run)}))
                i = j
                continue
            if kind == "final":
                out.append(tok[1])
                i += 1
                continue
            if kind in ("node", "other"):
                if kind == "node":
                    made = self.block(tok[1]) if ctx == "block" else self.inline(tok[1])
                else:
                    made = self.other_raw(tok[1], ctx)
                    made = [y for x in made for y in (self.block(x) if ctx == "block" else self.inline(x))]
                out.extend(self.final(x) for x in made)
                i += 1
                continue
            if kind == "data":
                if ctx == "inline":
                    out.extend(_text_inlines(tok[1]))
                i += 1
                continue
            if kind in ("comment", "end"):
                i += 1
                continue
            i = self.tag(stream, i, ctx, out)
        return out

    def _inline_token(self, tok: tuple) -> bool:
        kind = tok[0]
        if kind == "data":
            return bool(tok[1].strip())
        if kind in ("start", "startend", "end"):
            return tok[1] in _INLINE_TAGS
        return False

    def other_raw(self, el: dict, ctx: str) -> list:
        fmt, text = el["c"]
        if fmt.lower() in _TEX_FORMATS:
            if ctx == "inline":
                return [tree.Str(text)]
            self.find("info", "raw.tex", "a line read as raw TeX is printed as text", text.strip()[:60])
            return [tree.Para(_text_inlines(text))]
        self.find("info", "raw.dropped", f"raw {fmt} content dropped", text.strip()[:60])
        return []

    def _end(self, stream: list[tuple], i: int, tag: str) -> int | None:
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

    def _bad_attrs(self, tag: str, attrs: list, raw: str, urls: bool = True) -> bool:
        bad = False
        for k, v in attrs:
            if k.startswith("on"):
                self.find("warning", "html.removed", f"removed <{tag}> with the event-handler attribute {k}", _needle_for_tag(raw, tag))
                bad = True
            elif urls and k in _URL_ATTRS and v and (_UNSAFE_SCHEME.match(_clean_url(v)) or _SYSTEM_PATH.match(_clean_url(v))):
                self.find("warning", "html.removed", f"removed <{tag}> pointing to {v!r}", _needle_for_tag(raw, tag))
                bad = True
        return bad

    def tag(self, stream: list[tuple], i: int, ctx: str, out: list) -> int:
        kind, tag, attrs, raw = stream[i]
        attrs_d = {k: (v or "") for k, v in attrs}
        j = self._end(stream, i, tag) if tag not in _VOID or tag == "embed" else None
        after = (j + 1) if j is not None else i + 1
        needle = _needle_for_tag(raw, tag)

        if tag in _SKIP_CONTENT:
            src = attrs_d.get("src", "")
            if tag == "script" and src and _WIDGET_SCRIPT.search(src):
                self.find("info", "html.removed", f"removed the embed script {src}", needle)
            else:
                self.find("warning", "html.removed", f"removed <{tag}> and its content", needle)
            return after
        if tag in _EMBED_TAGS:
            group = stream[i:after]
            url = self._embed_url(group)
            if url is None:
                self.find("warning", "html.removed", f"removed <{tag}>: no web address to print for it", needle)
            else:
                self._bad_attrs(tag, attrs, raw)
                out.append(self.embed(url, needle, ctx))
            return after
        if tag == "blockquote" and "twitter-tweet" in attrs_d.get("class", "") and j is not None:
            tweet = self.wordpress_tweet(stream[i + 1:j], needle)
            if tweet is not None:
                out.append(tweet)
                return after
        if tag in _HOSTILE:
            self.find("warning", "html.removed", f"removed <{tag}>", needle)
            return i + 1
        if ctx == "inline" and tag == "img":
            if self._bad_attrs(tag, attrs, raw, urls=False):
                return i + 1
            src = attrs_d.get("src", "")
            alt = _text_inlines(attrs_d.get("alt", ""))
            if src:
                image = {"t": "Image", "c": [["", [], []], alt, [src, attrs_d.get("title", "")]]}
                out.extend(self.final(x) for x in self.inline(image))
            else:
                out.extend(alt)
            return i + 1
        if self._bad_attrs(tag, attrs, raw):
            if tag == "a" and j is not None and ctx == "inline":
                out.extend(self.resolve(stream[i + 1:j], ctx))
                return after
            return i + 1

        if ctx == "inline":
            if tag == "br":
                out.append(self.final({"t": "LineBreak"}))
                return i + 1
            if j is not None and tag == "a" and attrs_d.get("href"):
                children = self.resolve(stream[i + 1:j], ctx)
                link = {"t": "Link", "c": [["", [], []], children, [attrs_d["href"], attrs_d.get("title", "")]]}
                for x in self.inline_shallow_link(link):
                    out.append(self.final(x))
                return after
            if j is not None and (tag in _FORMAT or tag in ("code", "tt", "kbd", "samp", "q")):
                children = self.resolve(stream[i + 1:j], ctx)
                if tag in _FORMAT:
                    node = {"t": _FORMAT[tag], "c": children}
                elif tag == "q":
                    node = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, children]}
                else:
                    node = {"t": "Code", "c": [["", [], []], tree.stringify(children)]}
                out.append(self.final(node))
                return after
        else:
            if tag == "hr":
                out.append(self.final({"t": "HorizontalRule"}))
                return i + 1
            if j is not None and tag in ("blockquote", "p"):
                inner = self.resolve(stream[i + 1:j], ctx)
                if tag == "p":
                    inner = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in inner]
                    out.extend(self.final(x) for x in inner)
                else:
                    out.append(self.final({"t": "BlockQuote", "c": inner}))
                return after
        if tag not in _SILENT and ("dropped", tag) not in self._reported:
            self._reported.add(("dropped", tag))
            self.find("info", "html.dropped", f"HTML <{tag}> dropped (its text is kept, not its layout)", needle)
        return i + 1

    def inline_shallow_link(self, link: dict) -> list:
        attr, text, (url, title) = link["c"]
        if unsafe_target(url):
            self.find("warning", "link.unsafe", f"link to {url!r} removed (the book keeps its text)", url)
            return [tree.Span("", ["link-removed"], text)]
        return [link]

    def _embed_url(self, group: list[tuple]) -> str | None:
        candidates: list[str] = []
        events: list[tuple] = []
        for tok in group:
            if tok[0] == "node":
                for raw in _raw_html(tok[1]):
                    events.extend(_html_events(raw))
            else:
                events.append(tok)
        for tok in events:
            if tok[0] not in ("start", "startend"):
                continue
            d = {k: (v or "") for k, v in tok[2]}
            for key in ("src", "data", "href"):
                if d.get(key):
                    candidates.append(d[key])
            if tok[1] == "param" and d.get("name", "").lower() in ("movie", "src", "url") and d.get("value"):
                candidates.append(d["value"])
        for url in candidates:
            if _is_web_url(url):
                return _embed_page(url)
        return None

    # ----- embeds and tweets

    def embed(self, url: str, needle: str, ctx: str) -> dict:
        kind = _embed_kind(url) or "content"
        word = self.words[kind] if kind in ("video", "audio") else self.words["embed"]
        para = tree.Para(_text_inlines(word + self.words["colon"]) + [tree.Space(), _autolink(url)])
        div = tree.Div("", ["embed", kind], [para], attrs=[("data-url", url)])
        what = kind if kind in ("video", "audio") else "embedded content"
        self.find("info", f"embed.{kind}", f"{what} printed as its address {url}", needle)
        if ctx == "inline":
            return self.final({"t": _MARKER, "c": div})
        return self.final(div)

    def embed_span(self, div: dict) -> dict:
        (_, classes, kvs), blocks = div["c"]
        return tree.Span("", classes, blocks[0]["c"], attrs=kvs)

    def tweet(self, url: str, text_blocks: list, needle: str, name: str | None = None, date: str | None = None) -> dict:
        m = _status(url)
        account = m.group("account") if m else None
        handle = f"@{account}" if account else None
        link = _autolink(url)
        if text_blocks:
            who = []
            if name and handle:
                who.append(f"{name} ({handle})")
            elif handle or name:
                who.append(handle or name)
            if date:
                who.append(date)
            label = "—\u00a0" + ", ".join(who) + ("," if who else "")
            source = tree.Para(_text_inlines(label) + [tree.Space(), link])
            body = [tree.BlockQuote(text_blocks), tree.Div("", ["tweet-source"], [source])]
            self.find("info", "embed.tweet", f"tweet {url} set as a quotation", needle)
        else:
            if handle:
                label = f"{self.words['tweet']} {handle}{self.words['colon']}"
            else:
                label = f"{self.words['tweet_noun']}{self.words['colon']}"
            source = tree.Para(_text_inlines(label) + [tree.Space(), link])
            body = [tree.Div("", ["tweet-source"], [source])]
            self.find(
                "info",
                "embed.tweet",
                f"tweet {url} has no text in the post: the book prints only its address "
                "(paste its text above it as a block quote to print it)",
                needle,
            )
        return self.final(tree.Div("", ["tweet"], body, attrs=[("data-url", url)]))

    def blockquote_tweets(self, children: list) -> list | None:
        """The tweets of a block quote that ends with a status URL (one per status URL in it)."""
        if not children or children[-1]["t"] not in ("Para", "Plain") or _status_tail(children[-1]["c"]) is None:
            return None
        tweets: list = []
        group: list = []
        for child in children:
            tail = _status_tail(child["c"]) if child["t"] in ("Para", "Plain") else None
            if tail is None:
                group.append(child)
                continue
            before, url, needle = tail
            if before and not _ATTRIBUTION_LINE.match(tree.stringify(before)):
                group.append(tree.Para(before))
            text_blocks = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in self.quiet_blocks(group)]
            tweets.append(self.tweet(_with_scheme(url), text_blocks, needle))
            group = []
        return tweets

    def attributed_tweet(self, children: list) -> dict | None:
        """A block quote ending with WordPress's "— Name (@handle) [date](status URL)" line (what the
        importer makes of a ``blockquote.twitter-tweet``)."""
        if self._quiet or not children or children[-1]["t"] not in ("Para", "Plain"):
            return None
        found = _attribution(children[-1]["c"])
        if found is None:
            return None
        url, name, _, date_text = found
        text_blocks = [{"t": "Para", "c": x["c"]} if x["t"] == "Plain" else x for x in self.quiet_blocks(children[:-1])]
        url = _canonical_status(url)
        return self.tweet(url, text_blocks, url.split("://", 1)[-1], name=name or None, date=self._tweet_date(date_text))

    def wordpress_tweet(self, inner: list[tuple], needle: str) -> dict | None:
        self._quiet += 1
        try:
            blocks = self.resolve(inner, "block")
        finally:
            self._quiet -= 1
        url = None
        name = date = None
        text_blocks: list = []
        for b in blocks:
            if b["t"] in ("Para", "Plain") and url is None:
                found = _attribution(b["c"])
                if found is not None:
                    url, name, handle_text, date_text = found
                    name = name or None
                    date = self._tweet_date(date_text)
                    continue
            text_blocks.append({"t": "Para", "c": b["c"]} if b["t"] == "Plain" else b)
        if url is None:
            for b in blocks:
                for link in _links(b):
                    if _status(link):
                        url = link
            if url is None:
                return None
        url = _canonical_status(url)
        return self.tweet(url, text_blocks, url.split("://", 1)[-1], name=name, date=date)

    def _tweet_date(self, text: str) -> str | None:
        d = _parse_date(text)
        return lang_mod.format_date(d, self.lang) if d else None

    # ----- paragraphs

    def para(self, t: str, inlines: list) -> list:
        inlines = _strip_spaces(inlines)
        if not inlines:
            return []
        if self._quiet:
            return [{"t": t, "c": inlines}]
        text = tree.stringify(inlines)
        if not self._in_list and _is_share(text):
            first = next((el["c"] for el in inlines if el["t"] == "Str"), text)
            self.find("info", "share.removed", f"share-button text {text!r} removed", first)
            return []
        cut = _cut_share_tail(inlines)
        if cut is not None:
            inlines, removed = cut
            self.find("info", "share.removed", f"share-button text {removed!r} removed", removed)
        only = _only_url(inlines)
        if only is not None:
            url, needle = only
            if _status(url):
                return [self.tweet(_with_scheme(url), [], needle)]
            if _embed_kind(url):
                return [self.embed(_with_scheme(_embed_page(url)), needle, "block")]
        tail = _status_tail(inlines)
        if tail is not None:
            before, url, needle = tail
            intro = tree.stringify(before).rstrip()
            url = _with_scheme(url)
            if intro.endswith(":"):
                return [{"t": t, "c": before}, self.tweet(url, [], needle)]
            return [self.tweet(url, [tree.Para(before)], needle)]
        return [{"t": t, "c": inlines}]

    def caption_shortcode(self, inlines: list) -> dict | None:
        if not inlines or inlines[0]["t"] != "Str" or not inlines[0]["c"].startswith("[caption"):
            return None
        last = inlines[-1]
        if last["t"] != "Str" or not last["c"].endswith("[/caption]"):
            return None
        # the attributes run to the first "]" of a Str; the image follows
        k = 0
        head: list[str] = []
        while k < len(inlines):
            el = inlines[k]
            head.append(" " if el["t"] in ("Space", "SoftBreak") else el.get("c", "") if el["t"] == "Str" else "")
            k += 1
            if el["t"] == "Str" and el["c"].endswith("]"):
                break
        rest = inlines[k:]
        image = None
        idx = None
        for n, el in enumerate(rest):
            if el["t"] == "Image":
                image, idx = el, n
                break
            if el["t"] == "Link" and len(el["c"][1]) == 1 and el["c"][1][0]["t"] == "Image":
                image, idx = el["c"][1][0], n
                break
        if image is None:
            return None
        caption = list(rest[idx + 1:])
        end = caption[-1]["c"][: -len("[/caption]")] if caption else ""
        caption = caption[:-1] + ([tree.Str(end)] if end else [])
        caption = _strip_spaces(caption)
        if not caption:
            m = re.search(r'caption="([^"]*)"', "".join(head))
            caption = _text_inlines(m.group(1)) if m else []
        attr, alt, target = image["c"]
        if not alt and caption:
            alt = copy.deepcopy(caption)
        img = {"t": "Image", "c": [attr, alt, target]}
        self.find("info", "embed.caption", "WordPress [caption] turned into a figure", "[caption")
        return self.final(
            {"t": "Figure", "c": [["", [], []], [None, [tree.Plain(caption)] if caption else []], [tree.Plain([img])]]}
        )


# ---------------------------------------------------------------- helpers


def _text_inlines(text: str) -> list[dict]:
    out: list[dict] = []
    for part in re.split(r"([ \t\r\n]+)", text):
        if not part:
            continue
        if part.isspace():
            if not out or out[-1]["t"] != "Space":
                out.append(tree.Space())
        else:
            out.append(tree.Str(part))
    return out


def _raw_html(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, list):
        for x in node:
            found.extend(_raw_html(x))
    elif isinstance(node, dict):
        if node.get("t") in ("RawInline", "RawBlock") and node["c"][0].lower() in _HTML_FORMATS:
            found.append(node["c"][1])
        else:
            for v in node.values():
                found.extend(_raw_html(v))
    return found


_strip_spaces = tree.strip_spaces


def _autolink(url: str) -> dict:
    return tree.Link([tree.Str(url)], url, classes=["uri"])


def _url_of(el: dict) -> tuple[str, str] | None:
    """The URL an inline stands for, if it is a bare URL (Str) or an autolink; with its needle."""
    if el["t"] == "Str":
        url = _trim(el["c"])
        if re.match(r"^(?:https?://|www\.)\S+$", url, re.I):
            return url, url
        return None
    if el["t"] == "Link":
        target = el["c"][2][0]
        text = tree.stringify(el["c"][1])
        bare = lambda u: re.sub(r"^(?:https?://)?(?:www\.)?", "", u).rstrip("/")  # noqa: E731
        if text and bare(text) == bare(target):
            return target, target
    return None


def _only_url(inlines: list) -> tuple[str, str] | None:
    content = [el for el in inlines if el["t"] not in ("Space", "SoftBreak", "LineBreak")]
    if len(content) != 1:
        return None
    return _url_of(content[0])


def _status_tail(inlines: list) -> tuple[list, str, str] | None:
    """(inlines before, status URL, needle) when ``inlines`` ends with a tweet's status URL."""
    inlines = _strip_spaces(inlines)
    if not inlines:
        return None
    found = _url_of(inlines[-1])
    if found is None or not _status(found[0]):
        return None
    before = inlines[:-1]
    if before and before[-1]["t"] not in ("Space", "SoftBreak", "LineBreak"):
        return None
    return _strip_spaces(before), found[0], found[1]


def _canonical_status(url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    return re.sub(r"[?#].*$", "", url) if "#!/" not in url else re.sub(r"\?.*$", "", url)


def _links(node: Any) -> list[str]:
    found: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for x in n:
                visit(x)
        elif isinstance(n, dict):
            if n.get("t") == "Link":
                found.append(n["c"][2][0])
            for v in n.values():
                visit(v)

    visit(node)
    return found


def _attribution(inlines: list) -> tuple[str, str, str, str] | None:
    """WordPress's "— Name (@handle) <a href=status>date</a>": (url, name, handle, date text)."""
    text = tree.stringify(inlines).strip()
    if not re.match(r"^(?:—|–|&mdash;|--)", text):
        return None
    for k, el in enumerate(inlines):
        if el["t"] == "Link" and _status(el["c"][2][0]):
            who = tree.stringify(inlines[:k]).strip()
            who = re.sub(r"^(?:—|–|&mdash;|--)\s*", "", who)
            m = re.match(r"^(?P<name>.*?)\s*\(\s*(?P<handle>@\w+)\s*\)\s*$", who)
            name, handle = (m.group("name"), m.group("handle")) if m else (who, "")
            return el["c"][2][0], name.strip(), handle, tree.stringify(el["c"][1])
    return None


# "— @handle" or "-- Name" typed by the author before the status URL: the book writes its own.
_ATTRIBUTION_LINE = re.compile(r"^\s*(?:—|–|--?)\s*@?[\w .()@]{1,60}$")

_MONTHS = {
    name: i + 1
    for names in (
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"),
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
    )
    for i, name in enumerate(names)
}


def _parse_date(text: str) -> dt.date | None:
    t = text.strip().lower().replace(".", "")
    m = re.match(r"^(\w+)\s+(\d{1,2}),?\s+(\d{4})$", t)  # November 24, 2010
    if m and m.group(1) in _MONTHS:
        month, day, year = _MONTHS[m.group(1)], int(m.group(2)), int(m.group(3))
    else:
        m = re.match(r"^(\d{1,2})(?:er)?\s+(\w+)\s+(\d{4})$", t)  # 24 novembre 2010
        if not (m and m.group(2) in _MONTHS):
            return None
        day, month, year = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_SHARE_ACTIONS = (
    "j'aime chargement", "pin it", "share this", "partager", "share", "tweeter", "tweet", "j'aime ceci",
    "j'aime", "like this", "like", "imprimer", "print", "chargement", "loading", "envoyer par courriel",
)
_SHARE_NETWORKS = (
    "facebook", "twitter", "linkedin", "pinterest", "reddit", "tumblr", "pocket", "whatsapp", "telegram",
    "google+", "email", "e-mail", "courriel", "plus", "more", "sur", "on", "this", "ceci",
)
_SHARE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(_SHARE_ACTIONS + _SHARE_NETWORKS, key=len, reverse=True)) + r")(?!\w)"
)
_SHARE_ACTION_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in _SHARE_ACTIONS) + r")(?!\w)")
_SHARE_TAIL = re.compile(
    r"(?:^|[ \n])(Pin It|Share this\s?:|Partager\s?:|Like this\s?:|J[’']aime chargement(?:…|\.\.\.)?)\s*$"
)


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ").lower().split())


def _is_share(text: str) -> bool:
    norm = _normalise(text)
    if not norm or not _SHARE_ACTION_RE.search(norm):
        return False
    rest = _SHARE_RE.sub(" ", norm)
    return not re.sub(r"[\s:|·•,\-–—.…/()]+", "", rest)


def _cut_share_tail(inlines: list) -> tuple[list, str] | None:
    k = len(inlines)
    while k and inlines[k - 1]["t"] in ("Str", "Space", "SoftBreak"):
        k -= 1
    tail = inlines[k:]
    text = "".join(el["c"] if el["t"] == "Str" else ("\n" if el["t"] == "SoftBreak" else " ") for el in tail)
    m = _SHARE_TAIL.search(text)
    if m is None or m.start(1) == 0 and k == 0:
        return None
    kept = text[: m.start(1)]
    rebuilt: list[dict] = []
    for piece in re.split(r"( |\n)", kept):
        if piece == " ":
            rebuilt.append(tree.Space())
        elif piece == "\n":
            rebuilt.append({"t": "SoftBreak"})
        elif piece:
            rebuilt.append(tree.Str(piece))
    return _strip_spaces(inlines[:k] + rebuilt), m.group(1)


# ---------------------------------------------------------------- entry point


def convert(blocks: list, lang: str) -> tuple[list, list[Finding]]:
    """New blocks with blog artefacts turned into book text, and what the author should know."""
    converter = _Converter(lang)
    # the converter never changes a node it is given: it builds new lists and elements, and keeps
    # the words (and what it has no reason to rebuild) as they are, shared with the caller's tree
    out = converter.blocks(list(blocks))
    return out, converter.findings
