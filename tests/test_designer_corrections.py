"""Issue 25 (a designer's corrections), through the CLI: French collation where the book sorts a list
(the glossary, the index), numbers of four digits set one way through a book (``four_digits:``), no
space inside parentheses and brackets, « Imprimé au Canada » only when printed, the sample's matter
linking to its posts (cross-references in every edition)."""

import re
import shutil
import zipfile

import pytest

from conftest import REPO, epubcheck_messages, java_available, run_cli

TINY = REPO / "tests" / "roots" / "tiny"

POST = """---
title: Des chiffres
date: 2020-05-01
---

Le blogue compte 2829 billets, 15016 commentaires et 1 350 abonnés depuis 2006 ; il a coûté
1500 $ en 2019. Les blogueurs ( les vrais ) en parlent [ souvent ].
"""

GLOSSARY = """---
title: Lexique
---

Blogue
:   Site Web où l'on publie des billets.

Côte
:   Une pente.

cote
:   Une marque.

Billet
:   Texte publié sur un blogue.

Écho
:   Ce qui revient.

Le Zèbre
:   Un animal (classé à Z, sans son article).

Effet
:   Une conséquence.
"""


def project(tmp_path, four_digits: str | None):
    root = tmp_path / f"book-{four_digits}"
    shutil.copytree(TINY, root)
    (root / "posts" / "des-chiffres.md").write_text(POST, "utf-8")
    (root / "manuscripts" / "lexique.md").write_text(GLOSSARY, "utf-8")
    manuscript = root / "manuscripts" / "tiny.yml"
    text = manuscript.read_text("utf-8").replace("posts: [premier-billet]", "posts: [premier-billet, des-chiffres]")
    text = text.replace("chapters:\n", "back:\n  glossary: lexique.md\nchapters:\n", 1)
    if four_digits:
        text = f"four_digits: {four_digits}\n" + text
    manuscript.write_text(text, "utf-8")
    return root, manuscript


def build(tmp_path, four_digits: str | None, *formats: str):
    root, manuscript = project(tmp_path, four_digits)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    args = [a for f in formats for a in ("-f", f)]
    result = run_cli("build", manuscript, *args, "-o", root / "build", "-q")
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in before} == before, "the build changed the project's files"
    return root / "build"


def epub_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode() for n in sorted(z.namelist()) if n.endswith(".xhtml"))


def glossary_terms(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<dt>(.*?)</dt>", html, re.S)]


@pytest.mark.slow
def test_four_digits_solid_by_default_and_glossary_collated(tmp_path):
    out = build(tmp_path, None, "md", "epub")
    md = (out / "tiny.md").read_text("utf-8")
    assert "2829 billets" in md and "1350 abonnés" in md  # four digits solid, the author's space joined
    assert "15\u202f016 commentaires" in md  # five digits grouped
    assert "blogueurs (les vrais) en parlent \\[souvent\\]" in md  # brackets escaped by pandoc
    epub = out / "tiny.epub"
    text = epub_text(epub)
    assert "2829 billets" in text and "1350 abonnés" in text
    assert glossary_terms(text) == ["Billet", "Blogue", "cote", "Côte", "Écho", "Effet", "Le Zèbre"]
    if java_available():
        valid, messages = epubcheck_messages(epub)
        assert valid and not messages, messages


@pytest.mark.slow
def test_four_digits_grouped_when_the_manuscript_says_so(tmp_path):
    md = (build(tmp_path, "grouped", "md") / "tiny.md").read_text("utf-8")
    assert "2\u202f829 billets" in md and "1\u202f350 abonnés" in md and "15\u202f016 commentaires" in md
    assert "1\u202f500\u00a0\\$ en 2019" in md and "depuis 2006" in md  # years stay solid


def test_a_wrong_four_digits_setting_is_located(tmp_path):
    root, manuscript = project(tmp_path, "espacés")
    result = run_cli("check", manuscript)
    assert result.exit_code == 1
    assert re.search(r"tiny\.yml:1:.*four_digits", result.output), result.output
    assert "solid" in result.output and "grouped" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_sample_glossary_is_in_french_order_and_has_no_space_before_parenthesis(sample_build):
    text = epub_text(sample_build / "medias-sociaux.epub")
    terms = glossary_terms(text)
    assert terms.index("Billet") < terms.index("Blogue"), terms
    prose = re.sub(r"<[^>]+>", "", text)
    assert not re.search(r"\w[ \u00a0\u202f]+\)", prose), re.search(r".{30}\w[ \u00a0\u202f]+\).{10}", prose)
    assert not re.search(r"\((?:[ \u00a0\u202f])+\w", prose)


@pytest.mark.slow
def test_sample_matter_links_become_cross_references(sample_build):
    """Item 16: the preface and the lexique name posts of the book: « (voir p. N) » in the PDF, N the
    page where the post starts; live links to the chapter in the EPUB."""
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(str(sample_build / "medias-sociaux.pdf")).pages]
    flat = [re.sub(r"\s+", " ", t) for t in pages]
    refs = [(i + 1, int(n)) for i, t in enumerate(flat) for n in re.findall(r"\((?:voir )?p\. (\d+)\)", t)]
    assert len(refs) >= 3, refs
    start = next(i + 1 for i, t in enumerate(flat) if "Maintenant plus de 20 ans en ligne" in t and i > 10)
    assert any(n == start for _, n in refs), (refs, start)
    with zipfile.ZipFile(sample_build / "medias-sociaux.epub") as z:
        names = z.namelist()
        matter = "".join(z.read(n).decode() for n in names if re.search(r"(front|back)-[^/]*\.xhtml$", n))
    targets = re.findall(r'<a [^>]*href="([^"]+)"[^>]*class="xref', matter) + re.findall(r'<a [^>]*class="xref[^"]*"[^>]*href="([^"]+)"', matter)
    assert len(targets) >= 3, targets
    for href in targets:
        file, _, anchor = href.partition("#")
        assert f"EPUB/{file}" in names and anchor, href


