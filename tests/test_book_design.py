"""The book designer's corrections (issue 12), read back from the PDF (pypdf) and the EPUB (XHTML).

One build of tests/roots/design through the CLI (PDF and EPUB; the EPUB's page list comes from the
PDF), one EPUB of the same book in the 201 style. The sample book is read for what needs real
text: hyphenation and the table of contents.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from conftest import REPO, epubcheck_messages, java_available, run_cli

pytestmark = pytest.mark.slow
ROOT = REPO / "tests" / "roots" / "design"
MM = 72 / 25.4
COMPOUNDS = {m.lower() for path in (REPO / "posts").glob("*.md") for m in re.findall(r"\w+-\w+", path.read_text("utf-8"))}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    dest = tmp_path_factory.mktemp("design")
    result = run_cli("build", ROOT / "manuscripts" / "design.yml", "-f", "pdf", "-f", "epub", "-o", dest)
    assert result.exit_code == 0, result.output
    return dest


@pytest.fixture(scope="module")
def pdf(out):
    return PdfReader(str(out / "design.pdf"))


@pytest.fixture(scope="module")
def texts(pdf):
    return [p.extract_text() or "" for p in pdf.pages]


@pytest.fixture(scope="module")
def epub(out):
    return zipfile.ZipFile(out / "design.epub")


def xhtml(epub, name):
    return etree.fromstring(epub.read(f"EPUB/{name}"))


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def page_of(texts, needle) -> int:
    found = [n for n, t in enumerate(texts, start=1) if needle in flat(t)]
    assert found, needle
    return found[0]


def runs(page):
    """(x, y, text) of each text run of a PDF page, in points from the bottom left."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return out


# ---------------------------------------------------------------- print: text as the source wrote it

def test_copied_text_gives_the_source_characters(texts):
    """No U+2010 anywhere (WeasyPrint's hyphen shares the hyphen-minus glyph, so a URL copied from
    a note gave « billet‐hors‐livre »); the note's URL reads back exactly."""
    book = "\n".join(texts)
    assert "\u2010" not in book
    assert "https://exemple.org/billet-hors-livre/" in book
    assert re.search(r"\w-\n", book), "the book is hyphenated (with a hyphen-minus)"


def test_note_call_before_the_final_punctuation(texts, epub):
    assert "partager1." in flat("".join(texts))
    body = epub.read("EPUB/chapitre-1.xhtml").decode()
    assert re.search(r"partager<a [^>]*footnote-ref[^>]*><sup>1</sup></a>\.", body)


def test_typography_rules_in_print_and_epub(texts, epub):
    """Exact code points in the EPUB; in the PDF, the text (its spaces read back as the font maps them)."""
    book = flat("\n".join(texts))
    for words in ("15 016 commentaires", "1350 abonnés", "s’inverser – ou", "XXIe siècle", "à 8 h 12"):
        assert words in book, words
    body = epub.read("EPUB/chapitre-1.xhtml").decode()
    for words in ("15\u202f016 commentaires", "1350 abonnés", "s’inverser –\u00a0ou", "XXI<sup>e</sup> siècle", "à 8\u00a0h\u00a012"):
        assert words in body, words


# ---------------------------------------------------------------- print: cross-references

def test_same_page_reference_says_where_not_which_page(texts):
    page = page_of(texts, "la section qui suit (ci-dessous)")
    assert page == page_of(texts, "La suite Une section courte")
    assert not re.search(rf"\(voir p\. {page}\)", flat(texts[page - 1]))


def test_see_and_page_never_part_and_no_second_see(out, texts):
    book = flat("\n".join(texts))
    assert "Voir aussi le billet en anglais (p. 17)" in book
    assert "On lira le billet en anglais (voir p. 17)" in book
    assert not re.search(r"(?i)voir[^()]{0,40}\(voir", book)
    for t in texts:
        assert not re.search(r"\(voir\s*$", t, re.M) and not re.search(r"^p\.\s*\d+\)", t, re.M)
    from blog2book.render.pdf.xreftext import same_page_rule

    assert same_page_rule((3, 100.0), (3, 400.0)) == "below"
    assert same_page_rule((3, 400.0), (3, 100.0)) == "above"
    assert same_page_rule((3, 100.0), (4, 10.0)) is None
    # « voir », « p. » and the number are tied by U+00A0 (escaped in the generated CSS)
    assert re.search(r'a\.xref::after \{ content: " \(voir\\0000a0 p\.\\0000a0 "', generated_css_for(out))


