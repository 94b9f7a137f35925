"""Printed text matched with the post's Markdown.

The book prints a post's text changed: French spacing (U+202F, U+00A0 before « ; : ! ? » and inside
« »), typographic quotes, apostrophes and dashes, ligatures, words hyphenated at line ends, note
calls after words, and none of the Markdown (emphasis, links, escapes, HTML tags and entities).
Both sides are folded to a *key*: the text without any space or dash, quotes and apostrophes
folded to one each, ligatures spelled out, « … » as three dots. Markdown is read into its key with,
for each key character, the span of the post it came from (``project``), so that a match of keys
is a place in the post.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_FOLD = {
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "‹": "'", "›": "'",
    "‘": "'", "’": "'", "‚": "'", "ʼ": "'", "′": "'", "…": "...",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
}
_LIGATURES = {k: v for k, v in _FOLD.items() if "\ufb00" <= k <= "\ufb06"}
_DROP = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufffe\u00ad\u200b\u2060\ufeff")


def fold(ch: str, digits: bool = True) -> str:
    """What one character counts as in a key ("" for spaces, dashes, soft hyphens)."""
    if ch.isspace() or ch in _DROP or (not digits and ch.isdigit()):
        return ""
    return _FOLD.get(ch, ch)


_SPACES = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())  # every character ``isspace`` (none past U+3000)
_KEY = str.maketrans({**dict.fromkeys(_SPACES + "".join(_DROP), ""), **_FOLD})  # ``fold`` of every character, digits kept


def key(text: str, digits: bool = True) -> str:
    text = unicodedata.normalize("NFC", text)
    if digits:
        return text.translate(_KEY)
    return "".join(fold(c, digits) for c in text)


def printed(text: str) -> str:
    """Page text as an author reads it: every kind of space one space, ligatures spelled out,
    hyphenation joined (PDFium marks a line-end hyphen U+FFFE)."""
    text = text.replace("\ufffe", "").replace("\u00ad", "")
    for lig, letters in _LIGATURES.items():
        text = text.replace(lig, letters)
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean_insert(text: str) -> str:
    """An editor's text as it goes into a post: no typography the build would add again (no
    non-breaking or thin spaces, no soft hyphens, ligatures spelled out)."""
    text = unicodedata.normalize("NFC", text)
    for ch in "\u00a0\u202f\u2009\u2007":
        text = text.replace(ch, " ")
    text = text.replace("\u00ad", "").replace("\ufffe", "")
    for lig, letters in _LIGATURES.items():
        text = text.replace(lig, letters)
    return text


@dataclass(frozen=True)
class Projection:
    """A post's text as a key: ``text[i]`` came from ``source[starts[i]:ends[i]]``."""

    source: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    body: int  # where the body starts (after the front matter)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """The post's span of key characters i..j-1."""
        return self.starts[i], self.ends[j - 1]

    def find_all(self, needle: str, start: int = 0) -> list[int]:
        out, at = [], self.text.find(needle, start) if needle else -1
        while at >= 0:
            out.append(at)
            at = self.text.find(needle, at + 1)
        return out

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.source.count("\n", 0, offset) + 1
        return line, offset - (self.source.rfind("\n", 0, offset) + 1) + 1

    def key_at_line(self, line: int) -> int:
        """The first key character at or after the start of ``line``."""
        offset = 0
        for _ in range(max(line - 1, 0)):
            nl = self.source.find("\n", offset)
            if nl < 0:
                break
            offset = nl + 1
        import bisect

        return bisect.bisect_left(self.starts, offset)


_FRONT = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_LINE_START = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+)?")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A run of characters that are their own key and mean nothing to Markdown: ASCII letters and the
# plain punctuation, the precomposed Latin letters (no space, dash, quote, combining mark): taken
# at once, not one by one (a post is mostly these)
_PLAIN = {True: re.compile("[A-Za-z0-9!\"#$%'()+,./:;=?@|\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+"),
          False: re.compile("[A-Za-z!\"#$%'()+,./:;=?@|\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")}


def project(source: str, digits: bool = True) -> Projection:
    """The key of a post's Markdown body, each character with the span it came from."""
    m = _FRONT.match(source)
    body = m.end() if m else 0
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(chars: str, a: int, b: int) -> None:
        for c in chars:
            f = fold(c, digits)
            if not f:
                continue
            if unicodedata.combining(c) and text:
                joined = unicodedata.normalize("NFC", text[-1] + c)
                if len(joined) == 1:
                    text[-1] = joined
                    ends[-1] = b
                    continue
            for x in f:
                text.append(x)
                starts.append(a)
                ends.append(b)

    i, n = body, len(source)
    at_line = True
    plain = _PLAIN[digits].match
    while i < n:
        c = source[i]
        if at_line:
            at_line = False
            lead = _LINE_START.match(source, i)
            if lead and lead.end() > i:
                i = lead.end()
                continue
        elif run := plain(source, i):
            j = run.end()
            text.extend(source[i:j])
            starts.extend(range(i, j))
            ends.extend(range(i + 1, j + 1))
            i = j
            continue
        elif c == " ":  # no key
            i += 1
            continue
        if c == "\n":
            at_line = True
            i += 1
        elif c == "\\" and i + 1 < n and not source[i + 1].isspace():
            emit(source[i + 1], i, i + 2)
            i += 2
        elif c in "*`~" or (c == "_" and not (i > 0 and source[i - 1].isalnum() and i + 1 < n and source[i + 1].isalnum())):
            i += 1
        elif c == "^" and i + 1 < n and source[i + 1] == "[":
            i += 2
        elif c == "[":
            i += 1
        elif c == "]":
            i += 1
            if i < n and source[i] in "({":
                close = ")" if source[i] == "(" else "}"
                end = source.find(close, i)
                i = end + 1 if end >= 0 else i
        elif c == "<":
            tag = _TAG.match(source, i)
            if tag:
                i = tag.end()
            elif source.startswith(("<http://", "<https://", "<mailto:"), i):
                i += 1
            else:
                emit(c, i, i + 1)
                i += 1
        elif c == ">" and source.rfind("<", 0, i) > source.rfind(">", 0, i) and source.startswith(("http", "mailto"), source.rfind("<", 0, i) + 1):
            i += 1  # an autolink's closing bracket
        elif c == "&" and (ent := _ENTITY.match(source, i)):
            emit(html.unescape(ent.group(0)), i, ent.end())
            i = ent.end()
        elif c == "{" and i > 0 and source[i - 1] in "]`":
            end = source.find("}", i)
            i = end + 1 if end >= 0 else i + 1
        else:
            emit(c, i, i + 1)
            i += 1
    return Projection(source, "".join(text), tuple(starts), tuple(ends), body)


def nearest(candidates: list[int], after: int) -> int:
    """The candidate at or after ``after`` that is closest to it, else the last before it."""
    later = [c for c in candidates if c >= after]
    return min(later) if later else max(candidates)