ABOUT = """---
title: À propos de l’auteure
---

Elle a publié *Le premier livre : un sous-titre* (2010) et *Le second livre. Un autre sous-titre* (2011),
puis *Le second livre*, tout court.
"""


def test_books_given_once_and_checked_in_the_matter(tmp_path):
    """Item 7: « De la même auteure » from the manuscript's list; a matter file naming one of the
    books with another subtitle gets a located warning, the same title (or the short one) none."""
    root, manuscript = project(tmp_path, None)
    (root / "manuscripts" / "auteure.md").write_text(ABOUT, "utf-8")
    text = manuscript.read_text("utf-8").replace("back:\n  glossary: lexique.md\n", "back:\n  glossary: lexique.md\n  about: auteure.md\n")
    text = text.replace("chapters:\n", (
        "also_by:\n  title: De la même auteure\n  books:\n"
        "    - {title: Le premier livre, subtitle: un sous-titre, kind: essai, year: 2010}\n"
        "    - {title: Le second livre, subtitle: le vrai sous-titre, publisher: Éditions X, year: 2011}\n"
        "chapters:\n"), 1)
    manuscript.write_text(text, "utf-8")
    result = run_cli("check", manuscript)
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "matter.work-title" in line]
    assert len(warned) == 1, result.output
    assert "auteure.md:5:" in warned[0] and "Le second livre : le vrai sous-titre" in warned[0]
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "epub", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "tiny.epub") as z:
        page = z.read("EPUB/titlepage.xhtml").decode()
    assert "De la même auteure" in page
    assert "<em>Le premier livre\u00a0: un sous-titre</em>, essai, 2010." in page
    assert "<em>Le second livre\u00a0: le vrai sous-titre</em>, Éditions X, 2011." in page


def test_a_wrong_book_in_also_by_is_located(tmp_path):
    root, manuscript = project(tmp_path, None)
    text = manuscript.read_text("utf-8").replace("chapters:\n", "also_by:\n  - {subtitle: sans titre}\n  - {title: Un livre, year: deux mille}\nchapters:\n", 1)
    manuscript.write_text(text, "utf-8")
    result = run_cli("check", manuscript)
    assert result.exit_code == 1
    assert re.search(r"tiny\.yml:\d+:\d+: .*also_by\[0\]: missing required key 'title'", result.output), result.output
    assert re.search(r"tiny\.yml:\d+:\d+: .*also_by\[1\]\.year", result.output), result.output
    assert "Traceback" not in result.output


def test_cataloguing_in_publication_block(tmp_path):
    """Item 7: the optional CIP record from the manuscript, under its heading, line by line."""
    root, manuscript = project(tmp_path, None)
    text = manuscript.read_text("utf-8").replace("chapters:\n", (
        "isbn: {print: 978-2-924215-01-2}\n"
        "copyright:\n  cip: |\n    Titre : Un petit livre / Une autrice.\n    Identifiants : Canadiana 20260001234 | ISBN 9782924215012\n"
        "chapters:\n"), 1)
    manuscript.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "epub", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "tiny.epub") as z:
        page = re.sub(r"[ \n]+", " ", z.read("EPUB/copyright.xhtml").decode())
    heading = "Catalogage avant publication de Bibliothèque et Archives nationales du Québec et Bibliothèque et Archives Canada"
    assert re.search(heading + r"<br ?/> ?Titre\u00a0: Un petit livre / Une autrice\.<br ?/> ?Identifiants\u00a0: Canadiana 20260001234 \| ISBN 9782924215012", page), page


@pytest.mark.slow
def test_sample_has_no_stub_last_line_and_no_cut_inside_a_compounds_part(sample_build):
    """Item 2: « sui-/vants : », « sensi-/bleries. » (a cut word's end and under six more characters
    as a paragraph's last line) and « nano-influen-/ceur » (a cut inside a compound's part) are gone."""
    from pypdf import PdfReader

    stubs, compounds = [], []
    for number, page in enumerate(PdfReader(str(sample_build / "medias-sociaux.pdf")).pages, start=1):
        text = page.extract_text()
        for m in re.finditer(r"(\w+)[-\u2010]\n(\w+)([^\n]{0,8})\n", text):
            if len((m.group(2) + m.group(3)).strip()) < len(m.group(2)) + 6 and m.group(3).strip()[-1:] in (".", ":", "!", "?", "»", ")"):
                stubs.append((number, m.group(0)))
        compounds += [(number, line) for line in text.splitlines() if re.search(r"\w-\w+[-\u2010]$", line)]
    assert stubs == [] and compounds == [], (stubs, compounds)
