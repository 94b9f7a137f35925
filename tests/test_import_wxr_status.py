"""WordPress exports as WordPress writes them (issue 22, items 1 and 4), through the CLI.

The files are WordPress's own importer tests (``../shared/corpora/wordpress-importer/``, skipped when
absent), read where they are; a variant with another spelling of the ``wp:`` namespace is written
into the test's temporary folder. What each file holds (which items are published posts) is read
from the file itself by a regular expression, independently of the importer.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "wordpress-importer"


def corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared corpora are not in a user's clone)")
    return path


def items(path: Path) -> list[dict[str, str]]:
    """Each <item>'s post type, status, password and id, read with a regular expression."""
    out = []
    for body in re.findall(r"<item\b[^>]*>(.*?)</item>", path.read_text("utf-8"), re.S):
        def field(name: str) -> str:
            m = re.search(rf"<wp:{name}>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:{name}>", body, re.S)
            return m.group(1).strip() if m else ""
        out.append({k: field(k) for k in ("post_type", "status", "post_password", "post_id")})
    return out


def published_ids(path: Path) -> set[int]:
    return {int(i["post_id"]) for i in items(path) if i["post_type"] == "post" and i["status"] == "publish" and not i["post_password"]}


def https_copy(src: Path, folder: Path, uri: str = "https://wordpress.org/export/1.2/") -> Path:
    """The file with its wp: (and excerpt:) namespace spelled as a fork or a newer WordPress may."""
    text = src.read_text("utf-8")
    text = re.sub(r'xmlns:wp="https?://wordpress\.org/export/[^"]*"', f'xmlns:wp="{uri}"', text)
    text = re.sub(r'xmlns:excerpt="https?://wordpress\.org/export/[^"]*"', f'xmlns:excerpt="{uri}excerpt/"', text)
    path = folder / ("https-" + src.name)
    path.write_text(text, "utf-8")
    return path


def imported(posts: Path) -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text("utf-8").split("---\n", 2)[1]) for p in sorted(posts.glob("*.md"))}


def left_out(stderr: str) -> str:
    m = re.search(r"left out: (.*)", stderr)
    return m.group(1) if m else ""


def check_published_only(src: Path, posts: Path) -> dict[str, dict]:
    metas = imported(posts)
    assert {m["wp_id"] for m in metas.values()} == published_ids(src)
    for name, meta in metas.items():
        assert meta.get("date") and meta.get("wp_id"), (name, meta)
        assert "draft" not in meta and not name.startswith("post-None"), (name, meta)
    return metas


@pytest.mark.parametrize("name", ["small-export.xml", "valid-wxr-1.0.xml", "valid-wxr-1.1.xml", "wxr-comprehensive.xml", "wxr-flat-attachment-same-site.xml"])
@pytest.mark.parametrize("uri", [None, "https://wordpress.org/export/1.2/", "https://wordpress.org/export/"])
def test_only_published_posts_whatever_the_namespace_spelling(tmp_path, name, uri):
    src = corpus(name)
    if uri is not None:
        src = https_copy(src, tmp_path, uri)
    result = run_cli("import", src, "--comments", "--into", tmp_path / "posts")
    assert result.exit_code == 0, result.output
    check_published_only(src, tmp_path / "posts")
    assert f"imported {len(published_ids(src))} post(s)" in result.stderr
    kinds = Counter(i["post_type"] for i in items(src) if i["post_type"] != "post")
    left = left_out(result.stderr)
    for kind, n in kinds.items():  # pages and attachments, as many as the file holds
        assert re.search(rf"\b{n} {kind}", left), (kind, left)
    private = sum(1 for i in items(src) if i["post_type"] == "post" and i["status"] == "private")
    if private:
        assert f"{private} private" in left


