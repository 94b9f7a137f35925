"""WordPress HTML and shortcodes inside a Markdown post, kept as structure.

Posts are parsed with ``POST_READER`` (Pandoc Markdown without ``markdown_in_html_blocks``), so an
HTML block pasted from WordPress (``<ul>…</ul>``, ``<table>…</table>``, ``<h2>``, ``<blockquote>``,
``<figure>``…) reaches the transformer as one raw block. ``expand(blocks, src)`` hands each raw HTML
block to the WordPress converter (``wpcontent.wp_to_blocks``), which gives back real lists, tables,
headings, quotations and figures; and each paragraph holding a known shortcode (``[gallery]``,
``[embed]``, ``[youtube]``…) the same way, while unknown shortcodes are reported where they are.
What comes out still goes through ``embeds`` (tweets, « Vidéo : … ») and the typography pass.
"""

from __future__ import annotations

from blog2book import pandoc, tree, wpcontent
from blog2book.diagnostics import Diagnostic, Level
from blog2book.embeds import shortcodes
from blog2book.sources import SourcePost

POST_READER = pandoc.READ_MARKDOWN + "-markdown_in_html_blocks"

_HTML = ("html", "html4", "html5")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _line_of(src: SourcePost, text: str, seen: dict[str, int] | None = None) -> int:
    """The line where ``text`` starts; with ``seen`` (the first lines met so far, in document
    order), a block that starts like an earlier one is the next occurrence, not the first."""
    first = _first_line(text)[:60]
    nth = 0
    if seen is not None:
        nth = seen[first] = seen.get(first, -1) + 1
    return src.find_line(first, nth).line or src.body_line


def _known_shortcodes(text: str) -> list[str]:
    """The shortcodes blog2book knows in a paragraph's text (``[caption]`` excepted: ``embeds`` sets it)."""
    if "[" not in text:
        return []
    return [m.group(0).split("]", 1)[0] + "]" for m in shortcodes.known_in(text) if m.group(2) != "caption"]


def _has(node, kind: str) -> bool:
    if isinstance(node, list):
        return any(_has(x, kind) for x in node)
    if isinstance(node, dict):
        return node.get("t") == kind or any(_has(v, kind) for v in node.values())
    return False


def expand(blocks: list, src: SourcePost) -> tuple[list, list[Diagnostic]]:
    """Raw HTML blocks and shortcode paragraphs of a parsed post, turned into AST blocks (all of a
    post's HTML in one pandoc call)."""
    diags: list[Diagnostic] = []
    found: list[tuple[str, int]] = []  # (html, line), in document order
    seen: dict[str, int] = {}  # first lines of the raw blocks met, for _line_of

    def html_of(b: dict, text: str | None) -> tuple[str, int] | None:
        t = b.get("t")
        if t == "RawBlock" and b["c"][0].lower() in _HTML:
            return b["c"][1], _line_of(src, b["c"][1], seen)
        known = _known_shortcodes(text) if text is not None else []
        if known and _has(b["c"], "Note"):  # an HTML round trip would lose the footnote
            diags.append(
                Diagnostic(
                    Level.WARNING, "shortcode.footnote", f"{known[0]} is in a paragraph with a footnote: it is kept as text",
                    src.find_line(known[0]), "put the shortcode in a paragraph of its own",
                )
            )
        elif known:
            html = pandoc.from_ast(pandoc.document([tree.Para(b["c"])]), "html", "--wrap=none")
            first = next(el["c"] for el in b["c"] if el["t"] == "Str")
            return html, src.find_line(first).line or src.body_line
        return None

    def collect(items: list) -> list:
        out: list = []
        for b in items:
            text = tree.stringify(b["c"]) if b.get("t") in ("Para", "Plain") else None  # once for both looks
            html = html_of(b, text)
            if html is not None:
                found.append(html)
                out.append({"t": _SLOT, "c": len(found) - 1})
            else:
                if text is not None:
                    _unknown(text, src, diags)
                out.append(_descend(b, collect))
        return out

    marked = collect(list(blocks))
    if not found:
        return list(blocks), diags
    converted = wpcontent.wp_to_blocks_batch([(html, src.path, line) for html, line in found], with_info=False, notes=False)
    for _, found_diags in converted:
        diags.extend(found_diags)

    def fill(items: list) -> list:
        out: list = []
        for b in items:
            if b.get("t") == _SLOT:
                out.extend(converted[b["c"]][0])
            else:
                out.append(_descend(b, fill))
        return out

    diags.sort(key=lambda d: d.location.line or 0)  # in the post's order
    return fill(marked), diags


_SLOT = "_b2b_html"  # where a converted HTML block goes back


def _descend(b: dict, block_list) -> dict:
    """The block with its child block lists expanded (quotations, divs, lists, notes stay as they are)."""
    t, c = b["t"], b.get("c")
    if t == "BlockQuote":
        return {"t": t, "c": block_list(c)}
    if t == "Div":
        return {"t": t, "c": [c[0], block_list(c[1])]}
    if t == "BulletList":
        return {"t": t, "c": [block_list(item) for item in c]}
    if t == "OrderedList":
        return {"t": t, "c": [c[0], [block_list(item) for item in c[1]]]}
    return b


def _unknown(text: str, src: SourcePost, diags: list[Diagnostic]) -> None:
    if "[" not in text:
        return
    for f in shortcodes.unknown(text):
        diags.append(
            Diagnostic(Level.WARNING, f.code, f.message, src.find_line(f.needle), wpcontent.HINTS.get(f.code))
        )
