"""The editors' proof (``--profile review``), and ``--compare`` against an earlier build's md output.

The proof must be the book's own pages (the PDF of ``-f pdf``, page for page, untouched) on larger
sheets, with the marks in the added margin. Pages are read back with pypdf: the text drawn inside
the placed page (a form XObject) is told from the overlay's marks by following the ``Do`` operator.

The compare scenario: version 1 of a manuscript is built to md; then one post is edited (its first
paragraph), one post is added and one removed, and the proof of version 2 is built with
``--compare v1.md``. Exactly the edited paragraph and the new post's paragraphs must be marked, and
leaves before the book's pages must list the added and the removed post.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from blog2book import lang, pipeline, tree
from blog2book.cli import main
from blog2book.diagnostics import Reporter
from blog2book.render import RenderContext
from blog2book.render.review.impose import SHEETS, pages_id, plan
from blog2book.render.markdown.backend import MarkdownBackend
from blog2book.render.shared.paragraphs import number_paragraphs, paragraph_id
from blog2book.render.review.proof import changed_anchors, compare, paragraph_text, read_previous
from pdfcheck import assert_valid_pdf, empty_filtered_streams

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "medias-sociaux.yml"
TINY = REPO / "tests" / "roots" / "tiny"
EDITED = "pourquoi-industrie-medias-sociaux-probleme-credibilite"
ADDED = "twitter-et-medias-sociaux-dans-un-contexte-politique"
REMOVED = "billet-retire"
WORDS = lang.strings("fr-CA")
RED = (0.702, 0.149, 0.118)  # the marks' red, #b3261e


def run(*args) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- reading PDFs back


@dataclass
class Sheet:
    """One page of a proof: the text drawn by the placed book pages (in the book page's own
    coordinates), the overlay's text and red rectangles (in the sheet's), where the pages were put."""

    width: float
    height: float
    book_runs: list = field(default_factory=list)  # (x, y, text) inside a placed page
    marks: list = field(default_factory=list)  # (x, y, text) of the overlay
    bars: list = field(default_factory=list)  # (x, y_bottom, width, height) red rectangles
    placements: list = field(default_factory=list)  # (tx, ty) of each placed page, in order
    sizes: dict = field(default_factory=dict)  # overlay text -> its size in pt

    @property
    def book_text(self) -> str:
        return squeeze("".join(t for _, _, t in self.book_runs))

    @property
    def mark_text(self) -> str:
        return " ".join(t for _, _, t in self.marks)


def _xy(cm, tm):
    return tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]


def read_sheet(page) -> Sheet:
    sheet = Sheet(float(page.mediabox.width), float(page.mediabox.height))
    depth = [0]
    colour = [None]
    rects: list = []

    def before(op, args, cm, tm):
        if op == b"Do":
            depth[0] += 1
        elif depth[0] == 0:
            if op == b"cm" and [float(a) for a in args[:4]] == [1, 0, 0, 1]:
                sheet.placements.append((float(args[4]), float(args[5])))
            elif op == b"rg":
                colour[0] = tuple(round(float(a), 3) for a in args)
            elif op == b"re":
                x, y, w, h = (float(a) for a in args)
                (x0, y0), (x1, y1) = _xy(cm, [1, 0, 0, 1, x, y]), _xy(cm, [1, 0, 0, 1, x + w, y + h])
                rects.append((colour[0], min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)))
            elif op in (b"f", b"f*") and rects:
                c, x, y, w, h = rects[-1]
                if c == RED:
                    sheet.bars.append((x, y, w, h))
                rects.clear()

    def after(op, args, cm, tm):
        if op == b"Do":
            depth[0] -= 1

    def text(t, cm, tm, font, size):
        if t.strip():
            x, y = _xy(cm, tm)
            (sheet.book_runs if depth[0] else sheet.marks).append((x, y, t.strip()))
            if not depth[0]:
                sheet.sizes[t.strip()] = size * abs(cm[0] * tm[0] + cm[2] * tm[1])

    page.extract_text(visitor_operand_before=before, visitor_operand_after=after, visitor_text=text)
    return sheet


def page_runs(page) -> list:
    runs: list = []
    page.extract_text(visitor_text=lambda t, cm, tm, f, s: t.strip() and runs.append((*_xy(cm, tm), t.strip())))
    return runs


class Book:
    """A book PDF of ``-f pdf``: its pages' text runs."""

    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(str(path))
        self.runs = [page_runs(p) for p in self.reader.pages]
        self.texts = [squeeze("".join(t for _, _, t in runs)) for runs in self.runs]

    def folio(self, n: int) -> str | None:
        """The folio printed on page n (1-based): a number alone, the lowest text on the page."""
        runs = self.runs[n - 1]
        if not runs:
            return None
        x, y, t = min(runs, key=lambda r: r[1])
        return t if t.isdigit() else None


