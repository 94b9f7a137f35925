"""``blog2book import``: the sources of tests/roots/import imported through the CLI.

The expectations are written by hand from the source files (blog.wxr, feed.rss, feed.atom,
jekyll/, hugo/): which posts exist, their front matter, what is left out, the comments kept.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from blog2book.sources import read_posts
from tests.conftest import run_cli

ROOT = Path(__file__).parent / "roots" / "import"
WXR = ROOT / "blog.wxr"
SITE = "https://www.exemple-blogue.com"
PUBLISHED = {"pourquoi-bloguer.md", "réseaux-et-stratégie.md", "reputation-en-ligne.md"}
# every e-mail address, IP address and commenter site of blog.wxr: none may reach the posts
PRIVATE = [
    "auteure@exemple-blogue.com", "jean.tremblay@courriel-prive.example", "spam@pourriel.example", "presse@attente.example",
    "203.0.113.42", "198.51.100.7", "192.0.2.99", "192.0.2.120", "192.0.2.5", "jean-tremblay.example",
]


def imp(cwd: Path, *args):
    return run_cli("import", *args, cwd=cwd)


def post(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def wxr_posts(tmp_path):
    result = imp(tmp_path, WXR, "--comments")
    assert result.exit_code == 0, result.output
    return tmp_path / "posts", result


# ---------------------------------------------------------------- WordPress export


def test_wxr_imports_published_posts_and_counts_what_it_leaves_out(wxr_posts):
    posts, result = wxr_posts
    assert {p.name for p in posts.glob("*.md")} == PUBLISHED
    left = re.search(r"left out: (.*)", result.stderr).group(1)
    for what in ("1 draft,", "1 pending", "1 private", "1 trash", "1 page,", "1 attachment,", "1 revision,", "1 menu item,", "1 spam comment,", "1 pingback,", "1 unapproved comment"):
        assert what in left, left
    assert "3 added, 0 updated, 0 unchanged, 0 kept" in result.stderr


def test_wxr_front_matter(wxr_posts):
    meta, _ = post(wxr_posts[0] / "pourquoi-bloguer.md")
    assert meta["title"] == "Pourquoi bloguer encore"
    assert meta["date"] == dt.datetime(2010, 10, 29, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert meta["slug"] == "pourquoi-bloguer"
    assert meta["url"] == f"{SITE}/2010/10/29/pourquoi-bloguer/"
    assert meta["aliases"] == [f"{SITE}/?p=101", f"{SITE}/pourquoi-bloguer/"]
    assert meta["wp_id"] == 101
    assert meta["author"] == "Michelle Blanc"  # the display name, not the login
    assert meta["categories"] == ["Stratégie"]
    assert meta["tags"] == ["Blogue", "Médias & société"]  # &amp; in the export
    assert meta["excerpt"] == "Pourquoi je blogue encore, en trois raisons."
    meta, _ = post(wxr_posts[0] / "reputation-en-ligne.md")
    assert "excerpt" not in meta and meta["date"].utcoffset() == dt.timedelta(hours=-5)


def test_percent_encoded_slug_and_double_encoded_title(wxr_posts):
    meta, _ = post(wxr_posts[0] / "réseaux-et-stratégie.md")
    assert meta["slug"] == "réseaux-et-stratégie"
    assert meta["title"] == "La stratégie … avant les outils"  # &amp;#8230; in the export
    assert meta["url"] == f"{SITE}/2010/11/15/r%c3%a9seaux-et-strat%c3%a9gie/"


def test_cdata_split_around_its_end_marker_is_restored(wxr_posts):
    _, body = post(wxr_posts[0] / "reputation-en-ligne.md")
    assert "a[b[1]]>c" in body


def test_classic_and_block_content_keep_their_structure(wxr_posts):
    _, classic = post(wxr_posts[0] / "pourquoi-bloguer.md")
    assert re.search(r"^Bloguer, c.est penser", classic, re.M)  # no <p> in the export: a paragraph all the same
    assert re.search(r"^[-*+]\s+la mémoire des idées;$", classic, re.M)
    _, block = post(wxr_posts[0] / "réseaux-et-stratégie.md")
    assert "wp:" not in block and "<!--" not in block
    assert re.search(r"^#+ Les étapes$", block, re.M)
    assert re.search(r"^1\.\s+Écouter$", block, re.M)
    assert re.search(r"^\s+[-*+]\s+répondre$", block, re.M)  # the nested list stays nested


def test_block_editor_table_is_a_markdown_table(wxr_posts):
    _, block = post(wxr_posts[0] / "réseaux-et-stratégie.md")
    assert "<table" not in block and "<figure" not in block
    rows = [line for line in block.splitlines() if "Montréal" in line or "Québec" in line]
    assert len(rows) == 2 and "210" in rows[0] and "316" in rows[1]  # a table: one row per line


def test_imported_posts_read_back_without_a_diagnostic(wxr_posts):
    posts, failed, diags = read_posts(wxr_posts[0])
    assert not failed and not diags, [d.format() for d in diags]
    assert set(posts) == {"pourquoi-bloguer", "réseaux-et-stratégie", "reputation-en-ligne"}
    assert posts["pourquoi-bloguer"].date.iso == "2010-10-29" and posts["pourquoi-bloguer"].wp_id == 101


def test_comments_approved_only_in_thread_order(wxr_posts):
    meta, _ = post(wxr_posts[0] / "pourquoi-bloguer.md")
    comments = meta["comments"]
    assert [(c["id"], c["parent"], c["author"]) for c in comments] == [(501, 0, "Jean Tremblay"), (502, 501, "Michelle Blanc")]
    assert comments[0]["date"] == dt.datetime(2010, 10, 29, 11, 5, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert "Bravo pour ce billet." in comments[0]["content"] and "La conversation est la clé." in comments[0]["content"]
    assert set(comments[0]) == {"id", "parent", "author", "date", "content"}


def test_no_email_or_ip_address_anywhere_in_the_output(tmp_path):
    result = imp(tmp_path, WXR, "--comments", "--include", "pages,drafts,pending,private,pingbacks", "--media", ROOT / "uploads")
    assert result.exit_code == 0, result.output
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 5
    for path in files:
        data = path.read_bytes()
        for secret in PRIVATE:
            assert secret.encode() not in data, f"{secret} in {path}"
    for secret in PRIVATE:
        assert secret not in result.output


def test_comments_are_not_imported_unless_asked(tmp_path):
    result = imp(tmp_path, WXR)
    assert result.exit_code == 0, result.output
    meta, _ = post(tmp_path / "posts" / "pourquoi-bloguer.md")
    assert "comments" not in meta
    assert "5 comments (import them with --comments)" in result.stderr


def test_include_brings_back_pages_drafts_and_pingbacks(tmp_path):
    result = imp(tmp_path, WXR, "--comments", "--include", "pages,drafts,pingbacks")
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "posts").glob("*.md")}
    assert names == PUBLISHED | {"a-propos.md", "un-brouillon-jamais-publie.md"}
    meta, _ = post(tmp_path / "posts" / "un-brouillon-jamais-publie.md")
    assert meta["draft"] is True and meta["date"] == dt.datetime(2011, 2, 1, 10, 0) and "url" not in meta
    meta, _ = post(tmp_path / "posts" / "pourquoi-bloguer.md")
    assert [c["id"] for c in meta["comments"]] == [501, 502, 504]
    assert "1 draft," not in result.stderr and "1 pending" in result.stderr


def test_include_rejects_an_unknown_kind(tmp_path):
    result = imp(tmp_path, WXR, "--include", "pagse")
    assert result.exit_code == 2 and "pagse" in result.output


def test_media_copies_the_original_of_a_resized_image(tmp_path):
    result = imp(tmp_path, WXR, "--media", ROOT / "uploads")
    assert result.exit_code == 0, result.output
    _, body = post(tmp_path / "posts" / "pourquoi-bloguer.md")
    assert "](images/2010/10/photo.png" in body and "wp-content" not in body
    copied = tmp_path / "posts" / "images" / "2010" / "10" / "photo.png"
    assert copied.read_bytes() == (ROOT / "uploads" / "2010" / "10" / "photo.png").read_bytes()
    assert not (tmp_path / "posts" / "images" / "2010" / "10" / "photo-300x200.png").exists()
    assert "1 image(s) copied" in result.stderr


def test_gallery_images_found_by_attachment_id_even_after_the_post(tmp_path):
    result = imp(tmp_path, WXR, "--media", ROOT / "uploads")
    _, body = post(tmp_path / "posts" / "reputation-en-ligne.md")
    assert "](images/2010/10/photo.png)" in body and "[gallery" not in body
    line = WXR.read_text("utf-8")[: WXR.read_text("utf-8").index('[gallery ids="109"]')].count("\n") + 1
    assert f"blog.wxr:{line}: info: [gallery]" in result.stderr


def test_without_media_images_stay_urls(tmp_path):
    assert imp(tmp_path, WXR).exit_code == 0
    _, body = post(tmp_path / "posts" / "pourquoi-bloguer.md")
    assert f"{SITE}/wp-content/uploads/2010/10/photo-300x200.png" in body
    assert not (tmp_path / "posts" / "images").exists()


def test_media_variant_used_when_the_original_is_missing(tmp_path):
    from blog2book.importers.media import MediaMap

    media = MediaMap(ROOT / "uploads", tmp_path)
    assert media("http://exemple-blogue.com/wp-content/uploads/2010/10/graphique-150x150.png") == "images/2010/10/graphique-150x150.png"
    assert media(f"{SITE}/wp-content/uploads/2010/10/photo-1024x768.png") == "images/2010/10/photo.png"
    assert media(f"{SITE}/wp-content/uploads/2010/10/absente.png") is None
    assert media("https://ailleurs.example/photo.png") is None
    assert media(f"{SITE}/wp-content/uploads/../../etc/passwd") is None
    assert "absente.png" in media.diagnostics()[0].message


# ---------------------------------------------------------------- feeds, Jekyll, Hugo


def test_rss_feed(tmp_path):
    result = imp(tmp_path, ROOT / "feed.rss")
    assert result.exit_code == 0, result.output
    meta, body = post(tmp_path / "posts" / "influence-et-portée.md")
    assert meta["wp_id"] == 104 and meta["aliases"][0] == f"{SITE}/?p=104"
    assert meta["date"] == dt.datetime(2011, 2, 3, 15, 0, tzinfo=dt.timezone.utc)
    assert meta["categories"] == ["Influence"] and meta["author"] == "Michelle Blanc"
    assert re.search(r"^[-*+]\s+la confiance$", body, re.M)
    meta, body = post(tmp_path / "posts" / "twitter-politique.md")
    assert meta["title"] == "Twitter en campagne électorale" and "résumé seulement" in body
    assert "1 item(s) of the feed carry only a summary" in result.stderr


def test_atom_feed(tmp_path):
    result = imp(tmp_path, ROOT / "feed.atom", "--into", "billets")
    assert result.exit_code == 0, result.output
    meta, body = post(tmp_path / "billets" / "bilan-dix-ans.md")
    assert meta["title"] == "Dix ans de blogue, un bilan" and meta["wp_id"] == 106
    assert meta["date"] == dt.datetime(2011, 6, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert meta["categories"] == ["Bilan"] and meta["excerpt"] == "Dix ans, un bilan."
    assert re.search(r"^#+ Les chiffres$", body, re.M)
    meta, body = post(tmp_path / "billets" / "conference-montreal.md")
    assert "**très**" in body and "(https://www.exemple-blogue.com/2011/06/30/bilan-dix-ans/)" in body
    assert "div" not in body and ":::" not in body


def test_jekyll_folder(tmp_path):
    result = imp(tmp_path, ROOT / "jekyll")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "posts").glob("*.md")} == {"influence-et-portee.md", "conference.md"}
    meta, body = post(tmp_path / "posts" / "influence-et-portee.md")
    assert meta["url"] == "https://exemple-blogue.github.io/blogue/medias/sociaux/2011/02/03/influence-et-portee.html"
    assert meta["date"] == dt.datetime(2011, 2, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert meta["categories"] == ["medias", "sociaux"] and meta["tags"] == ["influence", "mesure"]
    assert "2011-02-03-influence-et-portee.md:12: warning: the Liquid {% include figure.html" in result.stderr  # the image it names
    assert "2011-02-03-influence-et-portee.md:12: warning: image 'portee.png' is not in the site's folders" in result.stderr
    assert "[Image introuvable\u00a0: portee.png]{.image-missing}" in body and "{%" not in body
    meta, _ = post(tmp_path / "posts" / "conference.md")
    assert meta["url"] == "https://exemple-blogue.github.io/blogue/conferences/montreal-2011/"
    assert meta["date"] == dt.date(2011, 5, 10)
    assert "1 draft" in result.stderr


def test_hugo_folder(tmp_path):
    result = imp(tmp_path, ROOT / "hugo" / "content")  # the content folder itself; the config is beside it
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "posts").glob("*.md")} == {"strategie-medias-sociaux.md", "bundle-dix-ans.md"}
    meta, body = post(tmp_path / "posts" / "strategie-medias-sociaux.md")
    assert meta["url"] == "https://hugo.exemple-blogue.com/2010/11/strategie-medias-sociaux/"  # permalinks.posts
    assert meta["aliases"] == ["https://hugo.exemple-blogue.com/old/strategie/"]
    assert meta["date"] == dt.datetime(2010, 11, 15, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert meta["categories"] == ["Stratégie"] and meta["excerpt"] == "Le plan d’abord."
    meta, _ = post(tmp_path / "posts" / "bundle-dix-ans.md")
    assert meta["title"] == "Dix ans de blogue" and meta["author"] == "Michelle Blanc"
    assert "1 draft, 1 page" in result.stderr


def test_hugo_default_permalink_is_section_and_slug(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "hugo", site)
    (site / "config.toml").write_text('baseURL = "https://h.example/"\n', "utf-8")
    assert imp(tmp_path, site, "--from", "hugo").exit_code == 0
    meta, _ = post(tmp_path / "posts" / "bundle-dix-ans.md")
    assert meta["url"] == "https://h.example/posts/bundle-dix-ans/"


def test_unknown_source_kind_says_use_from(tmp_path):
    other = tmp_path / "notes.xml"
    other.write_text("<notes/>", "utf-8")
    result = imp(tmp_path, other)
    assert result.exit_code == 1 and "--from" in result.stderr and "notes.xml:1" in result.stderr


# ---------------------------------------------------------------- re-import, dry run, broken exports


def test_reimport_updates_changed_posts_and_keeps_edited_ones(tmp_path):
    export = tmp_path / "export.wxr"
    shutil.copy(WXR, export)
    assert imp(tmp_path, export).exit_code == 0
    again = imp(tmp_path, export)
    assert "0 added, 0 updated, 3 unchanged, 0 kept" in again.stderr

    edited = tmp_path / "posts" / "reputation-en-ligne.md"
    edited.write_text(edited.read_text("utf-8").replace("se joue en ligne", "se joue en ligne (corrigé)"), "utf-8")
    text = export.read_text("utf-8")
    text = text.replace("Bloguer, c’est penser à voix haute", "Bloguer, c’est encore penser à voix haute")  # changed on the blog
    text = text.replace("La première impression se joue", "La toute première impression se joue")  # both sides changed
    export.write_text(text, "utf-8")
    third = imp(tmp_path, export)
    assert third.exit_code == 0, third.output
    assert "0 added, 1 updated, 1 unchanged, 1 kept" in third.stderr
    assert "reputation-en-ligne.md:1: info: edited since the last import" in third.stderr
    assert "encore penser" in (tmp_path / "posts" / "pourquoi-bloguer.md").read_text("utf-8")
    assert "(corrigé)" in edited.read_text("utf-8")

    fourth = imp(tmp_path, export)  # still edited: still kept
    assert "0 added, 0 updated, 2 unchanged, 1 kept" in fourth.stderr
    forced = imp(tmp_path, export, "--force")
    assert "0 added, 1 updated, 2 unchanged, 0 kept" in forced.stderr
    assert "La toute première" in edited.read_text("utf-8") and "(corrigé)" not in edited.read_text("utf-8")


def test_a_post_not_written_by_an_import_is_kept(tmp_path):
    (tmp_path / "posts").mkdir()
    mine = tmp_path / "posts" / "pourquoi-bloguer.md"
    mine.write_text("---\ntitle: Le mien\n---\n\nMon texte.\n", "utf-8")
    result = imp(tmp_path, WXR)
    assert "2 added, 0 updated, 0 unchanged, 1 kept" in result.stderr
    assert "was not written by an import" in result.stderr
    assert mine.read_text("utf-8") == "---\ntitle: Le mien\n---\n\nMon texte.\n"


def test_dry_run_writes_nothing_and_prints_the_plan(tmp_path):
    result = imp(tmp_path, WXR, "--dry-run", "--media", ROOT / "uploads")
    assert result.exit_code == 0, result.output
    assert os.listdir(tmp_path) == []
    for name in PUBLISHED:
        assert re.search(rf"^added\s+posts/{re.escape(name)}$", result.stdout, re.M), result.stdout
    assert "would import 3 post(s)" in result.stderr and "nothing was written" in result.stderr
    assert imp(tmp_path, WXR).exit_code == 0
    before = snapshot(tmp_path / "posts")
    again = imp(tmp_path, WXR, "--dry-run", "--force")
    assert re.search(r"^unchanged\s+posts/pourquoi-bloguer\.md$", again.stdout, re.M)
    assert snapshot(tmp_path / "posts") == before


def _existing_posts(tmp_path: Path) -> dict[str, bytes]:
    assert imp(tmp_path, ROOT / "feed.rss").exit_code == 0
    return snapshot(tmp_path / "posts")


def test_truncated_export_is_an_error_and_changes_nothing(tmp_path):
    before = _existing_posts(tmp_path)
    data = WXR.read_bytes()
    cut = data[: data.index(b"<title>R\xc3\xa9putation") + 20]
    broken = tmp_path / "coupe.wxr"
    broken.write_bytes(cut)
    result = imp(tmp_path, broken, "--comments", "--media", ROOT / "uploads")
    assert result.exit_code == 1
    lines = cut.count(b"\n") + 1
    assert re.search(rf"coupe\.wxr:{lines}:\d+: error: the file ends before the export does \(no element found\): it is truncated", result.stderr), result.stderr
    assert "Traceback" not in result.output
    assert snapshot(tmp_path / "posts") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coupe.wxr", "posts"]  # no temporary folder left


def test_malformed_export_names_the_line(tmp_path):
    before = _existing_posts(tmp_path)
    text = WXR.read_text("utf-8").replace("<title>Réputation en ligne : la première impression</title>", "<title>Réputation en ligne</titre>")
    broken = tmp_path / "mal.wxr"
    broken.write_text(text, "utf-8")
    line = text[: text.index("</titre>")].count("\n") + 1
    result = imp(tmp_path, broken)
    assert result.exit_code == 1
    assert re.search(rf"mal\.wxr:{line}:\d+: error: the file is not well-formed XML: mismatched tag", result.stderr), result.stderr
    assert snapshot(tmp_path / "posts") == before


def test_entity_declarations_are_refused(tmp_path):
    bomb = tmp_path / "bombe.wxr"
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    bomb.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY l0 "lol">{lol}]>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&l9;</title></item></channel></rss>\n', "utf-8")
    result = imp(tmp_path, bomb)
    assert result.exit_code == 1 and "bombe.wxr:2" in result.stderr and "declares XML entities" in result.stderr
    assert not (tmp_path / "posts").exists()


def test_broken_front_matter_in_a_jekyll_post_is_reported_and_nothing_written(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "jekyll", site)
    (site / "_posts" / "2011-06-01-casse.md").write_text("---\ntitle: [pas fermé\n---\n\nTexte.\n", "utf-8")
    result = imp(tmp_path, site / "_posts")
    assert result.exit_code == 1 and "2011-06-01-casse.md:2" in result.stderr and "[import.front-matter]" in result.stderr
    assert not (tmp_path / "posts").exists()


# ---------------------------------------------------------------- end to end: import, then build a book

# link text in the exported posts -> (slug of the target, the URL shape as written in the export)
INTERNAL = {
    "mon billet sur la stratégie": "réseaux-et-stratégie",  # http, no www., no slash, %C3%A9 upper case
    "un billet précédent": "pourquoi-bloguer",  # ?p=101
    "la réputation en ligne": "reputation-en-ligne",  # the undated permalink /slug/
    "la stratégie": "réseaux-et-stratégie",  # /yyyy/mm/slug/amp/ for a /yyyy/mm/dd/slug/ permalink
    "premier billet": "pourquoi-bloguer",  # /slug without the slash
}
MANUSCRIPT = """\
title: Un blogue importé
author: Michelle Blanc
lang: fr-CA
date: 2026-11-29
chapters:
  - title: Bloguer
    posts: [{post: pourquoi-bloguer, comments: all}]
  - title: Stratégie et réputation
    posts: [réseaux-et-stratégie, reputation-en-ligne]
