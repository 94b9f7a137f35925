"""The AST walked as runs of text: ``apply``.

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

A ``Span`` or ``Div`` with a ``lang`` attribute (``[text]{lang=en}``) is set in that language's
typography. "off" returns a copy of the blocks unchanged.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from blog2book import tree
from blog2book.typography.ordinals import ORDINAL, ordinal_ok
from blog2book.typography.placeholders import PB, PB_BASE, PUA, PW, PW_BASE, protect_spans
from blog2book.typography.rules import apply_rules
from blog2book.typography.styles import Typography, typography_for

_INLINE_TYPES = tree.INLINE_TYPES
_TEXT = frozenset(("Str", "Space", "SoftBreak"))
_OPAQUE = frozenset(("Code", "CodeBlock", "RawInline", "RawBlock", "Math"))


def apply(blocks: list, typo: Typography, memo: dict | None = None) -> list:
    """New blocks with the typography of ``typo`` applied (see the module docstring, and ``rules``' for the rules).

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
            parts.append(chr(PB_BASE + len(breaks) - 1))
        elif t == "Quoted":  # its quotation marks become text: the list with them, from the start
            return _inlines(_expand_quoted(inlines), typo, memo)
        else:
            slots.append(("inline", el))
            parts.append(chr(PW_BASE + len(slots) - 1))
    s = "".join(parts)
    if len(PUA.findall(s)) != len(slots) + len(breaks):
        # the text already holds placeholder characters: it cannot be processed safely as one run
        return _one_by_one(inlines, typo, memo)

    # protected text -> word-like placeholders
    spans = protect_spans(s)
    if len(slots) + len(spans) > 65000:
        return _one_by_one(inlines, typo, memo)
    if spans:
        pieces: list[str] = []
        pos = 0
        for a, b in spans:
            pieces.append(s[pos:a])
            slots.append(("text", s[a:b]))
            pieces.append(chr(PW_BASE + len(slots) - 1))
            pos = b
        pieces.append(s[pos:])
        s = "".join(pieces)

    s = apply_rules(s, typo)
    if typo.french:
        notes = "".join(chr(PW_BASE + i) for i, (kind, el) in enumerate(slots) if kind == "inline" and el["t"] == "Note")
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


_ASSEMBLY_SPLIT = re.compile(f"([ \n{PW}{PB}])")  # what _assemble does not copy as it is


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
        ordinals = [(m.start(), m.end("n"), m.end()) for m in ORDINAL.finditer(s) if ordinal_ok(m.group("n"), m.group("suf"))]
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
            if code >= PB_BASE:
                flush()
                out.append(copy.deepcopy(breaks[code - PB_BASE]))
            else:
                kind, value = slots[code - PW_BASE]
                if kind == "text":
                    buf.append(value)
                else:
                    flush()
                    out.append(_node(value, typo, memo))
    flush()
    return out