class Proof:
    def __init__(self, path: Path, book: Book):
        self.path = path
        self.reader = PdfReader(str(path))
        self.sheets = [read_sheet(p) for p in self.reader.pages]
        self.book = book
        self.leading = len(self.sheets) - sum(1 for s in self.sheets if s.placements)

    @property
    def book_sheets(self) -> list[Sheet]:
        return self.sheets[self.leading:]

    def labels(self):
        """Every paragraph label, in reading order: (book page, k, y in the book page's coordinates,
        continued, changed). « (suite) » follows the number on its line, « modifié » is under it."""
        out = []
        for number, sheet in enumerate(self.book_sheets, start=1):
            tx, ty = sheet.placements[0]
            numbers = sorted(((x, y, m) for x, y, t in sheet.marks if (m := re.match(r"§\s*(\d+)", t))), key=lambda r: -r[1])
            for i, (x, y, m) in enumerate(numbers):
                following = numbers[i + 1][1] if i + 1 < len(numbers) else -1e9
                near = [(yy, t) for xx, yy, t in sheet.marks if abs(xx - x) < 50 and following < yy < y + 1.5]
                continued = any(f"({WORDS['continued']})" in t and abs(yy - y) < 1.5 for yy, t in near)
                changed = any(t == WORDS["changed"] and y - 14 < yy < y for yy, t in near)
                out.append((number, int(m[1]), y - ty, continued, changed))
        return out


def book_of(manuscript: Path):
    spec, book, sources = pipeline.prepare(manuscript, Reporter(), pipeline.Phases(None))
    return book, sources


def paragraph_starts(book) -> list[tuple[str, str]]:
    """(anchor, its first words squeezed, hyphens out) of every paragraph of the book in order:
    the front matter's (the dedication first, then the preface after the contents), the posts',
    the back matter's (they are numbered too, for the EPUB's page list and the proof)."""
    from blog2book.render.shared.paragraphs import number_blocks

    out = []

    def matter(m):
        number_blocks(list(m.blocks), m.id, extra=lambda n, inl: out.append((f"{m.id}__p{n}", _start(tree.stringify(inl)))) or [])

    for m in sorted(book.front, key=lambda m: m.kind != "dedication"):
        matter(m)
    for post in book.posts():
        number_paragraphs(post, extra=lambda p, n, inl: out.append((paragraph_id(p, n), _start(tree.stringify(inl)))) or [])
    for m in book.back:
        matter(m)
    return out


def _start(text: str) -> str:
    return re.sub(r"[-\u2010\u00ad]", "", squeeze(text))[:12]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample_book(sample_build):
    return Book(sample_build / "medias-sociaux.pdf")


@pytest.fixture(scope="module")
def plain_proof(tmp_path_factory, sample_book):
    out = tmp_path_factory.mktemp("review")
    run("build", SAMPLE, "--profile", "review", "-o", out)
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["medias-sociaux-review.pdf"]
    return Proof(out / "medias-sociaux-review.pdf", sample_book)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """(v1 manuscript, v2 manuscript, v1 md) in a copy of the sample with its own posts."""
    root = tmp_path_factory.mktemp("versions")
    shutil.copytree(SAMPLE.parent / "medias-sociaux", root / "medias-sociaux")
    shutil.copytree(REPO / "posts", root / "posts")
    data = yaml.safe_load(SAMPLE.read_text("utf-8"))
    data["posts"] = str(root / "posts")
    v2 = root / "v2.yml"
    v2.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    chapter = data["chapters"][2]["chapters"][0]["posts"]
    assert ADDED in chapter
    chapter[chapter.index(ADDED)] = REMOVED
    v1 = root / "v1.yml"
    v1.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    (root / "posts" / f"{REMOVED}.md").write_text(
        "---\ntitle: \"Un billet retiré depuis\"\ndate: 2011-02-03\n---\n\nCe billet était là.\n\nIl n’y est plus.\n", "utf-8"
    )
    run("build", v1, "-f", "md", "-o", root / "out1")
    # the edit: the first paragraph of one post
    post = root / "posts" / f"{EDITED}.md"
    text = post.read_text("utf-8")
    assert "C’est via un twitt de Michel Plante" in text
    post.write_text(text.replace("C’est via un twitt de Michel Plante", "C’est grâce à un gazouillis de Michel Plante"), "utf-8")
    return v1, v2, root / "out1" / "v1.md"


