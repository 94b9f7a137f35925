"""The rules on a run's text (``apply_rules``); ``runs`` makes the run and splits it back.

Rules
-----
All styles but "off" (that is, "en" too):
  * no space inside parentheses and brackets: ``( mot )`` -> ``(mot)``, ``blogueurs ]`` ->
    ``blogueurs]`` (an empty ``( )`` or ``[ ]`` stays);
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
  * digit groups: a number of five to nine digits gets U+202F between its groups of three
    (``15016`` -> ``15 016``; ten digits or more is an identifier, a Canadiana or ISBN number, and
    stays solid); groups the author spaced (``10 000``) get U+202F. Numbers of four
    digits are set one way through the book (``Typography.four_digits``): "solid" (default) sets
    them solid, joining the ones the author spaced (``1 350`` -> ``1350``); "grouped" groups them
    (``2829`` -> ``2 829``) but for years: a number from 1000 to 2100 stays solid unless a symbol or
    unit follows it (``1500 $`` -> ``1 500 $``; write ``1 500 abonnés`` for a count). Pages
    (``p. 12345``), ``no``/``art.``/``ISBN`` numbers, decimals, URLs and code stay;
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
"""

from __future__ import annotations

import re

from blog2book.typography.ordinals import fix_forbidden, roman
from blog2book.typography.placeholders import PB, PW, SP, is_pb, is_pw
from blog2book.typography.styles import NBSP, NNBSP, Typography

_ELLIPSIS_ETC = re.compile(r"(?<![\w])etc(?=[.…]{2}|…)[.…]+")
_ELLIPSIS = re.compile(r"\.{3,}")
_EM_DASH = re.compile(r"(?<!-)---(?!-)")
_SPACED_DASH = re.compile(r"(?<=\S[ \n])--?(?=[ \n]\S)")

_QUOTE_OPEN_AFTER = set("([{-—–/«“‘")
_QUOTE_CLOSE_BEFORE = set(".,;:!?)]}…»”’-–—/")