def test_small_export_in_https_reports_what_it_left_out_and_include_brings_the_draft(tmp_path):
    src = https_copy(corpus("small-export.xml"), tmp_path)
    result = run_cli("import", src, "--comments", "--into", tmp_path / "posts")
    assert result.exit_code == 0, result.output
    assert "left out: 5 pages, 1 private" in result.stderr  # 4 published pages and a draft page; the private post
    result = run_cli("import", src, "--comments", "--include", "private,page", "--into", tmp_path / "all")
    metas = imported(tmp_path / "all")
    assert {m["wp_id"] for m in metas.values()} == {int(i["post_id"]) for i in items(src) if i["status"] != "draft"}
    assert "left out: 1 draft" in result.stderr


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
<title>Demo</title><link>http://wptest.io/demo</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>http://wptest.io/demo</wp:base_blog_url>
{items}
</channel>
</rss>
"""
ITEM = """<item>
<title>{title}</title><link>{link}</link><guid isPermaLink="false">http://wptest.io/demo/?p={id}</guid>
<dc:creator>admin</dc:creator><content:encoded><![CDATA[<p>Text of {title}.</p>]]></content:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>2013-01-{day:02d} 10:00:00</wp:post_date><wp:post_date_gmt>2013-01-{day:02d} 10:00:00</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>{type}</wp:post_type><wp:post_password>{password}</wp:post_password>
</item>"""
DEMO = [  # (id, title, slug, type, status, password)
    (1000, "Edge case: nested and mixed lists", "edge-case-nested-and-mixed-lists", "post", "publish", ""),
    (1001, "Another post", "another-post", "post", "publish", ""),
    (1002, "", "", "post", "publish", ""),  # an untitled post
    (922, "Draft", "draft", "post", "draft", ""),
    (923, "Scheduled", "scheduled", "post", "future", ""),
    (924, "Protected", "protected", "post", "publish", "secret"),
    (925, "Private", "private", "post", "private", ""),
    (926, "Trashed", "trashed", "post", "trash", ""),
    (2, "About", "about", "page", "publish", ""),
    (30, "", "30", "nav_menu_item", "publish", ""),
    (31, "", "31", "nav_menu_item", "publish", ""),
    (40, "image", "image", "attachment", "inherit", ""),
]


def demo(folder: Path, rows=DEMO) -> Path:
    out = []
    for n, (pid, title, slug, ptype, status, password) in enumerate(rows):
        day = n % 28 + 1
        link = f"http://wptest.io/demo/2013/01/{day:02d}/{slug}/" if status == "publish" and ptype == "post" else f"http://wptest.io/demo/?p={pid}"
        out.append(ITEM.format(title=title, link=link, id=pid, day=day, slug=slug, status=status, type=ptype, password=password))
    path = folder / "demo.xml"
    path.write_text(WXR.format(items="\n".join(out)), "utf-8")
    return path


def test_https_demo_export_leaves_out_every_kind_and_says_why(tmp_path):
    src = demo(tmp_path)
    result = run_cli("import", src, "--comments", "--into", tmp_path / "posts")
    assert result.exit_code == 0, result.output
    metas = check_published_only(src, tmp_path / "posts")
    assert len(metas) == 3 and "post-1002.md" in metas  # the untitled post is named by its id
    assert left_out(result.stderr) == "2 menu items, 1 attachment, 1 draft, 1 page, 1 password-protected, 1 private, 1 scheduled, 1 trash"


@pytest.mark.parametrize("include, extra", [("draft", {922}), ("drafts,scheduled", {922, 923}), ("password-protected,private", {924, 925}), ("trash", {926})])
def test_include_names_what_comes_in(tmp_path, include, extra):
    src = demo(tmp_path)
    result = run_cli("import", src, "--include", include, "--into", tmp_path / "posts")
    assert result.exit_code == 0, result.output
    metas = imported(tmp_path / "posts")
    assert {m["wp_id"] for m in metas.values()} == published_ids(src) | extra
    for meta in metas.values():
        assert meta.get("draft") is (True if meta["wp_id"] in extra - {924} else None)


def test_an_item_that_cannot_be_classified_is_refused_with_its_line(tmp_path):
    src = corpus("namespace-edge-cases.xml")  # one item puts its wp: elements in another namespace
    text = src.read_text("utf-8")
    line = text[: text.index('<item xmlns:wp="http://malicious.example.com/hijack/">')].count("\n") + 1
    result = run_cli("import", src, "--into", tmp_path / "posts")
    assert result.exit_code == 1, result.output
    assert f"namespace-edge-cases.xml:{line}: error: this item has no <wp:post_type> and <wp:status>" in result.stderr
    assert not (tmp_path / "posts").exists() or not list((tmp_path / "posts").glob("*.md"))


def test_an_export_without_post_types_is_refused(tmp_path):
    src = demo(tmp_path)
    src.write_text(re.sub(r"<wp:post_type>.*?</wp:post_type>", "", src.read_text("utf-8")), "utf-8")
    result = run_cli("import", src, "--into", tmp_path / "posts")
    assert result.exit_code == 1, result.output
    assert re.search(r"demo\.xml:\d+: error: this item has no <wp:post_type>", result.stderr)
    assert not list((tmp_path / "posts").glob("*.md")) if (tmp_path / "posts").exists() else True


# ---------------------------------------------------------------- permalinks (item 4)

BOOK = """title: Demo
author: A
lang: en
chapters:
  - title: One
    posts: [edge-case-nested-and-mixed-lists, another-post]
