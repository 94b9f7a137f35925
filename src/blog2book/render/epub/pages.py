"""The EPUB's print page list: a page-break marker for every page of the print edition, in the
EPUB file that holds what is printed on it.

The PDF back end gives, for each printed page, the anchors that start on it (``PageMap``) and the
paragraph carried over from the previous page, if any (``PageMarks``). A page is marked at the
start of the block in which it begins (the place of the break inside a paragraph is not known):

- a page that begins with the tail of a paragraph carried from the previous page, or that holds
  nothing else, is marked before that paragraph: the reader who goes to the page lands a few
  lines early, never after the top of the page;
- any other page is marked before the first anchor that starts on it and that the EPUB holds;
- a blank page (the verso before a recto opener) is marked with the next page's first anchor.

A page whose first anchor opens an EPUB file (a part's, a chapter's, a matter's title) is marked
at the top of that file, before the opener's label. The print table of contents (anchor ``toc``)
is the nav document.
"""

from __future__ import annotations

import html
import re


def carried_paragraphs(marks) -> list[str | None]:
    """For each print page, the anchor of the paragraph it continues from the previous page."""
    out: list[str | None] = []
    for page in marks or ():
        first = page.paragraphs[0] if page.paragraphs else None
        out.append(first.anchor if first is not None and first.continued else None)
    return out


def page_marks(page_anchors, known: set[str], carried: list[str | None] | None = None) -> dict[str, list[int]]:
    """Anchor -> the print pages marked just before it (see the module's docstring)."""
    marks: dict[str, list[int]] = {}
    pending: list[int] = []
    seen: set[str] = set()  # WeasyPrint lists a box's id again on each page it continues on
    carried = carried or []
    for n, anchors in enumerate(page_anchors, start=1):
        pending.append(n)
        first = next((a for a in anchors if a in known and a not in seen), None)
        seen.update(anchors)
        if n <= len(carried) and carried[n - 1] in known:
            first = carried[n - 1]  # the page begins inside that paragraph
        if first is not None:
            marks.setdefault(first, []).extend(pending)
            pending = []
    return marks


def marker(page: int) -> str:
    return f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{page}" aria-label="{page}"></span>'


def markers(pages: list[int]) -> str:
    return "".join(marker(p) for p in pages)


def insert_markers(fragment: str, first: str | None, marks: dict[str, list[int]]) -> str:
    """A page-break marker before the start tag of each element whose id is marked, in a file's
    XHTML fragment; the marks of the file's first id (its opener, ``first``) at the very top,
    before the opener's label. Markers go into the XHTML pandoc wrote, so the fragment does not
    depend on the print pages (it is made, and kept, before the PDF is laid out)."""
    top = markers(marks[first]) if first is not None and first in marks else ""
    wanted = {k: v for k, v in marks.items() if k != first}
    if not wanted:
        return top + fragment
    out: list[str] = []
    last = 0
    for m in _START_TAG_ID.finditer(fragment):  # start tags only: text and code are escaped
        ident = html.unescape(m.group(1))
        pages = wanted.pop(ident, None)  # an id is marked before its first element
        if pages is not None:
            out += [fragment[last:m.start()], markers(pages)]
            last = m.start()
    return top + "".join(out) + fragment[last:]


_START_TAG_ID = re.compile(r'<[A-Za-z][A-Za-z0-9]*\s[^<>]*?\bid="([^"]*)"')
