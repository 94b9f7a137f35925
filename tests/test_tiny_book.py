"""A small test book, in French and in English, through the CLI: EPUBCheck, generated words, notes."""

import re
import shutil
import zipfile

import pytest
from pypdf import PdfReader

from conftest import REPO, epubcheck_messages, java_available, run_cli

pytestmark = pytest.mark.slow
TINY = REPO / "tests" / "roots" / "tiny"


def build(tmp_path, lang: str):
    project = tmp_path / lang
    shutil.copytree(TINY, project)
    manuscript = project / "manuscripts" / "tiny.yml"
    manuscript.write_text(manuscript.read_text("utf-8").replace("lang: fr-CA", f"lang: {lang}"), "utf-8")
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "epub", "-f", "md", "-o", project / "build")
    assert result.exit_code == 0, result.output
    return project / "build"


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    return build(tmp_path_factory.mktemp("fr"), "fr-CA")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return build(tmp_path_factory.mktemp("en"), "en")


def pdf_text(out):
    """Page texts with runs of ordinary spaces and line ends folded (justified lines add spaces)."""
    return [re.sub(r"[ \n]+", " ", p.extract_text()) for p in PdfReader(str(out / "tiny.pdf")).pages]


def epub_text(out):
    with zipfile.ZipFile(out / "tiny.epub") as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))}


@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
@pytest.mark.parametrize("which", ["french", "english"])
def test_epubcheck_clean(which, request):
    out = request.getfixturevalue(which)
    valid, messages = epubcheck_messages(out / "tiny.epub")
    assert valid and messages == []


def test_generated_words_follow_the_language(french, english):
    fr, en = "\n".join(pdf_text(french)), "\n".join(pdf_text(english))
    assert "Table des matières" in fr and "Contents" not in fr
    assert "Contents" in en and "Table des matières" not in en
    assert "24 novembre 2010" in fr and "November 24, 2010" in en
    assert re.search(r"voir p\.\s?\d+", fr) and re.search(r"see p\.\s?\d+", en)
    assert "chapitre 1" in fr.lower() and "chapter 1" in en.lower()  # the 101 style sets opener labels in tracked capitals
    deposit = "Dépôt légal – Bibliothèque et Archives nationales du Québec, Bibliothèque et Archives Canada"
    assert deposit in fr and "Dépôt légal" not in en and "All rights reserved" in en
    nav_fr = epub_text(french)
    assert any("Table des matières" in t for n, t in nav_fr.items() if "nav" in n)


def test_french_typography_only_in_the_french_book(french, english):
    fr, en = "\n".join(pdf_text(french)), "\n".join(pdf_text(english))
    assert "« des guillemets droits »" in fr.replace("\u00a0", " ")
    assert "\u201cdes guillemets droits\u201d" in en
    assert "Pis après\u202f?" in fr and "Pis après?" in en
    assert "2ème" in en and "2ème" not in fr  # French ordinal rules are for French books
    assert "95 %" in fr.replace("\u00a0", " ")


def test_cross_reference_page_and_author_footnote(french):
    pages = pdf_text(french)
    target = next(n for n, text in enumerate(pages, start=1) if "Deuxième chapitre Deuxième billet" in text)
    call_page = next(n for n, text in enumerate(pages, start=1) if "deuxième billet (voir p." in text.replace("\u00a0", " "))
    m = re.search(r"deuxième billet \(voir p\.\s?(\d+)\)", pages[call_page - 1].replace("\u00a0", " "))
    assert int(m.group(1)) == target
    # the author's note is at the foot of the page of its call
    assert "Une note de l’autrice." in pages[call_page - 1]


def test_check_reports_forbidden_ordinals_with_location():
    result = run_cli("check", TINY / "manuscripts" / "tiny.yml", cwd=REPO)
    assert result.exit_code == 0, result.output
    assert re.search(r"tests/roots/tiny/posts/deuxieme-billet\.md:8:\d+: warning: '2ème' .*'2e'", result.stderr), result.stderr


def test_ordinals_are_superscript_in_the_epub(french):
    chapters = "".join(t for n, t in epub_text(french).items() if "chapitre" in n)
    assert "2<sup>e</sup> essai" in chapters and "XX<sup>e</sup> siècle" in chapters
    assert "2ème" not in chapters


def test_images_are_in_both_editions_with_their_caption(french):
    with zipfile.ZipFile(french / "tiny.epub") as z:
        names = z.namelist()
        pngs = [n for n in names if n.startswith("EPUB/images/") and "cover" not in n]
        assert len(pngs) == 1
        chapter = z.read("EPUB/chapitre-1.xhtml").decode("utf-8")
        opf = z.read("EPUB/content.opf").decode("utf-8")
    assert f'src="{pngs[0][5:]}"' in chapter and "<figcaption" in chapter and "Un schéma de la stratégie" in chapter
    assert "alternativeText" in opf and ">visual<" in opf
    reader = PdfReader(str(french / "tiny.pdf"))
    def drawn_images(page):  # pages share one resource dictionary: look at what the page's content draws
        xobjects = (page["/Resources"].get("/XObject") or {})
        names = [n for n, ref in xobjects.items() if ref.get_object()["/Subtype"] == "/Image"]
        content = page.get_contents().get_data()
        return [n for n in names if f"{n} Do".encode() in content]

    with_images = [p for p in reader.pages if drawn_images(p)]
    assert len(with_images) == 1 and len(drawn_images(with_images[0])) == 1
    assert "Un schéma de la stratégie" in with_images[0].extract_text()  # the caption goes with the image


def test_names_in_small_capitals_are_not_hyphenated(french):
    reader = PdfReader(str(french / "tiny.pdf"))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in ("Logiques", "Bibliothèque", "Archives", "nationales", "Corporation", "bibliothécaires", "professionnels", "Fédération", "professionnelle", "journalistes"):
        for line in text.split("\n"):
            m = re.search(r"(\w+)[\u2010-]$", line)
            assert not (m and name.startswith(m.group(1)) and len(m.group(1)) < len(name)), (name, line)


def test_the_book_is_kept_out_of_the_garbage_collector_only_during_its_build(tmp_path, monkeypatch):
    """The build freezes the book's objects (gc.freeze: full collections do not walk them) and
    gives them back when it ends, whether it succeeds or fails."""
    import gc

    from blog2book import pipeline

    seen = []
    real = pipeline.faces_for
    monkeypatch.setattr(pipeline, "faces_for", lambda *a: seen.append(gc.get_freeze_count()) or real(*a))
    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    build(tmp_path, "fr-CA")
    assert seen and seen[0] > before  # frozen while the book is rendered
    assert gc.get_freeze_count() == before and gc.get_threshold() == thresholds

    def fails(*args):
        raise OSError("disk gone")

    monkeypatch.setattr(pipeline, "faces_for", fails)  # a build that stops while the book is frozen
    project = tmp_path / "fr-CA"
    assert run_cli("build", project / "manuscripts" / "tiny.yml", "-o", project / "build").exit_code != 0
    assert gc.get_freeze_count() == before and gc.get_threshold() == thresholds
