"""What both editions open parts, chapters and the book with: labels, titles, the title page.

Display titles (title page, half-title, part and chapter openers) break where the author asked, or
in balanced lines: a title of the manuscript may hold a line break (YAML ``"Médisance,
influence\\net pâté chinois"`` or a ``|-`` block), kept as a forced break in print; otherwise a
title longer than its line (an estimate in characters, per kind of opener) gets a forced break at
the space that best balances its lines. Short words (three letters or fewer) are tied to the word
after them, and the last two words to each other, so that no line ends on « et » and no word
stands alone. WeasyPrint has no ``text-wrap: balance``; this is done on the text.
"""

from __future__ import annotations

import re
from html import escape

from blog2book import lang as lang_mod
from blog2book import tree
from blog2book.model import Book, Chapter, Part

NBSP = "\u00a0"
# Characters per line of each display title at its size on a 6 × 9 in page (Source Serif ≈ 0.5 em
# per character); a forced balanced break is harmless on a wider page and wraps again on a narrower.
CAPACITY = {"book": 24, "half": 40, "part": 24, "chapter": 30}
_SHORT = re.compile(r"^[^\W\d_]{1,3}[’']?$|^[^\W\d_]+[’']$|^[—–-]$")


def one_line(title: str) -> str:
    """A title as one line (metadata, tables of contents, running heads)."""
    return " ".join(title.split())


def display_lines(title: str, capacity: int) -> list[str]:
    """The lines of a display title: the author's breaks, else balanced lines when it is too long;
    within a line, U+00A0 after short words and between the last two words."""
    lines = [one_line(part) for part in title.split("\n") if part.strip()]
    if len(lines) == 1:
        lines = _balance(lines[0], capacity)
    return [_tie(line) for line in lines]


def _tie(line: str) -> str:
    words = line.split(" ")
    out = []
    for i, word in enumerate(words):
        out.append(word)
        if i < len(words) - 1:
            last_pair = i == len(words) - 2 and len(words) > 2
            out.append(NBSP if _SHORT.match(word) or last_pair else " ")
    return "".join(out)


def _balance(title: str, capacity: int) -> list[str]:
    tied = _tie(title)
    if len(tied) <= capacity:
        return [title]
    n = -(-len(tied) // capacity)  # lines needed
    breaks = [m.start() for m in re.finditer(" ", tied)]
    chosen: list[int] = []
    for k in range(1, n):
        target = len(tied) * k / n
        free = [b for b in breaks if not chosen or b > chosen[-1]]
        if not free:
            break
        chosen.append(min(free, key=lambda b: abs(b - target)))
    cuts = [0, *[c + 1 for c in chosen], len(tied) + 1]
    return [tied[a:b - 1].replace(NBSP, " ") for a, b in zip(cuts, cuts[1:]) if tied[a:b - 1]]


def display_inlines(title: str, capacity: int) -> list:
    """A display title as AST inlines: a Space then a LineBreak between lines (the space keeps
    the words apart in ``content(text)``, for running heads and bookmarks)."""
    out: list = []
    for i, line in enumerate(display_lines(title, capacity)):
        if i:
            out.extend([tree.Space(), {"t": "LineBreak"}])
        out.extend(tree.text_inlines(line))
    return out


def display_html(title: str, capacity: int) -> str:
    return " <br/>".join(escape(line) for line in display_lines(title, capacity))


def part_opener(part: Part, lang: str, display: bool = True) -> list:
    """« Partie 1 » and the part's title (a level-1 heading). ``display``: print line breaks."""
    label = f"{lang_mod.strings(lang)['part']} {part.number}"
    title = display_inlines(part.title, CAPACITY["part"]) if display else tree.text_inlines(_tie(one_line(part.title)))
    return [
        tree.Para([tree.Span("", ["part-label"], tree.text_inlines(label))]),
        tree.Header(1, part.id, title, classes=["part-title"]),
    ]


def chapter_opener(chapter: Chapter, lang: str, level: int, display: bool = True) -> list:
    """« Chapitre 1 » and the chapter's title (level 2 in print, under the parts; 1 in an EPUB file)."""
    label = f"{lang_mod.strings(lang)['chapter']} {chapter.number}"
    title = display_inlines(chapter.title, CAPACITY["chapter"]) if display else tree.text_inlines(_tie(one_line(chapter.title)))
    return [
        tree.Para([tree.Span("", ["chapter-label"], tree.text_inlines(label))]),
        tree.Header(level, chapter.id, title, classes=["chapter-title"]),
    ]


def title_page_html(book: Book, display: bool = True) -> str:
    """The title page's content: author(s), title, subtitle, publisher."""
    m = book.meta
    title = display_html(m.title, CAPACITY["book"]) if display else escape(_tie(one_line(m.title)))
    html = f'<p class="author">{escape(", ".join(m.author))}</p><h1 class="book-title">{title}</h1>'
    if m.subtitle:
        html += f'<p class="subtitle">{escape(m.subtitle)}</p>'
    if m.publisher:
        html += f'<p class="publisher">{escape(m.publisher)}</p>'
    return html
