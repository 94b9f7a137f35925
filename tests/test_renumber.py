"""Page numbers changed in a laid-out piece's PDF (render/renumber.py) instead of a new layout.

The pieces of the xref book are laid out through the CLI (their jobs recorded), then each is given
other numbers: references of the same widths and folios that cross a power of ten. The renumbered
PDF must be the layout WeasyPrint gives the new document: the same lines at the same places with
the same glyphs, the same text. A reference whose count of digits changes, or a PDF that is not the
one the layout recorded, is never renumbered (the piece is laid out again).
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from blog2book.render.pdf import layout as layout_mod
from blog2book.render.pdf.pieces import lay_out_piece
from blog2book.render.pdf.renumber import _lines, renumber

from conftest import run_cli

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.slow

XREF = Path(__file__).parent / "roots" / "xref"


@pytest.fixture(scope="module")
def jobs(tmp_path_factory):
    """The last job of each piece of the xref book (one piece per chapter), as the CLI ran them."""
    root = tmp_path_factory.mktemp("renumber") / "xref"
    shutil.copytree(XREF, root)
    seen: dict[str, object] = {}
    original = layout_mod.lay_out_piece
    mp = pytest.MonkeyPatch()
    mp.setattr(layout_mod, "PIECE_WORDS", 1)

    def record(job):
        seen[job.html.split("<body>", 1)[1][:400]] = replace(job, source=None)  # laid out, never renumbered
        return original(job)

    mp.setattr(layout_mod, "lay_out_piece", record)
    try:
        result = run_cli("build", root / "manuscripts" / "xref.yml", "-f", "pdf", "-o", root / "out", "-j", "1")
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return list(seen.values())


def shifted(html: str, by: int, folio_to: int | None) -> str:
    """Every « voir p. » and contents number moved by ``by`` where that keeps its count of digits,
    and the first folio set to ``folio_to``."""

    def move(m: re.Match) -> str:
        value = int(m.group(2))
        new = value + by if len(str(value + by)) == len(str(value)) else value - by
        return m.group(1) + str(new)

    html = re.sub(r'(data-page=")(\d+)', move, html)
    if folio_to is not None:
        html = re.sub(r"counter-reset: page \d+;", f"counter-reset: page {folio_to};", html, count=1)
    return html


def drawn(pdf: bytes, pages: int) -> list[list[tuple]]:
    """Each page's lines of text: origin (to 1/100 pt) and glyph ids."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages[:pages]:
        lines = _lines(page.get_contents().get_data())
        out.append([(round(ln.x, 2), round(ln.y, 2), tuple(g for _, _, g, _ in ln.glyphs)) for ln in lines])
    return out


def texts(pdf: bytes, pages: int) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [p.extract_text() for p in reader.pages[:pages]]


def test_a_renumbered_piece_is_the_layout_of_its_new_numbers(jobs):
    with_refs = [j for j in jobs if 'data-page="' in j.html and "xref" in j.html]
    assert with_refs, "the xref book has pieces with « voir p. »"
    checked = 0
    for job in with_refs:
        first = lay_out_piece(job)
        assert first.slots, "the layout records where its numbers are"
        assert first.pdf is not None and len(pypdf.PdfReader(io.BytesIO(first.pdf)).pages) == first.pages + 1  # + calibration
        # other references of the same widths; folios from 97: 97, 98, 99, 100… cross a power of ten
        new_html = shifted(job.html, 3, 97)
        again = lay_out_piece(replace(job, html=new_html, key="renumbered", source=first))
        fresh = lay_out_piece(replace(job, html=new_html, key="fresh", fixes=first.fixes))
        if not again.renumbered:  # a face without tabular figures (the contents' display face): laid out
            assert again.pages == fresh.pages
            continue
        assert again.pages == fresh.pages == first.pages
        assert again.anchors == fresh.anchors and again.positions == fresh.positions
        assert drawn(again.pdf, again.pages) == drawn(fresh.pdf, fresh.pages)
        assert texts(again.pdf, again.pages) == texts(fresh.pdf, fresh.pages)
        assert texts(again.pdf, again.pages) != texts(first.pdf, first.pages)
        # a renumbered layout records its own numbers: it is renumbered again as a fresh layout is
        newer_html = shifted(new_html, 1, 101)
        twice = lay_out_piece(replace(job, html=newer_html, key="twice", source=again))
        fresh2 = lay_out_piece(replace(job, html=newer_html, key="fresh2", fixes=first.fixes))
        assert twice.renumbered and len(twice.slots) == len(fresh2.slots)
        for a, b in zip(twice.slots, fresh2.slots):
            assert (a.page, a.target, a.digits) == (b.page, b.target, b.digits) and abs(a.x - b.x) < 0.01 and abs(a.y - b.y) < 0.01
        assert drawn(twice.pdf, twice.pages) == drawn(fresh2.pdf, fresh2.pages)
        checked += 1
    assert checked >= 1