@pytest.fixture(scope="module")
def compared_proof(versions, tmp_path_factory):
    v1, v2, md = versions
    out = tmp_path_factory.mktemp("compared")
    run("build", v2, "--profile", "review", "--compare", md, "-f", "pdf", "-o", out)
    run("build", v2, "-f", "pdf", "-o", out)
    return Proof(out / "v2-review.pdf", Book(out / "v2.pdf"))


# ---------------------------------------------------------------- the book's own pages


def assert_same_pages(proof: Proof) -> None:
    book = proof.book
    assert len(proof.book_sheets) == len(book.texts)  # one sheet per page of -f pdf
    for number, sheet in enumerate(proof.book_sheets, start=1):
        assert len(sheet.placements) == 1, number
        assert sheet.book_text == book.texts[number - 1], f"page {number}"
        # the page is placed whole, not scaled: its runs sit where the book's runs sit
        assert [(round(x, 1), round(y, 1)) for x, y, _ in sheet.book_runs] == [(round(x, 1), round(y, 1)) for x, y, _ in book.runs[number - 1]], number
        folio = book.folio(number)
        if folio is not None:
            assert folio == str(number)
        assert WORDS["proof_page"].format(n=number, total=len(book.texts)) in sheet.mark_text, number


@pytest.mark.slow
def test_the_proof_is_the_books_own_pages(plain_proof):
    assert plain_proof.leading == 0
    assert_same_pages(plain_proof)
    for sheet in plain_proof.sheets:
        assert (sheet.width, sheet.height) == SHEETS["letter"][:2]


@pytest.mark.slow
def test_the_proof_is_drawn_silently(plain_proof, compared_proof):
    """Ghostscript, qpdf and pdfium accept the proofs; the book's blank versos, placed as form
    XObjects with their content stream's bytes and filter, are no empty Flate streams."""
    for proof in (plain_proof, compared_proof):
        assert_valid_pdf(proof.path)
        assert empty_filtered_streams(proof.path) == []


def test_bookmarks_and_links_lead_to_the_same_pages(plain_proof):
    book, proof = plain_proof.book.reader, plain_proof.reader

    def outline(reader, items, out):
        for item in items:
            if isinstance(item, list):
                outline(reader, item, out)
            else:
                out.append((item.title, reader.get_destination_page_number(item)))
        return out

    assert outline(proof, proof.outline, []) == outline(book, book.outline, [])  # same titles, same pages
    targets = {name: book.get_destination_page_number(d) for name, d in book.named_destinations.items()}
    moved = {name: proof.get_destination_page_number(d) for name, d in proof.named_destinations.items()}
    assert moved == targets
    links = 0
    for n, (bp, pp) in enumerate(zip(book.pages, proof.pages)):
        tx, ty = plain_proof.sheets[n].placements[0]
        before = [a.get_object() for a in bp.get("/Annots", []) or []]
        after = [a.get_object() for a in pp.get("/Annots", []) or []]
        assert [link_target(proof, a, plain_proof) for a in after] == [link_target(book, b) for b in before], n
        links += len(before)
        for a, b in zip(after, before):
            moved_rect = [float(v) + d for v, d in zip(b["/Rect"], (tx, ty, tx, ty))]
            assert all(abs(float(v) - w) < 0.01 for v, w in zip(a["/Rect"], moved_rect)), (n, a["/Rect"], moved_rect)
    assert links > 20  # the TOC, cross-references and web links


