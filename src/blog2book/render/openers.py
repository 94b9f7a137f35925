"""What both editions open parts, chapters and the book with: labels, titles, the title page."""

from __future__ import annotations

from html import escape

from blog2book import lang as lang_mod
from blog2book import tree
from blog2book.model import Book, Chapter, Part


def part_opener(part: Part, lang: str) -> list:
    """« Partie 1 » and the part's title (a level-1 heading)."""
    label = f"{lang_mod.strings(lang)['part']} {part.number}"
    return [
        tree.Para([tree.Span("", ["part-label"], tree.text_inlines(label))]),
        tree.Header(1, part.id, tree.text_inlines(part.title), classes=["part-title"]),
    ]


def chapter_opener(chapter: Chapter, lang: str, level: int) -> list:
    """« Chapitre 1 » and the chapter's title (level 2 in print, under the parts; 1 in an EPUB file)."""
    label = f"{lang_mod.strings(lang)['chapter']} {chapter.number}"
    return [
        tree.Para([tree.Span("", ["chapter-label"], tree.text_inlines(label))]),
        tree.Header(level, chapter.id, tree.text_inlines(chapter.title), classes=["chapter-title"]),
    ]


def title_page_html(book: Book) -> str:
    """The title page's content: author(s), title, subtitle, publisher."""
    m = book.meta
    html = f'<p class="author">{escape(", ".join(m.author))}</p><h1 class="book-title">{escape(m.title)}</h1>'
    if m.subtitle:
        html += f'<p class="subtitle">{escape(m.subtitle)}</p>'
    if m.publisher:
        html += f'<p class="publisher">{escape(m.publisher)}</p>'
    return html
