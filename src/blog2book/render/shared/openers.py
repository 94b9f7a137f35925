"""What both editions open parts, chapters and the book with: labels, titles, the title page.

Display titles (title page, half-title, part and chapter openers) break where the author asked, or
in balanced lines: a title of the manuscript may hold a line break (YAML ``"Médisance,
influence\\net pâté chinois"`` or a ``|-`` block), kept as a forced break in print; otherwise a
title longer than its line (an estimate in characters, per kind of opener) gets a forced break at
the space that best balances its lines. Short words (three letters or fewer) are tied to the word
after them, and the last two words to each other (``span.tie``, ``white-space: nowrap``), so that
no line ends on « et » and no word stands alone. WeasyPrint has no ``text-wrap: balance``; this is
done on the text.
"""

from __future__ import annotations

import re
from html import escape

from blog2book import lang as lang_mod
from blog2book import tree
from blog2book.model import Book, Chapter, Part

# Characters per line of each display title at its size on a 6 × 9 in page (Source Serif ≈ 0.5 em
# per character); a forced balanced break is harmless on a wider page and wraps again on a narrower.
LONG_WORD = 20  # letters: a word this long is tied to no other (it may have to break itself: print.css)
CAPACITY = {"book": 24, "half": 40, "part": 24, "chapter": 30}
_SHORT = re.compile(r"^[^\W\d_]{1,3}[’']?$|^[^\W\d_]+[’']$|^[—–-]$")


def one_line(title: str) -> str:
    """A title as one line (metadata, tables of contents, running heads). Only ASCII white space
    is folded: U+00A0 and U+202F are the typography's."""
    return re.sub(r"[ \t\r\n]+", " ", title).strip()


def _groups(line: str) -> list[str]:
    """The words of a line in groups that must not break: a short word with the next one, the
    last two words together."""
    words = [w for w in line.split(" ") if w]
    groups: list[list[str]] = []
    tie_next = False
    for i, word in enumerate(words):
        long = len(word) > LONG_WORD or bool(groups) and len(" ".join(groups[-1])) > LONG_WORD
        if groups and not long and (tie_next or (i == len(words) - 1 and len(words) > 2)):
            groups[-1].append(word)
        else:
            groups.append([word])
        tie_next = bool(_SHORT.match(word))
    return [" ".join(g) for g in groups]


def display_lines(title: str, capacity: int) -> list[list[str]]:
    """The lines of a display title, each as its groups of words (see ``_groups``): the author's
    breaks, else balanced lines when the title is longer than ``capacity`` characters."""
    lines = [one_line(part) for part in title.split("\n") if part.strip()]
    if len(lines) == 1:
        lines = _balance(lines[0], capacity)
    return [_groups(line) for line in lines]


def _balance(title: str, capacity: int) -> list[str]:
    if len(title) <= capacity:
        return [title]
    groups = _groups(title)
    n = -(-len(title) // capacity)  # lines needed
    ends, pos = [], 0
    for g in groups[:-1]:  # the places where a line may end: after a group
        pos += len(g)
        ends.append(pos)
        pos += 1
    chosen: list[int] = []
    for k in range(1, n):
        free = [i for i, _ in enumerate(ends) if not chosen or i > chosen[-1]]
        if not free:
            break
        chosen.append(min(free, key=lambda i: abs(ends[i] - len(title) * k / n)))
    cuts = [0, *[i + 1 for i in chosen], len(groups)]
    return [" ".join(groups[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]


def tied_inlines(line: str) -> list:
    """A line as inlines, each group of several words in a ``Span(class "tie")`` (CSS: nowrap).
    Plain spaces, not U+00A0: the PDF font draws both with one glyph, and text copied from the
    PDF must give the title's own characters."""
    out: list = []
    for i, group in enumerate(_groups(line)):
        if i:
            out.append(tree.Space())
        words = tree.text_inlines(group)
        out.append(tree.Span("", ["tie"], words) if len(words) > 1 else words[0])
    return out


def display_inlines(title: str, capacity: int) -> list:
    """A display title as AST inlines: a Space then a LineBreak between lines (the space keeps
    the words apart in ``content(text)``, for running heads and bookmarks)."""
    out: list = []
    for i, groups in enumerate(display_lines(title, capacity)):
        if i:
            out.extend([tree.Space(), {"t": "LineBreak"}])
        out.extend(tied_inlines(" ".join(groups)))
    return out


def _tied_html(groups: list[str]) -> str:
    return " ".join(f'<span class="tie">{escape(g)}</span>' if " " in g else escape(g) for g in groups)


def display_html(title: str, capacity: int) -> str:
    return " <br/>".join(_tied_html(groups) for groups in display_lines(title, capacity))


def part_opener(part: Part, lang: str, display: bool = True) -> list:
    """« Partie 1 » and the part's title (a level-1 heading). ``display``: the print's display
    title (balanced lines, tied words); the EPUB's reflows, so it gets the plain title."""
    label = f"{lang_mod.strings(lang)['part']} {part.number}"
    title = display_inlines(part.title, CAPACITY["part"]) if display else tree.text_inlines(one_line(part.title))
    return [
        tree.Para([tree.Span("", ["part-label"], tree.text_inlines(label))]),
        tree.Header(1, part.id, title, classes=["part-title"]),
    ]


def chapter_opener(chapter: Chapter, lang: str, level: int, display: bool = True) -> list:
    """« Chapitre 1 » and the chapter's title (level 2 in print, under the parts; 1 in an EPUB file)."""
    label = f"{lang_mod.strings(lang)['chapter']} {chapter.number}"
    title = display_inlines(chapter.title, CAPACITY["chapter"]) if display else tree.text_inlines(one_line(chapter.title))
    return [
        tree.Para([tree.Span("", ["chapter-label"], tree.text_inlines(label))]),
        tree.Header(level, chapter.id, title, classes=["chapter-title"], attrs=[("running", chapter.short_title)] if chapter.short_title else ()),
    ]


def title_page_html(book: Book, display: bool = True) -> str:
    """The title page's content: author(s), title, subtitle, publisher. ``display=False`` (a
    reflowable page): no forced break, but the words tied as in print (« pâté chinois » together,
    no word alone on a line; ``.tie`` is nowrap in the EPUB's sheet too)."""
    m = book.meta
    title = display_html(m.title, CAPACITY["book"]) if display else _tied_html(_groups(one_line(m.title)))
    html = f'<p class="author">{escape(", ".join(m.author))}</p><h1 class="book-title">{title}</h1>'
    if m.subtitle:
        html += f'<p class="subtitle">{_tied_html(_groups(one_line(m.subtitle)))}</p>'
    if m.publisher:
        html += f'<p class="publisher">{escape(m.publisher)}</p>'
    return html
