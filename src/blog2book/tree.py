"""Small helpers over the Pandoc AST in its JSON form (pandoc-types 1.23).

Elements are dicts ``{"t": "Str", "c": ...}``. ``walk`` rebuilds a tree bottom-up with a function
that may return a replacement element, a list of elements (spliced in), or None (keep).
"""

from __future__ import annotations

import copy
import pickle
import re
from typing import Any, Callable

# Where the children live in each element's "c" payload.
_INLINE_LIST_AT = {
    "Emph": None, "Strong": None, "Underline": None, "Strikeout": None, "Superscript": None,
    "Subscript": None, "SmallCaps": None, "Quoted": 1, "Cite": 1, "Link": 1, "Image": 1, "Span": 1,
}


def Str(text: str) -> dict:
    return {"t": "Str", "c": text}


def Space() -> dict:
    return {"t": "Space"}


def Para(inlines) -> dict:
    return {"t": "Para", "c": list(inlines)}


def Plain(inlines) -> dict:
    return {"t": "Plain", "c": list(inlines)}


def Header(level: int, ident: str, inlines, classes=(), attrs=()) -> dict:
    return {"t": "Header", "c": [level, [ident, list(classes), [list(a) for a in attrs]], list(inlines)]}


def Div(ident: str, classes, blocks, attrs=()) -> dict:
    return {"t": "Div", "c": [[ident, list(classes), [list(a) for a in attrs]], list(blocks)]}


def Span(ident: str, classes, inlines, attrs=()) -> dict:
    return {"t": "Span", "c": [[ident, list(classes), [list(a) for a in attrs]], list(inlines)]}


def Link(inlines, url: str, title: str = "", ident: str = "", classes=(), attrs=()) -> dict:
    return {"t": "Link", "c": [[ident, list(classes), [list(a) for a in attrs]], list(inlines), [url, title]]}


def RawInline(fmt: str, text: str) -> dict:
    return {"t": "RawInline", "c": [fmt, text]}


def RawBlock(fmt: str, text: str) -> dict:
    return {"t": "RawBlock", "c": [fmt, text]}


def BlockQuote(blocks) -> dict:
    return {"t": "BlockQuote", "c": list(blocks)}


def text_inlines(text: str) -> list[dict]:
    """Split plain text into Str and Space elements, the way pandoc's reader would."""
    out: list[dict] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append(Space())
        if word:
            out.append(Str(word))
    return out


def walk(node: Any, fn: Callable[[dict], Any]) -> Any:
    """Return a new tree where ``fn`` was applied bottom-up to every element."""
    if isinstance(node, list):
        out: list = []
        for item in node:
            if type(item) is str:  # most leaves: no call (a long book has tens of millions)
                out.append(item)
                continue
            if type(item) is dict and type(item.get("t")) is str and (len(item) == 1 or (len(item) == 2 and type(item.get("c")) is str)):
                new = dict(item)  # a word or a space: what the general case below makes of it, without two calls
                result = fn(new)
                if result is not None:
                    new = result
                if isinstance(new, list):
                    out.extend(new)
                else:
                    out.append(new)
                continue
            new = walk(item, fn)
            if isinstance(item, dict) and "t" in item and isinstance(new, list):
                out.extend(new)
            else:
                out.append(new)
        return out
    if isinstance(node, dict):
        rebuilt = {k: v if type(v) is str else walk(v, fn) for k, v in node.items()}
        if "t" in rebuilt:
            result = fn(rebuilt)
            return rebuilt if result is None else result
        return rebuilt
    return node


CHILDLESS = frozenset(("Str", "Space", "SoftBreak", "LineBreak"))  # the most frequent elements: words and spaces
INLINE_TYPES = frozenset(  # pandoc's inline elements (a list holds inlines or blocks, never both)
    "Str Emph Underline Strong Strikeout Superscript Subscript SmallCaps Quoted Cite Code Space "
    "SoftBreak LineBreak Math RawInline Link Image Note Span".split()
)


def rewrite(node: Any, fn: Callable[[dict], Any], only: frozenset[str] | None = None) -> Any:
    """``walk`` that copies only what changes: an element ``fn`` keeps (None) whose children were
    all kept is returned as it is, the same object, and so are its lists. With ``only``, ``fn``
    sees only elements of those types (words and spaces are then not even visited). For passes
    that change few elements of a large tree (the links among a book's posts); like every stage, callers
    must not mutate the trees they are given."""
    skip = CHILDLESS - only if only is not None else frozenset()

    def go(node: Any) -> Any:
        if isinstance(node, list):
            out = None
            for i, item in enumerate(node):
                if type(item) is str or (skip and type(item) is dict and item.get("t") in skip):
                    if out is not None:
                        out.append(item)
                    continue
                new = go(item)
                splice = isinstance(item, dict) and "t" in item and isinstance(new, list)
                if out is None:
                    if new is item and not splice:
                        continue
                    out = node[:i]
                if splice:
                    out.extend(new)
                else:
                    out.append(new)
            return node if out is None else out
        if isinstance(node, dict):
            changed = None
            for key, value in node.items():
                if type(value) is str:
                    continue
                new = go(value)
                if new is not value:
                    if changed is None:
                        changed = dict(node)
                    changed[key] = new
            element = node if changed is None else changed
            if "t" in element and (only is None or element["t"] in only):
                result = fn(element)
                return element if result is None else result
            return element
        return node

    return go(node)


def map_values(node: dict, fn: Callable[[Any], Any]) -> dict:
    """``node`` with ``fn`` applied to each of its values: a new dict only if a value changed (is
    not the same object), else ``node`` itself, so unchanged trees are shared, not copied."""
    changed = None
    for key, value in node.items():
        new = fn(value)
        if new is not value:
            if changed is None:
                changed = dict(node)
            changed[key] = new
    return node if changed is None else changed


