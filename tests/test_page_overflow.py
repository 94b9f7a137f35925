"""Nothing leaves the page (issue 22, item 9; issue 25, item 6), through the CLI.

A book with an 85-letter title, a 200-character code line, a long URL and a long word; a post whose
title would run the whole running head; a post and a chapter with ``short_title:``. Built once:
no ``pdf.overflow`` warning, every character of the title and of the code line printed, the outer
margin empty on every page, the long running head shortened with an ellipsis and the short titles
in the heads. A table too wide for any break gives ``pdf.overflow`` with its file, line and page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import epubcheck_messages, java_available, run_cli

pytestmark = pytest.mark.slow

TITLE = "Lesmédiassociauxetlaréputationenlignedesentreprisesquébécoisesdanslecontextemondiali"  # 85 letters
CODE = ("resultat = " + "+".join(f"valeur_{i:03d}" for i in range(14)))
CODE = CODE + "_" * (200 - len(CODE))
LONG_HEAD = "Un titre de billet assez long pour remplir toute la ligne du titre courant en haut de page, voire plus encore"
FILLER = "\n\n".join(["Un paragraphe ordinaire qui parle de réputation en ligne, de stratégie et de blogues, assez long pour remplir une ligne ou deux. " * 3] * 9)

MANUSCRIPT = """\
title: Débordements
author: Une autrice
lang: fr-CA
chapters:
  - title: Les titres longs
    posts: [titre-long, tete-longue, tete-courte]
  - title: Un chapitre au titre bien trop long pour la tête de page, qui court sur toute la ligne
    short_title: Chapitre court
    posts: [seul]