def link_target(reader, annot, proof=None):
    """Where a link leads: ("uri", URL), ("name", destination name) or ("page", book page index,
    left, top on that page); on a proof, the sheet's page is read back as the book page it holds."""
    dest = annot.get("/Dest")
    if dest is None:
        action = annot["/A"].get_object()
        if action.get("/S") == "/URI":
            return ("uri", str(action["/URI"]))
        dest = action.get("/D")
    dest = dest.get_object()
    if not isinstance(dest, list):
        return ("name", str(dest))
    index = next(i for i, page in enumerate(reader.pages) if page.indirect_reference.idnum == dest[0].idnum)
    left, top = float(dest[2]), float(dest[3])
    if proof is not None:
        tx, ty = proof.sheets[index].placements[0]
        index, left, top = index - proof.leading, left - tx, top - ty
    return ("page", index, round(left), round(top))


@pytest.mark.slow
def test_every_sheet_is_stamped_with_date_build_and_page(plain_proof):
    date = lang.format_date(dt.date.today(), "fr-CA")
    build = f"{WORDS['proof_build']} {pages_id(plain_proof.book.path.read_bytes())}"  # the id of the -f pdf pages
    for n, sheet in enumerate(plain_proof.sheets, start=1):
        for expected in (WORDS["proof"], date, build):
            assert expected in sheet.mark_text, (n, expected)
        # the stamp is large and above the page; the paragraph numbers are readable
        assert sheet.sizes[WORDS["proof"]] >= 20
        assert all(size >= 7.5 for text, size in sheet.sizes.items() if text.startswith("§"))
        proof_runs = [(y, t) for x, y, t in sheet.marks if t == WORDS["proof"]]
        assert proof_runs and all(y > sheet.placements[0][1] + float(plain_proof.book.reader.pages[0].mediabox.height) for y, _ in proof_runs)


@pytest.mark.slow
def test_proof_fonts_are_embedded_and_never_a_fallback(plain_proof, compared_proof):
    for proof in (plain_proof, compared_proof):
        for page in proof.reader.pages:
            fonts = list(page["/Resources"].get("/Font", {}).values())
            for xobject in page["/Resources"].get("/XObject", {}).values():
                fonts += list(xobject.get_object()["/Resources"].get("/Font", {}).values())
            for ref in fonts:
                font = ref.get_object()
                name = str(font["/BaseFont"])
                assert "dejavu" not in name.lower(), name
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor or "/FontFile" in descriptor, name


@pytest.mark.slow
def test_paragraph_numbers_name_one_paragraph_of_the_books_page(plain_proof):
    """« p. N, § k »: the k-th label of sheet N sits at the first line, on the book's page N, of
    the k-th paragraph whose text starts or continues there; every paragraph is labelled once where
    it starts, in reading order, and once more on each page it continues on."""
    book, _ = book_of(SAMPLE)
    starts = paragraph_starts(book)
    labels = plain_proof.labels()
    per_page: dict[int, list] = {}
    for label in labels:
        per_page.setdefault(label[0], []).append(label)
    for page, found in per_page.items():
        assert [k for _, k, _, _, _ in found] == list(range(1, len(found) + 1)), page
        assert all(not cont for _, k, _, cont, _ in found if k > 1), page  # only the first can be carried over
    fresh = [label for label in labels if not label[3]]
    # the index (last, in two columns) is labelled too, but not in reading order of its columns: not compared
    in_index = sum(1 for anchor, _ in starts if anchor.startswith("back-index__"))
    starts = [s for s in starts if not s[0].startswith("back-index__")]
    assert len(fresh) == len(starts) + in_index
    fresh = fresh[: len(starts)]
    runs = plain_proof.book.runs
    for (page, k, y, _, _), (anchor, start) in zip(fresh, starts):
        line = _line_at(runs[page - 1], y)
        head = re.sub(r"^(•|\d+\.)", "", re.sub(r"[-\u2010\u00ad]", "", squeeze(line)))  # a list's bullet or number first
        n = min(8, len(head))  # a first line may be shorter than 8 characters
        assert n and head[:n] == start[:n], (page, k, anchor, line, start)
    continued = [label for label in labels if label[3]]
    assert continued  # the sample has paragraphs over a page turn
    for page, k, y, _, _ in continued:
        body = [r for r in runs[page - 1] if not r[2].isdigit()]
        top_line = sorted({round(r[1], 1) for r in body}, reverse=True)[1]  # below the running head
        assert abs(_line_y(runs[page - 1], y) - top_line) < 1, (page, y)
    # the numbers sit in the outer margin: right of a recto, left of a verso
    trim = float(plain_proof.book.reader.pages[0].mediabox.width)
    for number, sheet in enumerate(plain_proof.book_sheets, start=1):
        tx, _ = sheet.placements[0]
        for x, y, t in sheet.marks:
            if re.match(r"§\s*\d+", t):
                assert (x > tx + trim) if number % 2 else (x < tx), (number, t, x)


