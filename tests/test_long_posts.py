"""Issue 24, items 12 and 13: very long posts, through the CLI. A post larger than the build reads is
left out of an import with a located warning naming its size and the limit, the other posts are
imported; a long post is named in the progress while it is converted, transformed and laid out."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

WXR = REPO / "tests" / "roots" / "import" / "blog.wxr"
JEKYLL = REPO / "tests" / "roots" / "import" / "jekyll"
TINY = REPO / "tests" / "roots" / "tiny"
PARA = "<p>Un paragraphe assez long pour ressembler à un vrai billet, avec <em>un peu</em> de texte.</p>\n"
NEEDLE = "<!-- wp:paragraph -->\n<p>Avant de choisir une plateforme"  # the body of 'réseaux et stratégie'


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean(result, code: int = 0) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "unexpected failure" not in result.output
    return result.stderr


def export_with_a_post_of(tmp_path: Path, megabytes: float) -> tuple[Path, int]:
    """blog.wxr with one post's content grown to ``megabytes``; the line its content starts at."""
    text = WXR.read_text("utf-8")
    assert NEEDLE in text
    body = PARA * int(megabytes * 1048576 / len(PARA.encode()))
    text = text.replace(NEEDLE, body + NEEDLE, 1)
    line = text[:text.index(body)].count("\n") + 1
    path = tmp_path / "big.wxr"
    path.write_text(text, "utf-8")
    return path, line


# ---------------------------------------------------------------- 12: a 30 MB post in an export

def test_12_a_30_mb_post_is_left_out_at_its_line_and_the_others_are_imported(tmp_path):
    export, line = export_with_a_post_of(tmp_path, 30)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "mine.md").write_text("---\ntitle: À moi\n---\n\nDéjà là.\n", "utf-8")
    before = snapshot(tmp_path / "posts")
    stderr = clean(run_cli("import", export, cwd=tmp_path))
    assert f"big.wxr:{line}: warning: this post is 30.0 MB of HTML; a post is at most 4 MB; it is not imported" in stderr
    assert "split it into several posts" in stderr and "[import.too-large]" in stderr and "pandoc" not in stderr
    assert "imported 2 post(s)" in stderr
    posts = snapshot(tmp_path / "posts")
    assert {"pourquoi-bloguer.md", "reputation-en-ligne.md"} <= set(posts) and not any("strat" in name for name in posts)
    assert posts["mine.md"] == before["mine.md"]  # what was there stays
    clean(run_cli("import", export, "--strict", cwd=tmp_path), code=1)  # a warning all the same


def test_12_a_jekyll_post_over_the_limit_is_never_read(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(JEKYLL, site)
    big = site / "_posts" / "2012-01-01-enorme.md"
    big.write_text("---\ntitle: Énorme\n---\n\n" + "Un paragraphe.\n\n" * 300_000, "utf-8")  # 4.6 MB
    stderr = clean(run_cli("import", site, "--into", tmp_path / "posts", cwd=tmp_path))
    assert "_posts/2012-01-01-enorme.md: warning: this post is 4.6 MB; a post is at most 4 MB; it is not imported" in stderr
    assert not list((tmp_path / "posts").glob("enorme*")) and list((tmp_path / "posts").glob("*.md"))


def test_12_a_post_pandoc_cannot_convert_is_located_and_left_out(tmp_path, monkeypatch):
    """pandoc stopped on one post (its time limit here): that post is named at its line and left
    out, the import goes on; before, one pandoc error stopped the import with no file or line."""
    from blog2book import pandoc, wpcontent

    export, line = export_with_a_post_of(tmp_path, 0.2)
    real = pandoc.run

    def slow_on_the_big_one(args, text):
        if "Un paragraphe assez long" in text and len(text) > 100_000:
            raise pandoc.BuildError([pandoc.error("pandoc.timeout", "pandoc took more than 120 s and was stopped")])
        return real(args, text)

    monkeypatch.setattr(pandoc, "run", slow_on_the_big_one)
    assert wpcontent.pandoc is pandoc
    stderr = clean(run_cli("import", export, cwd=tmp_path))
    assert f"big.wxr:{line}: warning: this post could not be converted: pandoc took more than 120 s and was stopped; it is not imported" in stderr
    assert "imported 2 post(s)" in stderr


def test_12_a_long_post_is_named_in_the_import_progress(tmp_path):
    export, line = export_with_a_post_of(tmp_path, 1.2)
    stderr = clean(run_cli("import", export, cwd=tmp_path))
    assert f"converting the post at big.wxr:{line} (1.2 MB): a long post, this takes a while" in stderr
    assert "imported 3 post(s)" in stderr


# ---------------------------------------------------------------- 13: a long post named in the progress

def test_13_the_phases_a_long_post_slows_down_name_it(tmp_path, monkeypatch):
    """The bound lowered to the tiny book's posts, so the test stays fast: the transform, the
    cross-references and the PDF's layout name the long posts, the longest first."""
    from blog2book import pipeline

    monkeypatch.setattr(pipeline, "LONG_POST_BYTES", 100)
    book = tmp_path / "book"
    shutil.copytree(TINY, book)
    before = snapshot(book)
    stderr = clean(run_cli("build", book / "manuscripts" / "tiny.yml", "-f", "pdf", "-o", tmp_path / "out"))
    named = r"; long posts, this takes a while: 'premier-billet' \(0\.0 MB\), 'deuxieme-billet' \(0\.0 MB\)\n"
    for phase in ("transforming 2 posts", "resolving cross-references", "rendering PDF"):
        assert re.search(re.escape(phase) + named, stderr), stderr
    assert snapshot(book) == before


@pytest.mark.slow
def test_13_a_post_over_a_megabyte_is_named_while_it_is_transformed(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(TINY, book)
    post = book / "posts" / "deuxieme-billet.md"
    para = "Un paragraphe de billet, avec *un peu* d'emphase et [un lien](https://exemple.org/) qui continue.\n\n"
    post.write_text(post.read_text("utf-8") + "\n" + para * (1_150_000 // len(para.encode())), "utf-8")
    stderr = clean(run_cli("check", book / "manuscripts" / "tiny.yml"))
    for phase in ("transforming 2 posts", "resolving cross-references"):
        assert re.search(re.escape(phase) + r"; long post, this takes a while: 'deuxieme-billet' \(1\.[01] MB\)\n", stderr), stderr