def map_items(items: list, fn: Callable[[Any], Any], skip_leaves: bool = False) -> list:
    """``[fn(x) for x in items]``, or ``items`` itself when no item changed (the list twin of
    ``map_values``). ``skip_leaves``: words and spaces (most of a text) are kept without a call."""
    out = None
    for i, item in enumerate(items):
        new = item if skip_leaves and type(item) is dict and item.get("t") in CHILDLESS else fn(item)
        if new is not item and out is None:
            out = list(items[:i])
        if out is not None:
            out.append(new)
    return items if out is None else out


def visit(node: Any, fn: Callable[[dict], Any]) -> None:
    """Call ``fn`` on every element of the tree, bottom-up (children before their parent, as
    ``walk`` meets them), building nothing: for reading a tree."""
    if isinstance(node, list):
        for item in node:
            if type(item) is not str:
                visit(item, fn)
    elif isinstance(node, dict):
        for value in node.values():
            if type(value) is not str:
                visit(value, fn)
        if "t" in node:
            fn(node)


def stringify(node: Any) -> str:
    """The plain text of a tree (notes excluded), like pandoc's ``stringify``."""
    parts: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for item in n:
                if type(item) is dict:  # words and spaces, most of a text, without a call each
                    t = item.get("t")
                    if t == "Str":
                        parts.append(item.get("c"))
                        continue
                    if t in ("Space", "SoftBreak", "LineBreak"):
                        parts.append(" ")
                        continue
                elif type(item) is str:
                    continue
                visit(item)
            return
        if not isinstance(n, dict):
            return
        t = n.get("t")
        c = n.get("c")
        if t == "Str":
            parts.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t in ("Code", "Math"):
            parts.append(c[1])
        elif t == "Note" or t in ("RawInline", "RawBlock"):
            return
        elif t == "Quoted":
            q = "\u201c\u201d" if c[0]["t"] == "DoubleQuote" else "\u2018\u2019"
            parts.append(q[0])
            visit(c[1])
            parts.append(q[1])
        elif t in ("Para", "Plain", "Header", "CodeBlock"):
            if parts and not parts[-1].endswith(" "):
                parts.append(" ")
            if t == "CodeBlock":
                parts.append(c[1])
            else:
                visit(c)
        else:
            visit(c)

    visit(node)
    # fold ordinary white space only: U+00A0 and U+202F are the book's typography
    return re.sub(r"[ \t\r\n]+", " ", "".join(parts)).strip(" ")


def shift_headers(blocks: list, delta: int) -> list:
    """The blocks with every heading moved ``delta`` levels (kept within 1..6)."""

    def fix(el: dict):
        level, attr_, inlines = el["c"]
        return {"t": "Header", "c": [max(1, min(6, level + delta)), attr_, inlines]}

    return list(rewrite(list(blocks), fix, only=frozenset(("Header",))))  # what is not a heading: not copied


_HAS_ATTR = ("Header", "Div", "Span", "Link", "Image", "Code", "CodeBlock", "Table", "Figure")


def ids(node: Any) -> list[str]:
    """Every id set on an element of the tree, in document order."""
    found: list[str] = []

    def go(n: Any) -> None:  # tree.visit's order; words and spaces, which hold no id, are not entered
        if isinstance(n, list):
            for item in n:
                if type(item) is not str and not (type(item) is dict and item.get("t") in CHILDLESS):
                    go(item)
        elif isinstance(n, dict):
            for value in n.values():
                if type(value) is not str:
                    go(value)
            if n.get("t") in _HAS_ATTR and attr(n)[0]:
                found.append(attr(n)[0])

    go(node)
    return found


def deepcopy(node: Any) -> Any:
    """A deep copy of a tree (shared objects stay shared, as with ``copy.deepcopy``), through
    pickle: much faster than ``copy.deepcopy`` on an AST of plain lists, dicts and strings."""
    try:
        return pickle.loads(pickle.dumps(node, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # something that does not pickle (a tree never holds one): the slow way
        return copy.deepcopy(node)


def attr(node: dict) -> list:
    """The [id, classes, key-values] triple of an element that has one."""
    t = node["t"]
    if t == "Header":
        return node["c"][1]
    if t in _HAS_ATTR:
        return node["c"][0]
    raise KeyError(t)


_LEAVES = frozenset(("Space", "SoftBreak", "LineBreak"))


def share_leaves(node: Any, memo: dict) -> Any:
    """Make equal leaves (``Str`` of the same text, spaces, breaks) one shared object, in place.

    A book's text repeats the same words: sharing them keeps a long book's AST in a fraction of the
    memory. Safe because no stage mutates a tree it was given (``walk`` builds new ones). Call it
    on trees just built (a post after its transform), before anyone else holds them."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict):
                t = item.get("t")
                if t == "Str":
                    node[i] = memo.setdefault(("Str", item["c"]), item)
                    continue
                if t in _LEAVES and len(item) == 1:
                    node[i] = memo.setdefault(t, item)
                    continue
            elif type(item) is str:
                continue
            share_leaves(item, memo)
    elif isinstance(node, dict):
        for value in node.values():
            if isinstance(value, (list, dict)):
                share_leaves(value, memo)
    return node


def strip_spaces(inlines: list) -> list:
    """The inlines without spaces and breaks at either end."""
    inlines = list(inlines)
    while inlines and inlines[0]["t"] in ("Space", "SoftBreak", "LineBreak"):
        inlines.pop(0)
    while inlines and inlines[-1]["t"] in ("Space", "SoftBreak", "LineBreak"):
        inlines.pop()
    return inlines
