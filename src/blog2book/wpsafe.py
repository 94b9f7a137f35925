"""WordPress HTML made safe for a book, on text, before pandoc reads it.

``sanitize(html)`` re-writes the HTML tag by tag (Python's tokenizer, no tree building, so the
text and line breaks stay where they were) and returns it with findings for the author:

* ``<script>``, ``<style>``, ``<noscript>``, ``<svg>``… removed with their content (``html.removed``;
  the Twitter/Instagram widget scripts that follow an embed are only an info);
* ``<iframe>``, ``<video>``, ``<audio>``, ``<object>``, ``<embed>``, Instagram/TikTok block quotes:
  replaced by a paragraph that is the link to what they showed (its public page for a player
  URL), info ``embed.html``; without a web address, removed with a warning; one never closed
  does not swallow the text after it (warning ``html.unclosed``);
* forms, buttons, ``<link>``, ``<meta>``, ``<base>``, frames: the tag removed, the text kept;
* event attributes (``on…``) removed; ``style``, ``srcset``, ``sizes``, ``data-*`` dropped silently;
* a link to ``javascript:``/``data:``/a local file keeps only its text (``link.unsafe``), such an
  image only its alt text (``image.unsafe``).
"""

from __future__ import annotations

import html as html_mod
import re
from html.parser import HTMLParser

from blog2book.embeds.common import Finding
from blog2book.embeds.htmlrules import (
    EMBED_TAGS, SKIP_CONTENT, URL_ATTRS, VOID, embed_sources, needle_for_tag, removal, unsafe_target, widget_scripts,
)
from blog2book.embeds.media import embed_page, is_web_url