def _line_y(runs, y: float) -> float:
    return min(runs, key=lambda r: abs(r[1] - y))[1]


def _line_at(runs, y: float) -> str:
    """The text of the book line nearest to a label's baseline (within 5 pt)."""
    line_y = _line_y(runs, y)
    assert abs(line_y - y) < 5, (line_y, y)
    return "".join(t for x, yy, t in sorted(runs) if abs(yy - line_y) < 0.5)


@pytest.mark.slow
def test_each_post_shows_its_source_where_it_starts(plain_proof):
    book, sources = book_of(SAMPLE)
    for post in book.posts():
        title = squeeze(post.title)[:20]
        number = next(i for i, text in enumerate(plain_proof.book.texts, start=1) if title in text and i > 8)  # after the TOC
        marks = squeeze(plain_proof.book_sheets[number - 1].mark_text).replace("\u2010", "-")
        url = post.url or sources[post.slug].url
        if url:
            assert url in marks, post.slug
        count = f"{post.word_count:,}".replace(",", "\u202f")
        assert squeeze(f"{count} {WORDS['words']}") in marks, (post.slug, number)
    label = WORDS["source"]
    assert sum(s.mark_text.count(label) for s in plain_proof.sheets) == len(book.posts())


def test_source_addresses_break_at_slashes_never_at_their_hyphens(plain_proof):
    """Issue 25, item 15: an address in the margin is cut after a slash (or, for a part longer than the
    column, between two letters), never after one of its hyphens, which would read as a hyphenation."""
    book, sources = book_of(SAMPLE)
    urls = [u for post in book.posts() if (u := post.url or sources[post.slug].url)]
    seen = 0
    for page in plain_proof.reader.pages:
        lines = [line.strip().replace("\u2060", "") for line in page.extract_text().splitlines()]
        for i, line in enumerate(lines):
            if not line.endswith("://"):
                continue
            found = []
            for url in urls:
                got, k = line, i
                while got != url and k + 1 < len(lines) and url.startswith(got + lines[k + 1]):
                    k += 1
                    got += lines[k]
                if got == url:
                    found.append((url, k))
            assert len(found) == 1, (found, lines[i:i + 8])
            url, k = found[0]
            assert k > i + 1, "the sample's addresses are longer than the column"
            for part in lines[i:k]:
                assert not part.endswith("-"), (url, lines[i:k + 1])
            seen += 1
    assert seen == len(urls), (seen, urls)


# ---------------------------------------------------------------- other sheets, another language


@pytest.fixture(scope="module")
def english_tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("english")
    shutil.copytree(TINY, root / "tiny")
    manuscript = root / "tiny" / "manuscripts" / "tiny.yml"
    manuscript.write_text(manuscript.read_text("utf-8").replace("lang: fr-CA", "lang: en"), "utf-8")
    run("build", manuscript, "-f", "pdf", "-o", root / "book")
    run("build", manuscript, "--profile", "review", "--sheet", "tabloid-half", "-o", root / "spread")
    run("build", manuscript, "--profile", "review", "--sheet", "a4", "-o", root / "a4")
    book = Book(root / "book" / "tiny.pdf")
    return book, PdfReader(str(root / "spread" / "tiny-review.pdf")), Proof(root / "a4" / "tiny-review.pdf", book)