def generated_css_for(out):
    from blog2book.pipeline import prepare, Phases
    from blog2book.diagnostics import Reporter
    from blog2book.render.pdf.html import generated_css

    _, book, _ = prepare(ROOT / "manuscripts" / "design.yml", Reporter(), Phases(None))
    return generated_css(book)


# ---------------------------------------------------------------- print: display titles, heads, quotes

def test_display_titles_break_where_asked_and_balanced(texts):
    assert texts[0].split("\n")[:2] == ["Renvois, notes ", "et coupures"]  # the manuscript's line break
    title_page = [line.strip() for line in texts[2].split("\n")]
    assert title_page[1:3] == ["Renvois, notes", "et coupures"]
    part = [line.strip() for line in texts[page_of(texts, "PARTIE 1") - 1].split("\n")]  # the 101's labels in capitals (issue 25, item 11)
    assert part[-2:] == ["Portée et limites", "des médias sociaux"]  # balanced, « sociaux » never alone


def test_recto_head_names_the_post_in_a_chapter_of_several(pdf, texts):
    start = page_of(texts, "Le billet qui suit Un billet sans date")
    rectos = [n for n in range(start + 1, start + 4) if n % 2 == 1 and "billet assez long" in texts[n - 1]]
    assert rectos
    for n in rectos:
        page = pdf.pages[n - 1]
        heads = [t for x, y, t in runs(page) if y > float(page.mediabox.height) - 16 * MM]
        assert heads == ["Le billet qui suit"], heads


def test_quotation_is_indented_on_both_sides(pdf, texts):
    n = page_of(texts, "Une critique citée")
    lines = runs(pdf.pages[n - 1])
    body = min(x for x, y, t in lines)  # the text block's left edge
    quote = [(x, y) for x, y, t in lines if t.startswith("Une critique citée")]
    assert quote and quote[0][0] - body > 15  # points: 2 em of the quotation's 9.7 pt, no first-line indent
    widths = {y: x + len(t) for x, y, t in lines}
    assert quote[0][1] in widths


def test_foreign_passages_carry_their_language(out, epub):
    from blog2book.pipeline import prepare, Phases
    from blog2book.diagnostics import Reporter

    _, book, _ = prepare(ROOT / "manuscripts" / "design.yml", Reporter(), Phases(None))
    posts = {p.slug: p for p in book.posts()}
    assert posts["anglais"].blocks[2]["t"] == "Div" and ["lang", "en"] in [list(a) for a in posts["anglais"].blocks[2]["c"][0][2]]
    assert re.search(r'<span lang="en">This sentence', epub.read("EPUB/chapitre-1.xhtml").decode())
    english = epub.read("EPUB/chapitre-2.xhtml").decode()
    assert re.search(r'<div [^>]*lang="en"', english)
    assert "Is it? Yes: “quoted” text." in english  # English typography, not « » nor U+202F


# ---------------------------------------------------------------- print: hyphenation (the sample book)

@pytest.fixture(scope="module")
def sample_lines(sample_build):
    reader = PdfReader(str(sample_build / "medias-sociaux.pdf"))
    return [p.extract_text().split("\n") for p in reader.pages]


def test_no_hyphenation_in_toc_names_and_domains(sample_lines):
    toc = next(lines for lines in sample_lines if lines and lines[0].startswith("Table des matières"))
    assert not [line for line in toc if re.search(r"\w-$", line)]
    for lines in sample_lines:
        for a, b in zip(lines, lines[1:]):
            if re.search(r"\w-$", a):
                word = a.split()[-1][:-1] + b.split()[0] if b.split() else ""
                assert not re.match(r"^(?:[dl]’)?(Face|Isa|Twit|michel|Linked|You)", word), (a, b)
                assert not re.search(r"\.(com|ca|org)\b", b.split()[0]), (a, b)


def test_hyphenation_limits_apply_to_every_line(sample_lines):
    """3 letters at least on each side of a break, in lists and the glossary as in paragraphs."""
    for lines in sample_lines:
        for a, b in zip(lines, lines[1:]):
            m = re.search(r"(\w+)-$", a)
            compound = m and (m.group(1) + "-" + re.match(r"\w*", b).group(0)).lower() in COMPOUNDS  # « là-/dedans »
            if m and b[:1].islower() and not compound:
                assert len(m.group(1)) >= 3 and len(re.match(r"\w*", b).group(0)) >= 3, (a, b)


