"""The sample book built end to end through the CLI: PDF structure with pypdf, EPUB with EPUBCheck."""

import hashlib
import re
import zipfile
from pathlib import PurePosixPath

import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from blog2book.render.pdf.merge import BLANK_CONTENT
from conftest import SAMPLE, epubcheck_messages, java_available, manifest_structure, run_cli
from pdfcheck import assert_valid_pdf, empty_filtered_streams, ghostscript_says

pytestmark = pytest.mark.slow

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def norm(text: str) -> str:
    """Compare text whatever the typographic spaces and apostrophes (the book adds them, posts may not)."""
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'").split())
    return re.sub(r"\s+([?!;:»])", r"\1", text).replace("« ", "«")


@pytest.fixture(scope="module")
def pdf(sample_build):
    return PdfReader(str(sample_build / "medias-sociaux.pdf"))


@pytest.fixture(scope="module")
def pages(pdf):
    return [norm(p.extract_text() or "") for p in pdf.pages]


def outline(pdf):
    def walk(items, depth=0):
        out = []
        for item in items:
            if isinstance(item, list):
                out[-1][2].extend(walk(item, depth + 1))
            else:
                out.append((item.title, pdf.get_destination_page_number(item) + 1, []))
        return out

    return walk(pdf.outline)


def test_outputs_exist(sample_build):
    for suffix in (".pdf", ".epub", ".md"):
        assert (sample_build / f"medias-sociaux{suffix}").stat().st_size > 1000


def test_pdf_is_drawn_silently_blank_versos_included(sample_build):
    """Ghostscript, qpdf and pdfium accept the book; the blank versos the merge adds before a piece
    that starts on a recto (p. 8 of the sample) are drawn one by one: their content stream was
    once an empty stream with a Flate filter, which stopped Ghostscript ("Page drawing error")."""
    import pikepdf

    path = sample_build / "medias-sociaux.pdf"
    assert_valid_pdf(path)
    assert empty_filtered_streams(path) == []
    with pikepdf.open(path) as book:
        blanks = [n for n, page in enumerate(book.pages, start=1) if page.obj.Contents.read_bytes() == BLANK_CONTENT]
    assert blanks and all(n % 2 == 0 for n in blanks), blanks  # versos
    for n in blanks:
        assert ghostscript_says(path, n, n) == "", f"page {n}"


def test_pdf_bookmarks_follow_the_manifest(pdf):
    marks = outline(pdf)
    body = [(t, p, kids) for t, p, kids in marks if kids]  # parts have children; front/back matter do not
    expected = manifest_structure()
    assert [norm(t) for t, _, _ in body] == [norm(part) for part, _ in expected]
    for (_, _, chapters), (_, exp_chapters) in zip(body, expected):
        assert [norm(c[0]) for c in chapters] == [norm(c) for c, _ in exp_chapters]
        for (_, _, posts), (_, exp_posts) in zip(chapters, exp_chapters):
            assert [norm(p[0]) for p in posts] == [norm(t) for t in exp_posts]


def test_post_titles_appear_in_manifest_order(pages):
    titles = [norm(t) for _, chapters in manifest_structure() for _, posts in chapters for t in posts]
    toc_end = next(i for i, text in enumerate(pages) if "Table des matières" in text) + 1
    position = toc_end
    for title in titles:
        head = title[:40]
        found = next((i for i in range(position, len(pages)) if head in pages[i]), None)
        assert found is not None, f"post title {title!r} not found after page {position + 1}"
        position = found


def test_toc_page_numbers_match_the_real_pages(pdf, pages):
    marks = outline(pdf)
    real = {}
    for title, page, kids in marks:
        real[norm(title)] = page
        for ctitle, cpage, posts in kids:
            real[norm(ctitle)] = cpage
    toc_index = next(i for i, text in enumerate(pages) if "Table des matières" in text)
    toc_text = " ".join(pages[toc_index:toc_index + 3])
    checked = 0
    for _, chapters in manifest_structure():
        for chapter, _ in chapters:
            m = re.search(re.escape(norm(chapter)) + r"[ .]*?(\d+)", toc_text)
            assert m, f"chapter {chapter!r} not in the table of contents"
            printed = int(m.group(1))
            assert printed == real[norm(chapter)], chapter
            assert norm(chapter) in pages[printed - 1], f"{chapter!r} is not on page {printed}"
            checked += 1
    assert checked >= 4


def test_chapters_open_on_odd_pages(pdf):
    for title, page, chapters in outline(pdf):
        for ctitle, cpage, _ in chapters:
            assert cpage % 2 == 1, f"{ctitle} starts on page {cpage}"


def test_pdf_metadata(pdf):
    meta = pdf.metadata
    assert meta.title == yaml.safe_load(SAMPLE.read_text("utf-8"))["title"]
    assert meta.author == "Michelle Blanc"
    fonts = set()
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert fonts and not any("DejaVu" in f for f in fonts), fonts


@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_epubcheck_reports_nothing(sample_build):
    valid, messages = epubcheck_messages(sample_build / "medias-sociaux.epub")
    assert valid and messages == []


