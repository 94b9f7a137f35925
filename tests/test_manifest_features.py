"""Manifest features through the CLI: selections, bare post chapters, ISBNs, a cover image."""

import re
import shutil
import zipfile

import pytest
from lxml import etree

from conftest import REPO, epubcheck_messages, java_available, run_cli

TINY = REPO / "tests" / "roots" / "tiny"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def project_with(tmp_path, manuscript: str, extra_posts: dict[str, str] | None = None):
    root = tmp_path / "book"
    shutil.copytree(TINY, root)
    for name, text in (extra_posts or {}).items():
        (root / "posts" / name).write_text(text, "utf-8")
    path = root / "manuscripts" / "tiny.yml"
    path.write_text(manuscript, "utf-8")
    return path


def opf_of(epub):
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read("EPUB/content.opf")), z.namelist(), {n: z.read(n) for n in z.namelist()}


def nav_titles(epub) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    toc = nav.xpath("//*[local-name()='nav' and @*[local-name()='type']='toc']")[0]
    return [" ".join("".join(a.itertext()).split()) for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]


EXTRA = {
    "troisieme-billet.md": "---\ntitle: Troisième billet\ndate: 2009-05-02\ncategories: [Essais]\ntags: [Twitter]\n---\n\nTexte trois.\n",
    "quatrieme-billet.md": "---\ntitle: Quatrième billet\ndate: 2008-01-10\ncategories: [Essais, Politique]\n---\n\nTexte quatre.\n",
    "cinquieme-billet.md": "---\ntitle: Cinquième billet\ndate: 2011-07-01\ncategories: [Politique]\ntags: [Twitter]\n---\n\nTexte cinq.\n",
}


def test_select_by_category_tag_and_dates_ordered_by_date(tmp_path):
    manuscript = project_with(
        tmp_path,
        "title: Sélections\nauthor: A\nchapters:\n"
        "  - title: Essais\n    posts:\n      - select: {category: Essais}\n"
        "  - title: Twitter depuis 2010\n    posts:\n      - select: {tag: twitter, from: 2010-01-01}\n"
        "  - deuxieme-billet\n",
        EXTRA,
    )
    result = run_cli("build", manuscript, "-f", "epub", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    titles = nav_titles(tmp_path / "out" / "tiny.epub")
    # Essais, by date: 2008 (quatrième), 2009 (troisième), 2010 (premier); then tag Twitter from 2010: cinquième;
    # then a bare slug: a chapter titled by its post
    assert titles == [
        "Essais", "Quatrième billet", "Troisième billet", "Premier billet",
        "Twitter depuis 2010", "Cinquième billet",
        "Deuxième billet",
    ], titles


def test_explicit_reference_wins_over_a_selection(tmp_path):
    manuscript = project_with(
        tmp_path,
        "title: Sélections\nauthor: A\nchapters:\n"
        "  - title: Essais\n    posts:\n      - select: {category: Essais}\n"
        "  - title: À part\n    posts: [premier-billet, deuxieme-billet]\n",
        EXTRA,
    )
    result = run_cli("build", manuscript, "-f", "epub", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    titles = nav_titles(tmp_path / "out" / "tiny.epub")
    assert titles == ["Essais", "Quatrième billet", "Troisième billet", "À part", "Premier billet", "Deuxième billet"], titles


def test_empty_selection_is_a_warning_with_its_line(tmp_path):
    manuscript = project_with(
        tmp_path,
        "title: T\nauthor: A\nchapters:\n  - title: C\n    posts:\n      - premier-billet\n      - select: {category: Cuisine}\n",
    )
    result = run_cli("check", manuscript)
    assert result.exit_code == 0
    assert re.search(r"tiny\.yml:7:9: warning: this selection matches no post \(check the category or tag as the posts write it, and the dates\) \[manifest\.empty-select\]", result.stderr), result.stderr


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("isbn")
    from PIL import Image

    manuscript = project_with(
        tmp_path,
        "title: Un petit livre\nsubtitle: avec ISBN\nauthor: [Une autrice, Un auteur]\npublisher: Éditions Test\n"
        "date: 2025-03-15\ndescription: Un livre de test.\nsubjects: [Essais, Tests]\n"
        "isbn: {print: 978-2-89644-001-6, epub: 978-2-89644-002-3}\ncover: couverture.jpg\n"
        "chapters:\n  - title: Premier chapitre\n    posts: [premier-billet, deuxieme-billet]\n",
    )
    Image.new("RGB", (800, 1280), "#224466").save(manuscript.parent / "couverture.jpg", quality=80)
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "epub", "-o", out)
    assert result.exit_code == 0, result.output
    return out, manuscript.parent / "couverture.jpg"


def test_isbns_identify_the_editions(published):
    out, _ = published
    opf, _, _ = opf_of(out / "tiny.epub")
    assert opf.findtext(".//dc:identifier", namespaces=NS) == "urn:isbn:9782896440023"
    assert "urn:isbn:9782896440016" in [e.text for e in opf.iterfind(".//dc:source", NS)]
    assert [e.text for e in opf.iterfind(".//dc:creator", NS)] == ["Une autrice", "Un auteur"]
    assert [e.text for e in opf.iterfind(".//dc:subject", NS)] == ["Essais", "Tests"]
    assert opf.findtext(".//dc:date", namespaces=NS) == "2025-03-15"
    modified = opf.xpath("//opf:meta[@property='dcterms:modified']", namespaces=NS)[0].text
    assert modified == "2025-03-15T00:00:00Z"  # from the manuscript's date: reproducible
    from pypdf import PdfReader

    copyright_text = " ".join(p.extract_text() for p in PdfReader(str(out / "tiny.pdf")).pages[:6]).replace("\u00a0", " ")
    assert "ISBN (imprimé) : 978-2-89644-001-6" in copyright_text
    assert "ISBN (EPUB) : 978-2-89644-002-3" in copyright_text
    assert "1er trimestre 2025" in copyright_text.replace("\n", " ") or "1 er trimestre 2025" in copyright_text


def test_the_manuscripts_cover_is_the_epub_cover(published):
    out, cover = published
    opf, names, files = opf_of(out / "tiny.epub")
    item = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)[0]
    assert item.get("media-type") == "image/jpeg"
    assert files["EPUB/" + item.get("href")] == cover.read_bytes()


@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_published_epub_passes_epubcheck(published):
    out, _ = published
    valid, messages = epubcheck_messages(out / "tiny.epub")
    assert valid and messages == []
