"""page_marks: where paragraphs and posts fall on the pages of a laid-out document.

A small HTML document in the shape printhtml writes (posts as ``data-slug`` blocks, every paragraph
and list item opened by an empty ``span.para-anchor``), laid out by WeasyPrint on tiny pages so
that one paragraph runs over a page turn.
"""

from __future__ import annotations

import pickle

import weasyprint

from blog2book.render.pdf.engine.marks import PageMarks, page_marks

LONG = " ".join(["mot"] * 160)
HTML = f"""<!DOCTYPE html><html><head><style>
@page {{ size: 200pt 200pt; margin: 20pt; }}
body {{ font-family: serif; font-size: 10pt; line-height: 12pt; margin: 0; }}
p, ul {{ margin: 0 0 6pt; }}
.post {{ break-before: page; }}
</style></head><body>
<div class="post" data-slug="un"><h3 style="margin:0;font-size:10pt;line-height:12pt">Un</h3>
<p><span id="un__p1" class="para-anchor"></span>Court.</p>
<p><span id="un__p2" class="para-anchor"></span>{LONG}</p>
<ul><li><span id="un__p3" class="para-anchor"></span>Un point.</li><li><span id="un__p4" class="para-anchor"></span>Un autre.</li></ul>
</div>
<div class="post" data-slug="deux"><p><span id="deux__p1" class="para-anchor"></span>Seul.</p>
<blockquote><p><span id="deux__p2" class="para-anchor"></span>Cité.</p></blockquote></div>
</body></html>"""


def marks() -> tuple[PageMarks, ...]:
    return page_marks(weasyprint.HTML(string=HTML).render())


def test_paragraphs_per_page_with_their_continuation():
    pages = marks()
    flat = [(n, p.anchor, p.continued) for n, page in enumerate(pages) for p in page.paragraphs]
    starts = [a for _, a, continued in flat if not continued]
    assert starts == ["un__p1", "un__p2", "un__p3", "un__p4", "deux__p1", "deux__p2"]  # each once, in order
    carried = [(n, a) for n, a, continued in flat if continued]
    assert carried and all(a == "un__p2" for _, a in carried)
    for n, anchor in carried:
        assert pages[n].paragraphs[0].anchor == anchor  # a continuation is the page's first paragraph
    first = next(n for n, a, c in flat if a == "un__p2")
    assert [n for n, _ in carried] == list(range(first + 1, first + 1 + len(carried)))
    for page in pages:
        for p in page.paragraphs:
            assert 15 <= p.top < p.bottom <= 185  # pt, inside the page's margins (20 pt of 200)
        tops = [p.top for p in page.paragraphs]
        assert tops == sorted(tops)


def test_posts_start_where_their_first_box_is():
    pages = marks()
    posts = [(n, m.slug) for n, page in enumerate(pages) for m in page.posts]
    assert [slug for _, slug in posts] == ["un", "deux"]
    assert posts[0][0] == 0 and posts[1][0] == len(pages) - 1
    assert pages[0].posts[0].top < pages[0].paragraphs[0].top


def test_first_page_skips_pages_but_not_what_they_started():
    document = weasyprint.HTML(string=HTML).render()
    every = page_marks(document)
    assert page_marks(document, first_page=2) == every[2:]
    assert pickle.loads(pickle.dumps(every)) == every  # a worker process can send them back


def test_anchors_on_the_paragraphs_themselves_give_the_same_marks_and_page_anchors():
    """The print HTML puts each paragraph's anchor on the paragraph (render/pdf/html.py
    ``anchor_paragraphs``: an empty span opening every line made WeasyPrint's layout slower): the
    same marks, and each paragraph's anchor listed on the page where it starts only (not again on
    the page its continuation fills, as an element split across pages is)."""
    from blog2book.render.pdf.engine.pages import page_anchors
    from blog2book.render.pdf.html import anchor_paragraphs

    moved = anchor_paragraphs(HTML)
    assert 'class="para-anchor"></span>' not in moved and '<p id="un__p2" class="para-anchor">' in moved
    assert '<li id="un__p3" class="para-anchor">' in moved
    before, after = weasyprint.HTML(string=HTML).render(), weasyprint.HTML(string=moved).render()
    assert page_marks(after) == page_marks(before)
    assert page_anchors(after) == page_anchors(before)
    listed = [a for page in page_anchors(after) for a in page if "__p" in a]
    assert listed == ["un__p1", "un__p2", "un__p3", "un__p4", "deux__p1", "deux__p2"]