@pytest.fixture(scope="module")
def epub(sample_build):
    z = zipfile.ZipFile(sample_build / "medias-sociaux.epub")
    container = etree.fromstring(z.read("META-INF/container.xml"))
    opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
    return z, PurePosixPath(opf_path), etree.fromstring(z.read(opf_path))


def test_epub_spine_follows_the_manifest(epub):
    z, opf_path, opf = epub
    items = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
    spine = [items[r.get("idref")] for r in opf.iterfind(".//opf:spine/opf:itemref", NS)]
    headings = []
    for href in spine:
        doc = etree.fromstring(z.read(str(opf_path.parent / href)))
        for h in doc.iter("{http://www.w3.org/1999/xhtml}h1", "{http://www.w3.org/1999/xhtml}h2"):
            if h.get("class") in ("part-title", "chapter-title", "post-title"):
                headings.append(norm("".join(h.itertext())))
    expected = []
    for part, chapters in manifest_structure():
        expected.append(norm(part))
        for chapter, posts in chapters:
            expected.append(norm(chapter))
            expected.extend(norm(p) for p in posts)
    assert headings == expected


def test_epub_nav_entries_point_at_existing_ids(epub):
    z, opf_path, opf = epub
    nav_href = opf.find(".//opf:manifest/opf:item[@properties='nav']", NS).get("href")
    nav = etree.fromstring(z.read(str(opf_path.parent / nav_href)))
    links = [a.get("href") for a in nav.iter("{http://www.w3.org/1999/xhtml}a")]
    assert len(links) > 20
    for href in links:
        file, _, frag = href.partition("#")
        doc = etree.fromstring(z.read(str(opf_path.parent / file)))
        if frag:
            assert doc.xpath(f"//*[@id='{frag}']"), href


def test_epub_metadata_cover_and_accessibility(epub):
    z, opf_path, opf = epub
    meta = opf.find("opf:metadata", NS)
    assert meta.findtext("dc:language", namespaces=NS) == "fr-CA"
    assert meta.findtext("dc:identifier", namespaces=NS) == "urn:isbn:9782924215036"  # the sample's EPUB ISBN
    props = {m.get("property"): m.text for m in meta.iterfind("opf:meta", NS) if m.get("property")}
    for prop in ("dcterms:modified", "schema:accessMode", "schema:accessModeSufficient",
                 "schema:accessibilityFeature", "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert props.get(prop), prop
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", props["dcterms:modified"])
    cover = opf.find(".//opf:manifest/opf:item[@properties='cover-image']", NS)
    data = z.read(str(opf_path.parent / cover.get("href")))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_epub_page_list_names_pdf_pages(epub, pdf):
    z, opf_path, opf = epub
    nav_href = opf.find(".//opf:manifest/opf:item[@properties='nav']", NS).get("href")
    nav = etree.fromstring(z.read(str(opf_path.parent / nav_href)))
    page_list = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    assert len(page_list) > 10
    labels = [int(a.text) for a in page_list]
    assert labels == sorted(labels) and max(labels) <= len(pdf.pages)
    assert labels == list(range(1, len(pdf.pages) + 1))  # every print page (issue 12), front and back matter too
    groups = {}  # block -> print pages marked just before it (a page where nothing starts goes to the next)
    markers = []  # the first marker of each group
    docs = {}
    for a in page_list:
        file, _, frag = a.get("href").partition("#")
        doc = docs.setdefault(file, etree.fromstring(z.read(str(opf_path.parent / file))))
        marker = doc.xpath(f"//*[@id='{frag}']")[0]
        block = marker.getparent()
        if not block.tag.endswith("}p"):  # a marker before a heading or a section's first block
            block = next(e for e in marker.itersiblings() if e.get("role") != "doc-pagebreak")
        key = (file, block.getroottree().getpath(block))
        if key not in groups:
            markers.append(marker)
        groups.setdefault(key, (block, []))[1].append(int(a.text))
    for (block, labels), marker in zip(groups.values(), markers):
        # a marker inside a paragraph (a page that starts with its tail) is followed by that page's words
        text = "".join(block.itertext())
        inside = marker.getparent() is block and (block.index(marker) > 0 or (block.text or "").strip())
        if inside:
            text = (marker.tail or "") + "".join("".join(e.itertext()) + (e.tail or "") for e in marker.itersiblings())
        words = norm(text)[:25]
        # on the last page of the group (blank pages go with what follows), or, when a page that begins
        # inside a carried paragraph is marked before that paragraph (render/epubpages.py), on the page
        # where the paragraph starts: the group's first or the one before
        # (casefolded: the 101 sets its opener labels in capitals, « PARTIE 1 », issue 25 item 11)
        assert any(words.casefold() in norm(pdf.pages[n - 1].extract_text()).casefold()
                   for n in {min(labels) - 1, min(labels), max(labels)} if n >= 1), (labels, words)


def test_epub_is_reproducible(sample_build, tmp_path):
    first = hashlib.sha256((sample_build / "medias-sociaux.epub").read_bytes()).hexdigest()
    result = run_cli("build", SAMPLE, "-f", "pdf", "-f", "epub", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    second = hashlib.sha256((tmp_path / "medias-sociaux.epub").read_bytes()).hexdigest()
    assert first == second