_DROP_TAG = frozenset(
    "link meta base form input button option frame frameset applet portal param source track".split()
)
_WIDGET = widget_scripts(r"tiktok\.com/embed")


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.findings: list[Finding] = []
        self._skip: list[str] = []  # tag whose content is being skipped (nested same tags counted)
        self._embed: list[tuple[str, list[str], str]] = []  # (tag, candidate URLs, needle)
        self._inside: list[str] = []  # the text met inside an open embed (kept if it is never closed)
        self._anchors: list[bool] = []  # per open <a>: was it turned into a <span>?
        self._skipped: list[str] = []  # the text of the tag being skipped
        self._skip_from: tuple[int, int, int] = (1, 0, 0)  # where the skipped tag's content starts (line, column), its finding

    def warn(self, code: str, message: str, needle: str, level: str = "warning") -> None:
        self.findings.append(Finding(level, code, message, needle))

    def needle(self, tag: str) -> str:
        return needle_for_tag(self.get_starttag_text() or f"<{tag}", tag)

    # ----- tags

    def handle_starttag(self, tag, attrs, closed: bool = False):
        if self._skip:
            if tag == self._skip[0] and not closed:
                self._skip.append(tag)
            return
        attrs_d = {k.lower(): (v or "") for k, v in attrs}
        if self._embed:
            self._candidates(tag, attrs_d)
            if tag in EMBED_TAGS and tag not in VOID and not closed:
                self._embed.append((tag, [], ""))
            return
        needle = self.needle(tag)
        if tag in SKIP_CONTENT:
            level, message = removal(tag, attrs_d.get("src", ""), _WIDGET)
            self.warn("html.removed", message, needle, level=level)
            if not closed:
                self._skip.append(tag)
                line, col = self.getpos()
                self._skip_from = (line, col + len(self.get_starttag_text() or ""), len(self.findings) - 1)
            return
        if tag in EMBED_TAGS:
            if closed or tag == "embed":
                self._embed.append((tag, [], needle))
                self._candidates(tag, attrs_d)
                self._close_embed()
            else:
                self._embed.append((tag, [], needle))
                self._candidates(tag, attrs_d)
            return
        if tag == "blockquote" and re.search(r"instagram-media|tiktok-embed", attrs_d.get("class", "")):
            url = attrs_d.get("data-instgrm-permalink") or attrs_d.get("cite")
            self._embed.append(("blockquote", [url] if url else [], needle))
            return
        if tag in _DROP_TAG:
            self.warn("html.removed", f"removed <{tag}>", needle)
            if tag == "form" and not closed:
                self.out.append("<div>")  # its text stays a block of its own
            return
        kept: list[str] = []
        unsafe = None
        for k, v in attrs:
            k = k.lower()
            v = v or ""
            if k.startswith("on"):
                self.warn("html.removed", f"removed the event-handler attribute {k} of <{tag}>", needle)
            elif k in ("style", "srcset", "sizes") or k.startswith("data-"):
                continue
            elif k in URL_ATTRS and v and unsafe_target(v):
                unsafe = (k, v)
            else:
                kept.append(f' {k}="{html_mod.escape(v, quote=True)}"' if v or k in ("alt",) else f" {k}")
        if unsafe is not None:
            k, v = unsafe
            if tag == "a":
                self.warn("link.unsafe", f"link to {v!r} removed (its text is kept)", v)
                if not closed:
                    self._anchors.append(True)
                    self.out.append("<span>")
                return
            if tag == "img":
                self.warn("image.unsafe", f"image {v!r} removed (its alt text is kept)", v)
                self.out.append(html_mod.escape(attrs_d.get("alt", ""), quote=False))
                return
            self.warn("html.removed", f"removed the attribute {k}={v!r} of <{tag}>", v)
        if tag == "a" and not closed:
            self._anchors.append(False)
        self.out.append(f"<{tag}{''.join(kept)}{' /' if closed else ''}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
                if not self._skip:
                    self._swallowed()
            return
        if self._embed:
            if tag == self._embed[-1][0]:
                if len(self._embed) == 1:
                    self._close_embed()
                else:
                    self._embed.pop()
            return
        if tag in _DROP_TAG:
            if tag == "form":
                self.out.append("</div>")
            return
        if tag == "a" and self._anchors:
            self.out.append("</span>" if self._anchors.pop() else "</a>")
            return
        self.out.append(f"</{tag}>")

    def _swallowed(self) -> None:
        """A script or style whose content holds the post's paragraphs (its end tag was forgotten
        above them, and a later one closed it): what was removed is said, with its lines."""
        line, _, index = self._skip_from
        lines = self.getpos()[0] - line
        content = "".join(self._skipped)
        self._skipped.clear()
        if re.search(r"<(?:p|h[1-6]|li|blockquote)\b", content, re.I):
            opened = self.findings[index]
            message = f"{opened.message}: {lines} line(s) that hold the post's text (<p>…); is its end tag missing above them?"
            self.findings[index] = Finding("warning", opened.code, message, opened.needle)

    def _candidates(self, tag: str, attrs: dict[str, str]) -> None:
        self._embed[0][1].extend(embed_sources(tag, attrs, ("src", "data", "href", "cite", "data-instgrm-permalink")))

    def _close_embed(self) -> None:
        tag, urls, needle = self._embed[0]
        self._embed.clear()
        self._inside.clear()
        url = next((u for u in urls if is_web_url(u) and not unsafe_target(u)), None)
        if url is None:
            self.warn("html.removed", f"removed <{tag}>: no web address to print for it", needle)
            return
        url = embed_page(url)  # the public page of a player URL
        self.warn("embed.html", f"<{tag}> printed as its address {url}", needle, level="info")
        url = html_mod.escape(url, quote=True)
        self.out.append(f'\n\n<p><a href="{url}">{url}</a></p>\n\n')

    # ----- text

    def handle_data(self, data):
        if self._skip:
            self._skipped.append(data)
        if self._embed and not self._skip:
            self._inside.append(html_mod.escape(data, quote=False))
        if self._skip or self._embed:
            return
        self.out.append(html_mod.escape(data, quote=False))

    def handle_comment(self, data):
        return  # HTML comments (<!--more-->, editor notes) are not part of the text

    def handle_decl(self, decl):
        return

    def handle_pi(self, data):
        return

    def unknown_decl(self, data):
        return


def sanitize(text: str) -> tuple[str, list[Finding]]:
    parser = _Sanitizer()
    parser.feed(text)
    parser.close()
    if parser._skip:  # a <script> never closed: the text after it is the post's, kept and said so
        line, col, index = parser._skip_from
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        rest = text[starts[line - 1] + col:] if line - 1 < len(starts) else ""
        tag, opened = parser._skip[0], parser.findings[index]
        kept, more = sanitize(rest) if rest.strip() else ("", [])
        lines = f" ({rest.strip(chr(10)).count(chr(10)) + 1} line(s))" if rest.strip() else ""
        message = f"<{tag}> is never closed: the text after it{lines} is kept"
        parser.findings[index] = Finding("warning", "html.unclosed", message, opened.needle)
        parser.out.append(kept)
        parser.findings.extend(more)
    if parser._embed:  # an <iframe> never closed: the text after it is the post's, not the embed's
        tag, _, needle = parser._embed[0]
        after = "".join(parser._inside)
        parser._close_embed()
        if after.strip():
            parser.warn("html.unclosed", f"<{tag}> is never closed: the text after it is kept", needle)
            parser.out.append(after)
    return "".join(parser.out), parser.findings
