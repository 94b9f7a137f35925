"""Words the print and EPUB editions must never hyphenate, wrapped in ``Span(class "nohyph")``.

Hyphenation is automatic (``hyphens: auto``); OQLF §5 and house style forbid it in proper names
and brands (« d’Isa-/belle », « Face-/book »), domains and e-mail addresses (« michel-/leblanc.com »).
A word that starts with a capital (after an elided « d’ », « l’ », « qu’ »…) is taken for a name,
unless it opens a sentence; a word with a dot between letters and a short letter suffix is a domain.
A compound breaks at its own hyphen, never inside one of its parts (« nano-/influenceur », not
« nano-influen-/ceur »): it is set unbreakable too, and the line may still end after its hyphen.
URLs in links are already set apart (class ``url``/``uri``) and code is not text.
"""

from __future__ import annotations

import re

from blog2book import tree

_NAME = re.compile(r"^[«(“\"]?(?:(?:[dlmnstjcDLMNSTJC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’])?[A-ZÀ-ÖØ-Þ][\w’'.-]*")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,6}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SENTENCE_END = re.compile(r"[.!?…:]\W*$")
_NON_WORD = re.compile(r"\W")
_COMPOUND = re.compile(r"[^\W\d_]-[^\W\d_]")
_SKIP = frozenset(("Code", "Math", "RawInline", "Note", "Link"))


def _protect(inlines: list) -> list:
    out: list = []
    sentence_start = True
    for el in inlines:
        t = el["t"]
        if t == "Str":
            text = el["c"]
            # a name has a capital (most words have none: no pattern to run)
            name = not sentence_start and not text.islower() and _NAME.match(text) and len(_NON_WORD.sub("", text)) >= 6
            # a domain has a dot, an address an @; a sentence ends on punctuation, never on a letter
            if name or (("." in text or "@" in text) and _DOMAIN.search(text)) or ("-" in text and _COMPOUND.search(text)):
                out.append(tree.Span("", ["nohyph"], [el]))
            else:
                out.append(el)
            last = text[-1:]
            sentence_start = not (last.isalnum() or last == "_") and bool(_SENTENCE_END.search(text))
        elif t in ("Space", "SoftBreak"):
            out.append(el)
        else:
            if t in _SKIP:
                out.append(el if t != "Link" else _link(el))
            else:
                out.append(_node(el))
            sentence_start = False
    return out


def _link(el: dict) -> dict:
    attr, inlines, target = el["c"]
    if {"url", "uri", "email"} & set(attr[1]):
        return el
    return {"t": "Link", "c": [attr, _protect(inlines), target]}


def _node(node):
    if isinstance(node, list):
        first = node[0] if node else None  # pandoc's lists hold one kind: the first element tells
        if type(first) is dict and first.get("t") in tree.INLINE_TYPES and any(x["t"] in ("Str", "Space") for x in node):
            return _protect(node)
        return [_node(x) for x in node]
    if isinstance(node, dict):
        if node.get("t") in ("Code", "CodeBlock", "Math", "RawInline", "RawBlock"):
            return node
        if node.get("t") == "Note":
            return {"t": "Note", "c": _node(node["c"])}
        return {k: _node(v) for k, v in node.items()}
    return node


def protect_words(blocks: list) -> list:
    """New blocks with names, domains and e-mail addresses wrapped in ``nohyph`` spans."""
    return _node(list(blocks))
