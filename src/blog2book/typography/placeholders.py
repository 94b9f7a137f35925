"""The characters a run of text holds in place of what the rules must not see.

An inline element or a protected zone (a URL, an e-mail address, a time…) stands in the run as one
word-like private-use character; a ``LineBreak`` as one break-like character.
"""

from __future__ import annotations

import re

PW_BASE = 0xF0000  # word-like placeholders (inline elements, protected text)
PB_BASE = 0x100000  # break-like placeholders (LineBreak)
PW = "\U000f0000-\U000ffffd"
PB = "\U00100000-\U0010fffd"
PUA = re.compile(f"[{PW}{PB}]")

SP = "[ \u00a0\u2009\u202f\n]"  # spaces normalised next to punctuation (\n = SoftBreak)


def is_pw(ch: str) -> bool:
    return PW_BASE <= ord(ch) < PB_BASE


def is_pb(ch: str) -> bool:
    return ord(ch) >= PB_BASE


# ---------------------------------------------------------------- protected zones

_URL_BODY = f"[^\\s<>\"«»“”{PW}{PB}]+"
# In lookarounds a placeholder counts as a letter: a second pass sees a Superscript or a protected
# zone where the first saw letters, and must decide the same way.
URL = re.compile(rf"(?<![\w@.{PW}])(?:[a-zA-Z][a-zA-Z0-9+.\-]*://|www\.|mailto:){_URL_BODY}")
EMAIL = re.compile(rf"(?<![\w.+\-{PW}])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+(?![\w{PW}])")
_HANDLE = re.compile(rf"(?<![\w@/{PW}])@\w+")
_HASHTAG = re.compile(rf"(?<![\w&#/{PW}])#\w+")
_TIME = re.compile(rf"(?<![\w:{PW}])\d{{1,4}}(?::\d{{1,4}})+(?![\w:{PW}])")
_EMOTICON = re.compile(rf"(?<![\w:;{PW}])[:;]-?['’]?(?:[()\[\]/\\|*3]|[DPpOo](?![\w{PW}]))")
_DRIVE = re.compile(rf"(?<![\w{PW}])[A-Za-z]:\\[^\s]*")
_SCOPE = re.compile(r"\w+(?:::\w+)+")
_URL_TRAIL = ".,;:!?'’…"


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        if last in _URL_TRAIL:
            url = url[:-1]
        elif last == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


# what each protected zone cannot do without (most runs hold none of it: their patterns are not run)
_PROTECTED = ((EMAIL, "@"), (_HANDLE, "@"), (_HASHTAG, "#"), (_TIME, ":"), (_EMOTICON, ":;"), (_DRIVE, "\\"), (_SCOPE, ":"))


def protect_spans(s: str) -> list[tuple[int, int]]:
    """(start, end) of the text that no rule may touch, in order, non-overlapping."""
    found: list[tuple[int, int]] = []
    if "://" in s or "www." in s or "mailto:" in s:
        for m in URL.finditer(s):
            found.append((m.start(), m.start() + len(_trim_url(m.group(0)))))
    for rx, needs in _PROTECTED:
        if any(ch in s for ch in needs):
            found.extend(m.span() for m in rx.finditer(s))
    if not found:
        return []
    taken = [False] * len(s)
    spans: list[tuple[int, int]] = []
    for a, b in found:  # the first pattern to claim a character keeps it
        if b > a and not any(taken[a:b]):
            spans.append((a, b))
            for i in range(a, b):
                taken[i] = True
    spans.sort()
    return spans
