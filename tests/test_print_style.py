"""The print book in each series style, read back from the PDF with pypdf.

Built through the CLI: the sample manuscript in the 101 style, a copy of it in the 201 style (with
a dedication, acknowledgements and notes in two chapters), and a copy with a manifest trim size.
Checked: trim size, embedded faces (never DejaVu), bookmarks against the manifest, chapters on odd
pages, no running head on opening and blank pages, TOC page numbers against the real pages, folios,
notes numbered per chapter, PDF metadata.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from blog2book.cli import main
from conftest import manifest_structure

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "medias-sociaux.yml"
MM = 72 / 25.4
TOP_MARGIN = 16 * MM  # running heads live above this (from the top edge)
FOOT_MARGIN = 20 * MM  # folios live below this


# ---------------------------------------------------------------- builds

def build(manuscript: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, ["build", str(manuscript), "-f", "pdf", "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    return pdfs[0]


def copy_manuscript(dest: Path, style: str, *, trim: str | None = None, extras: bool = False) -> Path:
    """The sample manuscript copied to ``dest`` with another style (and optional extras)."""
    shutil.copytree(SAMPLE.parent / "medias-sociaux", dest / "medias-sociaux")
    data = yaml.safe_load(SAMPLE.read_text("utf-8"))
    posts = (SAMPLE.parent / data["posts"]).resolve()
    data["style"] = style
    if trim:
        data["trim"] = trim
    shutil.copytree(posts, dest / "posts")  # one project folder (manuscript and posts): the path rule
    posts = dest / "posts"
    if extras:
        (dest / "medias-sociaux" / "dedicace.md").write_text("---\ntitle: Dédicace\n---\n\nÀ celles et ceux qui commentent.\n", "utf-8")
        (dest / "medias-sociaux" / "merci.md").write_text("---\ntitle: Remerciements\n---\n\nMerci aux lectrices et aux lecteurs du blogue.\n", "utf-8")
        data["front"] = {"dedication": "medias-sociaux/dedicace.md", **data["front"]}
        data["back"] = {"acknowledgements": "medias-sociaux/merci.md", **data["back"]}
        # notes in the posts of chapters 1 and 2: each chapter numbers its notes from 1
        for slug in data["chapters"][0]["chapters"][0]["posts"] + data["chapters"][0]["chapters"][1]["posts"]:
            path = dest / "posts" / f"{slug}.md"
            head, body = path.read_text("utf-8").split("\n---\n", 1)
            paras = body.split("\n\n")
            i = next(i for i, p in enumerate(paras) if len(p) > 300 and p[0].isalpha())
            paras[i] = paras[i].rstrip() + "^[Note d’essai du chapitre, avec [un lien](https://www.example.org/note)."
            paras[i] += "]"
            path.write_text(head + "\n---\n" + "\n\n".join(paras), "utf-8")
    data["posts"] = str(posts)
    path = dest / "book.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def book101(sample_build):
    """The sample manuscript, in the 101 style: the session's build (conftest.py), its one PDF."""
    pdfs = list(sample_build.glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    return Book(pdfs[0], SAMPLE)


@pytest.fixture(scope="module")
def book201(tmp_path_factory):
    src = tmp_path_factory.mktemp("m201")
    manuscript = copy_manuscript(src, "medias-sociaux-201", extras=True)
    return Book(build(manuscript, tmp_path_factory.mktemp("s201")), manuscript)


@pytest.fixture(scope="module")
def book_trim(tmp_path_factory):
    src = tmp_path_factory.mktemp("mtrim")
    manuscript = copy_manuscript(src, "medias-sociaux-101", trim="140mm 205mm")
    return Book(build(manuscript, tmp_path_factory.mktemp("strim")), manuscript)


@pytest.fixture(params=["101", "201"])
def book(request, book101, book201):
    return {"101": book101, "201": book201}[request.param]


# ---------------------------------------------------------------- reading the PDF

def norm(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    text = " ".join(text.split())
    return re.sub(r"\s+([?!;:»])", r"\1", text).replace("« ", "«").casefold()


class Book:
    def __init__(self, pdf: Path, manuscript: Path):
        self.path = pdf
        self.manuscript = manuscript
        self.reader = PdfReader(str(pdf))
        self.pages = self.reader.pages
        self.texts = [p.extract_text() or "" for p in self.pages]
        self.lines = [self._lines(p) for p in self.pages]
        self.outline = self._outline(self.reader.outline)

    def _lines(self, page):
        """(x, y, text) of every text run, in PDF points from the bottom-left corner."""
        runs = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((x, y, text.strip()))

        page.extract_text(visitor_text=visit)
        return runs

    def _outline(self, items):
        out = []
        for item in items:
            if isinstance(item, list):
                out[-1]["children"] = self._outline(item)
            else:
                out.append({"title": item.title, "page": self.reader.get_destination_page_number(item) + 1, "children": []})
        return out

    def height(self, n: int) -> float:
        return float(self.pages[n - 1].mediabox.height)

    def head(self, n: int) -> list[str]:
        """Text in the top margin of page n (1-based): the running head."""
        return [t for x, y, t in self.lines[n - 1] if y > self.height(n) - TOP_MARGIN]

    def foot(self, n: int) -> list[str]:
        return [t for x, y, t in self.lines[n - 1] if y < FOOT_MARGIN]

    def flat_outline(self):
        def walk(items, depth):
            for it in items:
                yield depth, it
                yield from walk(it["children"], depth + 1)

        return list(walk(self.outline, 0))

    def page_of(self, title: str) -> int:
        found = [it["page"] for _, it in self.flat_outline() if norm(it["title"]) == norm(title)]
        assert found, f"no bookmark {title!r}"
        return found[0]

    def structure(self):
        """The manifest's parts, chapters and post titles, and its data."""
        return manifest_structure(self.manuscript), yaml.safe_load(self.manuscript.read_text("utf-8"))


def back_matter_start(book: Book) -> int:
    """The page of the first back-matter title (the first top-level bookmark after the last part)."""
    last_part = max(i for i, it in enumerate(book.outline) if it["children"])
    return book.outline[last_part + 1]["page"]


def chapter_titles(book: Book) -> list[str]:
    structure, _ = book.structure()
    return [ch for _, chapters in structure for ch, _ in chapters]


def opener_pages(book: Book) -> dict[str, int]:
    """Chapter title -> first page after the TOC whose text holds it (its opener)."""
    toc = book.page_of("Table des matières")
    out = {}
    for title in chapter_titles(book):
        pages = [n for n in range(toc + 1, len(book.pages) + 1) if norm(title) in norm(book.texts[n - 1])]
        assert pages, title
        out[title] = pages[0]
    return out


# ---------------------------------------------------------------- tests

def test_pages_are_the_trim_size(book):
    sizes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in book.pages}
    assert sizes == {(432.0, 648.0)}  # 6 x 9 in


def test_manifest_trim_wins(book_trim):
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in book_trim.pages}
    assert sizes == {(round(140 * MM), round(205 * MM))}
    for title, page in opener_pages(book_trim).items():
        assert page % 2 == 1, f"{title} opens on page {page}"


