"""pandoc's HTML5 (``-f json -t html5 --wrap=none``), written here for the part of the AST the book uses.

The print pieces and the EPUB's files are made of the book's transformed posts: paragraphs,
headings, lists, quotes, notes, links, images, figures, spans and divs. pandoc spends most of its
time on them reading the JSON we give it; this module writes the same bytes from the Python tree in
a fraction of that time.

``write(blocks)`` returns exactly what pandoc would, or None when the blocks hold anything it does
not write the same way (tables, math, highlighted code, citations, line blocks, raw TeX, a heading
below level 6, attributes pandoc renames…): the caller then asks pandoc. ``tests/test_html5.py``
holds it to pandoc's output on every construct here and on whole books.

What it follows of pandoc's writer (3.x):
  * text escapes ``& < >``; attributes also ``" '``; blocks are joined by a newline, and a block
    that writes nothing (an empty paragraph) is left out of the join;
  * a Div without an id whose first block is a heading, with no heading of the same level or
    above after it, is a ``<section>`` (pandoc's ``makeSections``): the heading's id, its classes
    then the div's, the div's attributes then the heading's; the heading keeps its classes and
    attributes, not its id. This holds where pandoc makes sections: the top level and inside divs,
    not in quotes, lists or notes. A heading where sections are made has its attributes in the
    order class, attributes, id (elsewhere id, class, attributes);
  * notes are numbered in order, called by ``<a class="footnote-ref">`` and gathered at the end in
    ``<section id="footnotes">``, each with its way back (inside its last paragraph);
  * a link's title comes after its other attributes, an image's right after its source; an
    image's ``alt`` is its description's text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ARROWS = re.compile("([\u21a9\u2194])(?!\ufe0e)")  # ↩ ↔: pandoc adds U+FE0E (no emoji on iOS)
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})

# attribute names pandoc writes as they are (others it renames data-…, or treats specially)
_KEPT_NAMES = frozenset(("lang", "dir", "title", "role", "style"))
_KEPT_PREFIXES = ("data-", "aria-")
_NOT_SECTION = frozenset(("column", "columns", "section"))  # pandoc gives these divs other meanings
_OWN_SPAN_CLASSES = frozenset(("underline", "mark"))  # spans pandoc writes as <u> and <mark>
_OL_TYPES = {"DefaultStyle": None, "Decimal": "1", "Example": "1", "LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i", "UpperRoman": "I"}
_SIMPLE = {"Emph": "em", "Strong": "strong", "Superscript": "sup", "Subscript": "sub", "Strikeout": "del", "Underline": "u"}


class Unsupported(Exception):
    """Something pandoc writes in a way this module does not: pandoc is asked instead."""


def write(blocks: list) -> str | None:
    """pandoc's ``html5 --wrap=none`` of the blocks, or None where this module cannot promise it."""
    writer = _Writer()
    try:
        body = writer.blocks(blocks, True)
        notes = writer.notes_section()
    except (Unsupported, KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None  # a shape not foreseen here: pandoc knows
    text = body + ("\n" + notes if notes else "")
    return text if text.endswith("\n") else text + "\n"  # pandoc ends its output with one newline


def fragment(blocks: list, folder: Path | None = None) -> str:
    """The blocks' HTML5: written here, or by pandoc where ``write`` cannot promise pandoc's bytes
    (what pandoc writes is kept in ``folder``, a build cache, by the blocks' JSON; what is written
    here is not: writing it again costs less than hashing the blocks)."""
    written = write(blocks)
    if written is not None:
        return written
    from blog2book import pandoc
    from blog2book.infra.cache import cached_text, key_of

    text = json.dumps(pandoc.document(list(blocks)), ensure_ascii=False)
    args = [*pandoc.runtime_options(), "-f", "json", "-t", "html5", "--wrap=none"]
    return cached_text(folder, key_of("html5", text.encode("utf-8")), lambda: pandoc.run(args, text))


def _join(parts: list[str | None]) -> str:
    """Blocks one per line; None is a block that writes nothing at all (pandoc's empty markup, not
    an empty string: an empty raw block still takes its line)."""
    return "\n".join([p for p in parts if p is not None])


def _esc(text: str) -> str:
    text = text.translate(_TEXT_ESCAPES)
    return _ARROWS.sub("\\1\ufe0e", text) if "\u21a9" in text or "\u2194" in text else text


def _attr(text: str) -> str:
    return text.translate(_ATTR_ESCAPES)


def _kv(pairs: list) -> str:
    out = []
    for key, value in pairs:
        if not (key in _KEPT_NAMES or key.startswith(_KEPT_PREFIXES)):
            raise Unsupported(key)
        out.append(f' {key}="{_attr(value)}"')
    return "".join(out)


def _attrs(ident: str, classes: list, pairs: list) -> str:
    """`` id="…" class="…" k="v"`` in pandoc's order for divs, spans, links and headings outside sections."""
    out = f' id="{_attr(ident)}"' if ident else ""
    if classes:
        out += f' class="{_attr(" ".join(classes))}"'
    return out + (_kv(pairs) if pairs else "")


def _has_heading(blocks: list, level: int) -> bool:
    """A heading at ``level`` or above anywhere in the blocks (pandoc's sections would then nest
    differently from what ``_Writer.div`` writes)."""
    for b in blocks:
        t = b["t"]
        if t == "Header":
            if b["c"][0] <= level:
                return True
        elif t in ("Div", "BlockQuote", "Figure"):
            if _has_heading(b["c"] if t == "BlockQuote" else b["c"][-1], level):  # a div's or figure's blocks come last
                return True
        elif t in ("BulletList", "OrderedList"):
            items = b["c"] if t == "BulletList" else b["c"][1]
            if any(_has_heading(item, level) for item in items):
                return True
        elif t == "DefinitionList":
            if any(_has_heading(d, level) for _, defs in b["c"] for d in defs):
                return True
    return False


class _Writer:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self.in_note = False
        self.in_link = False

    # ---------------------------------------------------------------- blocks

    def blocks(self, blocks: list, sections: bool) -> str:
        parts = [self.block(b, sections) for b in blocks]
        if sections and None in parts:
            headed = next((i for i, b in enumerate(blocks) if b["t"] == "Header"), len(blocks))
            if None in parts[headed:]:  # in pandoc's section of a heading, a block writing nothing may still take a line
                raise Unsupported("an empty block in a heading's section")
        return _join(parts)

    def block(self, b: dict, sections: bool) -> str | None:
        t = b["t"]
        if t == "Para":
            return f"<p>{self.inlines(b['c'])}</p>" if b["c"] else None
        if t == "Plain":
            return self.inlines(b["c"]) if b["c"] else None
        if t == "Div":
            return self.div(b, sections)
        if t == "Header":
            level, (ident, classes, pairs), inlines = b["c"]
            if not 1 <= level <= 6:
                raise Unsupported("heading level")
            if sections:
                attrs = (f' class="{_attr(" ".join(classes))}"' if classes else "") + (_kv(pairs) if pairs else "") + (f' id="{_attr(ident)}"' if ident else "")
            else:
                attrs = _attrs(ident, classes, pairs)
            return f"<h{level}{attrs}>{self.inlines(inlines)}</h{level}>"
        if t == "BulletList":
            return "<ul>\n" + self.items(b["c"]) + "\n</ul>"
        if t == "OrderedList":
            (start, style, _delim), items = b["c"]
            kind = style["t"]
            if kind not in _OL_TYPES:
                raise Unsupported(kind)
            attrs = f' start="{start}"' if start != 1 else ""
            if kind == "Example":
                attrs += ' class="example"'
            if _OL_TYPES[kind]:
                attrs += f' type="{_OL_TYPES[kind]}"'
            return f"<ol{attrs}>\n" + self.items(items) + "\n</ol>"
        if t == "BlockQuote":
            return "<blockquote>\n" + self.blocks(b["c"], False) + "\n</blockquote>"
        if t == "DefinitionList":
            entries = []
            for term, definitions in b["c"]:
                if not definitions:
                    raise Unsupported("a term without definition")
                entries.append(_join([f"<dt>{self.inlines(term)}</dt>"] + ["<dd>\n" + self.blocks(d, False) + "\n</dd>" for d in definitions]))
            return "<dl>\n" + "\n".join(entries) + "\n</dl>"
        if t == "HorizontalRule":
            return "<hr />"
        if t == "CodeBlock":
            return f"<pre><code>{_code(b['c'])}</code></pre>"
        if t == "RawBlock":
            return _raw(b["c"])
        if t == "Figure":
            return self.figure(b)
        raise Unsupported(t)

    def items(self, items: list) -> str:
        return "\n".join(f"<li>{self.blocks(item, False)}</li>" for item in items)

    def div(self, b: dict, sections: bool) -> str:
        (ident, classes, pairs), content = b["c"]
        if content and content[0]["t"] == "Header" and sections and not _NOT_SECTION.intersection(classes):
            if ident or not (classes or pairs):
                raise Unsupported("a div with an id, or without attributes, around a heading")
            level, (h_id, h_classes, h_pairs), inlines = content[0]["c"]
            if not 1 <= level <= 6 or _has_heading(content[1:], level):
                raise Unsupported("sections nested otherwise")
            attrs = _attrs(h_id, list(h_classes) + list(classes), list(pairs) + list(h_pairs))
            head = f"<h{level}" + (f' class="{_attr(" ".join(h_classes))}"' if h_classes else "") + (_kv(h_pairs) if h_pairs else "") + f">{self.inlines(inlines)}</h{level}>"
            rest = "\n" + self.blocks(content[1:], True) if len(content) > 1 else ""  # even when it writes nothing
            return f"<section{attrs}>\n" + head + rest + "\n</section>"
        if _NOT_SECTION.intersection(classes):
            raise Unsupported("column or section div")
        return f"<div{_attrs(ident, classes, pairs)}>\n" + self.blocks(content, sections) + "\n</div>"

    def figure(self, b: dict) -> str:
        (ident, classes, pairs), (short, caption), body = b["c"]
        if short is not None or len(body) != 1 or body[0]["t"] not in ("Plain", "Para") or len(body[0]["c"]) != 1 or body[0]["c"][0]["t"] != "Image":
            raise Unsupported("figure")
        image = body[0]["c"][0]
        if not image["c"][1]:
            raise Unsupported("figure image without description")
        parts = [self.inline(image)]
        if caption:
            if len(caption) != 1 or caption[0]["t"] != "Plain":
                raise Unsupported("figure caption")
            hidden = ' aria-hidden="true"' if _text(caption[0]["c"]) == _text(image["c"][1]) else ""
            parts.append(f"<figcaption{hidden}>{self.inlines(caption[0]['c'])}</figcaption>")
        return f"<figure{_attrs(ident, classes, pairs)}>\n" + "\n".join(parts) + "\n</figure>"

    # ---------------------------------------------------------------- inlines

    def inlines(self, inlines: list) -> str:
        out = []
        for el in inlines:
            t = el["t"]
            if t == "Str":
                out.append(_esc(el["c"]))
            elif t == "Space" or t == "SoftBreak":
                out.append(" ")
            else:
                out.append(self.inline(el))
        return "".join(out)

    def inline(self, el: dict) -> str:
        t = el["t"]
        tag = _SIMPLE.get(t)
        if tag is not None:
            return f"<{tag}>{self.inlines(el['c'])}</{tag}>"
        if t == "Str":
            return _esc(el["c"])
        if t == "Space" or t == "SoftBreak":
            return " "
        if t == "Span":
            (ident, classes, pairs), inlines = el["c"]
            if _OWN_SPAN_CLASSES.intersection(classes):
                raise Unsupported("span written as another element")
            return f"<span{_attrs(ident, classes, pairs)}>{self.inlines(inlines)}</span>"
        if t == "Link":
            if self.in_link:
                raise Unsupported("a link in a link")  # pandoc writes the inner one as a span
            (ident, classes, pairs), inlines, (target, title) = el["c"]
            attrs = f' href="{_attr(target)}"' + _attrs(ident, classes, pairs) + (f' title="{_attr(title)}"' if title else "")
            self.in_link = True
            try:
                return f"<a{attrs}>{self.inlines(inlines)}</a>"
            finally:
                self.in_link = False
        if t == "Note":
            return self.note(el["c"])
        if t == "LineBreak":
            return "<br />\n"
        if t == "SmallCaps":
            return f'<span class="smallcaps">{self.inlines(el["c"])}</span>'
        if t == "Quoted":
            kind, inlines = el["c"]
            opening, closing = ("“", "”") if kind["t"] == "DoubleQuote" else ("‘", "’")
            return opening + self.inlines(inlines) + closing
        if t == "Image":
            (ident, classes, pairs), alt, (target, title) = el["c"]
            if pairs:
                raise Unsupported("image attributes")  # width and height become a style, or are rewritten
            attrs = f' src="{_attr(target)}"' + (f' title="{_attr(title)}"' if title else "") + _attrs(ident, classes, pairs)
            description = _text(alt)
            return f"<img{attrs}" + (f' alt="{_attr(description)}"' if description else "") + " />"
        if t == "Code":
            return f"<code>{_code(el['c'])}</code>"
        if t == "RawInline":
            return _raw(el["c"])
        raise Unsupported(t)

    def note(self, blocks: list) -> str:
        if self.in_note or not blocks:
            raise Unsupported("a note in a note, or an empty note")
        n = len(self.notes) + 1
        self.notes.append("")  # its number is taken before its text is written
        self.in_note = True
        try:
            parts = [self.block(b, False) for b in blocks[:-1]]
            last = blocks[-1]
            back = f'<a href="#fnref{n}" class="footnote-back" role="doc-backlink">↩︎</a>'
            if last["t"] == "Para":  # the way back ends the last paragraph, even an empty one
                parts.append(f"<p>{self.inlines(last['c'])}{back}</p>")
            elif last["t"] == "Plain":
                parts.append(self.inlines(last["c"]) + back)
            else:
                parts += [self.block(last, False), back]
        finally:
            self.in_note = False
        self.notes[n - 1] = f'<li id="fn{n}">' + _join(parts) + "</li>"
        return f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>'

    def notes_section(self) -> str:
        if not self.notes:
            return ""
        return (
            '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">\n<hr />\n<ol>\n'
            + "\n".join(self.notes)
            + "\n</ol>\n</section>"
        )


def _code(content: list) -> str:
    """The text of code (inline or a block) without attributes; with them pandoc highlights it."""
    (ident, classes, pairs), text = content
    if ident or classes or pairs:
        raise Unsupported("code attributes")
    return _esc(text)


def _raw(content: list) -> str:
    """Raw HTML as it is; pandoc drops or converts the other formats."""
    fmt, text = content
    if fmt not in ("html", "html5"):
        raise Unsupported("raw " + fmt)
    return text


def _text(inlines: list) -> str:
    """pandoc's ``stringify`` of an image's description, for its ``alt``."""
    out = []
    for el in inlines:
        t = el["t"]
        if t == "Str":
            out.append(el["c"])
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Code":
            out.append(el["c"][1])
        elif t == "Quoted":
            opening, closing = ("“", "”") if el["c"][0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(opening + _text(el["c"][1]) + closing)
        elif t in ("Emph", "Strong", "Superscript", "Subscript", "Strikeout", "Underline", "SmallCaps"):
            out.append(_text(el["c"]))
        elif t in ("Span", "Link"):
            out.append(_text(el["c"][1]))
        elif t == "Note":
            continue
        else:
            raise Unsupported("image description")
    return "".join(out)
