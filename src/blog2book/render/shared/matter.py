"""The pages every edition generates from the book's metadata: the copyright page's lines and the
table of contents (the print book, the EPUB and the web edition)."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from blog2book import lang as lang_mod
from blog2book.model import Book, Chapter, Part
from blog2book.render.shared.openers import one_line


def copyright_lines(book: Book) -> list[str]:
    """The copyright page, as HTML lines, for both editions: authors, publisher, rights, ISBNs and,
    for a French book, the legal deposit (BAnQ and LAC) with its quarter and year."""
    m = book.meta
    words = lang_mod.strings(m.lang)
    colon = words["colon"]
    authors = escape(", ".join(m.author))
    published = m.date or (m.modified.date() if m.modified else dt.date.today())
    lines = [f"© {authors}, {published.year}"]
    if m.publisher:
        lines.append(f"© {escape(m.publisher)}, {published.year}")
    lines.append(escape(m.rights or words["all_rights"]))
    if m.isbn_print:
        lines.append(f"{escape(words['isbn_print'])}{colon} {escape(m.isbn_print)}")
    if m.isbn_epub:
        lines.append(f"{escape(words['isbn_epub'])}{colon} {escape(m.isbn_epub)}")
    if m.legal_deposit and m.lang.startswith("fr"):
        quarter = re.sub(r"^(\d+)(er|re|e)\b", r"\1<sup>\2</sup>", escape(lang_mod.ordinal_quarter(published.month, m.lang)))
        lines.append(f"{escape(words['legal_deposit'])} – {escape(words['legal_deposit_libraries'])}, {quarter} {published.year}")
    return lines


def toc_html(book: Book) -> str:
    words = lang_mod.strings(book.meta.lang)
    out = [f'<nav class="toc" id="toc"><h1 class="toc-title">{escape(words["toc_title"])}</h1><ol class="toc-list">']

    def chapter_item(ch: Chapter) -> str:
        posts = "".join(
            f'<li class="toc-post"><a href="#{p.id}">{escape(one_line(p.title))}</a></li>' for p in ch.posts
        )
        inner = f'<ol class="toc-posts">{posts}</ol>' if ch.posts and not ch.titled_by_its_post else ""
        return f'<li class="toc-chapter"><a href="#{ch.id}">{escape(one_line(ch.title))}</a>{inner}</li>'

    for matter in book.front:
        if matter.kind != "dedication":
            out.append(f'<li class="toc-matter"><a href="#{matter.id}">{escape(one_line(matter.title))}</a></li>')
    for div in book.divisions:
        if isinstance(div, Part):
            chapters = "".join(chapter_item(ch) for ch in div.chapters)
            out.append(f'<li class="toc-part"><a href="#{div.id}">{escape(one_line(div.title))}</a><ol>{chapters}</ol></li>')
        else:
            out.append(chapter_item(div))
    for matter in book.back:
        out.append(f'<li class="toc-matter"><a href="#{matter.id}">{escape(one_line(matter.title))}</a></li>')
    out.append("</ol></nav>")
    return "".join(out)
