"""The whole-book cache (``OUTPUT_DIR/.cache/book``): a rebuild or a check with nothing changed reads
the prepared book, the EPUB and the Markdown edition back; any change to what they are made from
(a post, a style file, the manuscript, the options, blog2book's version) makes them again; a
damaged cache costs time, never a crash."""

import shutil
import zipfile

import pytest

import blog2book
from blog2book import transform
from blog2book.render.epub import backend as epub_mod
from blog2book.render.markdown import backend as md_mod
from conftest import REPO, epubcheck_messages, java_available, run_cli

pytestmark = pytest.mark.slow
TINY = REPO / "tests" / "roots" / "tiny"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    return root


def build(project, *extra):
    result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "epub", "-f", "md", "-o", project / "build", *extra)
    assert result.exit_code == 0, result.output
    out = project / "build"
    return (out / "tiny.epub").read_bytes(), (out / "tiny.md").read_text("utf-8")


def epub_text(data: bytes) -> str:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xhtml"))


def forbid_rendering(monkeypatch):
    """Any transform or rendering from here on fails the test: the cache must answer."""

    def fail(*_a, **_k):
        raise AssertionError("rendered again although nothing changed")

    monkeypatch.setattr(transform, "transform_post", fail)
    monkeypatch.setattr(epub_mod.EpubBackend, "render", fail)
    monkeypatch.setattr(md_mod.MarkdownBackend, "render", fail)


def test_no_change_gives_the_same_bytes_without_rendering(project, monkeypatch):
    epub1, md1 = build(project)
    with monkeypatch.context() as m:
        forbid_rendering(m)
        epub2, md2 = build(project)
        check = run_cli("check", project / "manuscripts" / "tiny.yml", "-o", project / "build")
    assert (epub2, md2) == (epub1, md1)
    assert check.exit_code == 0, check.output
    assert "2 post(s)" in check.output
    assert "typo.ordinal" in check.output  # the warnings of the first build are given again
    if java_available():
        valid, messages = epubcheck_messages(project / "build" / "tiny.epub")
        assert valid and messages == [], messages


def test_an_edited_post_shows_up_after_a_cached_build(project):
    build(project)
    post = project / "posts" / "premier-billet.md"
    post.write_text(post.read_text("utf-8") + "\nUn paragraphe ajouté : zorglub.\n", "utf-8")
    epub, md = build(project)
    assert "zorglub" in md
    assert "zorglub" in epub_text(epub)


def test_a_post_outside_the_book_changes_nothing_but_is_still_read(project):
    build(project)
    other = project / "posts" / "billet-hors-livre.md"
    other.write_text("---\ntitle: [cassé\n---\n", "utf-8")  # broken YAML: a warning, the post is not in the book
    result = run_cli("check", project / "manuscripts" / "tiny.yml", "-o", project / "build")
    assert result.exit_code == 0, result.output
    assert "billet-hors-livre.md" in result.output


def test_a_broken_post_is_reported_by_check_after_a_cached_build(project):
    build(project)
    post = project / "posts" / "premier-billet.md"
    post.write_text("---\ntitle: [cassé\n---\nTexte.\n", "utf-8")
    result = run_cli("check", project / "manuscripts" / "tiny.yml", "-o", project / "build")
    assert result.exit_code == 1
    assert "premier-billet.md" in result.output


def test_manuscript_settings_style_files_and_version_invalidate(project, monkeypatch):
    build(project)
    manuscript = project / "manuscripts" / "tiny.yml"
    manuscript.write_text(manuscript.read_text("utf-8").replace("Un petit livre", "Un autre titre"), "utf-8")
    epub, md = build(project)
    assert "Un autre titre" in md and "Un autre titre" in epub_text(epub)

    style = project / "styles" / "mine"  # a style of the project, then one of its files edited
    shutil.copytree(REPO / "styles" / "medias-sociaux-101", style)
    shutil.copytree(REPO / "styles" / "base", project / "styles" / "base")
    manuscript.write_text(manuscript.read_text("utf-8") + "style: ../styles/mine\n", "utf-8")
    epub1, _ = build(project)
    css = style / "epub.css"
    assert css.is_file()
    css.write_text(css.read_text("utf-8") + "\n/* zorglub */\n", "utf-8")
    epub2, _ = build(project)
    assert epub2 != epub1
    assert any("zorglub" in zipfile.ZipFile(project / "build" / "tiny.epub").read(n).decode("utf-8", "replace") for n in zipfile.ZipFile(project / "build" / "tiny.epub").namelist() if n.endswith(".css"))

    calls = []
    real = epub_mod.EpubBackend.render
    monkeypatch.setattr(epub_mod.EpubBackend, "render", lambda self, book, ctx: calls.append(1) or real(self, book, ctx))
    monkeypatch.setattr(blog2book, "__version__", blog2book.__version__ + ".test")
    build(project)
    assert calls == [1]  # another version of blog2book: packaged again


