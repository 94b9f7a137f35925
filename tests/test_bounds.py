"""Issue 24, items 14–17, through the CLI: the project's boundary (--allow-outside), messages at the
right line (hidden javascript: links, event handlers, an unclosed <script>, images of matter files),
no book set in a machine font, 'error:' labels, the YAML hint that follows its cause. posts/ and
manuscripts/ are byte-identical after every case."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import PDFS, REPO, run_cli

TINY = REPO / "tests" / "roots" / "tiny"
SECRET = "SECRET-9d41b"


@pytest.fixture
def project(tmp_path):
    """The tiny book in tmp_path/book; tmp_path holds a file above it that must never get in."""
    shutil.copytree(TINY, tmp_path / "book")
    (tmp_path / "preface.md").write_text(f"---\ntitle: Préface\n---\n\n{SECRET}\n", "utf-8")
    return tmp_path / "book"


def tree_digest(project: Path) -> dict[str, str]:
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("posts", "manuscripts") for p in sorted((project / folder).rglob("*")) if p.is_file()}


def run(project: Path, *args):
    """The CLI in the project folder; posts/ and manuscripts/ are left as they were."""
    before = tree_digest(project)
    result = run_cli(*args, cwd=project)
    assert tree_digest(project) == before, "a run changed posts/ or manuscripts/"
    assert "Traceback" not in result.output and "unexpected failure" not in result.output
    return result


def manuscript(project: Path, extra: str = "", posts: str = "premier-billet") -> str:
    path = project / "manuscripts" / "tiny.yml"
    text = (TINY / "manuscripts" / "tiny.yml").read_text("utf-8").replace("posts: [premier-billet]", f"posts: [{posts}]")
    path.write_text(text + extra, "utf-8")
    return "manuscripts/tiny.yml"


def post(project: Path, name: str, text: str) -> None:
    (project / "posts" / name).write_text(text, "utf-8")


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.endswith("]") and ": warning: " not in line and ": info: " not in line]


# ---------------------------------------------------------------- 16: the project's boundary

def test_16_posts_above_the_project_do_not_widen_it(project):
    m = manuscript(project, "posts: ../../\nfront: {preface: ../../preface.md}\n")
    result = run(project, "check", m)
    assert result.exit_code == 1, result.output
    assert "manuscripts/tiny.yml:12:8: error: posts: '../../' is outside the project folder" in result.stderr
    assert "manuscripts/tiny.yml:13:18: error: front.preface: '../../preface.md' is outside the project folder" in result.stderr
    assert "[manifest.outside-project]" in result.stderr and "--allow-outside" in result.stderr
    assert SECRET not in result.output
    assert all(": error: " in line for line in error_lines(result.stderr))


def test_16_allow_outside_reads_a_shared_posts_folder(project, tmp_path):
    shared = tmp_path / "partage"
    shutil.copytree(TINY / "posts", shared / "posts")
    (shared / "posts" / "premier-billet.md").write_text(
        (TINY / "posts" / "premier-billet.md").read_text("utf-8") + "\nTexte du dossier partagé.\n", "utf-8")
    shutil.rmtree(project / "posts")
    (project / "posts").mkdir()
    m = manuscript(project, "posts: ../../partage/posts\n")
    refused = run(project, "check", m)
    assert refused.exit_code == 1
    assert "manuscripts/tiny.yml:12:8: error: posts: '../../partage/posts' is outside the project folder" in refused.stderr
    # the images the shared posts name come from the shared folder too
    built = run(project, "build", m, "-f", "md", "-o", tmp_path / "out", "--allow-outside", shared)
    assert built.exit_code == 0, built.output
    assert "Texte du dossier partagé." in (tmp_path / "out" / "tiny.md").read_text("utf-8")
    listed = run(project, "posts", "--allow-outside", shared, "--posts-dir", shared / "posts")
    assert listed.exit_code == 0 and "has errors" not in listed.stderr
    # allowing one folder does not allow its neighbours
    m = manuscript(project, "posts: ../../partage/posts\nfront: {preface: ../../preface.md}\n")
    other = run(project, "check", m, "--allow-outside", shared)
    assert other.exit_code == 1 and "front.preface: '../../preface.md' is outside the project folder" in other.stderr
    assert SECRET not in other.output


def test_16_a_posts_link_leading_outside_is_refused(project, tmp_path):
    shutil.move(project / "posts", tmp_path / "ailleurs")
    (project / "posts").symlink_to(tmp_path / "ailleurs")
    result = run_cli("check", manuscript(project), cwd=project)
    assert result.exit_code == 1
    assert "manuscripts/tiny.yml:1:1: error: the posts folder '../posts' is outside the project folder" in result.stderr
    ok = run_cli("check", manuscript(project), "--allow-outside", tmp_path / "ailleurs", cwd=project)
    assert ok.exit_code == 0, ok.output


# ---------------------------------------------------------------- 14: messages at the right line

HOSTILE = """---
title: Hostile
---

