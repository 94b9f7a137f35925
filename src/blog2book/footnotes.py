"""Footnotes that blogs write by hand become the book's notes (Pandoc ``Note``).

Blog editors write notes as links to a list at the foot of the post: ``<sup><a href="#fn1">1</a></sup>``
(WordPress's footnotes block renders ``<sup data-fn=…><a href="#UUID">1</a></sup>``), Markdown's
``[[1]](#fn1)``, with a list whose items carry the ids (``<li id="fn1">``, ``<p id="fn1">``, an anchor
``<a id="fn1"></a>`` or ``[]{#fn1}``) and back-links (``↩``, « Retour »); or shortcodes
(``[efn_note]…[/efn_note]``, ``[ref]…[/ref]``, ``[footnote]…[/footnote]``). Printed as they are, a
book shows « 1 » twice, a list of orphans and its back-links.

Two steps, because the references and the list may be in different blocks that pandoc reads apart:

1. ``mark(text)``, on the text before pandoc (a Markdown body or WordPress HTML): each reference
   whose note is found becomes a marker ``REF k LABEL END``, and each note starts with ``DEF k END``;
   shortcodes become a reference and a note appended at the end. Markers are private-use
   characters and digits, which every later step keeps as words.
2. ``resolve(blocks)``, on the AST once the post is whole: each reference becomes a ``Note`` with
   its note's blocks (back-links and its number removed); the notes' list items, the list if it
   empties, and a rule or a « Notes » heading left before nothing are removed.

``missing(text)`` names the references (``<sup><a href="#…">N</a></sup>``, ``[[N]](#…)``) whose
note the post does not have, for a located warning; they stay as their number.
"""

from __future__ import annotations

import html as html_mod
import json
import re
from typing import Callable

from blog2book import tree
from blog2book.diagnostics import Diagnostic, Location, warning

REF, DEF, MID, END = "\ue000", "\ue002", "\ue001", "\ue003"
_MARKERS = re.compile(f"{REF}(\\d+){MID}([^{END}]*){END}|{DEF}(\\d+){END}")
_LABEL = r"(?:\s*(?:note\s+de\s+bas\s+de\s+page|footnote|note)\s*)?\[?\(?([0-9]{1,3}|[*†‡]|[a-z])\)?\]?"
_TAGS = re.compile(r"<[^>]*>")
_MAY_HAVE = re.compile(r"""href\s*=\s*["']#|\]\(#|\[/(?:efn_note|ref|footnote|fn)\]""", re.I)  # what every form needs

# references: <sup …><a href="#X" …>N</a></sup>, <a href="#X" …><sup>N</sup></a>, <a href="#X">[N]</a>, [[N]](#X), [N](#X) in <sup>/^…^
_A = r"""<a\b[^>]*?\bhref\s*=\s*["']#(?P<id{n}>[^"'\s>]+)["'][^>]*>(?P<in{n}>(?:(?!</a>).){{0,200}}?)</a>"""
_HTML_REF = re.compile(
    r"<sup\b[^>]*>\s*" + _A.format(n=1) + r"\s*</sup>"
    r"|" + _A.format(n=2),
    re.S | re.I,
)
_MD_REF = re.compile(r"\^?\[\s*(?P<label>\[\d{1,3}\]|\d{1,3})\s*\]\(#(?P<id>[^)\s]+)\)\^?")

# notes: the element that carries the id
_HTML_DEF = re.compile(r"""<(?P<tag>li|p|span|a)\b(?P<pre>[^>]*?)\s(?:id|name)\s*=\s*["'](?P<id>[^"'\s>]+)["'](?P<post>[^>]*)>""", re.I)
_MD_DEF = re.compile(r"\[\]\{#(?P<id>[^}\s]+)\}")

SHORTCODES = ("efn_note", "ref", "footnote", "fn", "note")  # [ref]…[/ref]: the common footnote plugins'
_SHORTCODE = re.compile(r"\[(?P<name>efn_note|ref|footnote|fn)(?:\s[^\]]*)?\](?P<body>(?:(?!\[/(?P=name)\]).){1,4000}?)\[/(?P=name)\]", re.S)

