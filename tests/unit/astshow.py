"""A compact Markdown-like rendering of pandoc AST blocks, for exact expectations in unit tables."""

from __future__ import annotations

import json

MARKS = {"Emph": "*", "Strong": "**", "Superscript": "^", "Subscript": "~", "Underline": "_", "Strikeout": "~~"}


def show_inlines(inlines: list, link_classes: bool = False) -> str:
    out = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t == "Str":
            out.append(c)
        elif t == "Space":
            out.append(" ")
        elif t == "SoftBreak":
            out.append("\n")
        elif t == "LineBreak":
            out.append("\\\n")
        elif t in MARKS:
            out.append(MARKS[t] + show_inlines(c, link_classes) + MARKS[t])
        elif t == "Code":
            out.append("`" + c[1] + "`")
        elif t == "Math":
            out.append("$" + c[1] + "$")
        elif t == "RawInline":
            out.append(f"<{c[0]}:{c[1]}>")
        elif t == "Link":
            cls = "{" + " ".join(c[0][1]) + "}" if link_classes and c[0][1] else ""
            out.append("[" + show_inlines(c[1], link_classes) + "](" + c[2][0] + ")" + cls)
        elif t == "Image":
            out.append("![" + show_inlines(c[1], link_classes) + "](" + c[2][0] + ")")
        elif t == "Span":
            out.append("[" + show_inlines(c[1], link_classes) + "]{" + " ".join(c[0][1]) + "}")
        elif t == "Cite":
            out.append(show_inlines(c[1], link_classes))
        elif t == "Quoted":
            out.append("“" + show_inlines(c[1], link_classes) + "”")
        elif t == "Note":
            out.append("^[" + show(c, link_classes) + "]")
        else:
            out.append(json.dumps(el, ensure_ascii=False))
    return "".join(out)


def show(blocks: list, link_classes: bool = False) -> str:
    """Blocks as text: ``link_classes`` also prints each link's classes (``[t](u){external}``)."""
    out = []
    for b in blocks:
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            out.append(show_inlines(c, link_classes))
        elif t == "Header":
            out.append("#" * c[0] + " " + show_inlines(c[2], link_classes))
        elif t == "CodeBlock":
            out.append("```\n" + c[1] + "\n```")
        elif t == "BlockQuote":
            out.append("> " + show(c, link_classes).replace("\n", "\n> "))
        elif t == "Div":
            (ident, classes, kvs), children = c
            kv = " {" + " ".join(f"{k}={v}" for k, v in kvs) + "}" if kvs else ""
            out.append("::: " + " ".join(classes) + kv + "\n" + show(children, link_classes) + "\n:::")
        elif t == "Figure":
            out.append("Figure[" + show(c[1][1], link_classes) + "]{" + show(c[2], link_classes) + "}")
        elif t == "HorizontalRule":
            out.append("---")
        elif t == "BulletList":
            out.append("\n".join("- " + show(item, link_classes) for item in c))
        elif t == "RawBlock":
            out.append(f"<{c[0]}:{c[1]}>")
        else:
            out.append(json.dumps(b, ensure_ascii=False))
    return "\n\n".join(out)
