"""`blog2book init` (a project that builds at once, never overwriting) and `blog2book posts`."""

import json
import shutil

import pytest
import yaml

from conftest import REPO, epubcheck_messages, java_available, run_cli


# ---------------------------------------------------------------- init

@pytest.mark.slow
def test_init_then_build_in_an_empty_folder(tmp_path):
    project = tmp_path / "mon-livre"
    result = run_cli("init", project, "--title", "Le livre: un essai", "--author", "Une autrice", "--style", "medias-sociaux-201")
    assert result.exit_code == 0, result.output
    assert (project / ".gitignore").read_text("utf-8").splitlines()[-1] == "build/"
    assert len((project / "README.md").read_text("utf-8").strip().splitlines()) == 3
    manuscript = (project / "manuscripts" / "livre.yml").read_text("utf-8")
    data = yaml.safe_load(manuscript)
    assert data["title"] == "Le livre: un essai" and data["style"] == "medias-sociaux-201"
    # every top-level key is explained by a comment on its line
    for line in manuscript.splitlines():
        if line and not line.startswith((" ", "#")):
            assert "#" in line, line
    result = run_cli("build", "-f", "epub", "-f", "pdf", "-f", "html", cwd=project)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    build = project / "build"
    assert (build / "livre.pdf").stat().st_size > 1000 and (build / "livre-html" / "index.html").is_file()
    if java_available():
        valid, messages = epubcheck_messages(build / "livre.epub")
        assert valid and messages == []


def test_init_never_overwrites(tmp_path):
    project = tmp_path / "p"
    (project / "posts").mkdir(parents=True)
    mine = project / "posts" / "premier-billet.md"
    mine.write_text("mon texte", "utf-8")
    result = run_cli("init", project)
    assert result.exit_code == 1
    assert "posts/premier-billet.md: error: already exists; blog2book init never overwrites a file" in result.stderr
    assert "[init.exists]" in result.stderr
    assert mine.read_text("utf-8") == "mon texte"
    assert sorted(p.name for p in project.rglob("*")) == ["posts", "premier-billet.md"]  # nothing else written


def test_init_unknown_style_is_refused(tmp_path):
    result = run_cli("init", tmp_path / "p", "--style", "medias-sociaux-301")
    assert result.exit_code == 1
    assert "no style 'medias-sociaux-301'" in result.stderr and not (tmp_path / "p").exists()


# ---------------------------------------------------------------- posts

@pytest.fixture
def project(tmp_path):
    """A copy of the sample project (posts and manuscript): the catalogue cache goes into its build/."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "posts", root / "posts")
    shutil.copytree(REPO / "manuscripts", root / "manuscripts")
    return root


def posts_json(*args, cwd):
    result = run_cli("posts", "--format", "json", *args, cwd=cwd)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_posts_lists_every_post_with_its_fields(project):
    rows = posts_json(cwd=project)
    assert len(rows) == 10
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated) and all(r["date"] for r in rows[: len(dated)])  # by date, undated last
    pate = next(r for r in rows if r["slug"] == "importance-pate-chinois-strategie-medias-sociaux")
    assert pate["tags"] == ["Twitter", "Facebook", "pâté chinois", "humaniser sa marque"] and pate["in_book"] is True
    assert pate["words"] > 100
    table = run_cli("posts", cwd=project).stdout
    assert table.splitlines()[0].split() == ["date", "slug", "title", "words", "categories", "tags", "in", "book"]
    assert len(table.splitlines()) == 11


def test_posts_search_ignores_case_and_accents(project):
    assert {r["slug"] for r in posts_json("PATE chinois", cwd=project)} == {"importance-pate-chinois-strategie-medias-sociaux"}
    assert {r["slug"] for r in posts_json("medisance", cwd=project)} >= {"medisance-et-reglements-de-comptes-sur-les-medias-sociaux"}
    assert posts_json("introuvable-nulle-part", cwd=project) == []


def test_posts_filters(project):
    assert {r["slug"] for r in posts_json("--tag", "twitter", cwd=project)} == {
        "importance-pate-chinois-strategie-medias-sociaux",
        "twitter-et-medias-sociaux-dans-un-contexte-politique",
    }
    assert all("Réputation" in r["categories"] for r in posts_json("--category", "reputation", cwd=project))
    dated = posts_json("--from", "2010-01-01", "--to", "2010-12-31", cwd=project)
    assert dated and all(r["date"].startswith("2010") for r in dated)


def test_posts_unused_and_yaml_snippet(project):
    manuscript = project / "manuscripts" / "medias-sociaux.yml"
    text = manuscript.read_text("utf-8").replace("          - plus-de-20-ans-ligne\n", "")
    manuscript.write_text(text, "utf-8")
    assert [r["slug"] for r in posts_json("--unused", manuscript, cwd=project)] == ["plus-de-20-ans-ligne"]
    result = run_cli("posts", "--tag", "Twitter", "--format", "yaml", cwd=project)
    snippet = yaml.safe_load(result.stdout)
    assert snippet == {"chapters": [{"title": "Twitter", "posts": ["importance-pate-chinois-strategie-medias-sociaux", "twitter-et-medias-sociaux-dans-un-contexte-politique"]}]}


def test_posts_yaml_with_no_match_prints_nothing_to_paste(project):
    result = run_cli("posts", "--tag", "no-such-tag", "--format", "yaml", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "no post matches (of 10 posts)" in result.stderr


def test_init_here_says_what_to_run_without_cd(tmp_path):
    project = tmp_path / "here"
    project.mkdir()
    result = run_cli("init", cwd=project)
    assert result.exit_code == 0, result.output
    assert "next: blog2book build" in result.stderr and "cd ." not in result.stderr


def test_an_unknown_post_points_to_the_command_that_lists_them(project):
    manuscript = project / "manuscripts" / "medias-sociaux.yml"
    text = manuscript.read_text("utf-8").replace("          - plus-de-20-ans-ligne\n", "          - qqqqqqqqqqqqqqqqqqqqqqqq\n")
    manuscript.write_text(text, "utf-8")
    result = run_cli("check", manuscript, cwd=project)
    assert result.exit_code == 1
    assert "run 'blog2book posts' to list the posts" in result.output


def test_posts_stats(project):
    result = run_cli("posts", "--stats", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert data["posts"]["total"] == 10
    assert sum(data["year"].values()) == 10
    assert data["category"]["Médias sociaux"] == 10 and data["tag"]["Twitter"] == 2
    assert "By category:" in run_cli("posts", "--stats", cwd=project).stdout


def test_posts_cache_follows_edits_and_reports_broken_posts(project):
    posts_json(cwd=project)
    assert (project / "build" / ".cache" / "catalog.json").is_file()
    post = project / "posts" / "plus-de-20-ans-ligne.md"
    post.write_text(post.read_text("utf-8").replace("tags: [", "tags: [zeppelin, "), "utf-8")
    assert [r["slug"] for r in posts_json("--tag", "zeppelin", cwd=project)] == ["plus-de-20-ans-ligne"]
    (project / "posts" / "casse.md").write_text("---\ntitle: [oups\n---\n", "utf-8")
    result = run_cli("posts", cwd=project)
    assert result.exit_code == 0
    assert "posts/casse.md:2:8: error: invalid YAML in the front matter" in result.stderr
    assert "10 of 10 posts" in result.stderr