_BACK_WORDS = re.compile(r"^(?:↩\ufe0e?|↩️|↑|\^|⤴|retour.*|back.*|return.*|revenir.*|aller à la référence.*|jump to.*|referrer|[\[\(]?\d{1,3}[\]\)]?)$", re.I)
_NOTES_HEADING = re.compile(r"^(?:notes?|footnotes?|notes de bas de page|références|references|sources)\s*:?$", re.I)


def _may_have(text: str) -> bool:
    """Whether ``text`` may hold a footnote of any form (plain substring tests first: most posts hold none)."""
    if "](#" in text or "[/" in text:
        return True
    return ("href" in text or "HREF" in text) and bool(_MAY_HAVE.search(text))


def _plain_label(inner: str) -> str | None:
    text = html_mod.unescape(_TAGS.sub("", inner)).strip()
    m = re.fullmatch(_LABEL, text, re.I)
    return m.group(1) if m else None


def _references(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, target id, label) of every reference-like link, in the text's order."""
    found = []
    for m in _HTML_REF.finditer(text):
        target, inner = (m.group("id1"), m.group("in1")) if m.group("id1") else (m.group("id2"), m.group("in2"))
        label = _plain_label(inner)
        if label is None:
            continue
        if not m.group("id1") and "<sup" not in inner.lower() and not re.search(r"\[\s*\d", inner):
            continue  # a plain "<a href='#x'>3</a>" is a link to a section, not a note
        found.append((m.start(), m.end(), html_mod.unescape(target), label))
    for m in _MD_REF.finditer(text):
        found.append((m.start(), m.end(), m.group("id"), m.group("label").strip("[]")))
    found.sort()
    out, last = [], -1
    for item in found:
        if item[0] >= last:
            out.append(item)
            last = item[1]
    return out


