"""Bad input never crashes, never loses data; posts cannot reach outside the project."""

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_cli

TINY = REPO / "tests" / "roots" / "tiny"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(TINY, tmp_path / "book")
    return tmp_path / "book"


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def write_post(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "posts" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


BAD_POSTS = {
    "broken front matter": (
        "premier-billet.md",
        "---\ntitle: Premier billet\ndate: [2010\n---\n\nTexte.\n",
        "posts/premier-billet.md:3:7: error: invalid YAML in the front matter",
    ),
    "front matter not closed": (
        "premier-billet.md",
        "---\ntitle: Premier billet\n\nTexte.\n",
        "posts/premier-billet.md:1: error: the front matter block is not closed",
    ),
    "no title": (
        "premier-billet.md",
        "---\ndate: 2010-11-24\n---\n\nTexte.\n",
        "posts/premier-billet.md:1: error: the post has no title",
    ),
    "bad utf-8": (
        "premier-billet.md",
        b"---\ntitle: Premier billet\n---\n\nCaf\xe9 au lait.\n",
        "posts/premier-billet.md:5:4: error: the file is not valid UTF-8 (byte 0xe9)",
    ),
    "bad date": (
        "premier-billet.md",
        "---\ntitle: Premier billet\ndate: hier\n---\n\nTexte.\n",
        "posts/premier-billet.md:3: error: 'hier' is not a date",
    ),
    "missing image": (
        "premier-billet.md",
        "---\ntitle: Premier billet\n---\n\nUn paragraphe.\n\n![Une photo](images/absente.png)\n",
        "posts/premier-billet.md:7: error: image 'images/absente.png' not found",
    ),
    "image outside the project": (
        "premier-billet.md",
        "---\ntitle: Premier billet\n---\n\n![Mot de passe](../../../../../../etc/passwd)\n",
        "posts/premier-billet.md:5: error: image '../../../../../../etc/passwd' is outside the project folder",
    ),
    "unknown cross-reference": (
        "premier-billet.md",
        "---\ntitle: Premier billet\n---\n\nVoir [ce billet](post:nexiste-pas).\n",
        "posts/premier-billet.md:5: error: cross-reference 'post:nexiste-pas' names no post",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_POSTS))
def test_bad_post_is_reported_with_file_and_line(case, project, tmp_path):
    name, text, expected = BAD_POSTS[case]
    write_post(project, name, text)
    before = tree_digest(project)
    result = run_cli("build", "manuscripts/tiny.yml", "-f", "md", "-o", tmp_path / "out", cwd=project)
    assert result.exit_code == 1, result.output
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "tiny.md").exists()
    assert tree_digest(project) == before  # the author's files are never modified


def test_unexpected_failure_shows_traceback_only_with_verbose(project, tmp_path, monkeypatch):
    import blog2book.pipeline as pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(pipeline, "assemble", boom)
    quiet = run_cli("build", "manuscripts/tiny.yml", "-f", "md", "-o", tmp_path, cwd=project)
    assert quiet.exit_code == 1
    assert "unexpected failure while assembling the book: RuntimeError: kaboom (rerun with -v" in quiet.stderr
    assert "Traceback" not in quiet.stderr
    loud = run_cli("build", "manuscripts/tiny.yml", "-f", "md", "-o", tmp_path, "-v", cwd=project)
    assert loud.exit_code == 1 and "Traceback" in loud.stderr


@pytest.mark.slow
def test_failed_build_leaves_previous_outputs_intact(project, tmp_path):
    out = tmp_path / "out"
    first = run_cli("build", "manuscripts/tiny.yml", "-o", out, cwd=project)
    assert first.exit_code == 0, first.output
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("tiny.*")}
    assert set(digests) == {"tiny.pdf", "tiny.epub"}
    write_post(project, "deuxieme-billet.md", "---\ntitle: [cassé\n---\n")
    second = run_cli("build", "manuscripts/tiny.yml", "-o", out, cwd=project)
    assert second.exit_code == 1
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("tiny.*")} == digests
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_hostile_html_and_local_files_stay_out_of_the_book(project, tmp_path):
    write_post(
        project,
        "deuxieme-billet.md",
        "---\ntitle: Deuxième billet\n---\n\n"
        "Avant.\n\n<script>alert('x')</script>\n\n"
        '<iframe src="file:///etc/passwd"></iframe>\n\n'
        '<p onclick="steal()">Texte <img src="file:///etc/passwd" alt="rien"> après.</p>\n\n'
        "[un lien](file:///etc/passwd) et [un autre](javascript:alert(1)).\n\n"
        '<link rel="stylesheet" href="file:///etc/passwd">\n\n'
        '<style>@import url("file:///etc/passwd");</style>\n\n'
        "Après.\n",
    )
    out = tmp_path / "out"
    result = run_cli("build", "manuscripts/tiny.yml", "-o", out, cwd=project)
    assert result.exit_code == 0, result.output
    assert "[html.removed]" in result.stderr
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(out / "tiny.pdf")).pages)
    assert "root:" not in text and "Avant." in text and "Après." in text
    with zipfile.ZipFile(out / "tiny.epub") as z:
        body = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))
    for forbidden in ("<script", "<iframe", "onclick", "javascript:", "file:", "root:", "<style", "<link rel=\"stylesheet\" href=\"file"):
        assert forbidden not in body, forbidden


