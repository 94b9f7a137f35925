"""French ordinals: the right forms (superscripted by ``runs``), the forbidden forms rewritten, and
``forbidden_forms``, which finds the forbidden ones in Markdown source for ``check``."""

from __future__ import annotations

import re

from blog2book.typography.placeholders import EMAIL, PW, URL

# Forbidden ordinal forms (and the correct ones, for superscripts).
_ROMAN_OK = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
_BAD_SUFFIX = r"(?:ièmes?|iemes?|iémes?|èmes?|emes?|émes?|ières?|ieres?|ères?|eres?|iers?|è)"
_FORBIDDEN = re.compile(rf"(?<![\w.,/:{PW}])(?P<n>\d+|[IVX]+)(?P<suf>{_BAD_SUFFIX})(?![\w])")
_FORBIDDEN_ANYWHERE = re.compile(rf"(?:\d|[IVX])(?:{_BAD_SUFFIX})")  # what every forbidden form holds, whatever is around it
ORDINAL = re.compile(
    rf"(?<![\w.,/:{PW}])(?P<n>\d+|[IVX]+)(?P<suf>ers|er|res|re|es|e|ndes|nde|nds|nd|des|de|ds|d)(?![\w])"
)


def roman(n: str) -> bool:
    return n.isalpha() and bool(_ROMAN_OK.fullmatch(n))


def _correct_ordinal(n: str, suf: str) -> str | None:
    """The correct form of a forbidden ordinal, or None when ``n`` is not a number."""
    if n.isalpha() and not roman(n):
        return None
    plural = suf.endswith("s")
    base = suf[:-1] if plural else suf
    if n in ("1", "I"):
        right = "re" if base in ("ère", "ere", "ière", "iere") else "er"
    else:
        right = "e"
    return n + right + ("s" if plural else "")


def ordinal_ok(n: str, suf: str) -> bool:
    if n.isalpha():
        if not roman(n):
            return False
        return suf in (("er", "re", "ers", "res") if n == "I" else ("e", "es"))
    if suf in ("er", "re", "ers", "res"):
        return n == "1"
    if suf in ("e", "es"):
        return n != "1" and not n.startswith("0")
    return n == "2"  # d, de, ds, des, nd, nde, nds, ndes


def fix_forbidden(s: str) -> str:
    def repl(m: re.Match) -> str:
        right = _correct_ordinal(m.group("n"), m.group("suf"))
        return m.group(0) if right is None else right

    return _FORBIDDEN.sub(repl, s)


# ---------------------------------------------------------------- source check

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_HTML_TAG = re.compile(r"<[A-Za-z/!][^>]*>")


def _mask(line: str) -> str:
    chars = list(line)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            chars[i] = "\x00"

    for rx in (_CODE_SPAN, _LINK_TARGET, _REF_DEF, _HTML_TAG):
        for m in rx.finditer(line):
            blank(m.start(), m.end())
    masked = "".join(chars)
    for m in URL.finditer(masked):
        blank(m.start(), m.end())
    masked = "".join(chars)
    for m in EMAIL.finditer(masked):
        blank(m.start(), m.end())
    return "".join(chars)


def forbidden_forms(text: str) -> list[tuple[int, int, str, str]]:
    """Forbidden ordinal abbreviations in Markdown source: (line, column, found, suggestion).

    Lines and columns are 1-based (columns count characters). Fenced code blocks, code spans,
    URLs, e-mail addresses, link targets and HTML tags are skipped (indented code blocks are not
    recognised: they look like list continuations). ``apply`` rewrites these forms
    in the book anyway; this is what ``check`` reports so the author can fix the source.
    """
    found: list[tuple[int, int, str, str]] = []
    if not _FORBIDDEN_ANYWHERE.search(text):  # most posts: masking (which only blanks characters) cannot make one
        return found
    fence: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        masked = _mask(line)
        for mm in _FORBIDDEN.finditer(masked):
            right = _correct_ordinal(mm.group("n"), mm.group("suf"))
            if right is not None:
                found.append((lineno, mm.start() + 1, mm.group(0), right))
    return found
