"""Code blocks in print: each line of the source its own block, so that a line longer than the
measure wraps under itself with a hanging indent and a continuation mark (``pre.code-lines`` in
the style's print.css) instead of running off the page. The EPUB and the web edition scroll
or reflow their code as pandoc writes it."""

from __future__ import annotations

from html import escape

from blog2book import tree


def wrapped_code(blocks: list) -> list:
    """The blocks with each code block written as ``<pre class="code-lines">``, a span per line."""

    def fix(el: dict):
        if el["t"] != "CodeBlock":
            return None
        (ident, classes, _), text = el["c"]
        lines = text.split("\n")
        spans = "".join(f'<span class="code-line">{escape(line) if line else "&#160;"}</span>' for line in lines)
        attrs = f' id="{escape(ident)}"' if ident else ""
        names = " ".join(["code-lines", *classes])
        return tree.RawBlock("html", f'<pre{attrs} class="{escape(names)}"><code>{spans}</code></pre>')

    return tree.walk(blocks, fix)
