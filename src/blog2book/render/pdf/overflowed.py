"""``pdf.overflow``: what still passes the text block once the book is laid out (a table or an
image with a fixed width, a word no break can shorten), one warning per element and page, naming
the post's file and line and the page. The engine reads the boxes (``engine/overflow.py``); this
module finds each one's line in the post's file."""

from __future__ import annotations

import re
from pathlib import Path

from blog2book.diagnostics import Diagnostic, Location, warning
from blog2book.model import Book, Part, Post

_WHAT = {"pre": "a code line", "code": "a code line", "table": "a table", "td": "a table", "th": "a table", "img": "an image",
         "svg": "an image", "figure": "a figure", "h1": "a title", "h2": "a title", "h3": "a title", "h4": "a heading",
         "h5": "a heading", "h6": "a heading"}


def _line(post: Post, text: str) -> int | None:
    """The line of ``post``'s file where ``text`` (as printed) starts, as near as its words tell."""
    try:
        lines = post.source.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    words = [w for w in re.split(r"[\s\u00a0\u202f«»“”\"'’]+", text) if w]
    needles = [words[:4], words[:2]] + [[w] for w in sorted((w for w in words if len(w) >= 4), key=len, reverse=True)[:3]]
    for needle in needles:
        if not needle or (len(needle) == 1 and len(needle[0]) < 4):
            continue
        pattern = re.compile(r"\W*".join(re.escape(w) for w in needle))  # "c0 c1" printed, "|c0|c1|" written
        for i, line in enumerate(lines, start=1):
            if pattern.search(line):
                return i
    return None


def overflow_warnings(book: Book, layouts, first_pages: list[int]) -> list[Diagnostic]:
    """A warning per overflow of the pieces' ``layouts``; ``first_pages``: each piece's first page
    in the book (1-based)."""
    posts = {p.slug: p for p in book.posts()} | {"#" + p.id: p for p in book.posts()}
    divisions = {"#" + d.id: d for d in book.divisions} | {"#" + c.id: c for c in book.chapters()}
    diags: list[Diagnostic] = []
    for layout, first in zip(layouts, first_pages):
        for o in layout.overflows:
            post = posts.get(o.slug or "")
            page = first + o.page
            what = "its contents line" if (o.slug or "").startswith("#") and o.tag == "a" else _WHAT.get(o.tag, "a line")
            division = divisions.get(o.slug or "")
            if division is not None and division.where is not None:
                where = Location(division.where[0], division.where[1])
                name = f"the title of {'part' if isinstance(division, Part) else 'chapter'} {division.number}"
            elif post is not None:
                where = Location(post.source, _line(post, o.text))
                name = f"post '{post.slug}'"
            else:
                where = Location(book.style / "print.css")
                name = "the book's own pages"
            shown = o.text if len(o.text) <= 40 else o.text[:39] + "…"
            diags.append(
                warning(
                    "pdf.overflow",
                    f"{name}: {what} passes the text block by {o.excess:g} mm on page {page} (« {shown} »)",
                    where,
                    "give it a width that fits the page (a table fewer columns, an image max-width), or break the line",
                )
            )
    return diags