def test_fonts_are_embedded_and_never_a_fallback(book):
    seen = set()
    for page in book.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            seen.add(name.split("+", 1)[-1])
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
            assert "dejavu" not in name.lower(), f"fallback font {name}"
    assert seen, "no fonts found"
    assert all(n.startswith(("Book-Serif", "MS101", "MS201")) for n in seen), seen
    assert any("Italic" in n for n in seen) and any("Bold" in n for n in seen), seen


def test_series_styles_differ_in_heading_faces(book101, book201):
    def names(book):
        return {str(ref.get_object()["/BaseFont"]).split("+", 1)[-1] for p in book.pages for ref in p["/Resources"].get("/Font", {}).values()}

    assert any(n.startswith("MS101-Display") for n in names(book101))
    assert any(n.startswith("MS201-Sans") for n in names(book201))
    assert not any(n.startswith("MS201") for n in names(book101))


def test_bookmarks_match_the_manifest(book):
    structure, data = book.structure()
    got_parts = [it for it in book.outline if norm(it["title"]) in {norm(p) for p, _ in structure}]
    assert [norm(p["title"]) for p in got_parts] == [norm(p) for p, _ in structure]
    for part, (_, chapters) in zip(got_parts, structure):
        assert [norm(c["title"]) for c in part["children"]] == [norm(c) for c, _ in chapters]
        for chap, (_, posts) in zip(part["children"], chapters):
            assert [norm(p["title"]) for p in chap["children"]] == [norm(p) for p in posts]
            assert chap["page"] % 2 == 1
            assert chap["children"][0]["page"] == chap["page"]
        assert part["page"] % 2 == 1
    # front and back matter at the top level, in order, around the parts
    top = [norm(it["title"]) for it in book.outline]
    assert top[0] == norm("Table des matières")
    assert top.index(norm(got_parts[0]["title"])) > top.index(norm("Note sur cette édition"))
    assert top[-2:] == [norm("À propos de l’auteure"), norm("Index")]  # the index closes the book
    pages = [it["page"] for _, it in book.flat_outline()]
    assert pages == sorted(pages)


