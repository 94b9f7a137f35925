"""After an import, what to do next (issue 22, item 10), through the CLI: the ``blog2book posts``
command and a manuscript snippet naming the imported posts; the blog's address written as
``site:`` into the manuscript ``init`` made, never into one the author wrote."""

from __future__ import annotations

import yaml

from conftest import REPO, run_cli

WXR = REPO / "tests" / "roots" / "import" / "blog.wxr"
SITE = "https://www.exemple-blogue.com/"


def test_import_into_an_init_project_writes_site_and_says_what_next(tmp_path):
    assert run_cli("init", tmp_path / "livre").exit_code == 0
    project = tmp_path / "livre"
    manuscript = project / "manuscripts" / "livre.yml"
    before = manuscript.read_text("utf-8")
    result = run_cli("import", WXR, cwd=project)
    assert result.exit_code == 0, result.output
    after = manuscript.read_text("utf-8")
    assert yaml.safe_load(after)["site"] == SITE
    assert after.replace(next(line + "\n" for line in after.splitlines() if line.startswith("site:")), "") == before  # nothing else changed
    assert f"wrote site: {SITE} into manuscripts/livre.yml" in result.output
    assert "next: blog2book posts " in result.output
    assert "then paste into manuscripts/livre.yml, under 'chapters:'" in result.output
    snippet = next(line for line in result.output.splitlines() if line.strip().startswith("posts: ["))
    slugs = snippet.split("[", 1)[1].split("]", 1)[0].split(", ")
    assert slugs and all((project / "posts" / f"{slug}.md").is_file() for slug in slugs)
    # the snippet pasted as a chapter builds the book's check with no hand edit
    data = yaml.safe_load(after)
    data["chapters"] = [{"title": "Mes billets", "posts": slugs}]
    manuscript.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    checked = run_cli("check", manuscript, cwd=project)
    assert checked.exit_code == 0, checked.output
    # a second import finds the address there and writes nothing
    text = manuscript.read_text("utf-8")
    again = run_cli("import", WXR, cwd=project)
    assert again.exit_code == 0 and "wrote site:" not in again.output and manuscript.read_text("utf-8") == text


def test_a_manuscript_the_author_wrote_is_never_touched(tmp_path):
    (tmp_path / "manuscripts").mkdir()
    mine = tmp_path / "manuscripts" / "livre.yml"
    mine.write_text("title: Le mien\nauthor: Moi\nposts: ../posts\nchapters: []\n", "utf-8")
    result = run_cli("import", WXR, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert mine.read_text("utf-8") == "title: Le mien\nauthor: Moi\nposts: ../posts\nchapters: []\n"
    assert "wrote site:" not in result.output and "next: blog2book posts" in result.output


def test_a_dry_run_writes_no_site(tmp_path):
    assert run_cli("init", tmp_path / "livre").exit_code == 0
    manuscript = tmp_path / "livre" / "manuscripts" / "livre.yml"
    before = manuscript.read_text("utf-8")
    result = run_cli("import", WXR, "--dry-run", cwd=tmp_path / "livre")
    assert result.exit_code == 0 and manuscript.read_text("utf-8") == before and "wrote site:" not in result.output
