"""Video and other embeds turned into the address of what they showed.

A paragraph that is only a YouTube/Vimeo/Dailymotion/Facebook-video/Instagram-reel URL, or a raw
``<iframe>``/``<embed>``/``<object>``/``<video>``/``<audio>`` with an http(s) source, becomes
``Div(class "embed video")[Para("Vidéo\u00a0:" Link(url))]``; SlideShare, Instagram posts and any
other iframe source give "Contenu intégré" (class "embed content"); a link alone to a video file
(``.mp4``, ``.webm``…) is a video, to a sound file (``.mp3``, ``.ogg``…) "Audio" (class
"embed audio"). Embed-player URLs are rewritten to their public page (``youtube.com/embed/ID``
-> ``youtube.com/watch?v=ID``, ``player.vimeo.com/video/ID`` -> ``vimeo.com/ID``). An embed met
in the middle of a paragraph splits it. Findings: info ``embed.video`` / ``embed.audio`` /
``embed.content``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from blog2book import tree
from blog2book.embeds.common import autolink, text_inlines
from blog2book.embeds.htmlrules import embed_sources, html_events, raw_html

if TYPE_CHECKING:
    from blog2book.embeds.converter import Converter

MARKER = "_b2b_embed"  # a private inline that carries an embed Div up to its paragraph

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
_MEDIA_FILE = re.compile(r"^(?:https?:)?//\S+?\.(?:(?P<video>mp4|m4v|webm|ogv|mov|wmv|flv)|(?P<audio>mp3|ogg|oga|wav|m4a|wma|flac))(?:[?#]\S*)?$", re.I)


def embed_page(url: str) -> str:
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


def is_web_url(url: str) -> bool:
    """An http(s) or scheme-relative address of a host with a dot in its name."""
    return bool(re.match(r"^(?:https?:)?//[^\s/]+\.[^\s]+", url.strip(), re.I))


def embed_kind(url: str) -> str | None:
    """``"video"``, ``"audio"`` or ``"content"`` for a URL an embed shows, None for another URL."""
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


def embed_url(group: list[tuple]) -> str | None:
    """The public page of what an embed tag shows: ``group`` is its tag events, from its start tag
    to its end tag (the nodes pandoc made between them read for their raw HTML)."""
    candidates: list[str] = []
    events: list[tuple] = []
    for tok in group:
        if tok[0] == "node":
            for raw in raw_html(tok[1]):
                events.extend(html_events(raw))
        else:
            events.append(tok)
    for tok in events:
        if tok[0] not in ("start", "startend"):
            continue
        candidates.extend(embed_sources(tok[1], {k: (v or "") for k, v in tok[2]}))
    for url in candidates:
        if is_web_url(url):
            return embed_page(url)
    return None


def embed(conv: Converter, url: str, needle: str, ctx: str) -> dict:
    """The Div that prints an embed's address; in an inline context, carried by a ``MARKER`` inline
    up to its paragraph, which it splits."""
    kind = embed_kind(url) or "content"
    word = conv.words[kind] if kind in ("video", "audio") else conv.words["embed"]
    para = tree.Para(text_inlines(word + conv.words["colon"]) + [tree.Space(), autolink(url)])
    div = tree.Div("", ["embed", kind], [para], attrs=[("data-url", url)])
    what = kind if kind in ("video", "audio") else "embedded content"
    conv.find("info", f"embed.{kind}", f"{what} printed as its address {url}", needle)
    if ctx == "inline":
        return conv.final({"t": MARKER, "c": div})
    return conv.final(div)


def embed_span(div: dict) -> dict:
    """An embed's Div as a Span, where a marker is left among inlines that are not a paragraph's."""
    (_, classes, kvs), blocks = div["c"]
    return tree.Span("", classes, blocks[0]["c"], attrs=kvs)
