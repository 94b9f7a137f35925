"""``pdf.loose-line``: the justified lines whose word spaces the layout could not bring within the
budget (``engine.spacing``), one diagnostic per post (or matter file), at the line of the post where
the first such paragraph starts (render/shared/sourcelines.py), with the pages and the lines' first
words.

A line over the budget (0.5 em) but under ``VISIBLE`` is information (``-v`` shows it): a reader
hardly sees it. A post with a line at or over ``VISIBLE`` (three normal spaces and more: a gap that
catches the eye, a river when lines stack) is a warning.
"""

from __future__ import annotations

from blog2book.diagnostics import Diagnostic, Location, info, warning
from blog2book.model import Book

VISIBLE = 0.75  # em


def loose_lines(book: Book, marks) -> list[Diagnostic]:
    from blog2book.render.pdf.engine.spacing import BUDGET
    from blog2book.render.shared.sourcelines import paragraph_sources

    sources = {m.id: m.source for m in (*book.front, *book.back)}
    sources.update((p.id, p.source) for p in book.posts())
    by_source: dict = {}
    for page, found in enumerate(marks, start=1):
        for line in found.loose:
            by_source.setdefault(sources.get(line.anchor.rsplit("__p", 1)[0]), []).append((page, line))
    if not by_source:
        return []
    posts = {line.anchor.rsplit("__p", 1)[0] for lines in by_source.values() for _, line in lines}
    _, paragraphs = paragraph_sources(book, only=posts)
    out = []
    for source, lines in by_source.items():
        pages = ", ".join(str(page) for page, _ in lines)
        shown = "; ".join(f"« {line.text} » ({line.space:.2f} em, p. {page})" for page, line in lines[:3])
        count = f"{len(lines)} justified lines have" if len(lines) > 1 else "a justified line has"
        where = paragraphs.get(lines[0][1].anchor)
        level = warning if max(line.space for _, line in lines) >= VISIBLE else info
        out.append(level(
            "pdf.loose-line", f"{count} word spaces wider than the budget ({BUDGET} em), on p. {pages}: {shown}{'…' if len(lines) > 3 else ''}",
            Location(source, where.line if where is not None and where.line else None),
            "reword the line, or allow a long word or name in it to break (a soft hyphen, U+00AD, where it may)"))
    return out
