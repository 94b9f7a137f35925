"""What one more layout of the print book corrects, once the pages are known.

* Cross-references on their target's own page say « (ci-dessous) » / « (plus haut) » instead of
  a page number (``xreftext.mark_same_page``).
* A word hyphenated at the foot of a recto, across the page turn (the reader must turn the leaf
  in the middle of the word), is set unbreakable (``span.nohyph``) and the book laid out again.
  WeasyPrint has no ``hyphenate-limit-last``; this is the same rule done after the fact.

Both are read from WeasyPrint's page boxes (internal API: ``page._page_box``), as ``notefix``
does. The lead's two-pass layout can call ``corrections(html, document)`` before its final render.
"""

from __future__ import annotations

import re

from blog2book.render.xreftext import mark_same_page, positions


def _lines(box, out: list[str]) -> list[str]:
    from weasyprint.formatting_structure import boxes

    for child in box.all_children() if hasattr(box, "all_children") else ():
        if isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)):
            continue
        if isinstance(child, boxes.LineBox):
            out.append("".join(b.text for b in child.descendants() if isinstance(b, boxes.TextBox)))
        else:
            _lines(child, out)
    return out


def recto_foot_words(document, html: str) -> set[str]:
    """Words hyphenated between the last line of a recto and the first line of the next page
    (a compound broken at its own hyphen, « là-/dedans », does not count)."""
    pages = [_lines(page._page_box, []) for page in document.pages]
    words: set[str] = set()
    for index in range(0, len(pages) - 1, 2):  # index 0 is page 1, a recto
        here, there = pages[index], pages[index + 1]
        if not here or not there:
            continue
        head = re.search(r"(\w+)-$", here[-1].rstrip())
        tail = re.match(r"(\w+)", there[0].lstrip())
        if head and tail and tail.group(1)[:1].islower():
            word = head.group(1) + tail.group(1)
            if f"{head.group(1)}-{tail.group(1)}" not in html:
                words.add(word)
    return words


_TAG = re.compile(r"(<[^>]+>)")


def protect_in_html(html: str, words: set[str]) -> str:
    """Every occurrence of ``words`` in the text of the body wrapped in ``span.nohyph``."""
    if not words:
        return html
    head, sep, body = html.partition("<body>")
    if not sep:
        return html
    rx = re.compile(r"(?<![\w>])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")
    parts = _TAG.split(body)
    for i in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[i] = rx.sub(r'<span class="nohyph">\1</span>', parts[i])
    return head + sep + "".join(parts)


def corrections(html: str, document) -> str:
    """The HTML with both corrections applied (unchanged when there is nothing to correct)."""
    marked = mark_same_page(html, positions(document))
    return protect_in_html(marked, recto_foot_words(document, html))


def final_pass(html: str, document, render):
    """One more layout when there is something to correct."""
    corrected = corrections(html, document)
    if corrected == html:
        return document, html
    return render(corrected), corrected
