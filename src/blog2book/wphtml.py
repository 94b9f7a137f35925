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

from blog2book import pandoc, shortcodes, tree, wpcontent
from blog2book.diagnostics import Diagnostic, Level
from blog2book.sources import SourcePost

POST_READER = pandoc.READ_MARKDOWN + "-markdown_in_html_blocks"

_HTML = ("html", "html4", "html5")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _line_of(src: SourcePost, text: str) -> int:
    return src.find_line(_first_line(text)[:60]).line or src.body_line


def _has_known_shortcode(inlines: list) -> bool:
    return any(
        el["t"] == "Str" and el["c"].startswith(tuple("[" + name for name in shortcodes.KNOWN))
        and not el["c"].startswith("[caption")  # embeds sets [caption] as a figure already
        for el in inlines
    )


def expand(blocks: list, src: SourcePost) -> tuple[list, list[Diagnostic]]:
    """Raw HTML blocks and shortcode paragraphs of a parsed post, turned into AST blocks."""
    diags: list[Diagnostic] = []

    def html_blocks(html: str, line: int | None = None) -> list:
        line = line or _line_of(src, html)
        made, found = wpcontent.wp_to_blocks(html, path=src.path, line=line, with_info=False)
        diags.extend(found)
        return made

    def block_list(items: list) -> list:
        out: list = []
        for b in items:
            t = b.get("t")
            if t == "RawBlock" and b["c"][0].lower() in _HTML:
                out.extend(html_blocks(b["c"][1]))
            elif t in ("Para", "Plain") and _has_known_shortcode(b["c"]):
                html = pandoc.from_ast(pandoc.document([tree.Para(b["c"])]), "html", "--wrap=none")
                first = next(el["c"] for el in b["c"] if el["t"] == "Str")
                out.extend(html_blocks(html, src.find_line(first).line))
            else:
                if t in ("Para", "Plain"):
                    _unknown(b["c"], src, diags)
                out.append(_descend(b, block_list))
        return out

    return block_list(list(blocks)), diags


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


def _unknown(inlines: list, src: SourcePost, diags: list[Diagnostic]) -> None:
    text = tree.stringify(inlines)
    if "[" not in text:
        return
    for f in shortcodes.unknown(text):
        diags.append(
            Diagnostic(Level.WARNING, f.code, f.message, src.find_line(f.needle), wpcontent.HINTS.get(f.code))
        )
