"""The correction loop (render/corrections.py): what it keeps, where it applies it, and that a layout
started from the fixes another one ended with is laid out once."""

from __future__ import annotations

import pytest

from blog2book.render.pdf.corrections import Fixes, correct, scope_region, set_marks
from blog2book.render.pdf.engine.lines import recto_foot_words

TWO_CHAPTERS = (
    '<html><head><style></style></head><body>'
    '<div class="chapter"><h1 id="ch-1">Un</h1><p>une plateforme et la plateforme</p></div>'
    '<div class="chapter several-posts"><h1 id="ch-2">Deux</h1><p>sa plateforme</p></div>'
    "</body></html>"
)


def test_fixes_survive_their_record_and_an_old_record_is_refused():
    fixes = Fixes(("p { break-before: page; }",), (("ch-1", "plateforme"),), (("xref-3", "below"),), (("ch-1", 2),))
    assert Fixes.from_json(fixes.to_json()) == fixes
    assert Fixes.from_json(":root > p { break-before: page; }") is None  # what an older version cached
    assert not Fixes() and fixes


def test_a_word_is_set_whole_in_its_own_chapter_only():
    out = Fixes(words=(("ch-1", "plateforme"),)).apply(TWO_CHAPTERS)
    first, second = out.split('<div class="chapter several-posts">')
    assert first.count('<span class="nohyph">plateforme</span>') == 2
    assert "nohyph" not in second
    start, end = scope_region(TWO_CHAPTERS, "ch-2")
    assert TWO_CHAPTERS[start:end].startswith('<div class="chapter several-posts">') and "sa plateforme" in TWO_CHAPTERS[start:end]
    assert scope_region(TWO_CHAPTERS, "nowhere") == (0, 0)


def test_same_page_marks_are_set_and_taken_back():
    html = '<p><a id="xref-1" class="xref" href="#b">x</a> <a id="xref-2" class="xref" href="#c" data-same-page="above">y</a></p>'
    out = set_marks(html, {"xref-1": "below"})
    assert 'id="xref-1" class="xref" href="#b" data-same-page="below"' in out
    assert 'id="xref-2"' in out and "above" not in out


class _Empty:
    pages: list = []


def test_fixes_are_used_only_for_a_document_of_their_shape():
    """A page number's value never moves lines (figures of one width), its length may: fixes found with
    « p. 88 » serve « p. 12 », not « p. 123 »; the first folio, printed in the margins, does not count."""
    from blog2book.render.pdf.corrections import shape

    seen = []

    def render(html):
        seen.append(html)
        return _Empty()

    def doc(page, folio=1):
        return f'<html><head><style>@page :first {{ counter-reset: page {folio}; }}</style></head><body><div class="chapter"><h1 id="c">T</h1><p>la plateforme, voir <a class="xref" id="xref-1" href="b2b:x" data-page="{page}">x</a></p></div></body></html>'

    found = Fixes(words=(("c", "plateforme"),), rounds=(("c", 1),), shape=shape(doc(88)))
    assert shape(doc(12, folio=41)) == found.shape != shape(doc(123))
    _, kept = correct(doc(12, folio=41), found, render)
    assert kept == found and "nohyph" in seen[-1]
    _, fresh = correct(doc(123), found, render)
    assert fresh == Fixes(shape=shape(doc(123))) and "nohyph" not in seen[-1]


weasyprint = pytest.importorskip("weasyprint")

CSS = ("@page { size: 60mm 40mm; margin: 5mm; } body { font-size: 9pt; line-height: 1.2; hyphens: auto;"
       " hyphenate-limit-chars: 6 3 3; hyphenate-character: '-'; text-align: justify; font-family: serif; }"
       " .nohyph { hyphens: manual; }")


def chapter(words: int) -> str:
    text = " ".join(["texte"] * words) + " extraordinairement continuellement institutionnellement"
    return f'<html lang="fr"><head><style>{CSS}</style></head><body><div class="chapter"><p id="ch">{text}</p></div></body></html>'


def test_a_layout_that_starts_from_the_fixes_found_is_laid_out_once():
    renders = []

    def render(html):
        renders.append(html)
        return weasyprint.HTML(string=html).render()

    for words in range(20, 90):
        html = chapter(words)
        if recto_foot_words(weasyprint.HTML(string=html).render(), html):
            break
    else:
        pytest.fail("no layout put a hyphen at the foot of page 1")
    document, fixes = correct(html, Fixes(), render)
    assert fixes.words and all(scope == "ch" for scope, _ in fixes.words)
    assert dict(fixes.rounds)["ch"] >= 1
    assert recto_foot_words(document, fixes.apply(html)) == set()
    first = len(renders)
    assert first >= 2
    again, same = correct(html, fixes, render)
    assert same == fixes and len(renders) == first + 1
    assert [len(p.anchors) for p in again.pages] == [len(p.anchors) for p in document.pages]


def references(lines_between: int) -> str:
    """A chapter: a reference to a section further down, then one back to the chapter's heading,
    ``lines_between`` paragraphs apart (as the print HTML writes references: ``xreftext``)."""
    from blog2book.render.pdf.html import css_string
    from blog2book.render.pdf.xreftext import xref_css

    filler = "".join(f"<p>Paragraphe {n} du chapitre.</p>" for n in range(lines_between))
    body = (f'<div class="chapter"><h1 id="ch">Titre</h1><p>Voyez la <a class="xref" id="xref-1" href="#sec">section</a> qui suit.</p>{filler}'
            f'<h2 id="sec">Section</h2><p>Revenez au <a class="xref" id="xref-2" href="#ch">titre</a>.</p></div>')
    css = CSS + " h1, h2 { font-size: 9pt; margin: 0; } p { margin: 0; } " + xref_css("fr-CA", css_string)
    return f'<html lang="fr-CA"><head><style>{css}</style></head><body>{body}</body></html>'


def test_a_reference_on_its_targets_page_is_marked_as_the_page_is_made():
    """« (ci-dessous) » / « (plus haut) » set in the box tree while the page is made (engine.pagecheck):
    one layout, not one more for the marks, and the same pages as the HTML marked from the start;
    a reference whose target is on another page keeps « (voir p. N) »."""
    from blog2book.render.pdf.engine import write_pdf
    from blog2book.render.pdf.engine.corrector import corrected

    renders = []

    def plain(html):
        renders.append(html)
        return weasyprint.HTML(string=html).render()

    render = corrected(plain)
    html = references(2)
    document, fixes = correct(html, Fixes(), render)
    assert len(renders) == 1 and dict(fixes.marks) == {"xref-1": "below", "xref-2": "above"}
    text = "".join("".join(b.text for b in _texts(page._page_box)) for page in document.pages)
    assert "section (ci-dessous)" in text and "titre (plus haut)" in text and len(document.pages) == 1
    marked, same = correct(html, fixes, render)  # the HTML with the marks written in: the same layout
    assert same == fixes and len(renders) == 2 and 'data-same-page="below"' in renders[-1]
    assert write_pdf(marked) == write_pdf(document)

    renders.clear()
    far, fixes = correct(references(40), Fixes(), render)
    assert len(renders) == 1 and fixes.marks == () and len(far.pages) > 1
    text = "".join(b.text for b in _texts(far.pages[0]._page_box))
    assert "ci-dessous" not in text and "(voir\u00a0p.\u00a07)" in text


def _texts(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in box.all_children():
        yield from _texts(child)
