"""The book's index: French sorting, locators, the manuscript's index: key, and the sample book's
index read back from the PDF (every listed page holds its term) and the EPUB (every link lands on
its term; EPUBCheck)."""

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath

import pytest
from lxml import etree
from pypdf import PdfReader

from blog2book.index import BookIndex, Entry, index_html, sort_key
from conftest import REPO, epubcheck_messages, java_available, run_cli


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


# ---------------------------------------------------------------- pure parts

def test_french_sorting_ignores_accents_articles_spaces_then_compares_accents_from_the_end():
    words = ["Twitter", "éthique", "Les médias sociaux 101", "entrevue", "médisance", "Le blogue", "l’influence", "cote", "côte", "coté", "côté", "à la limite", "aléatoire", "étudiants"]
    ordered = sorted(words, key=lambda w: sort_key(w, "fr-CA"))
    assert ordered == ["à la limite", "aléatoire", "Le blogue", "cote", "côte", "coté", "côté", "entrevue", "éthique", "étudiants", "l’influence", "Les médias sociaux 101", "médisance", "Twitter"]


def test_english_sorting_ignores_the_article():
    assert sorted(["The web", "Apple", "blog"], key=lambda w: sort_key(w, "en")) == ["Apple", "blog", "The web"]


def test_locators_are_pages_with_ranges_linked_to_the_first_occurrence_else_chapters():
    entries = (
        Entry("Twitter", None, ("a__ix1", "a__ix2", "b__ix1", "c__ix1", "d__ix1")),
        Entry("Twitter", "politique", ("d__ix1",)),
        Entry("gazouillis", see=("Twitter",)),
        Entry("blogue", None, ("e__ix1",), see=("carnet",)),
    )
    index = BookIndex(entries, {"e__ix1": 3})
    pages = {"a__ix1": 12, "a__ix2": 12, "b__ix1": 13, "c__ix1": 14, "d__ix1": 20}
    html = index_html(index, pages, "fr-CA")
    assert 'Twitter, <a href="#a__ix1" class="index-locator">12–14</a>, <a href="#d__ix1" class="index-locator">20</a>' in html
    assert 'politique, <a href="#d__ix1" class="index-locator">20</a>' in html
    assert "gazouillis, <em>voir</em> Twitter" in html
    assert 'blogue, <a href="#e__ix1" class="index-locator">chap.\u00a03</a>. <em>Voir aussi</em> carnet' in html
    assert index_html(index, pages, "en").count("ch.\u00a03") == 1


def test_index_key_errors_are_located(tmp_path):
    project = tmp_path / "p"
    (project / "posts").mkdir(parents=True)
    (project / "posts" / "a.md").write_text("---\ntitle: A\n---\n\nTexte.\n", "utf-8")
    m = project / "manuscripts" / "m.yml"
    m.parent.mkdir()
    m.write_text("title: T\nauthor: A\nindex:\n  from_tag: true\n  terms: Twitter\n  see: [x]\nchapters: [a]\n", "utf-8")
    result = run_cli("check", m, cwd=project)
    assert result.exit_code == 1
    assert "manuscripts/m.yml:4:3: error: index: unknown key 'from_tag' (did you mean 'from_tags'?)" in result.stderr
    assert "manuscripts/m.yml:5:10: error: index.terms: expected a list of terms" in result.stderr
    assert "manuscripts/m.yml:6:8: error: index.see: expected a mapping" in result.stderr


def test_inline_marks_and_unfound_terms(tmp_path):
    project = tmp_path / "p"
    (project / "posts").mkdir(parents=True)
    (project / "posts" / "a.md").write_text(
        '---\ntitle: A\n---\n\nLe président [Obama]{.index term="Obama, Barack"} parle de *Twitter* et de [politique]{.index term="Twitter!politique"}.\n\nUne marque vide []{.index}.\n\n'
        'Son compte : http://twitter.com/obama, www.twitter.com, @twitter.\n', "utf-8"
    )
    m = project / "manuscripts" / "m.yml"
    m.parent.mkdir()
    m.write_text("title: T\nauthor: A\nindex:\n  terms: [Twitter, Myspace]\n  see: {gazouillis: Tweeter}\nchapters: [a]\n", "utf-8")
    result = run_cli("build", m, "-f", "md", "-o", project / "build", cwd=project)
    assert result.exit_code == 0, result.output
    assert "manuscripts/m.yml:4:20: warning: index term 'Myspace' occurs nowhere in the book's text" in result.stderr
    assert "manuscripts/m.yml:5:9: warning: index.see: 'Tweeter' is not a term of the index" in result.stderr
    assert "posts/a.md:7: warning: an index mark has no text and no term" in result.stderr
    md = (project / "build" / "m.md").read_text("utf-8")
    assert "Obama[]{#a__ix1 .index-anchor}" in md  # after the words: on their line and page
    assert "*Twitter[]{#a__ix2 .index-anchor}*" in md  # found inside emphasis too
    assert "politique[]{#a__ix3 .index-anchor}" in md
    index = md.split("# Index", 1)[1]
    assert index.index("Obama, Barack") < index.index("Twitter") < index.index("politique")
    assert "Twitter, [chap.\u00a01](#a__ix2)" in index and "politique, [chap.\u00a01](#a__ix3)" in index
    assert md.count(".index-anchor}") == 3  # none in an address, a domain or a handle


# ---------------------------------------------------------------- the sample book

