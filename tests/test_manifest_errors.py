"""Each bad manuscript in tests/manifests/bad is reported with FILE:LINE:COL, a message and a hint."""

import pytest

from conftest import REPO, run_cli

BAD = "tests/manifests/bad"
EXPECTED = {
    "misspelled-key.yml": [
        f"{BAD}/misspelled-key.yml:5:5: error: chapters[0]: unknown key 'tittle' (did you mean 'title'?) [manifest.unknown-key]",
    ],
    "unknown-top-key.yml": [
        f"{BAD}/unknown-top-key.yml:2:1: error: manuscript: unknown key 'autor' (did you mean 'author'?) [manifest.unknown-key]",
    ],
    "unknown-slug.yml": [
        f"{BAD}/unknown-slug.yml:6:29: error: no post 'deuxieme-bilet' in {REPO}/tests/roots/tiny/posts (did you mean 'deuxieme-billet'?) [manifest.unknown-post]",
    ],
    "duplicate-post.yml": [
        f"{BAD}/duplicate-post.yml:12:13: error: post 'premier-billet' is used twice (first at line 6) (a post can appear only once in a book; remove one of them) [manifest.duplicate-post]",
    ],
    "missing-title.yml": [
        f"{BAD}/missing-title.yml:1:1: error: manuscript: missing required key 'title' [manifest.missing-key]",
    ],
    "bad-yaml.yml": [
        f"{BAD}/bad-yaml.yml:6:11: error: invalid YAML: mapping values are not allowed here (check the indentation: a key must line up with the other keys of its mapping) [manifest.yaml]",
    ],
    "bad-values.yml": [
        f"{BAD}/bad-values.yml:3:7: error: lang: 'français du Québec' is not a BCP 47 language tag (for example fr-CA, fr-FR or en) [manifest.invalid]",
        f"{BAD}/bad-values.yml:5:13: error: typography: 'quebec' is not one of fr-CA, quebec-office, fr-FR, en, off (did you mean 'quebec-office'?) [manifest.invalid]",
        f"{BAD}/bad-values.yml:6:7: error: trim: '6 by 9' is not a page size (write it as width height, e.g. '6in 9in' or '140mm 205mm') [manifest.invalid]",
        f"{BAD}/bad-values.yml:7:7: error: isbn: '978-2-89644-000-0' is not a valid ISBN-13 (check digit or length) [manifest.invalid]",
        f"{BAD}/bad-values.yml:10:12: error: chapters[0].posts: expected a non-empty list of post slugs [manifest.invalid]",
    ],
    "unknown-style.yml": [
        f"{BAD}/unknown-style.yml:4:8: error: no style 'medias-sociaux-102' (known styles: medias-sociaux-101, medias-sociaux-201) (did you mean 'medias-sociaux-101'?) [style.unknown]",
    ],
    "nested-part.yml": [
        f"{BAD}/nested-part.yml:7:9: error: chapters[0].chapters[0]: a part cannot contain another part (list its chapters directly, or move it to the top level) [manifest.invalid]",
    ],
    "missing-posts-dir.yml": [
        f"{BAD}/missing-posts-dir.yml:3:8: error: posts: folder '{REPO}/tests/manifests/nulle-part' does not exist [manifest.posts-dir]",
    ],
    "bad-comments.yml": [
        f"{BAD}/bad-comments.yml:7:42: error: chapters[0].posts[0].comments: expected 'all' or a list of comment ids (for example comments: all, or comments: [501, 502]) [manifest.invalid]",
        f"{BAD}/bad-comments.yml:8:33: error: chapters[0].posts[1]: unknown key 'comentaires' (did you mean 'comments'?) [manifest.unknown-key]",
        f"{BAD}/bad-comments.yml:9:35: error: chapters[1].comments[1]: expected a comment id (a number), got str 'deux' (the ids are in the post's front matter, under comments:) [manifest.invalid]",
    ],
    "bad-utf8.yml": [
        f"{BAD}/bad-utf8.yml:5:15: error: the file is not valid UTF-8 (byte 0xe9) (save it as UTF-8) [manifest.encoding]",
    ],
}


def test_every_bad_manifest_has_an_expectation():
    files = {p.name for p in (REPO / BAD).glob("*.yml")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_every_error_with_location(name):
    result = run_cli("check", "-q", f"{BAD}/{name}", "--allow-outside", "tests/roots", cwd=REPO)  # their posts: tests/roots
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if "] " not in line and line.endswith("]")]
    assert errors == EXPECTED[name]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["misspelled-key.yml", "unknown-slug.yml", "duplicate-post.yml"])
def test_build_writes_nothing_on_manifest_errors(name, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{name[:-4]}.pdf").write_bytes(b"previous pdf")
    result = run_cli("build", f"{BAD}/{name}", "-o", out, "--allow-outside", "tests/roots", cwd=REPO)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [f"{name[:-4]}.pdf"]
    assert (out / f"{name[:-4]}.pdf").read_bytes() == b"previous pdf"