"""


def check_book(folder: Path, body: str | None = None):
    (folder / "manuscripts").mkdir(exist_ok=True)
    (folder / "manuscripts" / "demo.yml").write_text(BOOK, "utf-8")
    if body is not None:
        path = folder / "posts" / "another-post.md"
        path.write_text(path.read_text("utf-8").rstrip("\n") + "\n\n" + body + "\n", "utf-8")
    return run_cli("check", "manuscripts/demo.yml", cwd=folder)


def test_each_post_owns_its_own_permalinks_only(tmp_path):
    src = demo(tmp_path)
    result = run_cli("import", src, "--include", "drafts,pages,scheduled,private,password-protected", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    meta = imported(tmp_path / "posts")["edge-case-nested-and-mixed-lists.md"]
    assert meta["aliases"] == ["http://wptest.io/demo/?p=1000", "http://wptest.io/demo/edge-case-nested-and-mixed-lists/"]
    assert imported(tmp_path / "posts")["draft.md"]["aliases"] == ["http://wptest.io/demo/?p=922"]
    links = ["http://wptest.io/demo/?p=1000", "http://wptest.io/demo/2013/01/edge-case-nested-and-mixed-lists/", "http://wptest.io/demo/edge-case-nested-and-mixed-lists/"]
    result = check_book(tmp_path, "\n\n".join(f"[link {n}]({u})" for n, u in enumerate(links)))
    assert result.exit_code == 0, result.output
    assert "also claimed" not in result.stderr and "xref.url-clash" not in result.stderr, result.stderr
    assert "not found" not in result.stderr and "xref." not in result.stderr, result.stderr


def test_a_genuine_collision_names_the_url_and_both_files(tmp_path):
    src = demo(tmp_path, DEMO[:2])
    assert run_cli("import", src, cwd=tmp_path).exit_code == 0
    path = tmp_path / "posts" / "another-post.md"
    path.write_text(path.read_text("utf-8").replace("url: http://wptest.io/demo/2013/01/02/another-post/", "url: http://wptest.io/demo/2013/01/01/edge-case-nested-and-mixed-lists/"), "utf-8")
    result = check_book(tmp_path)
    clash = [line for line in result.stderr.splitlines() if "xref.url-clash" in line]
    assert len(clash) == 1, result.stderr
    assert re.match(r"posts/(another-post|edge-case-nested-and-mixed-lists)\.md:\d+: warning: URL 'http://wptest\.io/demo/2013/01/01/edge-case-nested-and-mixed-lists/' "
                    r"is also claimed by post '[a-z-]+' \(posts/(another-post|edge-case-nested-and-mixed-lists)\.md:\d+\)", clash[0]), clash
    assert "another-post.md" in clash[0] and "edge-case-nested-and-mixed-lists.md" in clash[0]