<div class="intro">Une division sans danger.</div>

Un paragraphe.

<div onclick="alert(1)">Texte cliquable.</div>

Un lien [piégé](&#106;avascript:alert(3)) en Markdown.

Deux liens <a href="javascript:void(0)">a</a> et <a href="javascript:void(0)">b</a>.

Un <a href="&#106;avascript:alert(1)">lien masqué</a>.

Un autre <a href="&#x6A;avascript&#58;alert(2)">lien</a>.

Du texte avant.

<script>
Ligne gardée 1.

Ligne gardée 2.

Ligne gardée 3.
"""


def test_14_hostile_html_is_reported_at_its_lines(project, tmp_path):
    post(project, "hostile.md", HOSTILE)
    m = manuscript(project, posts="premier-billet, hostile")
    result = run(project, "build", m, "-f", "md", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "posts/hostile.md:9: warning: removed the event-handler attribute onclick of a div" in err
    assert "posts/hostile.md:11: warning: link to 'javascript:alert(3)' removed" in err
    assert err.count("posts/hostile.md:13: warning: removed <a> pointing to 'javascript:void(0)'") == 2
    assert "posts/hostile.md:15: warning: removed <a> pointing to 'javascript:alert(1)'" in err
    assert "posts/hostile.md:17: warning: removed <a> pointing to 'javascript:alert(2)'" in err
    assert "posts/hostile.md:21: warning: <script> is never closed: the text after it is kept" in err and "[html.unclosed]" in err
    text = (tmp_path / "out" / "tiny.md").read_text("utf-8")
    assert all(f"Ligne gardée {i}." in text for i in (1, 2, 3))
    assert "javascript" not in text.lower() and "onclick" not in text


def test_14_a_script_that_swallows_paragraphs_says_so(project, tmp_path):
    post(project, "avale.md", "---\ntitle: Avalé\n---\n\nAvant.\n\n<div><script>\n<p>Un paragraphe perdu.</p>\n<p>Un autre.</p>\n<script>var x = 1;</script></div>\n\nAprès.\n")
    result = run(project, "check", manuscript(project, posts="premier-billet, avale"))
    assert result.exit_code == 0, result.output
    assert "posts/avale.md:7: warning: removed <script> and its content: 3 line(s) that hold the post's text (<p>…); is its end tag missing above them?" in result.stderr


@pytest.mark.slow
def test_14_images_of_matter_files_are_checked_and_located(project, tmp_path):
    """An image in the copyright page reached the PDF engine unchecked (blamed on the style); one
    in an HTML comment is never fetched nor reported."""
    (project / "manuscripts" / "droits.md").write_text("Tous droits réservés.\n\n<!-- ![](commentaire.png) -->\n\n![Logo](absent.png)\n\n<img src=\"brut.png\">\n", "utf-8")
    (project / "manuscripts" / "aussi.md").write_text("Texte <!-- <img src=\"cache.png\"> --> fin.\n\n<script>alert(1)</script>\n", "utf-8")
    m = manuscript(project, "copyright: droits.md\nalso_by: aussi.md\n")
    result = run(project, "build", m, "-f", "pdf", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "manuscripts/droits.md:5: error: image 'absent.png' not found" in result.stderr
    assert "manuscripts/droits.md:7: error: image 'brut.png' not found" in result.stderr
    assert "manuscripts/aussi.md:3: warning: removed <script> and its content" in result.stderr
    assert "commentaire.png" not in result.stderr and "cache.png" not in result.stderr
    assert "pdf.fetch-refused" not in result.stderr and "the style asked" not in result.stderr
    (project / "manuscripts" / "droits.md").write_text("Tous droits réservés.\n\n<!-- ![](commentaire.png) -->\n", "utf-8")
    ok = run(project, "build", m, "-f", "pdf", "-o", tmp_path / "out")
    assert ok.exit_code == 0, ok.output
    assert "fetch-refused" not in ok.stderr


# ---------------------------------------------------------------- 15, 17: no machine font, named

@pytest.mark.slow
def test_15_a_character_or_an_svg_text_in_a_machine_font_fails_named_and_located(project, tmp_path):
    post(project, "glyphes.md", "---\ntitle: Glyphes\n---\n\nUn paragraphe.\n\nUne intégrale \u2230 ici.\n\n![Schéma](images/t.svg)\n")
    (project / "posts" / "images" / "t.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">\n'
        '<text x="5" y="30" font-family="DejaVu Sans" font-size="20">Salut</text></svg>\n', "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "tiny.pdf").write_bytes(b"previous")
    result = run(project, "build", manuscript(project, posts="premier-billet, glyphes"), "-f", "pdf", "-o", out)
    assert result.exit_code == 1, result.output
    assert "posts/glyphes.md:7: error: tiny.pdf: U+2230 VOLUME INTEGRAL is not in the book's faces: it was set in" in result.stderr
    assert "posts/images/t.svg:2: error: tiny.pdf: the PDF engine set text in fonts the style does not declare: " in result.stderr and "a font of this machine, set its characters 'Saltu'" in result.stderr
    assert "[pdf.machine-font]" in result.stderr and "warning: tiny.pdf" not in result.stderr
    assert (out / "tiny.pdf").read_bytes() == b"previous"


@pytest.mark.slow
def test_15_on_a_machine_without_fonts_a_character_no_face_has_is_named_not_printed_as_a_box_without_a_word(project, tmp_path):
    """No font on the machine (a fontconfig that lists none, in a process of its own): WeasyPrint
    draws the book's face's empty box (glyph 0) where a character none of its faces has stands (an
    emoji: real blogs have them), and says nothing but a warning of its own as it is imported. The
    read-back names each character at its post's line, a warning (the book is the same on every
    machine without such a font; --strict makes it fail, as any warning)."""
    import os
    import subprocess
    import sys

    post(project, "glyphes.md", "---\ntitle: Glyphes\n---\n\nUn paragraphe.\n\nUn sourire \U0001F600 et un œil \U0001F9FF ici.\n")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>\n', "utf-8")
    out = tmp_path / "out"
    m = manuscript(project, posts="premier-billet, glyphes")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}

    done = subprocess.run([sys.executable, "-m", "blog2book", "build", m, "-f", "pdf", "-o", str(out)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "posts/glyphes.md:7: warning: tiny.pdf: U+1F600 GRINNING FACE is in no face of the style, nor in any font of this machine: it prints as an empty box" in done.stderr
    assert "posts/glyphes.md:7: warning: tiny.pdf: U+1F9FF NAZAR AMULET is in no face" in done.stderr and "[pdf.missing-glyph]" in done.stderr
    assert "No fonts configured" not in done.stderr and "Traceback" not in done.stderr
    PDFS.written([out / "tiny.pdf"])  # checked by gs, qpdf and pdfium as an in-process build's are


# ---------------------------------------------------------------- 17: the YAML hint follows its cause

@pytest.mark.parametrize("front, hint, line", [
    ("title: Twitter: le bilan\n", "a value with ':' in it needs quotes", 2),
    ("title: Tabulé\n\tdate: 2010-01-01\n", "indent with spaces: YAML does not allow tabs", 3),
    ('title: "Jamais fermé\n', "a quote or a bracket opened here is never closed", 2),
])
def test_17_the_yaml_hint_names_the_cause(project, front, hint, line):
    post(project, "casse.md", f"---\n{front}---\n\nTexte.\n")
    result = run(project, "check", manuscript(project, posts="premier-billet, casse"))
    assert result.exit_code == 1
    found = [x for x in result.stderr.splitlines() if "posts/casse.md" in x]
    assert len(found) == 1 and found[0].startswith(f"posts/casse.md:{line}:") and ": error: invalid YAML in the front matter" in found[0], found
    assert hint in found[0]
    assert ("needs quotes" in found[0]) == ("':'" in hint)