"""


@pytest.fixture(scope="module")
def imported_book(tmp_path_factory):
    project = tmp_path_factory.mktemp("imported")
    result = imp(project, WXR, "--comments", "--media", ROOT / "uploads")
    assert result.exit_code == 0, result.output
    (project / "manuscripts").mkdir()
    (project / "manuscripts" / "blogue.yml").write_text(MANUSCRIPT, "utf-8")
    built = run_cli("build", "-f", "epub", "-f", "pdf", "-f", "md", "-o", "build", cwd=project)
    assert built.exit_code == 0, built.output
    # the one warning: the gallery's image has no description in the export (no alt, no caption)
    warnings = [line for line in built.stderr.splitlines() if ": warning:" in line]
    assert [w.split(":")[0] for w in warnings] == ["posts/reputation-en-ligne.md"] and "[image.no-alt]" in warnings[0], built.stderr
    return project / "build"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java")
def test_imported_book_passes_epubcheck(imported_book):
    from tests.conftest import epubcheck_messages

    valid, messages = epubcheck_messages(imported_book / "blogue.epub")
    assert valid and not messages, messages


@pytest.mark.slow
def test_imported_links_are_cross_references_in_the_epub(imported_book):
    import zipfile
    from pathlib import PurePosixPath

    from lxml import etree

    xhtml = "{http://www.w3.org/1999/xhtml}"
    with zipfile.ZipFile(imported_book / "blogue.epub") as z:
        docs = {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}

    def text(el) -> str:
        return " ".join("".join(el.itertext()).split())

    titles = {"pourquoi-bloguer": "Pourquoi bloguer encore", "réseaux-et-stratégie": "La stratégie … avant les outils", "reputation-en-ligne": "Réputation en ligne : la première impression"}
    for link_text, slug in INTERNAL.items():
        links = [(n, a) for n, d in docs.items() for a in d.iter(f"{xhtml}a") if text(a) == link_text]
        assert len(links) == 1, link_text
        name, a = links[0]
        path, _, frag = a.get("href").partition("#")
        assert frag and not re.match(r"^[a-z]+:", path), (link_text, a.get("href"))
        target = str(PurePosixPath(name).parent / path) if path else name
        element = next(el for el in docs[target].iter() if el.get("id") == frag)
        heads = [h for h in element.iter(f"{xhtml}h1", f"{xhtml}h2") if "post-title" in (h.get("class") or "")]
        assert heads and text(heads[0]) == titles[slug], (link_text, text(heads[0]) if heads else None)
    images = [n for n in zipfile.ZipFile(imported_book / "blogue.epub").namelist() if n.endswith(".png")]
    assert images, "the imported image is in the EPUB"


@pytest.mark.slow
def test_imported_comments_are_printed_after_their_post(imported_book):
    import zipfile

    with zipfile.ZipFile(imported_book / "blogue.epub") as z:
        text = " ".join(z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.endswith(".xhtml"))
    flat = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    assert "Commentaires" in flat and "Jean Tremblay" in flat and "Elle continue ici." in flat
    assert flat.index("Bravo pour ce billet.") < flat.index("Elle continue ici.")  # the reply after its comment
    for secret in ("Cheap Pills", "Achetez nos pilules", "Un autre blogue", "En attente de modération"):
        assert secret not in flat


@pytest.mark.slow
def test_imported_links_are_page_references_in_the_pdf(imported_book):
    pypdf = pytest.importorskip("pypdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(imported_book / "blogue.pdf")).pages)
    flat = re.sub(r"\s+", "", text)
    assert flat.count("(voirp.") == len(INTERNAL), flat
    assert "exemple-blogue.com" not in flat  # no internal link became a web note


@pytest.mark.slow
def test_imported_text_and_structure_in_the_pdf(imported_book):
    pypdf = pytest.importorskip("pypdf")
    pages = [p.extract_text() for p in pypdf.PdfReader(str(imported_book / "blogue.pdf")).pages]
    page = next(t for t in pages if "Les étapes" in t)
    flat = re.sub(r"\s+", "", page)
    for text in ("Lastratégie…avantlesoutils", "Écouter", "Participer", "répondre", "Mesurer", "Montréal210", "Québec316"):
        assert text in flat, (text, page)
    assert re.search(r"Écouter\s*Participer\s*répondre", page)  # one item per line, the nested one after its parent
    comments = next(t for t in pages if "Commentaires" in t)
    assert "Jean Tremblay" in comments and "Michelle Blanc" in comments


@pytest.mark.slow
def test_a_list_item_that_reads_like_a_share_button_is_kept(imported_book):
    md = (imported_book / "blogue.md").read_text("utf-8")
    assert re.search(r"^\s+[-*+]\s+partager$", md, re.M)


@pytest.mark.slow
def test_imported_structure_in_the_markdown_edition(imported_book):
    md = (imported_book / "blogue.md").read_text("utf-8")
    assert re.search(r"^\s*[-*+]\s+la mémoire des idées", md, re.M)
    assert re.search(r"^\s+[-*+]\s+répondre", md, re.M)
    assert "Montréal" in md and "wp:" not in md


def test_from_must_match_a_file_or_a_folder(tmp_path):
    result = imp(tmp_path, ROOT / "jekyll", "--from", "wordpress")
    assert result.exit_code == 1 and "--from wordpress reads a file" in result.stderr
    result = imp(tmp_path, ROOT / "hugo", "--from", "jekyll")
    assert result.exit_code == 1 and "no _posts folder here" in result.stderr
    assert not (tmp_path / "posts").exists()


def test_new_posts_folder_is_an_ordinary_folder(tmp_path):
    assert imp(tmp_path, ROOT / "feed.rss").exit_code == 0
    mode = (tmp_path / "posts").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o777 & ~umask


def test_wxr_1_0_and_1_1_namespaces_read_alike(tmp_path):
    expected = snapshot_posts(tmp_path / "a", WXR)
    for version in ("1.0", "1.1"):
        older = tmp_path / f"export-{version}.wxr"
        older.write_text(WXR.read_text("utf-8").replace("wordpress.org/export/1.2/", f"wordpress.org/export/{version}/"), "utf-8")
        assert snapshot_posts(tmp_path / version, older) == expected


def snapshot_posts(project: Path, export: Path) -> dict[str, bytes]:
    project.mkdir()
    assert imp(project, export, "--comments").exit_code == 0
    return {k: v for k, v in snapshot(project / "posts").items() if k.endswith(".md")}


def test_strict_writes_nothing_when_there_is_a_warning(tmp_path):
    result = imp(tmp_path, ROOT / "jekyll", "--strict")  # a Liquid tag kept as text: a warning
    assert result.exit_code == 1 and "[import.template-tag]" in result.stderr
    assert not (tmp_path / "posts").exists()