@pytest.mark.slow
def test_facing_pages_on_half_tabloid_sheets_in_the_books_language(english_tiny):
    book, reader, _ = english_tiny
    words = lang.strings("en")
    sheets = [read_sheet(p) for p in reader.pages]
    count = len(book.texts)
    assert len(sheets) == 1 + (count - 1 + 1) // 2
    width = float(book.reader.pages[0].mediabox.width)
    page = 0
    for n, sheet in enumerate(sheets):
        assert (sheet.width, sheet.height) == SHEETS["tabloid-half"][:2]
        pages = [page] if n == 0 else list(range(page, min(page + 2, count)))
        page = pages[-1] + 1
        assert len(sheet.placements) == len(pages)
        assert sheet.book_text == "".join(book.texts[p] for p in pages), n
        # the spine at the middle of the sheet: verso to its left, recto to its right
        for p, (tx, _) in zip(pages, sheet.placements):
            assert abs(tx - (sheet.width / 2 if p % 2 == 0 else sheet.width / 2 - width)) < 0.01, (n, p)
        assert words["proof"] in sheet.mark_text and WORDS["proof"] not in sheet.mark_text
        where = (words["proof_page"].format(n=1, total=count) if n == 0
                 else words["proof_pages"].format(n=pages[0] + 1, k=pages[-1] + 1, total=count) if len(pages) == 2
                 else words["proof_page"].format(n=pages[0] + 1, total=count))
        assert where in sheet.mark_text, (n, sheet.mark_text)
    assert page == count


@pytest.mark.slow
def test_a4_sheets(english_tiny):
    book, _, proof = english_tiny
    assert len(proof.book_sheets) == len(book.texts)
    for number, sheet in enumerate(proof.book_sheets, start=1):
        assert (sheet.width, sheet.height) == SHEETS["a4"][:2]
        assert sheet.book_text == book.texts[number - 1]