def _definitions(text: str) -> dict[str, tuple[int, int, str]]:
    """target id -> (start, end, replacement) of the element that carries it."""
    out: dict[str, tuple[int, int, str]] = {}
    for m in _HTML_DEF.finditer(text):
        ident = html_mod.unescape(m.group("id"))
        tag = m.group(0)
        if m.group("tag").lower() == "a":
            end = text.find("</a>", m.end())
            if end < 0 or text[m.end():end].strip():
                continue  # an anchor with text: not an empty target
            out.setdefault(ident, (m.start(), end + 4, ""))
        else:
            out.setdefault(ident, (m.start(), m.end(), f"<{m.group('tag')}{m.group('pre')}{m.group('post')}>"))
    for m in _MD_DEF.finditer(text):
        out.setdefault(m.group("id"), (m.start(), m.end(), ""))
    return out


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks and inline code of a Markdown text, never rewritten."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"^(```+|~~~+)[^\n]*\n.*?^\1[ \t]*$", text, re.S | re.M)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", text)]
    return spans


def mark(text: str, markdown: bool = False) -> str:
    """The text with its notes marked for ``resolve`` (unchanged when it has none)."""
    if not _may_have(text):
        return text
    code = _code_spans(text) if markdown else []
    inside = lambda pos: any(a <= pos < b for a, b in code)  # noqa: E731
    refs = [r for r in _references(text) if not inside(r[0])]
    defs = {k: v for k, v in _definitions(text).items() if not inside(v[0])}
    numbers: dict[str, int] = {}
    edits: list[tuple[int, int, str]] = []
    for start, end, target, label in refs:
        if target not in defs:
            continue
        k = numbers.setdefault(target, len(numbers))
        edits.append((start, end, f"{REF}{k}{MID}{label}{END}"))
    for target, k in numbers.items():
        start, end, opening = defs[target]
        edits.append((start, end, f"{opening}{DEF}{k}{END}"))
    edits.sort()
    out, pos = [], 0
    for start, end, new in edits:
        if start < pos:
            continue  # overlapping (a reference inside a note's own tag): the first kept
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    text = "".join(out)
    return _shortcodes(text, len(numbers), markdown, code if markdown else [])


def _shortcodes(text: str, first: int, markdown: bool, code: list[tuple[int, int]]) -> str:
    if "[/" not in text:
        return text
    notes: list[str] = []

    def one(m: re.Match) -> str:
        if any(a <= m.start() < b for a, b in code):
            return m.group(0)
        k = first + len(notes)
        notes.append(f"{DEF}{k}{END}{m.group('body').strip()}")
        return f"{REF}{k}{MID}{END}"

    text = _SHORTCODE.sub(one, text)
    if not notes:
        return text
    if markdown:
        return text.rstrip("\n") + "\n\n" + "\n\n".join(notes) + "\n"
    return text.rstrip("\n") + "\n" + "".join(f"<p>{n}</p>\n" for n in notes)


def missing(text: str, markdown: bool = False) -> list[tuple[str, str]]:
    """(needle, label) of the footnote references whose note is not in the text."""
    if not _may_have(text):
        return []
    code = _code_spans(text) if markdown else []
    defs = _definitions(text)
    out = []
    for start, end, target, label in _references(text):
        if target in defs or any(a <= start < b for a, b in code):
            continue
        snippet = text[start:end]
        if not (snippet.lower().startswith("<sup") or "data-fn" in snippet or re.match(r"^\^?\[\[", snippet) or re.match(r"(fn|note|footnote|ftn)", target, re.I)):
            continue  # a numbered link to a section of the post
        out.append((snippet[:60], label))
    return out


def warnings(body: str, find_line: Callable[[str], Location], lost: list[str]) -> list[Diagnostic]:
    """A post's references without their note (``missing``), and those whose note ``resolve`` lost."""
    out = [
        warning("footnote.missing", f"footnote reference {label} has no note in this post: it is printed as its number",
                find_line(needle), "give the post the note (a list item with that id at its foot), or remove the reference")
        for needle, label in missing(body, markdown=True)
    ]
    out += [
        warning("footnote.missing", f"the note of footnote reference {label} was lost with the HTML around it: the reference is printed as its number",
                find_line(label), "write the note as a Markdown footnote ([^1]: …)")
        for label in lost
    ]
    return out


def wordpress_block(content: str, meta_value: str | None) -> str:
    """WordPress's footnotes block (``<!-- wp:footnotes /-->``) with the notes of the post's
    ``footnotes`` meta (a JSON list of ``{"id", "content"}``) written where the block is."""
    if not meta_value:
        return content
    try:
        notes = json.loads(meta_value)
    except ValueError:
        return content
    if not isinstance(notes, list):
        return content
    items = "".join(
        f'<li id="{html_mod.escape(str(n.get("id", "")), quote=True)}">{n.get("content", "")}</li>'
        for n in notes if isinstance(n, dict) and n.get("id")
    )
    if not items:
        return content
    listing = f'\n<ol class="wp-block-footnotes">{items}</ol>\n'
    block = re.compile(r"<!--\s*wp:footnotes\b[^>]*?/-->|<!--\s*wp:footnotes\b.*?<!--\s*/wp:footnotes\s*-->", re.S)
    if block.search(content):
        return block.sub(lambda _: listing, content, count=1)
    return content + listing


# ---------------------------------------------------------------- the AST


def _has_markers(node) -> bool:
    if isinstance(node, list):
        return any(_has_markers(x) for x in node)
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return REF in node["c"] or DEF in node["c"]
        return any(_has_markers(v) for v in node.values() if not isinstance(v, str))
    return False


def resolve(blocks: list) -> tuple[list, list[str]]:
    """The blocks with marked references as notes; and the labels of references left without one."""
    if not _has_markers(blocks):
        return blocks, []
    notes: dict[int, list] = {}
    blocks = _take_notes(list(blocks), notes)
    lost: list[str] = []

    def fix(el: dict):
        if el["t"] != "Str" or REF not in el["c"] and DEF not in el["c"]:
            return None
        out: list = []
        pos = 0
        for m in _MARKERS.finditer(el["c"]):
            if m.start() > pos:
                out.append(tree.Str(el["c"][pos:m.start()]))
            if m.group(1) is not None:
                body = notes.get(int(m.group(1)))
                if body:
                    out.append({"t": "Note", "c": tree.deepcopy(body)})
                elif m.group(2):
                    lost.append(m.group(2))
                    out.append({"t": "Superscript", "c": [tree.Str(m.group(2))]})
            pos = m.end()
        if pos < len(el["c"]):
            out.append(tree.Str(el["c"][pos:]))
        return out

    return _no_space_before_notes(tree.walk(blocks, fix)), lost


def _no_space_before_notes(node):
    """« une note [[1]](#fn1) »: the space the author left before the reference goes with it."""
    if isinstance(node, list):
        out = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Note" and out and isinstance(out[-1], dict) and out[-1].get("t") in ("Space", "SoftBreak"):
                out.pop()
            out.append(_no_space_before_notes(item))
        return out
    if isinstance(node, dict):
        return {k: _no_space_before_notes(v) if isinstance(v, (list, dict)) else v for k, v in node.items()}
    return node


def _def_number(node) -> int | None:
    """The note number of a block holding a DEF marker."""
    text = tree.stringify(node) if not isinstance(node, str) else node
    m = re.search(f"{DEF}(\\d+){END}", text)
    return int(m.group(1)) if m else None


def _take_notes(blocks: list, notes: dict[int, list]) -> list:
    """Blocks without the notes (each item or paragraph holding a DEF marker), stored in ``notes``."""
    out: list = []
    for b in blocks:
        t = b.get("t")
        if t in ("OrderedList", "BulletList"):
            items = b["c"][1] if t == "OrderedList" else b["c"]
            kept = []
            for item in items:
                k = _def_number(item) if _has_markers(item) else None
                if k is not None:
                    notes.setdefault(k, _note_body(item))
                else:
                    kept.append(_take_notes(item, notes))
            if kept:
                out.append({"t": t, "c": [b["c"][0], kept]} if t == "OrderedList" else {"t": t, "c": kept})
            elif items:
                _drop_leftovers(out)
            continue
        if t in ("Para", "Plain") and _has_markers(b["c"]) and _def_number(b["c"]) is not None and _starts_with_def(b["c"]):
            notes.setdefault(_def_number(b["c"]), _note_body([b]))
            _drop_leftovers(out)  # the rule or « Notes » heading above the notes
            continue
        if t == "Div":
            inner = _take_notes(b["c"][1], notes)
            if inner or not b["c"][1]:
                out.append({"t": t, "c": [b["c"][0], inner]})
            continue
        if t == "BlockQuote":
            out.append({"t": t, "c": _take_notes(b["c"], notes)})
            continue
        out.append(b)
    return out


def _starts_with_def(inlines: list) -> bool:
    text = tree.stringify(inlines).lstrip()
    return bool(re.match(rf"^(?:\[?\(?\d{{1,3}}[\]\).]?\s*)?{DEF}", text))


def _drop_leftovers(out: list) -> None:
    """A rule and a « Notes » heading that introduced the notes' list, now before nothing."""
    while out and (out[-1].get("t") == "HorizontalRule" or (out[-1].get("t") == "Header" and _NOTES_HEADING.match(tree.stringify(out[-1]["c"][2]).strip()))):
        out.pop()


def _note_body(blocks: list) -> list:
    """A note's blocks: its marker, number and back-links removed; paragraphs, not list items."""

    def fix(el: dict):
        t = el["t"]
        if t == "Link":
            target = el["c"][2][0]
            words = tree.stringify(el["c"][1]).strip()
            if target.startswith("#") and (not words or _BACK_WORDS.match(words)):
                return []
        if t == "Str" and DEF in el["c"]:
            text = re.sub(f"{DEF}\\d+{END}", "", el["c"])
            return [tree.Str(text)] if text else []
        return None

    cleaned = tree.walk(blocks, fix)
    out = []
    for b in cleaned:
        if b.get("t") in ("Para", "Plain"):
            inlines = tree.strip_spaces(b["c"])
            inlines = _without_number(inlines) if not out else inlines
            if inlines:
                out.append({"t": "Para", "c": inlines})
        else:
            out.append(b)
    return out


def _without_number(inlines: list) -> list:
    """A note's own number at its start (« 1. », « [1] », « 1) ») removed."""
    if inlines and inlines[0]["t"] == "Str" and re.fullmatch(r"\[?\(?\d{1,3}[\]\).:]?", inlines[0]["c"]):
        return tree.strip_spaces(inlines[1:])
    if inlines and inlines[0]["t"] == "Superscript":
        return tree.strip_spaces(inlines[1:])
    return inlines