def test_a_reference_that_changes_width_is_not_renumbered(jobs):
    job = next(j for j in jobs if 'class="xref' in j.html)
    first = lay_out_piece(job)
    wider = re.sub(r'(data-page=")(\d+)', lambda m: m.group(1) + m.group(2) + "0", job.html)
    assert renumber(first.pdf, first.pages, first.slots, wider) is None
    result = lay_out_piece(replace(job, html=wider, key="wider", source=first))
    assert not result.renumbered


def test_a_pdf_that_is_not_the_recorded_one_is_not_renumbered(jobs):
    job = next(j for j in jobs if 'class="xref' in j.html)
    first = lay_out_piece(job)
    other = next(j for j in jobs if j.html != job.html)
    other_pdf = lay_out_piece(other).pdf
    new_html = shifted(job.html, 1, None)
    assert renumber(other_pdf, first.pages, first.slots, new_html) is None
    assert renumber(b"%PDF-1.7 broken", first.pages, first.slots, new_html) is None
    # the same numbers: the PDF as it is
    assert renumber(first.pdf, first.pages, first.slots, job.html) == (first.pdf, first.slots)


def test_an_edit_renumbers_the_pieces_after_it(tmp_path, monkeypatch):
    """Through the CLI: text added to the first chapter moves every later page; the pieces after it
    are renumbered, not laid out, and the book is the one a cold build gives."""
    monkeypatch.setattr(layout_mod, "PIECE_WORDS", 1)
    project = tmp_path / "xref"
    shutil.copytree(XREF, project)
    manuscript = project / "manuscripts" / "xref.yml"
    assert run_cli("build", manuscript, "-f", "pdf", "-o", tmp_path / "out").exit_code == 0
    posts = sorted((project / "posts").glob("*.md"))
    first_post = next(p for p in posts if "pourquoi-bloguer" in p.name)
    text = first_post.read_text("utf-8")
    paragraph = "\n\n" + " ".join(["Un paragraphe ajouté pour pousser les pages suivantes plus loin dans le livre."] * 30) + "\n"
    first_post.write_text(text + paragraph * 3, "utf-8")
    edited = run_cli("build", manuscript, "-f", "pdf", "-o", tmp_path / "out")
    assert edited.exit_code == 0, edited.output
    renumbered = int(re.search(r"(\d+) renumbered", edited.output).group(1))
    assert renumbered >= 1, edited.output
    cold = run_cli("build", manuscript, "-f", "pdf", "-o", tmp_path / "cold")
    assert cold.exit_code == 0
    a = (tmp_path / "out" / "xref.pdf").read_bytes()
    b = (tmp_path / "cold" / "xref.pdf").read_bytes()
    ra, rb = pypdf.PdfReader(io.BytesIO(a)), pypdf.PdfReader(io.BytesIO(b))
    assert len(ra.pages) == len(rb.pages)
    assert [p.extract_text() for p in ra.pages] == [p.extract_text() for p in rb.pages]


def test_a_layout_that_prints_other_digits_with_its_numbers_is_never_renumbered(jobs):
    """A style that prints the chapter beside the page (« p. 12 · 3 »): its numbers cannot all be
    found again in the PDF, so the layout is laid out again whenever they change."""
    job = next(j for j in jobs if 'class="xref' in j.html)
    css = 'a.xref::after { content: " (p. " attr(data-page) " · " attr(data-chapter) ")" !important; }'
    html = job.html.replace("</style></head>", css + "</style></head>", 1)
    first = lay_out_piece(replace(job, html=html, key="both"))
    assert first.slots is None
    assert renumber(first.pdf, first.pages, first.slots, shifted(html, 1, None)) is None


def test_the_contents_with_part_entries_is_renumbered_not_laid_out_again(tmp_path, monkeypatch):
    """The sample's contents lists parts (set in the display face, letter-spaced, small capitals)
    and chapters; every entry's number is in the text face's tabular figures, so other numbers of
    the same widths are written into its PDF instead of laying it out again."""
    from conftest import REPO

    project = tmp_path / "sample"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".venv", "build", ".git", "tests", "bench", ".pytest_cache",
                                                                 ".tools", ".venv-lowest", ".blog2book-cache", "*_cache"))  # .tools: Ace's node_modules, 100 MB
    seen = {}
    original = layout_mod.lay_out_piece

    def record(job):
        if '<nav class="toc"' in job.html or "toc-part" in job.html:
            seen["toc"] = replace(job, source=None)
        return original(job)

    monkeypatch.setattr(layout_mod, "lay_out_piece", record)
    result = run_cli("build", project / "manuscripts" / "medias-sociaux.yml", "-f", "pdf", "-o", project / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    job = seen["toc"]
    assert "toc-part" in job.html and "toc-chapter" in job.html
    first = lay_out_piece(job)
    moved = shifted(job.html, 2, None)
    assert moved != job.html
    again = lay_out_piece(replace(job, html=moved, key="renumbered", source=first))
    assert again.renumbered
    assert texts(again.pdf, again.pages) != texts(first.pdf, first.pages)