def test_no_manuscript_lists_the_choices(tmp_path):
    (tmp_path / "manuscripts").mkdir()
    (tmp_path / "manuscripts" / "a.yml").write_text("title: a\n")
    (tmp_path / "manuscripts" / "b.yml").write_text("title: b\n")
    result = run_cli("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "manuscripts/a.yml" in result.stderr and "manuscripts/b.yml" in result.stderr


def test_strict_turns_warnings_into_failure(project, tmp_path):
    write_post(project, "premier-billet.md", "---\ntitle: Premier billet\nauteur: X\n---\n\nTexte.\n")
    relaxed = run_cli("check", "manuscripts/tiny.yml", cwd=project)
    assert relaxed.exit_code == 0, relaxed.output
    assert "posts/premier-billet.md:3: warning: unknown front matter key 'auteur' is ignored" in relaxed.stderr
    strict = run_cli("check", "--strict", "manuscripts/tiny.yml", cwd=project)
    assert strict.exit_code == 1


def test_style_cannot_make_the_pdf_engine_read_outside(project, tmp_path):
    style = project / "styles" / "piege"
    style.mkdir(parents=True)
    shutil.copytree(REPO / "styles" / "base", project / "styles" / "base")
    (style / "print.css").write_text(
        '@import url("../base/print.css");\n'
        'body { background: url("https://example.org/pixel.png"); }\n'
        'h1 { background: url("file:///etc/hostname"); }\n',
        "utf-8",
    )
    manuscript = project / "manuscripts" / "tiny.yml"
    manuscript.write_text(manuscript.read_text("utf-8") + "style: piege\n", "utf-8")
    result = run_cli("build", manuscript, "-f", "pdf", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "https://example.org/pixel.png, which it may not read" in result.stderr
    assert "file:///etc/hostname, which it may not read" in result.stderr
    assert "base/print.css" not in result.stderr  # the style's own base is allowed


def test_unwritable_output_is_a_clear_error(project, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    usage = run_cli("build", "manuscripts/tiny.yml", "-f", "md", "-o", blocker, cwd=project)
    assert usage.exit_code == 2 and "is a file" in usage.stderr  # click checks -o itself
    result = run_cli("build", "manuscripts/tiny.yml", "-f", "md", "-o", blocker / "sub", cwd=project)
    assert result.exit_code == 1
    assert "cannot write the outputs" in result.stderr and "[output.write]" in result.stderr
    assert "Traceback" not in result.output and blocker.read_text() == "a file where the output folder should be"


def test_a_pandoc_failure_names_the_post(project, tmp_path, monkeypatch):
    from blog2book import pandoc
    from blog2book.diagnostics import BuildError, error

    real = pandoc.to_ast

    def failing(markdown, *args, **kwargs):
        if "Deuxième" in markdown or "95%" in markdown:
            raise BuildError([error("pandoc.failed", "pandoc failed: simulated")])
        return real(markdown, *args, **kwargs)

    from blog2book import pandocbatch

    real_many = pandocbatch.read_many

    def failing_many(texts, reader):  # posts parsed together: the failing one is left to to_ast, alone
        return [None if ("Deuxième" in t or "95%" in t) else doc for t, doc in zip(texts, real_many(texts, reader))]

    monkeypatch.setattr(pandoc, "to_ast", failing)
    monkeypatch.setattr(pandocbatch, "read_many", failing_many)
    result = run_cli("build", "manuscripts/tiny.yml", "-f", "md", "-o", tmp_path / "out", cwd=project)
    assert result.exit_code == 1
    assert "posts/deuxieme-billet.md:5: error: pandoc failed: simulated (check the post's Markdown near this line) [pandoc.failed]" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "out" / "tiny.md").exists()