def test_every_chapter_opens_on_a_recto(book):
    openers = opener_pages(book)
    assert len(openers) == 6
    for title, page in openers.items():
        assert page % 2 == 1, f"{title} opens on page {page}"
        assert page == book.page_of(title)


def test_no_running_head_on_openers_and_blank_pages(book):
    openers = set(opener_pages(book).values())
    parts = {it["page"] for it in book.outline if it["children"]}
    note = book.page_of("Note sur cette édition")
    front = set(range(1, note))
    blank = {n for n in range(1, len(book.pages) + 1) if not book.texts[n - 1].strip()}
    assert blank, "the sample has blank versos before its openers"
    for n in openers | parts | front | blank | {note}:
        assert book.head(n) == [], f"page {n} has a running head {book.head(n)}"
    for n in parts | blank | front:
        assert book.foot(n) == [], f"page {n} has a folio {book.foot(n)}"
    assert book.foot(note) == [str(note)]  # the Note the contents lists carries its folio (issue 25, item 6)
    # and the other body pages do have them: the test can fail
    body = [n for n in range(min(openers), back_matter_start(book)) if n not in openers | parts | blank]
    assert len(body) > 10
    book_title = yaml.safe_load(book.manuscript.read_text("utf-8"))["title"]
    structure, _ = book.structure()  # rectos carry a chapter's title or, in a chapter of several, a post's
    chapters = [norm(t) for t in chapter_titles(book)] + [
        norm(p) for _, chs in structure for _, posts in chs if len(posts) > 1 for p in posts
    ]
    for n in body:
        head = norm(" ".join(book.head(n)))
        if n % 2 == 0:
            assert head == norm(book_title), (n, head)
        else:
            assert head in chapters, (n, head)
        assert norm(" ".join(book.foot(n))) == str(n), (n, book.foot(n))


def test_running_head_of_a_recto_is_its_chapter(book):
    """The recto head: the chapter's title, or, in a chapter of several posts, the title of the
    post that starts last on or before that page (book-style §3.1, issue 12)."""
    structure, _ = book.structure()
    posts = {ch: titles for _, chapters in structure for ch, titles in chapters}
    openers = sorted((page, title) for title, page in opener_pages(book).items())
    for (start, title), (end, _) in zip(openers, openers[1:] + [(back_matter_start(book), None)]):
        several = len(posts[title]) > 1
        post_pages = [(book.page_of(t), t) for t in posts[title]] if several else []
        for n in range(start + 1, end):
            if n % 2 == 1 and book.head(n):
                expected = [t for p, t in post_pages if p <= n][-1] if several else title
                assert norm(" ".join(book.head(n))) == norm(expected), (n, expected)