def pdf_index(reader: PdfReader, terms) -> tuple[int, dict[str, list[int]], dict[str, list[tuple[int, int]]]]:
    """The index pages' entries for ``terms``: term -> listed pages (ranges expanded), and term ->
    its locators as (first, last) page."""
    start = next(i for i in range(len(reader.pages) - 1, 0, -1) if (reader.pages[i].extract_text() or "").lstrip().startswith("Index"))
    text = " ".join(reader.pages[i].extract_text() for i in range(start, len(reader.pages)))
    joined = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    entries: dict[str, list[int]] = {}
    runs: dict[str, list[tuple[int, int]]] = {}
    for term in terms:
        m = re.search(r"(?<![\w-])" + re.escape(term) + r", ((?:\d+(?:–\d+)?)(?:, \d+(?:–\d+)?)*)", joined)
        if m is None:
            continue
        pages: list[int] = []
        for loc in m.group(1).split(", "):
            a, _, b = loc.partition("–")
            pages += list(range(int(a), int(b or a) + 1))
            runs.setdefault(term, []).append((int(a), int(b or a)))
        entries[term] = pages
    return start + 1, entries, runs


@pytest.mark.slow
def test_sample_index_pages_hold_their_terms(sample_build):
    from blog2book import pipeline
    from blog2book.diagnostics import Reporter

    book = pipeline.check(REPO / "manuscripts" / "medias-sociaux.yml", Reporter())
    terms = {e.sub or e.term for e in book.index.entries if e.anchors}
    reader = PdfReader(str(sample_build / "medias-sociaux.pdf"))
    index_page, entries, runs = pdf_index(reader, terms)
    assert set(entries) == terms  # every entry with occurrences lists pages
    assert {"Twitter", "Facebook", "médisance", "pâté chinois", "Gladwell, Malcolm", "Tapscott, Don", "Les médias sociaux 101", "politique"} <= set(entries)
    assert any(len(p) > 1 for p in entries.values())
    texts = [fold(re.sub(r"-\n", "", p.extract_text() or "")) for p in reader.pages]
    titles = {p.id: p.title for p in book.posts()}
    by_term = {e.sub or e.term: e for e in book.index.entries}
    for term, pages in entries.items():
        entry = by_term[term]
        # a person is found by surname; a tag sends to its posts (their titles open their ranges)
        name = term.split(",")[0] if entry.kind == "person" else term
        expected = [fold(titles[a])[:25] for a in (*entry.anchors, *(s for s, _ in entry.subjects)) if a in titles] + [fold(name)]
        for first, last in runs[term]:
            assert first <= last < index_page
            # a single page holds the term; a range opens on the term or on a post about it
            assert any(e in texts[first - 1] for e in expected), f"index: '{term}' listed on page {first}, which does not hold it"
            if first == last or not entry.subjects:
                assert all(any(e in texts[p - 1] for e in expected) for p in range(first, last + 1)), f"index: '{term}' {first}–{last}"
    # a tag's posts give their whole range: « crédibilité » covers its post, not only the pages naming it
    assert any(b > a for a, b in runs["crédibilité"]) and by_term["crédibilité"].subjects
    # the sub-entry lists pages where its head term is, in a paragraph about politics
    assert set(entries["politique"]) <= set(entries["Twitter"])


def text_after(el) -> str:
    return (el.tail or "") + "".join("".join(s.itertext()) + (s.tail or "") for s in el.itersiblings())


@pytest.mark.slow
def test_sample_index_links_in_the_epub_land_on_their_terms(sample_build):
    z = zipfile.ZipFile(sample_build / "medias-sociaux.epub")
    docs = {PurePosixPath(n).name: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}
    links = docs["back-index.xhtml"].findall(".//x:a[@class='index-locator']", {"x": "http://www.w3.org/1999/xhtml"})
    assert len(links) > 30
    for a in links:
        item = a.getparent()  # <li>term, <a>12</a>…</li>
        parent_item = item.getparent().getparent()
        if parent_item.tag.endswith("li"):  # a sub-entry (Twitter!politique): anchored at its head term
            item = parent_item
        term = fold("".join(item.itertext()).split(",")[0])  # the term may be in a span (names are not hyphenated)
        person = re.match(r"[^,]+, [^\d,]+, \d", "".join(item.itertext()))  # « Gladwell, Malcolm, 33 »
        name, _, anchor = a.get("href").partition("#")
        target = docs[name].find(f".//*[@id='{anchor}']")
        assert target is not None, a.get("href")
        assert re.fullmatch(r"\d+(–\d+)?", a.text)  # print pages: the PDF was built in the same run
        if "__ix" not in anchor:  # a tag the text never names: the link opens a post tagged with it
            front = (REPO / "posts" / f"{target.get('data-slug')}.md").read_text("utf-8").split("---")[1]
            assert term in fold(re.search(r"^tags: (.*)$", front, re.M).group(1)), (term, anchor)
            continue
        # the anchor follows the first word of the occurrence (on its line and page): the term is
        # the words around it
        target.text = "\u2063"  # a mark (INVISIBLE SEPARATOR) where the anchor is
        block = next(e for e in target.iterancestors() if e.tag.split("}")[-1] in ("p", "li", "dd", "blockquote", "div"))
        before, _, after = fold("".join(block.itertext())).partition("\u2063")
        target.text = None
        around = re.sub(r"(?<![\w])(?:[dlmnst]|qu|jusqu)'", "", before[-60:] + after[:60])  # « d’influenceurs »
        surname = term.split(",")[0]
        assert (surname if person else term) in around, (term, around)


@pytest.mark.slow
@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_sample_epub_with_index_passes_epubcheck(sample_build):
    valid, messages = epubcheck_messages(sample_build / "medias-sociaux.epub")
    assert valid and messages == []
