"""Footnotes written by hand on a blog become the book's notes (issue 22, item 8), through the CLI.

tests/roots/footnotes: three Markdown posts (``<sup><a href="#fnN">`` with an HTML list and a
« Notes » heading; ``[[N]](#fnN)`` with a Markdown list; the ``[efn_note]``, ``[ref]`` and
``[footnote]`` shortcodes) and a WordPress export (notes.wxr) with a footnotes block whose notes
are in the post's ``footnotes`` meta, and a post with a rendered list (``<p id="fn1">``, screen-reader
words, « Retour » back-link) and a reference whose note is missing.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from pypdf import PdfReader

from conftest import REPO, epubcheck_messages, java_available, run_cli

pytestmark = pytest.mark.slow
ROOT = REPO / "tests" / "roots" / "footnotes"
NOTES = ["Première note HTML.", "Deuxième note HTML.", "Note un en Markdown.", "Note deux en Markdown.",
         "Note efn.", "Note ref.", "Note footnote.", "La note du bloc,", "La note rendue."]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = tmp_path_factory.mktemp("notes") / "book"
    shutil.copytree(ROOT, project)
    imported = run_cli("import", project / "notes.wxr", "--into", project / "posts", cwd=project)
    assert imported.exit_code == 0, imported.output
    return project, imported


@pytest.fixture(scope="module")
def built(project):
    project, _ = project
    result = run_cli("build", project / "manuscripts" / "notes.yml", "-f", "pdf", "-f", "epub", "-f", "md", "-o", project / "build")
    assert result.exit_code == 0, result.output
    return project / "build", result


def test_import_writes_markdown_notes(project):
    project, result = project
    block = (project / "posts" / "notes-du-bloc.md").read_text("utf-8")
    assert "note[^1] du bloc" in block and "[^1]: La note du bloc, *en italique*." in block
    assert "wp:footnotes" not in block
    rendered = (project / "posts" / "notes-rendues.md").read_text("utf-8")
    assert "Texte[^1]" in rendered and "[^1]: La note rendue." in rendered
    assert "Retour" not in rendered and "Note de bas de page" not in rendered and "↩" not in rendered
    assert re.search(r"notes\.wxr:\d+: warning: footnote reference 9 has no note in this post.*\[footnote\.missing\]", result.output)


def test_markdown_edition_has_real_notes(built):
    out, _ = built
    text = (out / "notes.md").read_text("utf-8")
    for note in NOTES:
        assert re.search(r"^\[\^[\w-]+\]: " + re.escape(note), text, re.M), note
    assert "efn_note" not in text and "[ref]" not in text and "[/footnote]" not in text
    assert "\\[1\\]" not in text and "(#fn" not in text
    assert "`<sup><a href=\"#fn1\">1</a></sup>`" in text  # code stays code
    assert "une note[^" in text  # the space before « [[1]](#fn1) » went with it


def test_pdf_prints_each_note_once_without_back_links(built):
    out, result = built
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(out / "notes.pdf")).pages))
    for note in NOTES:
        assert text.count(note) == 1, note
    for gone in ("Retour", "↩", "Note de bas de page", "referrer", "efn_note", "[/ref]"):
        assert gone not in text, gone
    assert re.search(r"posts/notes-rendues\.md:\d+: warning: footnote reference 9 has no note", result.output)
    missing_anchors = [line for line in result.output.splitlines() if "xref.missing-anchor" in line]
    assert len(missing_anchors) == 1 and "'#fn9'" in missing_anchors[0]  # only the missing note's own link


def test_epub_has_real_notes_and_passes_epubcheck(built):
    out, _ = built
    with zipfile.ZipFile(out / "notes.epub") as z:
        xhtml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    refs = re.findall(r'role="doc-noteref"', xhtml)
    assert len(refs) >= len(NOTES)
    for note in NOTES:
        assert xhtml.count(note) == 1, note
    assert "Retour</a>" not in xhtml and "Note de bas de page" not in xhtml
    if java_available():
        valid, messages = epubcheck_messages(out / "notes.epub")
        assert valid and messages == []
