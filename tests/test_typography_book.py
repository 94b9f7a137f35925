"""French typography in the sample book's outputs: the same characters in the PDF and the EPUB."""

import re
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

pytestmark = pytest.mark.slow
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def epub_paragraphs(sample_build):
    """Paragraph anchor id -> text of that paragraph in the EPUB (chapters, front and back matter)."""
    out = {}
    with zipfile.ZipFile(sample_build / "medias-sociaux.epub") as z:
        for name in sorted(n for n in z.namelist() if re.search(r"(chapitre|front|back)-[^/]*\.xhtml$", n)):
            doc = etree.fromstring(z.read(name))
            for anchor in doc.iter(f"{XHTML}span"):
                if anchor.get("class") == "para-anchor":
                    out[anchor.get("id")] = "".join(anchor.getparent().itertext())
    return out


@pytest.fixture(scope="module")
def pdf_text(sample_build):
    text = "\n".join(page.extract_text() for page in PdfReader(str(sample_build / "medias-sociaux.pdf")).pages)
    return squeeze(text)


def squeeze(text: str) -> str:
    """Drop what line breaking changes: ordinary spaces, line ends and hyphens (a hyphen at a line end
    may be a hyphenation or a compound's). U+00A0 is dropped too: the PDF maps it to the space glyph."""
    return re.sub("[ \n\u00a0\u2010-]+", "", text)


def test_no_ordinary_space_before_high_punctuation_in_epub(epub_paragraphs):
    assert len(epub_paragraphs) > 60
    for pid, text in epub_paragraphs.items():
        prose = re.sub(r"https?://\S+", "", text)
        assert not re.search(r" [;:!?»]", prose), (pid, text)
        assert not re.search(r"« ", prose), (pid, text)
        assert "'" not in prose, (pid, text)
        assert "..." not in prose, (pid, text)


def test_print_html_and_epub_have_identical_paragraphs(epub_paragraphs):
    """What WeasyPrint lays out and what the EPUB holds: the same characters, paragraph by paragraph."""
    from lxml import html as lxml_html

    from blog2book import pipeline
    from blog2book.diagnostics import Reporter
    from blog2book.render import RenderContext
    from blog2book.render.pdf.html import print_html
    from conftest import SAMPLE

    _, book, _ = pipeline.prepare(SAMPLE, Reporter(), pipeline.Phases(None))
    doc = lxml_html.fromstring(print_html(book, RenderContext(links="inline"), []))
    printed = {a.get("id"): "".join(a.getparent().itertext()) for a in doc.xpath("//span[@class='para-anchor']")}
    assert set(printed) == set(epub_paragraphs)
    for pid, text in epub_paragraphs.items():
        if pid.startswith("back-index__"):
            continue  # the index's locators are page numbers from the layout, which this print HTML has not had
        assert printed[pid] == text, pid


def test_pdf_carries_the_same_characters_as_the_epub(epub_paragraphs, pdf_text):
    """In the PDF itself. Its fonts map U+00A0 to the space glyph, so text extraction cannot tell
    them apart: U+00A0 is compared as a space; U+202F, ’, « », … must be there as they are."""
    checked = 0
    for pid, text in epub_paragraphs.items():
        if "http" in text:
            continue  # URLs break anywhere in print
        head = squeeze(text)[:60]
        assert head in pdf_text, (pid, head)
        checked += 1
    assert checked > 50


def test_french_spaces_are_the_book_style(epub_paragraphs):
    joined = " ".join(epub_paragraphs.values())
    assert "\u202f?" in joined and "\u00a0:" in joined
    assert re.search("«\u00a0[^»]+\u00a0»", joined)


def test_tweets_of_the_pate_chinois_post_are_quotations(sample_build):
    with zipfile.ZipFile(sample_build / "medias-sociaux.epub") as z:
        for name in z.namelist():
            if name.endswith(".xhtml") and b'data-slug="importance-pate-chinois' in z.read(name):  # the post itself, not the index linking to it
                doc = etree.fromstring(z.read(name))
                break
    tweets = doc.xpath("//x:div[contains(concat(' ', @class, ' '), ' tweet ')]", namespaces={"x": XHTML[1:-1]})
    assert len(tweets) == 7  # 6 with their status URL, 1 reply quoted without it (set as a tweet, issue 12)
    for tweet in tweets:
        assert tweet.find(f"{XHTML}blockquote") is not None
        if "tweet-no-url" in tweet.get("class"):
            assert tweet.find(f"{XHTML}div") is None and "".join(tweet.itertext()).strip().startswith("@MichelleBlanc")
            continue
        source = "".join(tweet.find(f"{XHTML}div").itertext())
        assert re.search(r"@\w+", source) and "twitter.com/" in source


def test_titles_from_the_manuscript_are_set_like_the_text(sample_build):
    """Part and chapter titles come from the manuscript, post titles from front matter: both typeset."""
    with zipfile.ZipFile(sample_build / "medias-sociaux.epub") as z:
        nav = z.read("EPUB/nav.xhtml").decode("utf-8")
        chapter = z.read("EPUB/chapitre-2.xhtml").decode("utf-8")
    assert "Qui influence qui\u202f?" in nav and "Qui influence qui\u202f?</h1>" in chapter
    assert "Changer le monde\u202f?" in nav
    assert "Pis après\u202f?" in nav
    assert not re.search(r"\w[?!;]", re.sub(r"<[^>]+>|https?://\S+", "", nav))
