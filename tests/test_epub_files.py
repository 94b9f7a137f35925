"""The EPUB's XHTML files made one at a time in forked workers (render/epubfiles.py): the same
EPUB as when they are made in one process; images renamed without rebuilding the rest of a tree;
pandoc's runtime options dropped when a pandoc refuses them."""

import shutil
import zipfile

import pytest

from conftest import REPO, epubcheck_messages, java_available, run_cli

from blog2book import pandoc, tree
from blog2book.render.shared import xhtml as epubfiles

TINY = REPO / "tests" / "roots" / "tiny"


def build(tmp_path, name: str, *args: str):
    project = tmp_path / name
    shutil.copytree(TINY, project)
    result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "epub", "-o", project / "build", "-q", *args)
    assert result.exit_code == 0, result.output
    return project / "build" / "tiny.epub"


def entries(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.slow
def test_files_made_in_worker_processes_are_those_made_in_one(tmp_path, monkeypatch):
    here = entries(build(tmp_path, "here", "-j", "1"))
    pools = []

    real = epubfiles.forked_map

    def counted(work, items, state, jobs, *args):
        pools.append(jobs)
        return real(work, items, state, jobs, *args)

    monkeypatch.setattr(epubfiles, "forked_map", counted)
    monkeypatch.setattr(epubfiles, "IN_PROCESSES_FROM", 1)  # the tiny book's few files go to the workers too
    path = build(tmp_path, "forked", "-j", "2")
    assert pools == [2]
    forked = entries(path)
    assert forked == here  # byte for byte, file by file
    images = [n for n in forked if n.startswith("EPUB/images/") and "cover" not in n]
    assert images, "the tiny book's images are packaged"
    chapters = b"".join(data for n, data in forked.items() if n.endswith(".xhtml"))
    for name in images:
        assert name.removeprefix("EPUB/").encode() in chapters
    if java_available():
        valid, messages = epubcheck_messages(path)
        assert valid and not messages, messages


def test_images_are_renamed_and_nothing_else_is_rebuilt(tmp_path):
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    webp = tmp_path / "photo.webp"
    webp.write_bytes(b"RIFF0000WEBP")
    plain = tree.Para([tree.Str("Aucune"), tree.Space(), tree.Str("image.")])
    pictured = tree.Para([tree.Str("Voici"), {"t": "Image", "c": [["", [], []], [tree.Str("Une photo")], [str(png), ""]]}])
    unshown = tree.Para([{"t": "Image", "c": [["", [], []], [tree.Str("Format rare")], [str(webp), ""]]}])
    blocks = [plain, pictured, unshown]
    out, images = epubfiles.package_images(blocks)
    assert out[0] is plain  # a block without an image is kept as it is, the same object
    (name,) = images
    assert name.startswith("images/") and name.endswith(".png") and images[name] == png
    assert out[1]["c"][1]["c"][2] == [name, ""]
    assert out[2]["c"][0] == tree.Span("", ["image-missing"], [tree.Str("Format rare")])
    assert blocks[1]["c"][1]["c"][2][0] == str(png)  # the book's tree is not changed


def test_pandoc_runtime_options_are_dropped_when_refused(monkeypatch):
    from blog2book import html5

    monkeypatch.setattr(html5, "write", lambda blocks: None)  # what pandoc is left to write
    blocks = [tree.Para([tree.Str("Bonjour"), tree.Space(), tree.Str("monde")])]
    pandoc.runtime_options.cache_clear()
    try:
        assert pandoc.runtime_options() == tuple(pandoc.RTS)  # this machine's pandoc takes them
        with_options = html5.fragment(blocks)
        pandoc.runtime_options.cache_clear()
        monkeypatch.setattr(pandoc, "RTS", ["+RTS", "-Zno-such-option", "-RTS"])
        assert pandoc.runtime_options() == ()
        assert html5.fragment(blocks) == with_options == "<p>Bonjour monde</p>\n"
    finally:
        pandoc.runtime_options.cache_clear()


def test_files_are_made_before_the_print_pages_are_known(tmp_path, monkeypatch):
    """The files are made without the print pages: the same fragments whatever the PDF, each with
    the ids it holds, in order. Written here (``html5.write``), they are pandoc's own bytes; those
    pandoc is left to write are kept in the build cache."""
    from blog2book import html5, pipeline
    from blog2book.diagnostics import Reporter

    project = tmp_path / "tiny"
    shutil.copytree(TINY, project)
    _, book, _ = pipeline.prepare(project / "manuscripts" / "tiny.yml", Reporter(), pipeline.Phases(None))
    plans = epubfiles.plan(book)
    assert {p.kind for p in plans} >= {"chapter"}
    assert any("nohyph" in str(epubfiles.blocks_of(p, book.meta.lang)) for p in plans)  # words were protected
    folder = tmp_path / "xhtml"
    written = epubfiles.make_all(plans, book.meta.lang, folder, jobs=1)
    assert [w.ids for w in written] == [tuple(tree.ids(epubfiles.blocks_of(p, book.meta.lang))) for p in plans]
    assert all(f'id="{w.ids[0]}"' in w.fragment for w in written if w.ids)
    assert not folder.exists()  # nothing to keep: written again faster than read back
    monkeypatch.setattr(html5, "write", lambda blocks: None)
    by_pandoc = epubfiles.make_all(plans, book.meta.lang, folder, jobs=1)
    assert by_pandoc == written
    kept = sorted(folder.iterdir())
    assert len(kept) == len(plans)
    again = epubfiles.make_all(plans, book.meta.lang, folder, jobs=1)  # read back from the cache
    assert again == written and sorted(folder.iterdir()) == kept
