"""WordPress's ``wpautop``: the paragraphs and line breaks of classic-editor content.

A port of ``wpautop()`` from WordPress's ``wp-includes/formatting.php`` (6.x), step for step, so a
post reads in the book as it read on the blog: a blank line starts a paragraph, a single newline
inside a paragraph is a ``<br />``; nothing is added inside ``<pre>``, ``<script>``/``<style>``,
between list items, table cells or around other block elements. Block-editor content (which
carries ``<!-- wp:… -->`` comments) is not passed through it, as WordPress does not either.
"""

from __future__ import annotations

import re

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    r"|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer"
    r"|nav|figure|figcaption|details|menu|summary)"
)
_NEWLINE_MARK = " <!-- wpnl --> "
_TAG_OR_COMMENT = re.compile(r"(<!--.*?-->|<[^>]*>?)", re.S)


def _replace_in_html_tags(text: str, old: str, new: str) -> str:
    """``wp_replace_in_html_tags``: replace inside tags and comments only, never in text."""
    parts = _TAG_OR_COMMENT.split(text)
    for k in range(1, len(parts), 2):
        parts[k] = parts[k].replace(old, new)
    return "".join(parts)


def wpautop(text: str, br: bool = True) -> str:
    if not text.strip():
        return ""
    text = text + "\n"
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        pieces = text.split("</pre>")
        last = pieces.pop()
        text = ""
        for i, piece in enumerate(pieces):
            start = piece.find("<pre")
            if start < 0:
                text += piece
                continue
            name = f"<pre wp-pre-tag-{i}></pre>"
            pre_tags[name] = piece[start:] + "</pre>"
            text += piece[:start] + name
        text += last

    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + _ALLBLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + _ALLBLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_in_html_tags(text, "\n", _NEWLINE_MARK)

    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)

    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)

    if br:
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"),
            text,
            flags=re.S,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = re.sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)

    for name, original in pre_tags.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_MARK, "\n").replace("<!-- wpnl -->", "\n")
    return text
