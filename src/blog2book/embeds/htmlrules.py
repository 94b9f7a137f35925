"""The rules of raw HTML in a post, shared by the two passes that meet it: the tags removed with their
content, the embed tags and the addresses they show, the attributes that hold a URL, the targets a
book must never follow or load; and HTML read as a list of tag events.

``embeds.rawhtml`` applies them to the raw HTML pandoc leaves in a post's tree, ``wpsafe`` to
WordPress's HTML, on text, before pandoc reads it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

HTML_FORMATS = frozenset(("html", "html4", "html5"))

VOID = frozenset("br img hr input meta link base param source track wbr col area embed keygen".split())
SKIP_CONTENT = frozenset("script style noscript template title head textarea select svg math canvas map".split())
EMBED_TAGS = frozenset("iframe video audio object embed".split())
URL_ATTRS = frozenset("href src action formaction data xlink:href background poster cite codebase srcset".split())

_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file):", re.I)
_SYSTEM_PATH = re.compile(
    r"^(?:~|[A-Za-z]:[\\/]|\\\\|/(?:etc|proc|sys|dev|home|root|usr|var|tmp|bin|sbin|lib|lib64|opt|mnt"
    r"|media|boot|srv|run|private|Users|Volumes|Library|System|Applications)(?:/|$))"
)
_WIDGET_HOSTS = (
    r"platform\.twitter\.com", r"instagram\.com/embed", r"connect\.facebook\.net", r"embedr?\.",
    r"platform\.linkedin\.com", r"s\.imgur\.com", r"widgets\.",
)


def _clean_url(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url)


def unsafe_scheme(url: str) -> bool:
    """A ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` URL."""
    return bool(_UNSAFE_SCHEME.match(_clean_url(url)))


def unsafe_target(url: str) -> bool:
    """A link or image target a book must never follow or load."""
    u = _clean_url(url)
    return bool(_UNSAFE_SCHEME.match(u) or _SYSTEM_PATH.match(u))


def widget_scripts(*more: str) -> re.Pattern:
    """The addresses of the widget scripts that follow an embed (Twitter's, Instagram's…, and
    ``more``): removing one is only an info."""
    return re.compile("(?:" + "|".join(_WIDGET_HOSTS + more) + ")", re.I)


WIDGET_SCRIPTS = widget_scripts()


def removal(tag: str, src: str, widgets: re.Pattern = WIDGET_SCRIPTS) -> tuple[str, str]:
    """(level, message) of a tag of ``SKIP_CONTENT`` removed with its content."""
    if tag == "script" and src and widgets.search(src):
        return "info", f"removed the embed script {src}"
    return "warning", f"removed <{tag}> and its content"


def needle_for_tag(raw: str, tag: str) -> str:
    """Where a tag stands in the source: its start tag as ``raw`` writes it (up to the end of its
    first line), so that two ``<a`` of a post are told apart by their attributes."""
    m = re.search(r"<\s*" + re.escape(tag) + r"\b[^>\n]*>?", raw, re.I)
    return m.group(0) if m else raw[:40]


def embed_sources(tag: str, attrs: dict[str, str], keys: tuple[str, ...] = ("src", "data", "href")) -> list[str]:
    """The addresses a tag of an embed gives for what it shows: ``keys``' values, and a Flash
    ``<param name="movie" value=…>``'s."""
    found = [attrs[key] for key in keys if attrs.get(key)]
    if tag == "param" and attrs.get("name", "").lower() in ("movie", "src", "url") and attrs.get("value"):
        found.append(attrs["value"])
    return found


# ---------------------------------------------------------------- tag events


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


def html_events(text: str) -> list[tuple]:
    """``("start"|"startend", tag, attrs, raw)``, ``("end", tag)``, ``("data", text)`` and
    ``("comment",)`` (comments, declarations) for ``text``, in order."""
    parser = _Events()
    parser.feed(text)
    parser.close()
    return parser.events


def raw_html(node: Any) -> list[str]:
    """The text of every raw HTML inline or block in ``node``."""
    found: list[str] = []
    if isinstance(node, list):
        for x in node:
            found.extend(raw_html(x))
    elif isinstance(node, dict):
        if node.get("t") in ("RawInline", "RawBlock") and node["c"][0].lower() in HTML_FORMATS:
            found.append(node["c"][1])
        else:
            for v in node.values():
                found.extend(raw_html(v))
    return found
