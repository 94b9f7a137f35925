"""Accessible editions (issue 23, item 4), through the CLI: the trade PDF tagged (PDF/UA-1), its
tags read back (tests/pdftags.py); the EPUB's accessibility metadata true to what it holds; DAISY
Ace on the sample's and the test books' EPUBs with no critical or serious violation."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from blog2book.render.epub.ace import ace_command, run_ace
from blog2book.render.pdf import layout as layout_mod

from conftest import epubcheck_messages, java_available, run_cli
from pdftags import read_tags

pikepdf = pytest.importorskip("pikepdf")
pytestmark = pytest.mark.slow
ROOTS = Path(__file__).parent / "roots"


def outline_pages(path: Path) -> list[int]:
    with pikepdf.open(path) as pdf:
        index = {p.objgen: n for n, p in enumerate(pdf.pages)}
        out = []
        with pdf.open_outline() as outline:
            stack = list(reversed(outline.root))
            while stack:
                item = stack.pop()
                out.append(index[item.destination[0].objgen])
                stack.extend(reversed(item.children))
        return out


def assert_tagged(path: Path, lang: str) -> None:
    tags = read_tags(path)
    assert tags.problems == []
    assert tags.lang == lang and tags.marked and tags.display_title
    assert 'pdfuaid:part="1"' in tags.xmp and "<dc:title>" in tags.xmp
    assert tags.roles["Document"] == 1
    pages = [page for _, page in tags.headings]
    assert pages == sorted(pages), "headings out of reading order"
    # every bookmark (made from a heading) has a heading on its page, in the same order
    with_heading = sorted(set(pages))
    assert all(p in with_heading for p in outline_pages(path))
    assert all(alt for alt in tags.figures), "an image without /Alt"
    return tags


def opf(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode("utf-8")


def properties(text: str, name: str) -> list[str]:
    return re.findall(rf'<meta property="{re.escape(name)}">([^<]*)</meta>', text)


# ---------------------------------------------------------------- the PDF


def test_the_sample_pdf_is_tagged_in_reading_order(sample_build):
    tags = assert_tagged(sample_build / "medias-sociaux.pdf", "fr-CA")
    assert {"H1", "H2", "P", "L", "LI", "LBody", "Link", "BlockQuote"} <= set(tags.roles)
    assert tags.headings[0][0] == "H1"


def test_a_book_of_several_pieces_has_one_structure_tree(tmp_path, monkeypatch):
    """Pieces of one word: every chapter laid out apart and merged; one Document, one parent tree
    whose keys are the book's, every page's marked content reachable, the image's alt kept."""
    root = tmp_path / "tiny"
    shutil.copytree(ROOTS / "tiny", root)
    post = root / "posts" / "premier-billet.md"
    post.write_text(post.read_text("utf-8").replace(
        "![Un schéma", "Une note[^1].\n\n| Col A | Col B |\n|---|---|\n| a1 | b1 |\n\n[^1]: Le texte de la note.\n\n![Un schéma", 1), "utf-8")
    monkeypatch.setattr(layout_mod, "PIECE_WORDS", 1)
    result = run_cli("build", root / "manuscripts" / "tiny.yml", "-f", "pdf", "-o", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    assert re.search(r"\b[2-9] pieces|\b\d\d pieces", result.output), result.output
    tags = assert_tagged(tmp_path / "out" / "tiny.pdf", "fr-CA")
    assert tags.figures == ["Un schéma de la stratégie"]
    assert {"Note", "Table", "TH", "TD", "Link", "L", "LI", "LBody"} <= set(tags.roles)
    assert sorted(tags.ids.values()).count("Note") == tags.roles["Note"]  # each note named, in the IDTree
    assert [h for h, _ in tags.headings].count("H1") >= 2


def test_the_press_pdf_is_not_tagged(tmp_path):
    """The printer's file is PDF/X for a RIP, not for readers: untagged (the trade PDF is the
    accessible edition)."""
    root = tmp_path / "tiny"
    shutil.copytree(ROOTS / "tiny", root)
    result = run_cli("build", root / "manuscripts" / "tiny.yml", "-f", "pdf", "--print", "press", "-o", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    (pdf,) = (tmp_path / "out").glob("*-press.pdf")
    with pikepdf.open(pdf) as doc:
        assert "/StructTreeRoot" not in doc.Root


# ---------------------------------------------------------------- the EPUB's metadata


def test_the_sample_epub_declares_what_it_holds(sample_build):
    epub = sample_build / "medias-sociaux.epub"
    text = opf(epub)
    assert properties(text, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert "a11y:certifiedBy" not in text
    assert '<package xml:lang="fr-CA"' in text
    with zipfile.ZipFile(epub) as z:
        xhtml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    (summary,) = properties(text, "schema:accessibilitySummary")
    features = properties(text, "schema:accessibilityFeature")
    has_notes = 'epub:type="noteref"' in xhtml
    assert ("notes" in summary) == has_notes and ("annotations" in features) == has_notes
    assert {"tableOfContents", "structuralNavigation", "pageNavigation", "index"} <= set(features)
    assert properties(text, "pageBreakSource") == ["urn:isbn:9782924215012"]
    assert properties(text, "schema:accessibilityHazard") == ["none"]
    assert properties(text, "schema:accessModeSufficient") == ["textual"]


def test_notes_and_an_image_without_alt_are_declared(tmp_path):
    """A post with a note and an image with no description: « notes » in the summary, the image
    counted as without a text alternative, and no claim of conformance."""
    root = tmp_path / "tiny"
    shutil.copytree(ROOTS / "tiny", root)
    post = root / "posts" / "premier-billet.md"
    text = post.read_text("utf-8").replace(
        "![Un schéma de la stratégie](images/schema.png)",
        "Une note[^1].\n\n![](images/schema.png)\n\n"
        '<figure><img src="images/schema.png" /><figcaption>Le schéma en légende</figcaption></figure>\n\n[^1]: La note.',
    )
    post.write_text(text, "utf-8")
    result = run_cli("build", root / "manuscripts" / "tiny.yml", "-f", "epub", "-o", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    # the image without a description is reported where it is; the figure's takes its caption
    line = next(n for n, t in enumerate(post.read_text("utf-8").splitlines(), 1) if t.startswith("![](images/schema.png)"))
    warned = [w for w in result.output.splitlines() if "[image.no-alt]" in w]
    assert len(warned) == 1 and f"premier-billet.md:{line}:" in warned[0], result.output
    with zipfile.ZipFile(tmp_path / "out" / "tiny.epub") as z:
        xhtml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    assert 'alt="Le schéma en légende"' in xhtml
    text = opf(tmp_path / "out" / "tiny.epub")
    (summary,) = properties(text, "schema:accessibilitySummary")
    assert "notes" in summary and "sans texte de remplacement\u00a0: 1" in summary
    assert "annotations" in properties(text, "schema:accessibilityFeature")
    assert "alternativeText" not in properties(text, "schema:accessibilityFeature")
    assert properties(text, "dcterms:conformsTo") == []
    assert properties(text, "schema:accessModeSufficient") == ["textual,visual"]
    if java_available():
        valid, messages = epubcheck_messages(tmp_path / "out" / "tiny.epub")
        assert valid, messages


# ---------------------------------------------------------------- DAISY Ace


@pytest.fixture(scope="module")
def ace():
    command = ace_command()
    if command is None:
        pytest.skip("DAISY Ace is not installed (make ace: npm install @daisy/ace into .tools/ace)")
    if not Path("/usr/bin/chromium").exists() and "PUPPETEER_EXECUTABLE_PATH" not in __import__("os").environ:
        pytest.skip("DAISY Ace needs Chromium (/usr/bin/chromium)")
    return command


def test_ace_finds_nothing_serious_in_the_sample(sample_build, ace):
    found = run_ace(sample_build / "medias-sociaux.epub", ace)
    assert [str(f) for f in found if f.blocking] == []


@pytest.mark.parametrize("book", ["tiny/manuscripts/tiny.yml", "wordpress/manuscripts/wp.yml", "xref/manuscripts/xref.yml", "design/manuscripts/design.yml"])
def test_ace_finds_nothing_serious_in_the_test_books(book, tmp_path, ace):
    name = book.split("/")[0]
    shutil.copytree(ROOTS / name, tmp_path / name)
    result = run_cli("build", tmp_path / book, "-f", "epub", "-o", tmp_path / "out", "--drafts")
    assert result.exit_code in (0, 1), result.output  # a test book may carry located warnings
    (epub,) = (tmp_path / "out").glob("*.epub")
    found = run_ace(epub, ace)
    assert [str(f) for f in found if f.blocking] == []


def test_ace_reports_a_missing_language(tmp_path, ace, sample_build):
    """The helper reads Ace's violations: an EPUB whose package lost its xml:lang is one."""
    src = sample_build / "medias-sociaux.epub"
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(broken, "w") as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename.endswith(".opf"):
                data = data.replace(b' xml:lang="fr-CA"', b"")
            out.writestr(info, data)
    found = run_ace(broken, ace)
    assert any(f.rule == "epub-lang" and f.blocking for f in found)
