"""French (and English) typography on the pandoc JSON AST (book-style.md §2).

Pure functions: no I/O, no pandoc call. ``apply`` returns new blocks and never mutates its input;
it is idempotent (``apply(apply(x)) == apply(x)``) and leaves correct text as it is.

How it works
------------
Every inline list is handled as one *run* of text. Consecutive ``Str``/``Space``/``SoftBreak``
become one string (``Space`` -> " ", ``SoftBreak`` -> "\\n"); every other inline (Emph, Link, Code,
Note, ...) stands in the string as one private-use placeholder character that the rules treat like
a letter (so ``*vraiment* ?`` sees a word before the ``?``); a ``LineBreak`` is a placeholder that
the rules treat like a line start. The inline lists inside Emph, Strong, Link text, Image alt text,
Span, Note, ... are processed the same way, recursively.

Before the rules run, the parts of the text that must never change are also replaced by word-like
placeholders: URLs (``scheme://…``, ``www.…``, ``mailto:…``), e-mail addresses, ``@handles``,
``#hashtags``, times and ratios (``14:30``, ``3:1``), emoticons (``:)``, ``:-)``, ``;)``, ``:(``,
``:P``, ``:D``, ...), Windows paths and ``a::b``. ``Code``, ``CodeBlock``, ``RawInline``,
``RawBlock``, ``Math``, Link/Image targets and the text of autolinks (a link whose text is its
address: class ``uri``/``email``, or a single ``Str`` equal to the target) are never looked at.

After the rules, the string is split back: ordinary spaces become ``Space``, "\\n" ``SoftBreak``
(unless a rule replaced it), every other character (U+00A0 and U+202F included) stays inside a
``Str``; a French ordinal becomes ``Str("2")`` + ``Superscript([Str("e")])``.

Rules
-----
All styles but "off" (that is, "en" too):
  * ``...`` -> ``…`` (U+2026); ``etc...`` / ``etc…`` -> ``etc.``;
  * ``---`` -> ``—`` (U+2014); a spaced hyphen or double hyphen used as a dash (``mot - mot``,
    ``mot -- mot``) -> an en dash U+2013 in French, an em dash U+2014 in English, the author's
    ordinary spaces (or line break) kept around it. Never between two digits (``1983 - 1989`` is
    left as written), never in ``1983-1989`` or compounds;
  * straight double quotes ``"…"`` -> ``« … »`` (French) / ``“…”`` (English); quotes nested inside
    ``« »`` -> ``“ ”`` (English: nested ``‘ ’``). In French, top-level curly ``“…”`` become
    ``« … »`` too (nested ones stay). A ``"`` that closes nothing is left alone;
  * straight apostrophe ``'`` -> ``’`` (U+2019). French: always (``l'année``, ``'tite``). English: an
    opening ``‘`` at a word start (``'quoted'`` -> ``‘quoted’``) except elisions (``'90s``, ``'em``).

French styles only:
  * before ``; ! ?`` any U+0020/U+00A0/U+2009/U+202F/line break is removed and the style's space is
    emitted: U+202F ("fr-CA", "fr-FR") or nothing ("quebec-office"). A cluster (``?!``, ``!!``,
    ``???``, ``?…``) is one sign: no space inside. The space is added only after a letter, digit,
    closing quote/bracket or inline element, and only when the sign ends a word (``a?b`` untouched);
  * before ``:`` U+00A0 in every French style, same conditions (times, ratios, URLs, emoticons and
    ``::`` are protected or do not end a word);
  * inside ``« »``: U+00A0 ("fr-CA", "quebec-office") or U+202F ("fr-FR"), replacing any space;
  * ``95%``/``95 %`` -> ``95\\u00a0%`` (also ``‰ $ € ¢ £ °C °F M$ k$ G$``); a unit symbol after a
    number and a space (``10 km``, ``5 kg``, ``3 h``, ``2 min``, ``8 Go``, ``20 Mbit/s`` ...) gets
    U+00A0 instead of the space;
  * digit groups: a number of five digits or more gets U+202F between its groups of three
    (``15016`` -> ``15 016``); groups the author spaced (``1 350``) get U+202F. Four-digit numbers
    (years), pages (``p. 12345``), ``no``/``art.``/``ISBN`` numbers, decimals, URLs and code stay;
  * times ``8 h 12`` -> U+00A0 around the ``h`` (``15h30`` is left as written);
  * an incise dash glued to a word gets its space: `` –ou`` -> `` – ou`` (U+00A0 after an opening
    dash, before a closing one);
  * a Roman century without its ordinal: ``XXI siècle`` -> ``XXIe siècle`` (then superscripted);
  * a note call goes before the punctuation that follows it (``partager.[^1]`` -> ``partager¹.``),
    except after an abbreviation's period (``etc.``, ``M.``);
  * ordinals ``1er 1re 1ers 1res 2e 2es 10e 2d 2de 2ds 2des 2nd 2nde`` and Roman ``XXe``, ``XXIe``,
    ``Ier``, ``Ire`` -> number + ``Superscript`` letters. An existing ``Superscript`` stays as it is;
  * the forbidden forms ``2ème 2ième 2eme 2è 1ère 1ière 1ier XXème`` are rewritten to the correct
    form (``2e``, ``1re``, ``1er``, ``XXe``, then superscripted), because the book must be right,
    AND ``forbidden_forms`` reports them so ``check`` can tell the author to fix the source.
    ``1ème``/``1ième`` (gender unknown) become ``1er``.

A ``Span`` or ``Div`` with a ``lang`` attribute (``[text]{lang=en}``) is set in that language's
typography. "off" returns a copy of the blocks unchanged.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from blog2book import tree

STYLES = ("fr-CA", "quebec-office", "fr-FR", "en", "off")
FRENCH_STYLES = ("fr-CA", "quebec-office", "fr-FR")

NBSP = "\u00a0"
NNBSP = "\u202f"
THIN = "\u2009"

# Regions whose French follows France's rules (U+202F inside « »).
_EUROPEAN_FRENCH = {"fr", "be", "ch", "lu", "mc"}


@dataclass(frozen=True)
class Typography:
    style: str

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown typography style {self.style!r}; expected one of {', '.join(STYLES)}")

    @property
    def french(self) -> bool:
        return self.style in FRENCH_STYLES

    @property
    def space_before_high(self) -> str:
        """The space before ; ! ? ("" = none)."""
        return "" if self.style == "quebec-office" else NNBSP

    @property
    def quote_space(self) -> str:
        """The space inside « »."""
        return NNBSP if self.style == "fr-FR" else NBSP


def typography_for(lang: str, setting: str | None = None) -> Typography:
    """The typography for a book language (BCP 47), or the explicit ``setting`` (one of STYLES).

    ``fr``, ``fr-CA`` and any other ``fr-*`` -> "fr-CA" (book style), except France, Belgium,
    Switzerland, Luxembourg and Monaco (``fr-FR``, ``fr-BE``, ``fr-CH``, ``fr-LU``, ``fr-MC``) ->
    "fr-FR"; ``en*`` -> "en"; anything else -> "off". ``setting`` "auto" or "" means None.
    """
    if setting not in (None, "", "auto"):
        if setting not in STYLES:
            raise ValueError(f"unknown typography setting {setting!r}; expected one of {', '.join(STYLES)}")
        return Typography(setting)
    tag = (lang or "").strip().replace("_", "-").lower()
    subtags = [s for s in tag.split("-") if s]
    primary = subtags[0] if subtags else ""
    if primary == "fr":
        region = next((s for s in subtags[1:] if (len(s) == 2 and s.isalpha()) or (len(s) == 3 and s.isdigit())), None)
        return Typography("fr-FR" if region in _EUROPEAN_FRENCH else "fr-CA")
    if primary == "en":
        return Typography("en")
    return Typography("off")


# ---------------------------------------------------------------- placeholders and character classes

_PW_BASE = 0xF0000  # word-like placeholders (inline elements, protected text)
_PB_BASE = 0x100000  # break-like placeholders (LineBreak)
_PW = "\U000f0000-\U000ffffd"
_PB = "\U00100000-\U0010fffd"
_PUA = re.compile(f"[{_PW}{_PB}]")

_SP = "[ \u00a0\u2009\u202f\n]"  # spaces normalised next to punctuation (\n = SoftBreak)

_INLINE_TYPES = tree.INLINE_TYPES
_TEXT = frozenset(("Str", "Space", "SoftBreak"))
_OPAQUE = frozenset(("Code", "CodeBlock", "RawInline", "RawBlock", "Math"))

# ---------------------------------------------------------------- protected zones

_URL_BODY = f"[^\\s<>\"«»“”{_PW}{_PB}]+"
# In lookarounds a placeholder counts as a letter: a second pass sees a Superscript or a protected
# zone where the first saw letters, and must decide the same way.
_URL = re.compile(rf"(?<![\w@.{_PW}])(?:[a-zA-Z][a-zA-Z0-9+.\-]*://|www\.|mailto:){_URL_BODY}")
_EMAIL = re.compile(rf"(?<![\w.+\-{_PW}])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+(?![\w{_PW}])")
_HANDLE = re.compile(rf"(?<![\w@/{_PW}])@\w+")
_HASHTAG = re.compile(rf"(?<![\w&#/{_PW}])#\w+")
_TIME = re.compile(rf"(?<![\w:{_PW}])\d{{1,4}}(?::\d{{1,4}})+(?![\w:{_PW}])")
_EMOTICON = re.compile(rf"(?<![\w:;{_PW}])[:;]-?['’]?(?:[()\[\]/\\|*3]|[DPpOo](?![\w{_PW}]))")
_DRIVE = re.compile(rf"(?<![\w{_PW}])[A-Za-z]:\\[^\s]*")
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
_PROTECTED = ((_EMAIL, "@"), (_HANDLE, "@"), (_HASHTAG, "#"), (_TIME, ":"), (_EMOTICON, ":;"), (_DRIVE, "\\"), (_SCOPE, ":"))


def _protect_spans(s: str) -> list[tuple[int, int]]:
    """(start, end) of the text that no rule may touch, in order, non-overlapping."""
    found: list[tuple[int, int]] = []
    if "://" in s or "www." in s or "mailto:" in s:
        for m in _URL.finditer(s):
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


# ---------------------------------------------------------------- rules on a run string

_ELLIPSIS_ETC = re.compile(r"(?<![\w])etc(?=[.…]{2}|…)[.…]+")
_ELLIPSIS = re.compile(r"\.{3,}")
_EM_DASH = re.compile(r"(?<!-)---(?!-)")
_SPACED_DASH = re.compile(r"(?<=\S[ \n])--?(?=[ \n]\S)")

_QUOTE_OPEN_AFTER = set("([{-—–/«“‘")
_QUOTE_CLOSE_BEFORE = set(".,;:!?)]}…»”’-–—/")

_PREV_OK = f"[\\w{_PW}\u00bb\u201d\u2019)\\]}}%$€¢°]"
_HIGH = re.compile(
    rf"(?P<prev>{_PREV_OK})(?P<sp>{_SP}*)(?P<p>[;!?]+)"
    rf"(?=$|[\s)\]}}\u00bb\u201d\u2019\"'…,.:{_PW}{_PB}])"
)
_COLON = re.compile(rf"(?P<prev>{_PREV_OK})(?P<sp>{_SP}*):(?=$|[\s«“\"'‘{_PW}{_PB}])")
_GUILLEMET_OPEN = re.compile(rf"«{_SP}*(?=[^ \u00a0\u2009\u202f\n])")
_GUILLEMET_CLOSE = re.compile(rf"(?<=[^ \u00a0\u2009\u202f\n]){_SP}*»")
_SYMBOL = re.compile(rf"(?<=\d){_SP}?(?=(?:%|‰|\$|€|¢|£|°[CF]|[kMG]\$|[kMG]€)(?!\w))")
_UNITS = (
    "km/h Mbit/s Gbit/s kbit/s Mb/s Go/s Mo/s ko/s kWh GHz MHz Hz km cm mm mg kg kW min ms "
    "Mo Go Ko ko To Mb Gb kb mL ml cl ha m g h s W"
).split()
_UNIT = re.compile(
    rf"(?<=\d){_SP}(?=(?:{'|'.join(re.escape(u) for u in _UNITS)})(?![\w/’'\-]))"
)

# Forbidden ordinal forms (and the correct ones, for superscripts).
_ROMAN_OK = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
_BAD_SUFFIX = r"(?:ièmes?|iemes?|iémes?|èmes?|emes?|émes?|ières?|ieres?|ères?|eres?|iers?|è)"
_FORBIDDEN = re.compile(rf"(?<![\w.,/:{_PW}])(?P<n>\d+|[IVX]+)(?P<suf>{_BAD_SUFFIX})(?![\w])")
_FORBIDDEN_ANYWHERE = re.compile(rf"(?:\d|[IVX])(?:{_BAD_SUFFIX})")  # what every forbidden form holds, whatever is around it
_ORDINAL = re.compile(
    rf"(?<![\w.,/:{_PW}])(?P<n>\d+|[IVX]+)(?P<suf>ers|er|res|re|es|e|ndes|nde|nds|nd|des|de|ds|d)(?![\w])"
)


def _roman(n: str) -> bool:
    return n.isalpha() and bool(_ROMAN_OK.fullmatch(n))


def _correct_ordinal(n: str, suf: str) -> str | None:
    """The correct form of a forbidden ordinal, or None when ``n`` is not a number."""
    if n.isalpha() and not _roman(n):
        return None
    plural = suf.endswith("s")
    base = suf[:-1] if plural else suf
    if n in ("1", "I"):
        right = "re" if base in ("ère", "ere", "ière", "iere") else "er"
    else:
        right = "e"
    return n + right + ("s" if plural else "")


def _ordinal_ok(n: str, suf: str) -> bool:
    if n.isalpha():
        if not _roman(n):
            return False
        return suf in (("er", "re", "ers", "res") if n == "I" else ("e", "es"))
    if suf in ("er", "re", "ers", "res"):
        return n == "1"
    if suf in ("e", "es"):
        return n != "1" and not n.startswith("0")
    return n == "2"  # d, de, ds, des, nd, nde, nds, ndes


def _fix_forbidden(s: str) -> str:
    def repl(m: re.Match) -> str:
        right = _correct_ordinal(m.group("n"), m.group("suf"))
        return m.group(0) if right is None else right

    return _FORBIDDEN.sub(repl, s)


def _is_pw(ch: str) -> bool:
    return _PW_BASE <= ord(ch) < _PB_BASE


def _is_pb(ch: str) -> bool:
    return ord(ch) >= _PB_BASE


_QUOTE_CHARS = re.compile("[«»“”‘’\"]")


def _quotes(s: str, typo: Typography) -> str:
    """Straight double quotes paired into « » / “ ” (French) or “ ” / ‘ ’ (English).

    One stack of open quotes, each entry (closing character, origin). The classification of a
    straight quote looks only at neighbours that no later rule changes (« and » count as spaces,
    since the guillemet rule rewrites the spaces next to them), so a second pass finds the same
    pairs: that is what keeps ``apply`` idempotent.
    """
    french = typo.french
    out = list(s)
    stack: list[tuple[str, str]] = []  # (closing char, origin: "lit" | "curly" | "straight")
    n = len(s)

    def pop_to(closing: str) -> bool:
        for j in range(len(stack) - 1, -1, -1):
            if stack[j][0] == closing:
                del stack[j:]
                return True
        return False

    if '"' not in s and "“" not in s and "”" not in s:
        return s  # nothing to pair or change (the stack alone changes nothing)
    for m in _QUOTE_CHARS.finditer(s):  # every other character is left as it is
        i = m.start()
        ch = s[i]
        nxt = s[i + 1] if i + 1 < n else None
        if ch == "«" and french:
            stack.append(("»", "lit"))
        elif ch == "»" and french:
            pop_to("»")
        elif ch == "“":
            if french and not stack:
                out[i] = "«"
                stack.append(("»", "curly"))
            else:
                stack.append(("”", "lit"))
        elif ch == "”":
            if stack and stack[-1] == ("»", "curly"):
                out[i] = "»"
                stack.pop()
            elif stack and stack[-1][0] == "”":
                stack.pop()
        elif ch == "‘" and not french:
            stack.append(("’", "lit"))
        elif ch == "’" and not french and stack and stack[-1][0] == "’" and not (nxt and nxt.isalnum()):
            stack.pop()
        elif ch == '"':
            prev = s[i - 1] if i else None
            ws_before = prev is None or prev.isspace() or _is_pb(prev) or prev in "«“"
            ws_after = nxt is None or nxt.isspace() or _is_pb(nxt) or nxt in "»”"
            open_ctx = ws_before or prev in _QUOTE_OPEN_AFTER
            straight_open = bool(stack) and stack[-1][1] == "straight"
            if open_ctx and not ws_after:
                action = "open"
            elif not ws_before and (ws_after or nxt in _QUOTE_CLOSE_BEFORE):
                action = "close"
            else:
                action = "close" if straight_open else "open"
            if action == "open":
                if french:
                    opening, closing = ("«", "»") if not stack else ("“", "”")
                else:
                    opening, closing = ("“", "”") if not stack else ("‘", "’")
                out[i] = opening
                stack.append((closing, "straight"))
            elif straight_open:
                out[i] = stack.pop()[0]
    return "".join(out)


_ELISION = re.compile(r"(?:tis|twas|em|n|cause|til|\d0s|\d\ds?)(?!\w)", re.I)


def _apostrophes(s: str, typo: Typography) -> str:
    if "'" not in s:
        return s
    if typo.french:
        return s.replace("'", "’")
    out = list(s)
    for i, ch in enumerate(s):
        if ch != "'":
            continue
        prev = s[i - 1] if i else None
        nxt = s[i + 1] if i + 1 < len(s) else ""
        at_start = prev is None or prev.isspace() or _is_pb(prev) or prev in "([{“—–"
        if at_start and (nxt.isalnum() or (nxt and _is_pw(nxt))) and not _ELISION.match(s, i + 1):
            out[i] = "‘"
        else:
            out[i] = "’"
    return "".join(out)


def _dash(typo: Typography):
    dash = "–" if typo.french else "—"

    def repl(m: re.Match) -> str:
        s = m.string
        if s[m.start() - 2].isdigit() and s[m.end() + 1].isdigit():
            return m.group(0)
        return dash

    return repl


# Digit groups: a number of five digits or more (never a year, which has four) gets U+202F between
# its groups of three; groups the author separated by a space (``1 350``, ``10 000``) get U+202F too.
# Not after a decimal comma or point, nor after « p. », « art. », « no », « ISBN » (pages, articles, codes).
_NOT_AFTER = r"(?<![\w.,/:\-\u00a0\u202f" + _PW + r"])(?<!p\.\s)(?<!p\.\u00a0)(?<!art\.\s)(?<!no\s)(?<!ISBN\s)"
_LONG_NUMBER = re.compile(_NOT_AFTER + r"(?<!\d )(\d{5,})(?![\d\w" + _PW + r"]|\.\d)")
_GROUPED_NUMBER = re.compile(_NOT_AFTER + r"(?<!\d )\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d\w" + _PW + r"]|,\d{3})")
# Times written with « h »: « 8 h 12 », « 8 h 12 min » -> U+00A0 on both sides of the h.
_TIME_H = re.compile(r"(?<![\w" + _PW + r"])(\d{1,2})[ \u00a0]h[ \u00a0](\d{2})(?![\w" + _PW + r"])")
# An incise dash glued to the word after it (« s’inverser –ou du moins ») or before it: spaced.
_DASH_GLUED_AFTER = re.compile(r"(?<=[ \n])([–—])(?=[^\W\d_]|" + f"[{_PW}]" + ")")
_DASH_GLUED_BEFORE = re.compile(r"(?<=[^\W\d_])([–—])(?=[ \n,.;:!?)])")
# A century or millennium in Roman numerals without its ordinal: « XXI siècle » -> « XXIe siècle ».
_CENTURY = re.compile(r"(?<![\w" + _PW + r"])([IVX]+)(?=[ \u00a0](?:siècles?|millénaires?)\b)")


def _group_digits(digits: str) -> str:
    head = len(digits) % 3 or 3
    return NNBSP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _century(m: re.Match) -> str:
    n = m.group(1)
    if not _roman(n):
        return n
    return n + ("er" if n == "I" else "e")


_DIGIT = re.compile(r"\d")


def _rules(s: str, typo: Typography) -> str:
    # each rule runs only where the text holds what it looks for (a substring test costs far less
    # than a pattern's scan, and most runs of text need few of the rules)
    if "etc" in s:
        s = _ELLIPSIS_ETC.sub("etc.", s)
    if "..." in s:
        s = _ELLIPSIS.sub("…", s)
    if "-" in s:
        s = _EM_DASH.sub("—", s)
        s = _SPACED_DASH.sub(_dash(typo), s)
    s = _quotes(s, typo)
    s = _apostrophes(s, typo)
    if not typo.french:
        return s
    digits = _DIGIT.search(s) is not None
    if digits or "I" in s or "V" in s or "X" in s:
        s = _fix_forbidden(s)
    qs = typo.quote_space
    if "«" in s:
        s = _GUILLEMET_OPEN.sub("«" + qs, s)
    if "»" in s:
        s = _GUILLEMET_CLOSE.sub(qs + "»", s)
    if ";" in s or "!" in s or "?" in s:
        high = typo.space_before_high
        s = _HIGH.sub(lambda m: m.group("prev") + high + m.group("p"), s)
    if ":" in s:
        s = _COLON.sub(lambda m: m.group("prev") + NBSP + ":", s)
    if digits:
        s = _SYMBOL.sub(NBSP, s)
        s = _UNIT.sub(NBSP, s)
        s = _LONG_NUMBER.sub(lambda m: _group_digits(m.group(1)), s)
        s = _GROUPED_NUMBER.sub(lambda m: _group_digits(re.sub(r"\D", "", m.group(0))), s)
        if "h" in s:
            s = _TIME_H.sub(lambda m: f"{m.group(1)}{NBSP}h{NBSP}{m.group(2)}", s)
    if "–" in s or "—" in s:
        s = _DASH_GLUED_AFTER.sub(lambda m: m.group(1) + NBSP, s)
        s = _DASH_GLUED_BEFORE.sub(lambda m: NBSP + m.group(1), s)
    if "siècle" in s or "millénaire" in s:
        s = _CENTURY.sub(_century, s)
    return s


# ---------------------------------------------------------------- AST traversal

def apply(blocks: list, typo: Typography, memo: dict | None = None) -> list:
    """New blocks with the typography of ``typo`` applied (see the module docstring).

    With ``memo`` (``tree.share_leaves``'s), the words and spaces it writes are shared with the
    equal ones already in it: the book's text is made shared, not shared afterwards."""
    memo = {} if memo is None else memo
    if typo.style == "off":  # nothing to write: a copy, its words shared all the same
        return tree.share_leaves(tree.deepcopy(list(blocks)), memo)
    return [_node(b, typo, memo) for b in blocks]


def _is_inline_list(v: list) -> bool:
    """A list of inline elements (pandoc's lists hold one kind: the first element tells)."""
    if not v:
        return False
    first = v[0]
    return type(first) is dict and first.get("t") in _INLINE_TYPES


def _value(v: Any, typo: Typography, memo: dict) -> Any:
    if isinstance(v, list):
        if _is_inline_list(v):
            return _inlines(v, typo, memo)
        return [_value(x, typo, memo) for x in v]
    if isinstance(v, dict):
        if "t" in v:
            return _node(v, typo, memo)
        return {k: _value(x, typo, memo) for k, x in v.items()}
    return v


def _node(node: dict, typo: Typography, memo: dict) -> dict:
    t = node.get("t")
    if t in _OPAQUE:
        return copy.deepcopy(node)
    if t in ("Link", "Image"):
        attr, inlines, target = node["c"]
        if t == "Link" and (
            {"uri", "email"} & set(attr[1]) or (len(inlines) == 1 and inlines[0].get("t") == "Str" and inlines[0]["c"] == target[0])
        ):
            return copy.deepcopy(node)  # an autolink: its text is its address and must stay equal to it
        return {"t": t, "c": [copy.deepcopy(attr), _inlines(inlines, typo, memo), copy.deepcopy(target)]}
    if t in ("Span", "Div"):
        lang = dict(node["c"][0][2]).get("lang")
        if lang:  # a passage in another language: that language's typography (« [text]{lang=en} »)
            inner = typography_for(lang)
            if inner.style == "off":
                return copy.deepcopy(node)
            return {**node, "c": [copy.deepcopy(node["c"][0]), _value(node["c"][1], inner, memo)]}
    if "c" not in node:
        return dict(node)
    return {**node, "c": _value(node["c"], typo, memo)}


def _expand_quoted(inlines: list) -> list:
    out: list = []
    for el in inlines:
        if el.get("t") == "Quoted":
            kind, inner = el["c"]
            o, c = ("“", "”") if kind.get("t") == "DoubleQuote" else ("‘", "’")
            out.append({"t": "Str", "c": o})
            out.extend(_expand_quoted(inner))
            out.append({"t": "Str", "c": c})
        else:
            out.append(el)
    return out


def _inlines(inlines: list, typo: Typography, memo: dict) -> list:
    # A list with more inline elements than there are placeholders is processed element by element.
    if len(inlines) > 30000:
        return _one_by_one(_expand_quoted(inlines), typo, memo)

    slots: list[tuple[str, Any]] = []  # ("inline", element) | ("text", protected string)
    parts: list[str] = []
    breaks: list[dict] = []
    for el in inlines:
        t = el["t"]
        if t == "Str":
            parts.append(el["c"])
        elif t == "Space":
            if not parts or parts[-1] != " ":  # pandoc never writes two; others might
                parts.append(" ")
        elif t == "SoftBreak":
            parts.append("\n")
        elif t == "LineBreak":
            breaks.append(el)
            parts.append(chr(_PB_BASE + len(breaks) - 1))
        elif t == "Quoted":  # its quotation marks become text: the list with them, from the start
            return _inlines(_expand_quoted(inlines), typo, memo)
        else:
            slots.append(("inline", el))
            parts.append(chr(_PW_BASE + len(slots) - 1))
    s = "".join(parts)
    if len(_PUA.findall(s)) != len(slots) + len(breaks):
        # the text already holds placeholder characters: it cannot be processed safely as one run
        return _one_by_one(inlines, typo, memo)

    # protected text -> word-like placeholders
    spans = _protect_spans(s)
    if len(slots) + len(spans) > 65000:
        return _one_by_one(inlines, typo, memo)
    if spans:
        pieces: list[str] = []
        pos = 0
        for a, b in spans:
            pieces.append(s[pos:a])
            slots.append(("text", s[a:b]))
            pieces.append(chr(_PW_BASE + len(slots) - 1))
            pos = b
        pieces.append(s[pos:])
        s = "".join(pieces)

    s = _rules(s, typo)
    if typo.french:
        notes = "".join(chr(_PW_BASE + i) for i, (kind, el) in enumerate(slots) if kind == "inline" and el["t"] == "Note")
        if notes:
            s = _note_before_punctuation(s, notes)
    return _assemble(s, slots, breaks, typo, memo)


_CALL_PUNCT = "[\u00a0\u202f]?[.,;:!?…]+"
_ABBREVIATION_END = re.compile(r"(?:\betc|\b[A-ZÉ]|\bM|\bMe|\bp)$")


def _note_before_punctuation(s: str, notes: str) -> str:
    """French puts the note call before the punctuation: « partager.¹ » -> « partager¹. ».

    The period of an abbreviation (« etc. », « M. ») stays with its word."""
    rx = re.compile(f"({_CALL_PUNCT})([{re.escape(notes)}]+)")

    def repl(m: re.Match) -> str:
        punct, calls = m.group(1), m.group(2)
        if punct.startswith(".") and _ABBREVIATION_END.search(s[: m.start()]):
            return m.group(0)
        return calls + punct

    return rx.sub(repl, s)


def _one_by_one(inlines: list, typo: Typography, memo: dict) -> list:
    return [_node(el, typo, memo) if el["t"] not in _TEXT else copy.deepcopy(el) for el in inlines]


_ASSEMBLY_SPLIT = re.compile(f"([ \n{_PW}{_PB}])")  # what _assemble does not copy as it is


def _assemble(s: str, slots: list, breaks: list, typo: Typography, memo: dict) -> list:
    """The run string back into inlines: its text between spaces, breaks and placeholders as
    ``Str`` (shared through ``memo``), ordinals as number + ``Superscript``."""
    out: list[dict] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = buf[0] if len(buf) == 1 else "".join(buf)
            word = memo.get(("Str", text))
            if word is None:
                word = memo[("Str", text)] = {"t": "Str", "c": text}
            out.append(word)
            buf.clear()

    ordinals: list[tuple[int, int, int]] = []  # (start, end of the number, end)
    if typo.french:
        ordinals = [(m.start(), m.end("n"), m.end()) for m in _ORDINAL.finditer(s) if _ordinal_ok(m.group("n"), m.group("suf"))]
    o = 0  # the next ordinal
    pos = 0  # where the piece starts in ``s``
    for k, piece in enumerate(_ASSEMBLY_SPLIT.split(s)):  # text, stop, text, stop, ..., text
        if not k % 2:
            if not piece:
                continue
            end_of_piece = pos + len(piece)
            at = 0
            while o < len(ordinals) and ordinals[o][0] < end_of_piece:  # ordinals lie within a text
                start, num_end, end = ordinals[o]
                buf.append(piece[at:num_end - pos])
                flush()
                out.append({"t": "Superscript", "c": [{"t": "Str", "c": s[num_end:end]}]})
                at = end - pos
                o += 1
            if at < len(piece):
                buf.append(piece[at:] if at else piece)
            pos = end_of_piece
            continue
        pos += 1
        if piece == " ":
            flush()
            if not out or out[-1]["t"] != "Space":
                out.append(memo.setdefault("Space", {"t": "Space"}))
        elif piece == "\n":
            flush()
            out.append(memo.setdefault("SoftBreak", {"t": "SoftBreak"}))
        else:
            code = ord(piece)
            if code >= _PB_BASE:
                flush()
                out.append(copy.deepcopy(breaks[code - _PB_BASE]))
            else:
                kind, value = slots[code - _PW_BASE]
                if kind == "text":
                    buf.append(value)
                else:
                    flush()
                    out.append(_node(value, typo, memo))
    flush()
    return out


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
    for m in _URL.finditer(masked):
        blank(m.start(), m.end())
    masked = "".join(chars)
    for m in _EMAIL.finditer(masked):
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
