"""The EPUB's print page list (render/epubpages.py): every printed page marked in the file that
holds it, a page that begins inside a carried paragraph marked before that paragraph, the
openers' pages at the top of their file, the table of contents' pages in the nav document.

Fast checks of the placement rules; then a book with a paragraph longer than a page, built through
the CLI (PDF and EPUB), read back with pypdf and as XHTML.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from blog2book.render.epub.pages import carried_paragraphs, insert_markers, page_marks
from blog2book.render.pdf.engine.marks import PageMarks, ParagraphMark
from conftest import REPO, epubcheck_messages, java_available, run_cli

X = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def test_a_page_holding_only_a_carried_tail_is_marked_before_its_paragraph():
    anchors = [("ch",), ("a__p1",), (), ("a__p2", "a__p3"), ("a__p4",), (), ("ch2",)]
    carried = carried_paragraphs([
        PageMarks(),
        PageMarks((ParagraphMark("a__p1", 0, 500, False),)),
        PageMarks((ParagraphMark("a__p1", 0, 400, True),)),  # p. 3: only the tail of a__p1
        PageMarks((ParagraphMark("a__p2", 0, 300, False), ParagraphMark("a__p3", 310, 500, False))),
        PageMarks((ParagraphMark("a__p3", 0, 50, True), ParagraphMark("a__p4", 60, 500, False))),  # p. 5 begins in a__p3
        PageMarks(),  # p. 6: blank, before a recto opener
        PageMarks(),
    ])
    assert carried == [None, None, "a__p1", None, "a__p3", None, None]
    known = {"ch", "a__p1", "a__p2", "a__p3", "a__p4", "ch2"}
    marks = page_marks(anchors, known, carried)
    assert marks == {"ch": [1], "a__p1": [2, 3], "a__p2": [4], "a__p3": [5], "ch2": [6, 7]}
    # without the paragraph marks (an older layout record), the next anchor that starts takes it
    assert page_marks(anchors, known) == {"ch": [1], "a__p1": [2], "a__p2": [3, 4], "a__p4": [5], "ch2": [6, 7]}


def test_an_openers_marks_go_above_its_label():
    fragment = ('<p><span class="chapter-label">Chapitre 1</span></p>\n<h1 id="ch">Titre</h1>\n'
                '<p><code>&lt;a id="ch__p1"&gt;</code><span id="ch__p1" class="para-anchor"></span>Texte</p>\n'
                '<p><span class="x" id="a&amp;b"></span>Fin</p>')
    out = insert_markers(fragment, "ch", {"ch": [9, 10], "ch__p1": [11], "a&b": [12], "elsewhere": [13]})
    assert out.startswith('<span epub:type="pagebreak" role="doc-pagebreak" id="page-9" aria-label="9"></span><span epub:type="pagebreak"')
    assert out.index('id="page-10"') < out.index("Chapitre 1")
    # before the paragraph's anchor, not inside the code that shows the same text
    assert '&lt;a id="ch__p1"&gt;</code><span epub:type="pagebreak" role="doc-pagebreak" id="page-11" aria-label="11"></span><span id="ch__p1"' in out
    assert '<p><span epub:type="pagebreak" role="doc-pagebreak" id="page-12" aria-label="12"></span><span class="x" id="a&amp;b">' in out
    assert "page-13" not in out  # an id of another file
    assert insert_markers(fragment, "ch", {}) == fragment


@pytest.fixture(scope="module")
def long_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages") / "tiny"
    shutil.copytree(REPO / "tests" / "roots" / "tiny", root)
    post = root / "posts" / "premier-billet.md"
    sentence = "Une phrase assez longue pour remplir les lignes de ce paragraphe qui ne tient pas sur une page, "
    post.write_text(post.read_text("utf-8").rstrip() + "\n\nDébut du long paragraphe. " + sentence * 90 + "fin du long paragraphe.\n\nAprès le long paragraphe.\n", "utf-8")
    result = run_cli("build", root / "manuscripts" / "tiny.yml", "-f", "pdf", "-f", "epub", "-o", root / "out")
    assert result.exit_code == 0, result.output
    return root / "out"


@pytest.mark.slow
def test_page_list_of_a_book_with_a_paragraph_longer_than_a_page(long_book):
    pdf = PdfReader(str(long_book / "tiny.pdf"))
    texts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    z = zipfile.ZipFile(long_book / "tiny.epub")
    nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    hrefs = [a.get("href") for a in nav.find(".//x:nav[@epub:type='page-list']", X).iterfind(".//x:a", X)]
    assert [int(h.rsplit("-", 1)[1]) for h in hrefs] == list(range(1, len(pdf.pages) + 1))
    where = dict(h.split("#")[::-1] for h in hrefs)
    toc_pages = [n for n, t in enumerate(texts, 1) if t.startswith("Table des matières")]
    assert toc_pages and all(where[f"page-{n}"] == "nav.xhtml" for n in toc_pages)
    # the pages that hold only the long paragraph's middle or tail (neither its start nor what follows)
    inside = [n for n, t in enumerate(texts, 1) if "paragraphe qui ne tient" in t and "Début du long" not in t and "Après le long" not in t]
    assert inside, "the paragraph should run over more than two pages"
    chapter = z.read(f"EPUB/{where[f'page-{inside[0]}']}").decode()
    start = chapter.index("Début du long paragraphe")
    paragraph = chapter.rindex("<p>", 0, start)
    for n in inside:  # marked at the start of the paragraph their text continues, not after it
        pos = chapter.index(f'id="page-{n}"')
        assert paragraph < pos < start, n
    # the page that begins with its last lines (then « Après le long paragraphe ») is marked there too
    last = next(n for n, t in enumerate(texts, 1) if "fin du long paragraphe" in t)
    assert last not in inside and paragraph < chapter.index(f'id="page-{last}"') < start
    assert chapter.index(f'id="page-{inside[0] - 1}"') < start  # the page where it starts: before it too
    # every marker precedes its file's text in page order
    for name in {h.split("#")[0] for h in hrefs}:
        doc = z.read(f"EPUB/{name}").decode()
        numbers = [int(m) for m in re.findall(r'id="page-(\d+)"', doc)]
        assert numbers == sorted(numbers), name


@pytest.mark.slow
@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_epubcheck_clean_long_paragraph(long_book):
    valid, messages = epubcheck_messages(long_book / "tiny.epub")
    assert valid and messages == [], messages


@pytest.mark.slow
def test_note_calls_raised_once_and_notes_titled(long_book):
    """The same book's notes: each call a single <sup> in a link that is not itself raised, the
    notes under « Notes » in the book's language, the back link in the book's faces and labelled."""
    z = zipfile.ZipFile(long_book / "tiny.epub")
    css = z.read("EPUB/style/book.css").decode()
    assert not re.search(r"a\.footnote-ref \{[^}]*super", css) and re.search(r"a\.footnote-ref \{[^}]*text-decoration: none", css)
    calls = 0
    for name in (n for n in z.namelist() if n.endswith(".xhtml")):
        doc = etree.fromstring(z.read(name))
        for a in doc.iterfind(".//x:a[@epub:type='noteref']", X):
            calls += 1
            assert [c.tag.split("}")[1] for c in a] == ["sup"] and not (a.text or "").strip()
            assert all(not p.tag.endswith("sup") for p in a.iterancestors())
        for notes in doc.iterfind(".//x:section[@epub:type='endnotes']", X):
            assert notes[0].tag.endswith("h2") and notes[0].text == "Notes"
            for back in notes.iterfind(".//x:a[@role='doc-backlink']", X):
                assert back.text == "\u2191" and back.get("aria-label") == "Retour au texte"
    assert calls >= 1
