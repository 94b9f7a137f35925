"""The editors' proof (``--profile review``), and ``--compare`` against an earlier build's md output.

The scenario: version 1 of a manuscript is built to md; then one post is edited (its first
paragraph), one post is added and one removed, and the proof of version 2 is built with
``--compare v1.md``. Exactly the edited paragraph and the new post's paragraphs must be marked, and
the first page must list the added and the removed post.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from blog2book import lang, pipeline, tree
from blog2book.cli import main
from blog2book.diagnostics import Reporter
from blog2book.render import RenderContext
from blog2book.render.markdown import MarkdownBackend
from blog2book.render.paragraphs import number_paragraphs
from blog2book.render.review import changed_wrapper, compare, paragraph_text, read_previous

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "medias-sociaux.yml"
MM = 72 / 25.4
EDITED = "pourquoi-industrie-medias-sociaux-probleme-credibilite"
ADDED = "twitter-et-medias-sociaux-dans-un-contexte-politique"
REMOVED = "billet-retire"
WORDS = lang.strings("fr-CA")


def run(*args) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


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


def book_of(manuscript: Path):
    spec, book, sources = pipeline.prepare(manuscript, Reporter(), pipeline.Phases(None))
    return book, sources


# ---------------------------------------------------------------- reading the proof


class Proof:
    def __init__(self, path: Path):
        self.reader = PdfReader(str(path))
        self.texts = [p.extract_text() or "" for p in self.reader.pages]
        self.runs = []
        for page in self.reader.pages:
            runs = []

            def visit(text, cm, tm, font, size, runs=runs):
                if text.strip():
                    runs.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

            page.extract_text(visitor_text=visit)
            runs.sort(key=lambda r: -r[1])
            self.runs.append(runs)

    def labels(self):
        """Every paragraph label in reading order: (page, x, number, marked as changed)."""
        out = []
        for n, runs in enumerate(self.runs, start=1):
            for x, y, text in runs:
                m = re.fullmatch(r"§\s*(\d+)", text)
                if m:
                    marked = any(t == WORDS["changed"] and abs(xx - x) < 2 and 0 < y - yy < 12 for xx, yy, t in runs)
                    out.append((n, x, int(m[1]), marked))
        return out

    def per_page(self):
        """page -> [(paragraph number, marked)] in reading order."""
        pages: dict[int, list] = {}
        for page, x, number, marked in self.labels():
            pages.setdefault(page, []).append((number, marked))
        return pages


@pytest.fixture(scope="module")
def plain_proof(tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    run("build", SAMPLE, "--profile", "review", "-o", out)
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["medias-sociaux-review.pdf"]
    return Proof(out / "medias-sociaux-review.pdf")


@pytest.fixture(scope="module")
def compared_proof(versions, tmp_path_factory):
    v1, v2, md = versions
    out = tmp_path_factory.mktemp("compared")
    run("build", v2, "--profile", "review", "--compare", md, "-f", "pdf", "-o", out)
    return Proof(out / "v2-review.pdf")


# ---------------------------------------------------------------- the proof


@pytest.mark.slow
def test_every_page_says_proof_and_date(plain_proof):
    date = lang.format_date(dt.date.today(), "fr-CA")
    for n, text in enumerate(plain_proof.texts, start=1):
        assert WORDS["proof"] in text, f"page {n}"
        assert date in text, f"page {n}"


@pytest.mark.slow
def test_proof_fonts_are_embedded_and_never_a_fallback(plain_proof, compared_proof):
    for proof in (plain_proof, compared_proof):
        for page in proof.reader.pages:
            for ref in page["/Resources"].get("/Font", {}).values():
                font = ref.get_object()
                name = str(font["/BaseFont"])
                assert "dejavu" not in name.lower(), name
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor or "/FontFile" in descriptor, name


@pytest.mark.slow
def test_paragraphs_are_numbered_per_page_in_the_outer_margin(plain_proof):
    book, _ = book_of(SAMPLE)
    pages = plain_proof.per_page()
    total = sum(len(number_paragraphs_count(post)) for post in book.posts())
    assert sum(len(labels) for labels in pages.values()) == total  # every paragraph has its number
    for page, labels in pages.items():
        assert [n for n, _ in labels] == list(range(1, len(labels) + 1)), page  # « p. 42, § 3 »
        assert not any(marked for _, marked in labels)  # nothing to compare with
    width = float(plain_proof.reader.pages[0].mediabox.width)
    for page, x, number, _ in plain_proof.labels():
        if page % 2:  # recto: outer margin on the right, beyond the text block
            assert x > width - 34 * MM, (page, number, x)
        else:
            assert x < 34 * MM, (page, number, x)


def number_paragraphs_count(post):
    numbers = []
    number_paragraphs(post, extra=lambda p, n, inl: numbers.append(n) or [])
    return numbers


@pytest.mark.slow
def test_each_post_shows_its_source(plain_proof):
    book, sources = book_of(SAMPLE)
    # (the hyphen glyph of the face serves U+002D and U+2010; text extraction may give either)
    squeezed = re.sub(r"\s+", "", "".join(plain_proof.texts)).replace("\u2010", "-")
    for post in book.posts():
        url = post.url or sources[post.slug].url
        if url:
            assert url in squeezed, post.slug
        count = f"{post.word_count:,}".replace(",", "\u202f")
        assert re.sub(r"\s+", "", f"{count} {WORDS['words']}") in squeezed, (post.slug, post.word_count)
    label = re.sub(r"\s+", "", WORDS["source"] + WORDS["colon"]).casefold()
    assert squeezed.casefold().count(label) == len(book.posts())


@pytest.mark.slow
def test_compare_marks_exactly_the_edited_and_the_new(compared_proof, versions):
    v1, v2, md = versions
    book, _ = book_of(v2)
    added = next(p for p in book.posts() if p.slug == ADDED)
    marked = [(page, n) for page, labels in compared_proof.per_page().items() for n, m in labels if m]
    assert len(marked) == 1 + len(number_paragraphs_count(added)), marked
    texts = [re.sub(r"\s+", " ", t) for t in compared_proof.texts]
    edited_page = next(i for i, t in enumerate(texts, start=1) if "C’est grâce à un gazouillis de Michel Plante" in t)
    added_first = max(i for i, t in enumerate(texts, start=1) if added.title in t)  # after the summary and TOC
    assert len([page for page, _ in marked if page == edited_page]) == 1
    others = [page for page, _ in marked if page != edited_page]
    assert len(others) == len(number_paragraphs_count(added))
    assert all(added_first <= page <= added_first + 1 for page in others), (others, added_first)


@pytest.mark.slow
def test_compare_lists_added_and_removed_posts_first(compared_proof, versions):
    first = compared_proof.texts[0]
    assert WORDS["added_posts"] in first and WORDS["removed_posts"] in first
    added = first.index(WORDS["added_posts"])
    removed = first.index(WORDS["removed_posts"])
    assert added < first.index("Twitter et médias sociaux dans un contexte politique") < removed
    assert removed < first.index("Un billet retiré depuis")
    assert "Médisance" not in first.split(WORDS["added_posts"])[0]  # the book itself starts after


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


@pytest.mark.slow
def test_changed_paragraphs_are_wrapped_without_renumbering(versions):
    v1, v2, md = versions
    book, sources = book_of(v2)
    changes = compare(book, read_previous(md.read_text("utf-8")))
    for before in book.posts():
        texts = {}
        number_paragraphs(before, extra=lambda p, n, inl: texts.__setitem__(n, paragraph_text(inl)) or [])
        again = {}
        after = number_paragraphs(
            before, extra=lambda p, n, inl: again.__setitem__(n, paragraph_text(inl)) or [], wrap=changed_wrapper(changes, {})
        )
        assert again == texts, before.slug  # same paragraphs, same numbers
        wrapped = []
        tree.walk(after, lambda el: wrapped.append(el) if el["t"] == "Div" and "changed" in el["c"][0][1] else None)
        expected = changes.changed.get(before.slug, set())
        assert len(wrapped) <= len(expected)
        if before.slug == EDITED:
            assert len(wrapped) == 1 and "gazouillis" in tree.stringify(wrapped[0])
        if not expected:
            assert wrapped == []
