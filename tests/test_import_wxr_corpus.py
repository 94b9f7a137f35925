"""Agreement with WordPress's own importer on its test files (issue 22, item 2), through the CLI.

Every file of ``../shared/corpora/wordpress-importer/`` (WordPress's importer test data, skipped when
absent) is imported with ``blog2book import FILE --into posts``; ``EXPECT`` states for each what
WordPress's tests (``phpunit/tests/parser.php`` and ``import.php`` of WordPress/wordpress-importer)
say it must give, translated to a book's terms: the posts (WordPress's "posts" are every item; a
book takes the published posts, ``--include`` brings back the others, as WordPress's counts do),
their titles, content (read back as plain text by pandoc, so Markdown escapes do not matter),
authors, categories, tags and comments. Where WordPress refuses a file (malformed, truncated)
blog2book refuses it too: a located error, exit 1, the posts folder untouched. Where WordPress's
tests say nothing of a file, the expectation was written from reading the file. Postmeta, term
meta and users are not part of a book and are not imported. The table in README ("Importing
posts") sums this file up.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "wordpress-importer"
ZALGO_TITLE_WORDS = ("The Road", "Taken", "by Rob", "Frost", "🌲")

# file -> (extra arguments, what must come of it). Keys: "posts" {title: checks}, "count",
# "left_out" (words of the report's "left out" line), "refused" (line, words of the error),
# "warns" (diagnostic codes that must be reported).
EXPECT: dict[str, tuple[tuple[str, ...], dict]] = {
    # parser.php: 3162 items in WordPress's 10 MB file; the corpus holds it empty (0 bytes)
    "10MB.xml": ((), {"empty_or_big": True}),
    # parser.php testMultilineAuthorBlocksAreParsed: logins trimmed (alice, bob, carol)
    "authors-multiline.xml": ((), {"posts": {"Sample": {"author": "alice", "text": ["content"]}}}),
    # parser.php testBackslashesPreservedInContent
    "backslashes.xml": ((), {"posts": {"Paths": {"text": ["C:\\xampp\\htdocs"]}}}),
    # parser.php testBlankLinesSurviveInPostContent: two paragraphs
    "blank-lines.xml": ((), {"posts": {"Post with blanks": {"text": ["first paragraph\n\nsecond paragraph"]}}}),
    # parser.php testParserHandlesCdataWeirdSequence: ends with "]] >"
    "cdata-edge.xml": ((), {"posts": {"Edge": {"ends": "]] >"}}}),
    # parser.php testSerializedMetaIsNotCorrupted (postmeta: not in a book); the post itself
    "chunked-meta.xml": ((), {"posts": {"Test Post": {"text": ["Hello world"]}}}),
    # parser.php test_escaped_cdata_closing_sequence
    "crazy-cdata-escaped.xml": ((), {"posts": {"Hello world!": {"text": ["Content with nested <![CDATA[ tags ]]> :)"], "author": "admin"}}}),
    # parser.php test_unescaped_cdata_closing_sequence: only the regex parser reads it; it is not XML
    "crazy-cdata.xml": ((), {"refused": (18, "not well-formed")}),
    # parser.php test_invalid_wxr: WordPress refuses; the file holds no item; blog2book says both
    "invalid-version-tag.xml": ((), {"count": 0, "warns": ["import.wxr-version", "import.empty"], "version_line": True}),
    "missing-version-tag.xml": ((), {"count": 0, "warns": ["import.wxr-version", "import.empty"]}),
    # parser.php testAuthorCountMatchesLargeExport: 300 authors, no item
    "large-authors.xml": ((), {"count": 0, "warns": ["import.empty"]}),
    # parser.php testParserReportsMalformedXmlWithWpError (malformed-simple: a truncated file)
    "malformed-simple.xml": ((), {"refused": (14, "truncated")}),
    "malformed.xml": ((), {"refused": (90, "not well-formed")}),
    # parser.php testMissingMatchGroupsDoNotEmitWarnings: no author, no date, no warning
    "missing-tags.xml": ((), {"posts": {"No Author Post": {"author": None, "text": ["text"]}}, "no_warning": True}),
    # parser.php testCdataSectionsConcatenateCorrectly
    "multiple-cdata.xml": ((), {"posts": {"Multi": {"text": ["line oneline twoline three"]}}}),
    # no WordPress test: one item binds wp: to another namespace (a hijack): it cannot be
    # classified, so nothing is imported (issue 22, item 1), the item named
    "namespace-edge-cases.xml": ((), {"refused": (94, "import.unclassified")}),
    # parser.php test_blank_lines_in_content: 3 newlines: a line break, then a blank line
    "post-content-blank-lines.xml": ((), {"posts": {"Hello world!": {"text": ["This is an example of a WordPress post.\nIt has lines with text (and one blank line).\n\nAnd more lines with text."], "author": "John Doe"}}}),
    # import.php test_slashes_should_not_be_stripped
    "slashes.xml": (("--comments",), {"posts": {"Hello world!": {"text": ['Slashes aren\\\'t \\"cool\\"'], "categories": ['a \\"great\\" category'], "comments": ["\\o/ ¯\\_(ツ)_/¯"]}}}),
    # import.php test_small_import: 5 published posts, 1 private, 4 published pages, 1 draft page
    "small-export.xml": (("--comments",), {
        "posts": {
            "Many Categories": {"author": "admin", "ncategories": 27},
            "Non-standard post format": {"categories": ["Uncategorized"]},
            "Top-level Foo": {"categories": ["Foo"]},
            "Foo-child": {"categories": ["Foo"], "author": "editor"},
            "Hello world!": {"author": "author", "ncomments": 1},
        },
        "left_out": ["5 pages", "1 private"],
    }),
    # parser.php test_varied_taxonomy_term_spacing: terms only, no post
    "term-formats.xml": ((), {"count": 0, "warns": ["import.empty"]}),
    # parser.php testTermMetaParses: term meta only
    "term-meta.xml": ((), {"count": 0, "warns": ["import.empty"]}),
    # parser.php test_comment_meta_parsing: one post (a draft) with its comment
    "test-serialized-comment-meta.xml": ((), {"count": 0, "left_out": ["1 draft"]}),
    # postmeta.php (postmeta is not in a book): each file one draft post, left out
    "test-serialized-postmeta-no-cdata.xml": ((), {"count": 0, "left_out": ["1 draft"]}),
    "test-serialized-postmeta-with-cdata.xml": ((), {"count": 0, "left_out": ["1 draft"]}),
    "test-serialized-term-meta.xml": ((), {"count": 0, "left_out": ["1 draft"]}),
    "test-utw-post-meta-import.xml": ((), {"count": 0, "left_out": ["1 draft"]}),
    # parser.php test_wxr_version_1_0: 6 items (3 posts, 3 pages); terms of posts 0, 2 and 3
    "valid-wxr-1.0.xml": ((), {
        "posts": {
            "Hello world!": {"categories": ["Uncategorized"], "tags": []},
            "Alpha post": {"categories": ["alpha"], "tags": ["news", "roar"]},
            "Child post": {"categories": ["child"], "tags": ["chicken", "face"]},
        },
        "left_out": ["3 pages"],
    }),
    # parser.php test_wxr_version_1_1: 2 items (a post, a page); author John Doe; terms
    "valid-wxr-1.1.xml": ((), {"posts": {"Hello world!": {"author": "John Doe", "categories": ["alpha"], "tags": ["Clippable"]}}, "left_out": ["1 page"]}),
    # no WordPress test of the file (rewrite-urls.php rewrites its URLs on a site): its text, its image named
    "wxr-base-url-rewriting.xml": ((), {"posts": {'"The Road Not Taken" by Robert Frost': {"text": ["URLs to rewrite:", "This isn't migrated"]}}, "warns": ["import.remote-images"]}),
    # no WordPress test of the file in phpunit: a post with terms, an excerpt and a comment; a page
    "wxr-comprehensive.xml": (("--comments",), {"posts": {"Comprehensive Post": {"author": "Alice", "categories": ["News", "Updates"], "tags": ["T1", "T2"], "excerpt": "An excerpt for comprehensive post", "comments": ["Great post!"]}}, "left_out": ["1 page"]}),
    # no WordPress test in phpunit: CSS backgrounds mean nothing in a book; the paragraphs and the image stay
    "wxr-css-urls.xml": ((), {"posts": {"CSS URL Migration Test": {"text": ["Quoted URL with single quotes", "Data URI (should not be migrated)"]}}, "warns": ["import.remote-images"]}),
    # import.php test_flat_attachment_import_rewrites_attachment_url: the post and its image
    "wxr-flat-attachment-different-site.xml": ((), {"posts": {"Post with Attachment": {"text": ["This post has an attachment."], "image": "canola2.jpg"}}, "left_out": ["1 attachment"], "warns": ["import.remote-images"]}),
    "wxr-flat-attachment-same-site.xml": ((), {"posts": {"Post with Attachment": {"text": ["This post has an attachment."], "image": "canola2.jpg"}}, "left_out": ["1 attachment"], "warns": ["import.remote-images"]}),
    # parser.php test_parse_simple_wxr_content
    "wxr-simple.xml": ((), {"posts": {'"The Road Not Taken" by Robert Frost': {"wp_id": 10, "slug": "hello-world", "author": "admin"}}}),
    # parser.php test_parse_wxr_with_challenging_utf8_sequences
    "wxr-utf-8-challenges.xml": ((), {"utf8": True}),
    # parser.php test_parse_wxr_with_sub_data: post 101, its category, its comment (no approval status: approved)
    "wxr-with-sub-data.xml": (("--comments",), {"posts": {"Post with sub data": {"wp_id": 101, "author": "admin", "categories": ["Test Category"], "comments": ["This is a comment with meta."]}}}),
}


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.xml")) if CORPUS.is_dir() else sorted(EXPECT)


def plain_text(markdown: str) -> str:
    """A post's body as the reader sees it (Markdown escapes resolved)."""
    from blog2book.pandoc import pandoc_path

    out = subprocess.run([pandoc_path(), "-f", "markdown-smart", "-t", "plain", "--wrap=none"], input=markdown, capture_output=True, text=True, check=True).stdout
    return out.strip()