"""


def post(title: str, body: str, date: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}\n"


def write_project(root, wide_table: bool = False):
    (root / "posts").mkdir(parents=True)
    (root / "manuscripts").mkdir()
    (root / "manuscripts" / "livre.yml").write_text(MANUSCRIPT, "utf-8")
    body = (
        "Un paragraphe ordinaire qui parle de réputation en ligne.\n\n"
        "Une adresse longue : https://www.exemple-blogue.com/2020/01/01/un-tres-long-chemin-vers-une-page-qui-ne-finit-jamais/index.html?parametre=valeur\n\n"
        "Un mot très long : Anticonstitutionnellementanticonstitutionnellementanticonstitutionnellement.\n\n"
        f"```\n{CODE}\nfin = 1\n```\n\nFin du billet."
    )
    if wide_table:
        cells = 44
        body += "\n\n" + "|" + "|".join(f"c{i}" for i in range(cells)) + "|\n|" + "|".join("--" for _ in range(cells)) + "|\n|" + "|".join("x" for _ in range(cells)) + "|\n"
    (root / "posts" / "titre-long.md").write_text(post(TITLE, body, "2020-01-01"), "utf-8")
    (root / "posts" / "tete-longue.md").write_text(post(LONG_HEAD, FILLER, "2020-01-02"), "utf-8")
    (root / "posts" / "tete-courte.md").write_text(post(LONG_HEAD + " encore", FILLER, "2020-01-03", "short_title: Un titre court\n"), "utf-8")
    (root / "posts" / "seul.md").write_text(post("Le billet seul", FILLER, "2020-01-04"), "utf-8")
    return root / "manuscripts" / "livre.yml"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("overflow") / "livre"
    manuscript = write_project(root)
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "epub", "-o", root / "build")
    assert result.exit_code == 0, result.output
    return root / "build", result.output


def pages(out):
    return [p.extract_text() for p in PdfReader(str(out / "livre.pdf")).pages]


def test_no_overflow_warning_and_every_character_printed(book):
    out, output = book
    assert "pdf.overflow" not in output, output
    text = "".join(pages(out))
    flat = re.sub(r"\s+", "", text)
    assert TITLE in flat  # broken over lines, no letter cut or lost
    assert re.sub(r"\s+", "", CODE) in flat  # the code line wrapped, not cut
    assert "jamais/index.html?parametre=valeur" in flat


def test_outer_margins_are_empty(book, tmp_path):
    """Every page drawn at 40 dpi: no ink in the outer margin (between the running head and the
    folio), where a title or a code line used to run."""
    out, _ = book
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(out / "livre.pdf"), str(tmp_path / "p")], check=True)
    files = sorted(tmp_path.glob("p-*.png"))
    assert len(files) == len(pages(out))
    dpi_mm = 40 / 25.4
    for n, path in enumerate(files, start=1):
        image = Image.open(path).convert("L")
        w, h = image.size
        outer = 20 * dpi_mm  # the outer margin (print.css), minus a little for antialiasing
        x0, x1 = (w - outer + 3, w - 2) if n % 2 == 1 else (2, outer - 3)
        top, bottom = int(17 * dpi_mm), int(h - 21 * dpi_mm)
        strip = image.crop((int(x0), top, int(x1), bottom))
        assert strip.getextrema()[0] > 200, f"ink in the outer margin of page {n}"


def test_running_heads_shortened_or_short_titles(book, tmp_path):
    """Short titles are the heads' text; a long title without one is cut by the engine at the
    head's width with an ellipsis (Pango's: the PDF's text layer keeps the whole title under the
    « … » glyph, so the head is checked on the drawn page: its ink stays over the text block)."""
    out, _ = book
    texts = pages(out)
    heads = [t.strip().splitlines()[-2].strip() if len(t.strip().splitlines()) > 2 else "" for t in texts]  # read before the folio
    assert "Un titre court" in heads
    assert "Chapitre court" in heads
    assert not any((LONG_HEAD + " encore") in h for h in heads)  # the post with a short title never heads a page with its title
    long_pages = [n for n, h in enumerate(heads, start=1) if h == LONG_HEAD]
    assert long_pages, heads
    dpi_mm = 100 / 25.4
    for n in long_pages:
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(n), "-l", str(n), str(out / "livre.pdf"), str(tmp_path / f"h{n}")], check=True)
        image = Image.open(next(tmp_path.glob(f"h{n}*.png"))).convert("L")
        w, _h = image.size
        band = image.crop((0, int(5 * dpi_mm), w, int(13 * dpi_mm)))  # the head's line, above the text block
        inked = [x for x in range(w) if band.crop((x, 0, x + 1, band.size[1])).getextrema()[0] < 160]
        assert inked, f"no running head drawn on page {n}"
        inner = 16 * dpi_mm  # a recto's inner margin: the head must not start left of the text block
        assert n % 2 == 1 and min(inked) >= inner - 2 and max(inked) <= w - 20 * dpi_mm + 2, (n, min(inked), max(inked))


def test_epub_with_short_titles_passes_epubcheck(book):
    out, _ = book
    with zipfile.ZipFile(out / "livre.epub") as z:
        xhtml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    assert TITLE in xhtml and LONG_HEAD in xhtml  # the EPUB keeps the full titles
    if java_available():
        valid, messages = epubcheck_messages(out / "livre.epub")
        assert valid and messages == []


def test_a_table_too_wide_for_any_break_is_a_located_warning(tmp_path):
    manuscript = write_project(tmp_path / "livre", wide_table=True)
    result = run_cli("build", manuscript, "-f", "pdf", "-o", tmp_path / "livre" / "build")
    assert result.exit_code == 0, result.output
    found = [line for line in result.output.splitlines() if "[pdf.overflow]" in line]
    assert len(found) == 1, result.output
    source = (tmp_path / "livre" / "posts" / "titre-long.md").read_text("utf-8").splitlines()
    table_line = next(i for i, line in enumerate(source, start=1) if line.startswith("|c0|"))
    m = re.match(r"\S*posts/titre-long\.md:(\d+): warning: post 'titre-long': a table passes the text block by [\d.]+ mm on page (\d+)", found[0])
    assert m, found[0]
    assert int(m.group(1)) == table_line
    page = int(m.group(2))
    assert "c0" in pages(tmp_path / "livre" / "build")[page - 1].replace("\n", "")
    strict = run_cli("build", manuscript, "-f", "pdf", "--strict", "-o", tmp_path / "livre" / "build")
    assert strict.exit_code == 1 and "pdf.overflow" in strict.output


def test_a_preface_the_contents_lists_carries_its_folio(tmp_path):
    """Issue 25, item 6: the contents cites the preface's page; that page prints its number."""
    assert run_cli("init", tmp_path / "livre").exit_code == 0
    result = run_cli("build", tmp_path / "livre" / "manuscripts" / "livre.yml", "-f", "pdf", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    texts = [p.extract_text() for p in PdfReader(str(tmp_path / "out" / "livre.pdf")).pages]
    contents = next(t for t in texts if "Table des matières" in t)
    cited = int(re.search(r"Avant-propos[ .]*?(\d+)", contents).group(1))
    page = texts[cited - 1]
    assert page.lstrip().startswith("Avant-propos")
    assert page.strip().splitlines()[-1].strip() == str(cited)