def test_the_drafts_option_is_part_of_the_key(project):
    post = project / "posts" / "premier-billet.md"
    text = post.read_text("utf-8")
    post.write_text(text.replace("---\n", "---\ndraft: true\n", 1), "utf-8")
    _, without = build(project)
    _, with_drafts = build(project, "--drafts")
    assert with_drafts != without


def test_a_damaged_cache_is_ignored(project):
    build(project)
    post = project / "posts" / "deuxieme-billet.md"
    post.write_text(post.read_text("utf-8") + "\nUn ajout.\n", "utf-8")
    epub1, md1 = build(project)  # a build into an existing cache also keeps the posts' texts and all posts in one file
    cache = project / "build" / ".cache"
    folder = cache / "book"
    records = sorted(folder.iterdir()) + [cache / "sources.pickle", cache / "posts" / "all.pickle"]
    assert {p.name for p in records} >= {"tiny.pickle", "tiny.epub.pickle", "tiny.md.pickle", "sources.pickle", "all.pickle"}
    for path in records:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert build(project) == (epub1, md1)
    for path in records:
        path.write_bytes(b"not a pickle at all")
    assert build(project) == (epub1, md1)


def test_posts_read_through_the_cache_are_the_posts_on_disk(project, tmp_path):
    from blog2book.sources import read_posts

    cache = tmp_path / "cache"
    cache.mkdir()  # a build creates it; reading posts never does (a failed build writes nothing)
    posts = project / "posts"
    plain = read_posts(posts, project)
    assert read_posts(posts, project, cache) == plain  # first read: parsed, then kept
    assert (cache / "sources.pickle").is_file()
    assert read_posts(posts, project, cache) == plain  # second read: from the cache
    post = posts / "premier-billet.md"
    post.write_text(post.read_text("utf-8").replace("title: Premier billet", "title: Titre changé"), "utf-8")
    again, _, _ = read_posts(posts, project, cache)
    assert again["premier-billet"].title == "Titre changé"
    (cache / "sources.pickle").write_bytes(b"\x80\x05garbage")
    assert read_posts(posts, project, cache)[0]["premier-billet"].title == "Titre changé"


def test_an_image_replaced_under_the_same_name_is_packaged_again(project):
    import io

    from PIL import Image

    epub1, _ = build(project)
    image = project / "posts" / "images" / "schema.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    image.write_bytes(buffer.getvalue())
    epub2, _ = build(project)
    with zipfile.ZipFile(io.BytesIO(epub2)) as z:
        packaged = [z.read(n) for n in z.namelist() if n.endswith(".png") and "images/" in n]
    assert buffer.getvalue() in packaged
    assert epub2 != epub1


def test_another_build_folder_in_the_project_does_not_change_the_key(project):
    from blog2book import bookcache
    from blog2book.manifest import load_manifest
    from blog2book.styles import find_style

    build(project)
    spec = load_manifest(project / "manuscripts" / "tiny.yml")
    style = find_style(spec.style, spec.path)
    cache = project / "build" / ".cache"
    key = bookcache.book_key(spec, style, project / "build", False, cache)
    other = project / "elsewhere" / ".cache" / "book"  # what `-o elsewhere` leaves in the project
    other.mkdir(parents=True)
    (other / "tiny.pickle").write_bytes(b"another build's record")
    assert bookcache.book_key(spec, style, project / "build", False, cache) == key
    (project / "posts" / "notes.txt").write_text("a file of the author's", "utf-8")
    assert bookcache.book_key(spec, style, project / "build", False, cache) != key


def test_the_pdf_is_kept_whole_and_made_again_after_an_edit(project, monkeypatch):
    """The PDF too: with nothing changed, the same bytes and its page list for the EPUB, without
    laying anything out; an edited post makes it again."""
    from blog2book.render.pdf import backend as pdf_mod

    def both():
        result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "pdf", "-f", "epub", "-o", project / "build")
        assert result.exit_code == 0, result.output
        return result.output, (project / "build" / "tiny.pdf").read_bytes(), epub_text((project / "build" / "tiny.epub").read_bytes())

    _, pdf1, epub1 = both()
    with monkeypatch.context() as m:
        forbid_rendering(m)
        m.setattr(pdf_mod.PdfBackend, "render", lambda *_a: (_ for _ in ()).throw(AssertionError("laid out again")))
        output, pdf2, epub2 = both()
    assert pdf2 == pdf1 and epub2 == epub1
    assert "nothing laid out" in output
    assert 'epub:type="pagebreak"' in epub2  # the print page list, from the cached PDF's page map
    post = project / "posts" / "premier-billet.md"
    post.write_text(post.read_text("utf-8") + "\n\nUn paragraphe de plus.\n", "utf-8")
    output, pdf3, _ = both()
    assert pdf3 != pdf1 and "nothing laid out" not in output