# ---------------------------------------------------------------- EPUB

def test_epub_page_list_covers_every_page_in_the_right_file(pdf, epub):
    nav = xhtml(epub, "nav.xhtml")
    page_list = nav.find(".//x:nav[@epub:type='page-list']", XHTML)
    assert page_list is not None and page_list.get("hidden") is not None
    hrefs = [a.get("href") for a in page_list.iterfind(".//x:a", XHTML)]
    assert [int(h.rsplit("-", 1)[1]) for h in hrefs] == list(range(1, len(pdf.pages) + 1))
    for href in hrefs:
        name, ident = href.split("#")
        doc = xhtml(epub, name)
        assert doc.find(f".//*[@id='{ident}']") is not None, href
    files = dict(h.split("#")[::-1] for h in hrefs)
    assert files["page-4"] == "copyright.xhtml"
    assert files["page-5"] == "front-dedication.xhtml"
    assert files["page-11"] == "partie-1.xhtml"  # the part opener's page, in the part's file
    assert files[f"page-{len(pdf.pages)}"] == "back-glossary.xhtml"


def test_epub_dedication_copyright_landmarks_notes(epub):
    dedication = xhtml(epub, "front-dedication.xhtml")
    assert not dedication.findall(".//x:h1", XHTML) and not dedication.findall(".//x:h2", XHTML)
    nav = xhtml(epub, "nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", XHTML)
    assert "front-dedication.xhtml" not in etree.tostring(toc).decode()
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", XHTML)
    assert landmarks.get("hidden") is not None
    types = [a.get("{http://www.idpf.org/2007/ops}type") for a in landmarks.iterfind(".//x:a", XHTML)]
    assert {"preface", "glossary", "bodymatter", "toc"} <= set(types)
    title = epub.read("EPUB/titlepage.xhtml").decode()
    assert "copyright-page" not in title and "Tous droits" not in title
    assert "Tous droits réservés" in epub.read("EPUB/copyright.xhtml").decode()
    chapter = xhtml(epub, "chapitre-1.xhtml")
    notes = chapter.find(".//x:section[@epub:type='endnotes']", XHTML)
    assert notes is not None and notes[0].tag.endswith("h2") and notes[0].text == "Notes"


def test_epub_css_raises_note_calls_once_and_tweets_ragged(epub):
    css = epub.read("EPUB/style/book.css").decode()
    ref_rules = re.findall(r"a\.footnote-ref \{([^}]*)\}", css)
    assert ref_rules and all("super" not in r for r in ref_rules) and "text-decoration: none" in ref_rules[0]
    assert re.search(r"a\.footnote-ref sup \{[^}]*vertical-align: super", css)
    assert re.search(r"\.tweet blockquote p \{[^}]*text-align: left", css)


@pytest.fixture(scope="module")
def epub201(tmp_path_factory):
    dest = tmp_path_factory.mktemp("design201")
    shutil.copytree(ROOT, dest / "root")
    path = dest / "root" / "manuscripts" / "design.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["style"] = "medias-sociaux-201"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run_cli("build", path, "-f", "epub", "-o", dest / "out")
    assert result.exit_code == 0, result.output
    return dest / "out" / "design.epub"


def test_each_series_has_its_own_epub_css(epub, epub201):
    css101 = epub.read("EPUB/style/book.css").decode()
    css201 = zipfile.ZipFile(epub201).read("EPUB/style/book.css").decode()
    assert css101 != css201
    assert "#a3321f" in css101 and "Source Serif" in css101
    assert "#1d5a8c" in css201 and "Source Sans 3" in css201


@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_epubcheck_clean(out, epub201):
    for path in (out / "design.epub", epub201):
        valid, messages = epubcheck_messages(path)
        assert valid and messages == [], messages


def test_at_most_two_hyphenated_lines_in_a_row(sample_lines):
    """WeasyPrint has no hyphenate-limit-lines: the corrector keeps ladders to two as lines are made (was 4)."""
    for n, lines in enumerate(sample_lines, start=1):
        run = 0
        for a, b in zip(lines, lines[1:]):
            run = run + 1 if re.search(r"\w-$", a) and b[:1].islower() else 0
            assert run <= 2, (n, a)