@pytest.mark.slow
def test_a_sheet_too_small_for_the_trim_grows_with_a_warning(tmp_path):
    shutil.copytree(TINY, tmp_path / "tiny")
    manuscript = tmp_path / "tiny" / "manuscripts" / "tiny.yml"
    manuscript.write_text(manuscript.read_text("utf-8") + "trim: 8.5in 11in\n", "utf-8")
    result = CliRunner().invoke(main, ["build", str(manuscript), "--profile", "review", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "[review.sheet-small]" in result.output and "print.css" in result.output
    for page in PdfReader(str(tmp_path / "out" / "tiny-review.pdf")).pages:
        sheet = read_sheet(page)
        assert sheet.width >= 612 + 108 and sheet.height >= 792 + 72 and len(sheet.placements) == 1


@pytest.mark.slow
def test_an_unreadable_compare_file_is_reported_not_a_crash(tmp_path):
    old = tmp_path / "out" / "old.md"  # in the output folder: --compare files follow the path rule
    old.parent.mkdir()
    old.write_bytes(b"\xff\xfe\x00binary")
    result = CliRunner().invoke(main, ["build", str(TINY / "manuscripts" / "tiny.yml"), "--profile", "review", "--compare", str(old), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "old.md" in result.output and "[review.compare-unreadable]" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_sheet_goes_with_the_review_profile(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "--sheet", "a4", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "--sheet goes with --profile review" in result.output
    assert not list(tmp_path.iterdir())


def test_sheet_plans():
    trim = (432.0, 648.0)  # 6 × 9 in
    sheets, grown = plan("letter", trim, 3)
    assert not grown and [len(s.slots) for s in sheets] == [1, 1, 1]
    recto, verso = sheets[0].slots[0], sheets[1].slots[0]
    assert recto.recto and not verso.recto
    assert 612 - (recto.x + 432) > recto.x  # the wide margin is outside: right of a recto…
    assert verso.x > 612 - (verso.x + 432)  # …left of a verso
    sheets, _ = plan("tabloid-half", trim, 4)
    assert [[s.number for s in sheet.slots] for sheet in sheets] == [[1], [2, 3], [4]]
    big, grown = plan("letter", (612.0, 792.0), 1)  # a Letter-size book on Letter sheets: the sheet grows
    assert grown and big[0].width >= 612 + 108 and big[0].height >= 792 + 72


# ---------------------------------------------------------------- --compare


@pytest.mark.slow
def test_compared_proof_keeps_the_books_pages_after_its_summary(compared_proof):
    assert compared_proof.leading >= 1
    assert_same_pages(compared_proof)
    for sheet in compared_proof.sheets[: compared_proof.leading]:
        assert not sheet.placements and WORDS["proof"] in sheet.mark_text


@pytest.mark.slow
def test_compare_lists_added_and_removed_posts_first(compared_proof):
    first = " ".join(s.mark_text for s in compared_proof.sheets[: compared_proof.leading])
    assert WORDS["added_posts"] in first and WORDS["removed_posts"] in first
    added = first.index(WORDS["added_posts"])
    removed = first.index(WORDS["removed_posts"])
    assert added < first.index("Twitter et médias sociaux dans un contexte politique") < removed
    assert removed < first.index("Un billet retiré depuis")
    assert WORDS["changed_paragraphs"] in first


@pytest.mark.slow
def test_compare_marks_exactly_the_edited_and_the_new(compared_proof, versions):
    v1, v2, md = versions
    book, _ = book_of(v2)
    added = next(p for p in book.posts() if p.slug == ADDED)
    labels = compared_proof.labels()
    marked = [(page, k) for page, k, _, cont, changed in labels if changed and not cont]
    assert len(marked) == 1 + len(number_paragraphs_count(added)), marked
    texts = compared_proof.book.texts
    edited_page = next(i for i, t in enumerate(texts, start=1) if squeeze("C’est grâce à un gazouillis de Michel Plante") in t)
    added_first = max(i for i, t in enumerate(texts, start=1) if squeeze(added.title)[:20] in t)  # after the TOC
    assert [k for page, k in marked if page == edited_page] == [1] or len([1 for page, _ in marked if page == edited_page]) == 1
    others = [page for page, _ in marked if page != edited_page]
    assert len(others) == len(number_paragraphs_count(added))
    assert all(added_first <= page <= added_first + 1 for page in others), (others, added_first)
    # a bar beside every changed paragraph on every page it is on, and nowhere else
    for number, sheet in enumerate(compared_proof.book_sheets, start=1):
        tx, ty = sheet.placements[0]
        changed_here = [y for page, _, y, _, changed in labels if page == number and changed]
        assert len(sheet.bars) == len(changed_here), number
        for (x, y, w, h), label_y in zip(sorted(sheet.bars, key=lambda b: -b[1] - b[3]), sorted(changed_here, reverse=True)):
            assert abs((y + h - ty) - label_y) < 14, (number, y + h - ty, label_y)  # the bar starts at the paragraph
            assert x > tx + float(compared_proof.book.reader.pages[0].mediabox.width) if number % 2 else x < tx
    # the summary lists the changed paragraphs by page: « p. 27 : § 1 »
    first = " ".join(s.mark_text for s in compared_proof.sheets[: compared_proof.leading])
    assert squeeze(f"p. {edited_page}{WORDS['colon']} § 1") in squeeze(first)


def number_paragraphs_count(post):
    numbers = []
    number_paragraphs(post, extra=lambda p, n, inl: numbers.append(n) or [])
    return numbers


# ---------------------------------------------------------------- comparing (no PDF)


@pytest.mark.slow
def test_the_markdown_round_trip_changes_nothing():
    """A proof compared with the md of the same text marks nothing."""
    book, _ = book_of(SAMPLE)
    md = MarkdownBackend().render(book, RenderContext()).data.decode("utf-8")
    changes = compare(book, read_previous(md))
    assert changes.changed == {} and changes.added == [] and changes.removed == []


@pytest.mark.slow
def test_compare_finds_the_edit_the_addition_and_the_removal(versions):
    v1, v2, md = versions
    book, _ = book_of(v2)
    changes = compare(book, read_previous(md.read_text("utf-8")))
    assert [p.slug for p in changes.added] == [ADDED]
    assert [o.slug for o in changes.removed] == [REMOVED]
    assert changes.changed[EDITED] == {1}
    assert set(changes.changed) == {EDITED, ADDED}
    anchors = changed_anchors(book, changes)
    added = next(p for p in book.posts() if p.slug == ADDED)
    edited = next(p for p in book.posts() if p.slug == EDITED)
    assert anchors == {paragraph_id(edited, 1)} | {paragraph_id(added, n) for n in number_paragraphs_count(added)}
    texts = {}
    number_paragraphs(edited, extra=lambda p, n, inl: texts.__setitem__(n, paragraph_text(inl)) or [])
    assert "gazouillis" in texts[1]