def read_posts(folder: Path) -> dict[str, tuple[dict, str]]:
    posts = {}
    for p in sorted(folder.glob("*.md")):
        _, head, body = p.read_text("utf-8").split("---\n", 2)
        meta = yaml.safe_load(head)
        posts[meta["title"]] = (meta, body)
    return posts


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_corpus_file_has_an_expectation():
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent (the shared corpora are not in a user's clone)")
    assert set(corpus_files()) == set(EXPECT), set(corpus_files()) ^ set(EXPECT)


@pytest.mark.parametrize("name", corpus_files())
def test_wordpress_importer_test_file(tmp_path, name):
    src = CORPUS / name
    if not src.is_file():
        pytest.skip(f"{src} is absent (the shared corpora are not in a user's clone)")
    args, want = EXPECT[name]
    posts_dir = tmp_path / "posts"
    posts_dir.mkdir()
    (posts_dir / "mine.md").write_text("---\ntitle: Mine\n---\n\nA post of mine.\n", "utf-8")
    before = snapshot(posts_dir)
    result = run_cli("import", src, "--into", posts_dir, *args)
    err = result.stderr

    if want.get("empty_or_big"):
        if src.stat().st_size == 0:
            assert result.exit_code == 1 and f"{name}:1: error: the file is empty" in err and "[import.empty]" in err and "Traceback" not in err
            assert snapshot(posts_dir) == before
        else:
            assert result.exit_code == 0, err
        return
    if "refused" in want:
        line, words = want["refused"]
        assert result.exit_code == 1, err
        assert re.search(rf"{re.escape(name)}:{line}(:\d+)?: ", err), err
        assert words in err and "Traceback" not in err
        assert snapshot(posts_dir) == before  # posts/ unchanged
        return

    assert result.exit_code == 0, result.output
    posts = read_posts(posts_dir)
    posts.pop("Mine")
    for code in want.get("warns", []):
        assert f"[{code}]" in err, (code, err)
    if want.get("version_line"):
        line = src.read_text("utf-8").split("<wp:wxr_version>")[0].count("\n") + 1
        assert f"{name}:{line}: warning: this export names an odd WXR version 'abc'" in err
    if want.get("no_warning"):
        assert "warning" not in err, err
    left = re.search(r"left out: (.*)", err)
    for words in want.get("left_out", []):
        assert left and words in left.group(1), err
    if "count" in want:
        assert len(posts) == want["count"], sorted(posts)
    if want.get("utf8"):
        check_utf8(src, posts)
        return
    expected = want.get("posts", {})
    if expected:
        assert set(posts) == set(expected), sorted(posts)
    for title, checks in expected.items():
        meta, body = posts[title]
        check_post(meta, body, checks)


def check_post(meta: dict, body: str, checks: dict) -> None:
    text = plain_text(body)
    for fragment in checks.get("text", []):
        assert fragment in text, (fragment, text)
    if "ends" in checks:
        assert text.endswith(checks["ends"]), text
    if "author" in checks:
        assert meta.get("author") == checks["author"], meta
    for key in ("categories", "tags"):
        if key in checks:
            assert sorted(meta.get(key, [])) == sorted(checks[key]), meta
    if "ncategories" in checks:
        assert len(meta["categories"]) == checks["ncategories"], meta
    for key in ("wp_id", "slug", "excerpt"):
        if key in checks:
            assert meta.get(key) == checks[key], meta
    comments = meta.get("comments", [])
    if "comments" in checks:
        assert [plain_text(c["content"]) for c in comments] == checks["comments"], comments
    if "ncomments" in checks:
        assert len(comments) == checks["ncomments"], comments
    if "image" in checks:
        assert re.search(rf"!\[[^\]]*\]\([^)]*{re.escape(checks['image'])}\)", body), body


def check_utf8(src: Path, posts: dict) -> None:
    assert len(posts) == 1
    (meta, body), = posts.values()
    source = src.read_text("utf-8")
    title = re.search(r"<item>\s*<title>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</title>", source, re.S).group(1)
    assert meta["title"] == title.strip()  # emoji, right-to-left overrides and all
    text = plain_text(body)
    for fragment in ("T̷̢̯̭̈w̴̰̜̾o̷͉̅ ̵̨͔̔r̶̞̈o̷̰͇̍ä̴́ͅd̶̰̒s̵̞̈́", "𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄", "السلام عليكم وﷲ"):
        assert fragment in text, fragment
    category = re.search(r'<category domain="category"[^>]*><!\[CDATA\[(.*?)\]\]>', source).group(1)
    assert meta["categories"] == [category.strip()] and "🎭" in category
    assert meta["excerpt"].startswith("T̷̢̯̭̈h̶̰̾i̵̱̇s̶̰̍") and "🚀🌟" in meta["excerpt"] and "خدسنگ" in meta["excerpt"]
    assert meta["author"].startswith("A̸̰̅d̴̰͝m̵͎̽i̵̱̋n̷̰̎")
    # the file name holds no invisible character (the slug had right-to-left overrides)
    assert meta["slug"] == "hello-world-utf8-💫-test", meta["slug"]


@pytest.mark.parametrize(("name", "include", "titles"), [
    ("small-export.xml", "private,pages,drafts", {"Many Categories", "Non-standard post format", "Top-level Foo", "Foo-child", "Private Post",
                                                   "1-col page", "Draft Page", "Parent Page", "Child Page", "Sample Page", "Hello world!"}),
    ("valid-wxr-1.0.xml", "pages", {"Hello world!", "About", "Alpha post", "Child post", "Child page", "Parent page"}),
    ("valid-wxr-1.1.xml", "pages", {"Hello world!", "About"}),
    ("test-serialized-comment-meta.xml", "drafts", {"My Entry with comments and comment meta"}),
])
def test_include_gives_every_item_wordpress_counts(tmp_path, name, include, titles):
    """WordPress's counts take every item; --include brings them back, drafts and pages marked."""
    src = CORPUS / name
    if not src.is_file():
        pytest.skip(f"{src} is absent")
    result = run_cli("import", src, "--into", tmp_path / "posts", "--include", include, "--comments")
    assert result.exit_code == 0, result.output
    posts = read_posts(tmp_path / "posts")
    assert set(posts) == titles
    if name == "small-export.xml":
        assert [t.lower() for t in posts["Private Post"][0]["tags"]] == ["tag1", "tag2", "tag3"]
        assert posts["Private Post"][0]["draft"] is True and posts["Draft Page"][0]["draft"] is True
    if name == "test-serialized-comment-meta.xml":
        (meta, _), = posts.values()
        assert len(meta["comments"]) == 1 and meta["comments"][0]["author"] == "A WordPress Commenter"