_PREV_OK = f"[\\w{PW}\u00bb\u201d\u2019)\\]}}%$€¢°]"
_HIGH = re.compile(
    rf"(?P<prev>{_PREV_OK})(?P<sp>{SP}*)(?P<p>[;!?]+)"
    rf"(?=$|[\s)\]}}\u00bb\u201d\u2019\"'…,.:{PW}{PB}])"
)
_COLON = re.compile(rf"(?P<prev>{_PREV_OK})(?P<sp>{SP}*):(?=$|[\s«“\"'‘{PW}{PB}])")
_GUILLEMET_OPEN = re.compile(rf"«{SP}*(?=[^ \u00a0\u2009\u202f\n])")
_GUILLEMET_CLOSE = re.compile(rf"(?<=[^ \u00a0\u2009\u202f\n]){SP}*»")
_SYMBOL = re.compile(rf"(?<=\d){SP}?(?=(?:%|‰|\$|€|¢|£|°[CF]|[kMG]\$|[kMG]€)(?!\w))")
_UNITS = (
    "km/h Mbit/s Gbit/s kbit/s Mb/s Go/s Mo/s ko/s kWh GHz MHz Hz km cm mm mg kg kW min ms "
    "Mo Go Ko ko To Mb Gb kb mL ml cl ha m g h s W"
).split()
_UNIT = re.compile(
    rf"(?<=\d){SP}(?=(?:{'|'.join(re.escape(u) for u in _UNITS)})(?![\w/’'\-]))"
)

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
            ws_before = prev is None or prev.isspace() or is_pb(prev) or prev in "«“"
            ws_after = nxt is None or nxt.isspace() or is_pb(nxt) or nxt in "»”"
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
        at_start = prev is None or prev.isspace() or is_pb(prev) or prev in "([{“—–"
        if at_start and (nxt.isalnum() or (nxt and is_pw(nxt))) and not _ELISION.match(s, i + 1):
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
_NOT_AFTER = r"(?<![\w.,/:\-\u00a0\u202f" + PW + r"])(?<!p\.\s)(?<!p\.\u00a0)(?<!art\.\s)(?<!no\s)(?<!ISBN\s)"
_LONG_NUMBER = re.compile(_NOT_AFTER + r"(?<!\d )(\d{5,9})(?![\d\w" + PW + r"]|\.\d)")
_GROUPED_NUMBER = re.compile(_NOT_AFTER + r"(?<!\d )\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d\w" + PW + r"]|,\d{3})")
# A number of four digits (style "grouped"), and whether a symbol or unit follows it (U+00A0: set by
# the symbol and unit rules, which run before): a quantity, not a year.
_FOUR_DIGITS = re.compile(_NOT_AFTER + r"(?<!\d )(\d{4})(?![\d\w" + PW + r"]|[.,]\d)(?P<unit>(?=\u00a0[^\s:;!?»]))?")
# Spaces inside parentheses and brackets (not in an empty pair, not at a line's start).
_SPACE_BEFORE_CLOSE = re.compile(rf"(?<=[^ \u00a0\u2009\u202f\n{PB}(\[]){SP}+(?=[)\]])")
_SPACE_AFTER_OPEN = re.compile(rf"(?<=[(\[]){SP}+(?=[^ \u00a0\u2009\u202f\n{PB})\]])")
# Times written with « h »: « 8 h 12 », « 8 h 12 min » -> U+00A0 on both sides of the h.
_TIME_H = re.compile(r"(?<![\w" + PW + r"])(\d{1,2})[ \u00a0]h[ \u00a0](\d{2})(?![\w" + PW + r"])")
# An incise dash glued to the word after it (« s’inverser –ou du moins ») or before it: spaced.
_DASH_GLUED_AFTER = re.compile(r"(?<=[ \n])([–—])(?=[^\W\d_]|" + f"[{PW}]" + ")")
_DASH_GLUED_BEFORE = re.compile(r"(?<=[^\W\d_])([–—])(?=[ \n,.;:!?)])")
# A century or millennium in Roman numerals without its ordinal: « XXI siècle » -> « XXIe siècle ».
_CENTURY = re.compile(r"(?<![\w" + PW + r"])([IVX]+)(?=[ \u00a0](?:siècles?|millénaires?)\b)")


def _group_digits(digits: str) -> str:
    head = len(digits) % 3 or 3
    return NNBSP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _grouped(m: re.Match, typo: Typography) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return digits if len(digits) == 4 and typo.four_digits == "solid" else _group_digits(digits)


def _four(m: re.Match) -> str:
    digits = m.group(1)
    if 1000 <= int(digits) <= 2100 and m.group("unit") is None:
        return digits  # a year
    return _group_digits(digits)


def _century(m: re.Match) -> str:
    n = m.group(1)
    if not roman(n):
        return n
    return n + ("er" if n == "I" else "e")


_DIGIT = re.compile(r"\d")


def apply_rules(s: str, typo: Typography) -> str:
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
    if ")" in s or "]" in s:
        s = _SPACE_BEFORE_CLOSE.sub("", s)
    if "(" in s or "[" in s:
        s = _SPACE_AFTER_OPEN.sub("", s)
    if not typo.french:
        return s
    digits = _DIGIT.search(s) is not None
    if digits or "I" in s or "V" in s or "X" in s:
        s = fix_forbidden(s)
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
        s = _GROUPED_NUMBER.sub(lambda m: _grouped(m, typo), s)
        if typo.four_digits == "grouped":
            s = _FOUR_DIGITS.sub(_four, s)
        if "h" in s:
            s = _TIME_H.sub(lambda m: f"{m.group(1)}{NBSP}h{NBSP}{m.group(2)}", s)
    if "–" in s or "—" in s:
        s = _DASH_GLUED_AFTER.sub(lambda m: m.group(1) + NBSP, s)
        s = _DASH_GLUED_BEFORE.sub(lambda m: NBSP + m.group(1), s)
    if "siècle" in s or "millénaire" in s:
        s = _CENTURY.sub(_century, s)
    return s