def toc_entries(book: Book) -> list[tuple[str, int]]:
    start = book.page_of("Table des matières")
    end = book.page_of("Note sur cette édition")
    text = "\n".join(book.texts[start - 1:end - 1])
    entries, pending = [], ""
    for line in text.splitlines()[1:]:
        line = line.strip()
        m = re.match(r"^(.*?)[\s.]*?\s(\d+)$", line)
        if m and re.search(r"\s\.(?:\s*\.)*\s*\d+$", line):  # a leader (one dot when the entry runs long)
            title = re.sub(r"(\s*\.)+\s*$", "", (pending + " " + m[1]).strip())
            entries.append((title, int(m[2])))
            pending = ""
        elif line:
            pending = (pending + " " + line).strip()
    return entries


def test_toc_numbers_are_the_real_pages(book):
    entries = toc_entries(book)
    expected = [it for _, it in book.flat_outline() if norm(it["title"]) != norm("Table des matières")]
    assert len(entries) == len(expected), (entries, [e["title"] for e in expected])
    for (title, number), item in zip(entries, expected):
        assert norm(title) == norm(item["title"]), (title, item["title"])
        assert number == item["page"], f"TOC says {title!r} is on p. {number}, it is on p. {item['page']}"
        # and the folio printed on that page says the same
        is_part = item in book.outline and bool(item["children"])  # part openers show no folio
        if item["page"] > book.page_of("Note sur cette édition") and not is_part:
            assert str(number) in book.foot(number), (title, book.foot(number))


def test_front_matter_order(book201):
    b = book201
    first = [norm(t) for t in b.texts[:4]]
    assert norm("Médisance, influence et pâté chinois") in first[0]
    assert first[1].startswith(norm("De la même auteure"))  # the manuscript's also_by: the verso facing the title page
    assert norm("Michelle Blanc") in first[2] and norm("billets choisis") in first[2]
    assert "dépôt légal" in first[3] and "bibliothèque et archives nationales du québec" in first[3]
    dedication = next(n for n, t in enumerate(b.texts, 1) if norm("À celles et ceux qui commentent") in norm(t))
    assert dedication % 2 == 1 and dedication < b.page_of("Table des matières")
    assert "dédicace" not in norm(b.texts[dedication - 1])  # its heading is hidden
    assert b.page_of("Table des matières") % 2 == 1
    assert b.page_of("Note sur cette édition") % 2 == 1
    titles = [norm(t) for t, _ in toc_entries(b)]
    assert norm("Dédicace") not in titles
    assert titles[-4:] == [norm("Remerciements"), norm("Lexique"), norm("À propos de l’auteure"), norm("Index")]
    assert b.page_of("Remerciements") % 2 == 1


def test_notes_are_at_the_foot_and_numbered_per_chapter(book201):
    b = book201
    openers = opener_pages(b)
    for title in chapter_titles(b)[:2]:
        start = openers[title]
        notes = [(n, y) for n in range(start, start + 4) for x, y, t in b.lines[n - 1] if t.startswith("Note d’essai")]
        assert len(notes) == 1, f"{title}: {notes}"
        n, y = notes[0]
        assert y < b.height(n) / 4, "the note is not at the foot of the page"
        markers = [t for x, yy, t in b.lines[n - 1] if abs(yy - y) < 1 and t != notes[0] and re.fullmatch(r"\d+\.", t)]
        assert markers == ["1."], f"{title}: the note is numbered {markers}"


def test_titles_keep_with_their_text(book):
    """A post's title, and the start of its first paragraph, are on the same page."""
    from blog2book import pipeline, tree
    from blog2book.diagnostics import Reporter
    from blog2book.render.shared.paragraphs import number_paragraphs

    _, model, _ = pipeline.prepare(book.manuscript, Reporter(), pipeline.Phases(None))
    checked = 0
    for post in model.posts():
        first = []
        number_paragraphs(post, extra=lambda p, n, inl: first.append(tree.stringify(inl)) or [])
        words = norm(first[0]).split()[:3]
        page = book.page_of(post.title)
        text = norm(book.texts[page - 1])
        assert " ".join(words) in text, (post.slug, page, words)
        checked += 1
    assert checked == 10


def test_pdf_metadata(book):
    meta = book.reader.metadata
    _, data = book.structure()
    assert meta.title == data["title"]
    assert meta.author == data["author"]
    assert str(book.reader.trailer["/Root"]["/Lang"]) == data["lang"]
