"""Editions (issue 26, item 5): ``build --edition NAME`` records what the edition was made of in
``manuscripts/<name>.editions/NAME.json``; ``blog2book changes --since NAME`` lists the posts edited,
changed on the blog (re-imported), added, removed and moved since; ``--compare edition:NAME`` marks the
review proof's changes against it. On a copy of the sample project with two posts imported from a feed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import run_cli

from blog2book.lang import strings

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
FEED = REPO / "tests" / "roots" / "import" / "feed.atom"
EDITED = "posts/importance-pate-chinois-strategie-medias-sociaux.md"
MANUSCRIPT = "manuscripts/medias-sociaux.yml"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    for folder in ("posts", "manuscripts", "styles"):
        shutil.copytree(REPO / folder, root / folder)
    imported = run_cli("import", FEED, "--into", "posts", cwd=root)
    assert imported.exit_code == 0, imported.output
    with (root / MANUSCRIPT).open("a", encoding="utf-8") as f:
        f.write("  - title: Dix ans\n    posts: [bilan-dix-ans, conference-montreal]\n")
    result = run_cli("build", "-f", "pdf", "--edition", "v1", "-o", root / "build", cwd=root)
    assert result.exit_code == 0, result.output
    return root


def test_the_edition_records_its_posts_hashes_and_page_map(project):
    record = json.loads((project / "manuscripts" / "medias-sociaux.editions" / "v1.json").read_text("utf-8"))
    assert record["edition"] == "v1" and record["manuscript"] == MANUSCRIPT
    files = [p["file"] for p in record["posts"]]
    assert files[-2:] == ["posts/bilan-dix-ans.md", "posts/conference-montreal.md"] and len(files) == 12
    assert [p["rank"] for p in record["posts"]] == list(range(1, 13))
    bilan = record["posts"][-2]
    assert bilan["chapter"] == "Dix ans" and bilan["blog"] and len(bilan["sha256"]) == 64
    doc = pdfium.PdfDocument(str(project / "build" / "medias-sociaux.pdf"))
    assert record["pages"] == len(doc) and len(record["page_map"]) == len(doc)
    doc.close()
    assert all(1 <= p["page"] <= record["pages"] for p in record["posts"])
    assert sorted(p["page"] for p in record["posts"]) == [p["page"] for p in record["posts"]]  # in the book's order
    assert [p.name for p in (project / "manuscripts").iterdir()] and not list((project / "posts").glob("*.json.*"))


def test_changes_since_lists_the_edited_post_and_the_reimported_one(project, tmp_path):
    assert run_cli("changes", "--since", "v1", cwd=project).stdout == ""
    post = project / EDITED
    post.write_text(post.read_text("utf-8").replace("c’est magique (pour", "c’est vraiment magique (pour", 1), "utf-8")
    feed = tmp_path / "feed.atom"
    feed.write_text(FEED.read_text("utf-8").replace("Beaucoup de billets.", "Beaucoup, beaucoup de billets, et des commentaires."), "utf-8")
    again = run_cli("import", feed, "--into", "posts", "--from", "feed", cwd=project)
    assert again.exit_code == 0 and "1 updated" in again.output, again.output
    result = run_cli("changes", "--since", "v1", cwd=project)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    pages = {p["file"]: p["page"] for p in json.loads((project / "manuscripts" / "medias-sociaux.editions" / "v1.json").read_text("utf-8"))["posts"]}
    assert lines == [f"{EDITED}: edited — +1 −0 words (p. {pages[EDITED]} in v1) [changes.edited]",
                     f"posts/bilan-dix-ans.md: changed on the blog — re-imported since: +4 −0 words (p. {pages['posts/bilan-dix-ans.md']} in v1) [changes.blog]"], lines
    assert "2 change(s) in 2 post(s)" in result.stderr
    assert run_cli("changes", cwd=project).stdout == result.stdout  # the last edition by default


def test_changes_lists_added_removed_and_moved_posts(project, tmp_path):
    copy = tmp_path / "p"
    for folder in ("posts", "manuscripts"):
        shutil.copytree(project / folder, copy / folder)
    shutil.copytree(project / "styles", copy / "styles")
    text = (copy / MANUSCRIPT).read_text("utf-8")
    text = text.replace("    posts: [bilan-dix-ans, conference-montreal]\n", "    posts: [conference-montreal, bilan-dix-ans, un-nouveau]\n")
    text = text.replace("          - plus-de-20-ans-ligne\n", "")
    (copy / MANUSCRIPT).write_text(text, "utf-8")
    (copy / "posts" / "un-nouveau.md").write_text("---\ntitle: Un nouveau billet\ndate: 2026-12-01\n---\n\nDu neuf.\n", "utf-8")
    result = run_cli("changes", "--since", "v1", cwd=copy)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "posts/un-nouveau.md: added — « Un nouveau billet », in « Dix ans » (#12)" in out
    assert "posts/plus-de-20-ans-ligne.md: removed" in out
    moved = [line for line in out.splitlines() if ": moved" in line]
    assert moved == ["posts/conference-montreal.md: moved — from « Dix ans » (#12) to « Dix ans » (#10) [changes.moved]"], moved


def test_the_review_proof_marks_the_changes_against_an_edition(project):
    result = run_cli("build", "--profile", "review", "--compare", "edition:v1", "-o", project / "review", cwd=project)
    assert result.exit_code == 0, result.output
    doc = pdfium.PdfDocument(str(project / "review" / "medias-sociaux-review.pdf"))
    first = " ".join(doc[i].get_textpage().get_text_range() for i in range(2))
    doc.close()
    words = strings("fr-CA")
    assert words["changed_paragraphs"] in first and "(2)" in first.split(words["changed_paragraphs"])[1][:8], first[:600]


def test_bad_edition_names_and_unknown_editions(project):
    assert run_cli("build", "-f", "md", "--edition", "../x", "-o", project / "b2", cwd=project).exit_code == 2
    missing = run_cli("changes", "--since", "v9", cwd=project)
    assert missing.exit_code == 1 and "[edition.unknown]" in missing.stderr and "v1" in missing.stderr
    compare = run_cli("build", "--profile", "review", "--compare", "edition:v9", "-o", project / "b3", cwd=project)
    assert compare.exit_code == 1 and "[edition.unknown]" in compare.stderr and "Traceback" not in compare.output
