"""Attachments and galleries from the same export (issue 22, item 3), through the CLI.

A small WXR written here holds three posts that name their images by attachment id, each way
WordPress writes them (``[gallery]`` without ids: the images uploaded to the post; ``[gallery
ids=…]``; a block gallery and ``wp:image`` blocks, one with an empty alt, one self-closing), and
the attachments, some after the posts. The corpus's flat-attachment files are imported with an
uploads copy. Then the imported posts are built as a PDF, an EPUB and a web edition: no
``[gallery`` nor ``<!-- wp:`` anywhere, the images in the book (or, without ``--media``, named in
one warning per post).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli

ROOT = Path(__file__).parent / "roots" / "import"
PNG = ROOT / "uploads" / "2010" / "10" / "photo.png"
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "wordpress-importer"
UP = "https://blogue.example/wp-content/uploads/2020/05"


def attachment(wp_id: int, name: str, parent: int, order: int, alt: str, caption: str) -> str:
    meta = f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>" if alt else ""
    return f"""<item><title>{name}</title><link>https://blogue.example/{name}/</link>
<dc:creator>marie</dc:creator><content:encoded><![CDATA[]]></content:encoded><excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id><wp:post_date>2020-05-01 10:00:00</wp:post_date><wp:post_name>{name}</wp:post_name>
<wp:status>inherit</wp:status><wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{order}</wp:menu_order>
<wp:post_type>attachment</wp:post_type><wp:post_password></wp:post_password>
<wp:attachment_url>{UP}/{name}</wp:attachment_url>{meta}
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[2020/05/{name}]]></wp:meta_value></wp:postmeta></item>
"""


def post(wp_id: int, slug: str, title: str, content: str) -> str:
    return f"""<item><title>{title}</title><link>https://blogue.example/2020/05/{slug}/</link>
<dc:creator>marie</dc:creator><content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id><wp:post_date>2020-05-0{wp_id % 9} 10:00:00</wp:post_date><wp:post_name>{slug}</wp:post_name>
<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>
<category domain="category" nicename="voyages"><![CDATA[Voyages]]></category></item>
"""


BLOCKS = f"""<!-- wp:paragraph --><p>Galerie du bloc.</p><!-- /wp:paragraph -->
<!-- wp:gallery {{"linkTo":"none"}} -->
<figure class="wp-block-gallery has-nested-images columns-default"><!-- wp:image {{"id":202,"sizeSlug":"large"}} -->
<figure class="wp-block-image size-large"><img src="{UP}/vague-1024x768.png" alt="" class="wp-image-202"/></figure>
<!-- /wp:image -->
<!-- wp:image {{"id":201}} -->
<figure class="wp-block-image"><img src="{UP}/phare.png" alt="" class="wp-image-201"/><figcaption class="wp-element-caption">Le phare, vu du quai</figcaption></figure>
<!-- /wp:image --></figure>
<!-- /wp:gallery -->
<!-- wp:paragraph --><p>Un bloc d’image que l’éditeur a gardé sans son HTML :</p><!-- /wp:paragraph -->
<!-- wp:image {{"id":203}} /-->
<!-- wp:gallery {{"ids":[201,999]}} /-->"""

OLD_GALLERY = f"""<!-- wp:gallery {{"ids":[203,202]}} -->
<ul class="wp-block-gallery columns-2 is-cropped"><li class="blocks-gallery-item"><figure><img src="{UP}/dune.png" alt="" data-id="203" class="wp-image-203"/></figure></li><li class="blocks-gallery-item"><figure><img src="{UP}/vague-300x200.png" data-id="202"/><figcaption>La vague, de près</figcaption></figure></li></ul>
<!-- /wp:gallery -->"""
ALBUM = post(1, "album-du-voyage", "Album du voyage", "Les photos du voyage.\n\n[gallery]\n\nFin de l’album.")
DEUX = post(2, "deux-images", "Deux images", 'Avant.\n\n[gallery ids="203,201" columns="2"]\n\nAprès.')
WXR = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Carnet</title><link>https://blogue.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://blogue.example</wp:base_blog_url>
<wp:author><wp:author_login>marie</wp:author_login><wp:author_display_name><![CDATA[Marie Tremblay]]></wp:author_display_name></wp:author>
{ALBUM}
{attachment(201, "phare.png", 1, 1, "Un phare blanc", "Le phare au matin")}
{attachment(202, "vague.png", 1, 2, "Une vague", "")}
{attachment(204, "carnet.pdf", 1, 3, "", "")}
{DEUX}
{post(3, "blocs", "Blocs", BLOCKS)}
{post(4, "ancienne-galerie", "Ancienne galerie", OLD_GALLERY)}
{attachment(203, "dune.png", 2, 0, "Une dune", "La dune du Pilat")}
</channel></rss>
"""

MANUSCRIPT = """\
title: Carnet de voyage
author: Marie Tremblay
lang: fr-CA
chapters:
  - title: Photos
    posts: [album-du-voyage, deux-images, blocs, ancienne-galerie]
"""


@pytest.fixture(scope="module")
def uploads(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("uploads")
    (folder / "2020" / "05").mkdir(parents=True)
    from PIL import Image

    for name, colour in (("phare.png", (200, 40, 40)), ("vague.png", (40, 90, 200)), ("dune.png", (220, 190, 90))):
        Image.new("RGB", (120, 80), colour).save(folder / "2020" / "05" / name)  # three images, three files in the EPUB
    return folder


def project(tmp: Path) -> Path:
    (tmp / "export.xml").write_text(WXR, "utf-8")
    (tmp / "manuscripts").mkdir()
    (tmp / "manuscripts" / "carnet.yml").write_text(MANUSCRIPT, "utf-8")
    return tmp


def read(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def images(body: str) -> list[tuple[str, str]]:
    """(target, alt text) of each image of a post's Markdown."""
    out = []
    for m in re.finditer(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)(\{[^}]*\})?", body):
        given = re.search(r'alt="([^"]*)"', m.group(3) or "")  # a figure: ![caption](src){alt="…"}
        alt = given.group(1) if given else m.group(1)
        out.append((m.group(2), alt))
    return out


@pytest.fixture(scope="module")
def with_media(tmp_path_factory, uploads):
    root = project(tmp_path_factory.mktemp("with-media"))
    result = run_cli("import", "export.xml", "--into", "posts", "--media", uploads, cwd=root)
    assert result.exit_code == 0, result.output
    (root / "uploads-path").write_text(str(uploads), "utf-8")
    return root, result


@pytest.fixture(scope="module")
def without_media(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("without-media"))
    result = run_cli("import", "export.xml", "--into", "posts", cwd=root)
    assert result.exit_code == 0, result.output
    return root, result


def test_gallery_without_ids_shows_the_images_attached_to_the_post(with_media):
    root, _ = with_media
    _, body = read(root / "posts" / "album-du-voyage.md")
    # 201 then 202 by menu order; the PDF attached to the post is not an image; 203 belongs to another post
    assert images(body) == [("images/2020/05/phare.png", "Un phare blanc"), ("images/2020/05/vague.png", "Une vague")]
    assert "Le phare au matin" in body  # the attachment's caption (its excerpt) under the image
    assert body.index("Les photos du voyage") < body.index("phare.png") < body.index("Fin de l’album")
    assert "[gallery" not in body and "carnet.pdf" not in body


def uploads_of(root: Path) -> Path:
    return Path((root / "uploads-path").read_text("utf-8")) / "2020" / "05"


def test_gallery_ids_in_their_order_with_alt_and_caption(with_media):
    root, result = with_media
    _, body = read(root / "posts" / "deux-images.md")
    assert images(body) == [("images/2020/05/dune.png", "Une dune"), ("images/2020/05/phare.png", "Un phare blanc")]
    assert "La dune du Pilat" in body and "[gallery" not in body
    assert (root / "posts" / "images" / "2020" / "05" / "dune.png").read_bytes() == (uploads_of(root) / "dune.png").read_bytes()
    assert "3 image(s) copied" in result.stderr


def test_blocks_resolve_their_attachments_by_id(with_media):
    root, result = with_media
    _, body = read(root / "posts" / "blocs.md")
    found = images(body)
    # the block gallery's images (a resized copy found as its original), the empty alt filled from the
    # export; the self-closing wp:image and wp:gallery printed from their ids
    assert found == [
        ("images/2020/05/vague.png", "Une vague"),
        ("images/2020/05/phare.png", "Un phare blanc"),
        ("images/2020/05/dune.png", "Une dune"),
        ("images/2020/05/phare.png", "Un phare blanc"),
    ], found
    assert "Le phare, vu du quai" in body and "La dune du Pilat" in body
    assert "<!--" not in body and "wp:" not in body
    line = WXR[: WXR.index('<!-- wp:gallery {"ids":[201,999]} /-->')].count("\n") + 1
    assert f"export.xml:{line}: warning: block-editor gallery: image 999 not found in the export" in result.stderr
    assert "import.remote-images" not in result.stderr


def test_an_older_block_gallery_is_its_figures_not_a_list(with_media):
    """WordPress 5.0–5.2 saved a block gallery as a <ul> of <li><figure>, the ids in the comment."""
    root, _ = with_media
    _, body = read(root / "posts" / "ancienne-galerie.md")
    assert images(body) == [("images/2020/05/dune.png", "Une dune"), ("images/2020/05/vague.png", "Une vague")]
    assert "La vague, de près" in body and not re.search(r"^\s*[-*] ", body, re.M)


def test_without_media_each_post_names_its_remote_images_in_one_warning(without_media):
    root, result = without_media
    warnings = [line for line in result.stderr.splitlines() if "[import.remote-images]" in line]
    assert len(warnings) == 4, result.stderr  # one per post, not one per image
    album = next(w for w in warnings if "2 image(s)" in w)
    assert f"{UP}/phare.png" in album and f"{UP}/vague.png" in album
    line = WXR[: WXR.index("Les photos du voyage")].count("\n") + 1  # the post's content (a gallery names no URL)
    assert album.startswith(f"export.xml:{line}: warning:") or f"/export.xml:{line}: warning:" in album
    _, body = read(root / "posts" / "album-du-voyage.md")
    assert images(body) == [(f"{UP}/phare.png", "Un phare blanc"), (f"{UP}/vague.png", "Une vague")]
    assert not (root / "posts" / "images").exists()


@pytest.mark.parametrize("name", ["wxr-flat-attachment-same-site.xml", "wxr-flat-attachment-different-site.xml"])
def test_corpus_flat_attachment_found_in_the_uploads_copy(tmp_path, name):
    """WordPress's test: the attachment comes in and the post shows its local copy. The image's URL
    is on files.wordpress.com: the export's _wp_attached_file finds it in the uploads copy."""
    src = CORPUS / name
    if not src.is_file():
        pytest.skip(f"{src} is absent")
    uploads = tmp_path / "uploads" / "2008" / "06"
    uploads.mkdir(parents=True)
    shutil.copy(PNG, uploads / "canola2.jpg")
    result = run_cli("import", src, "--into", tmp_path / "posts", "--media", tmp_path / "uploads")
    assert result.exit_code == 0, result.output
    _, body = read(tmp_path / "posts" / "post-with-attachment.md")
    assert images(body) == [("images/2008/06/canola2.jpg", "canola")]
    assert (tmp_path / "posts" / "images" / "2008" / "06" / "canola2.jpg").is_file()
    assert "1 image(s) copied" in result.stderr and "warning" not in result.stderr


# ---------------------------------------------------------------- the imported posts, built


def editions_text(build: Path) -> dict[str, str]:
    from pypdf import PdfReader

    texts = {"pdf": "\n".join(page.extract_text() or "" for page in PdfReader(build / "carnet.pdf").pages)}
    with zipfile.ZipFile(build / "carnet.epub") as z:
        texts["epub"] = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".html")))
        texts["epub-images"] = "\n".join(n for n in z.namelist() if n.lower().endswith((".png", ".jpg", ".jpeg")))
    web = [p for p in build.rglob("*.html")]
    texts["html"] = "\n".join(p.read_text("utf-8") for p in web)
    return texts


@pytest.fixture(scope="module")
def built(with_media):
    root, _ = with_media
    result = run_cli("build", "-f", "pdf", "-f", "epub", "-f", "html", "-o", "build", cwd=root)
    assert result.exit_code == 0, result.output
    return root / "build", result


@pytest.mark.slow
def test_built_editions_hold_the_images_and_no_wordpress_code(built):
    build, result = built
    assert "warning" not in result.stderr, result.stderr
    texts = editions_text(build)
    for edition in ("pdf", "epub", "html"):
        assert "[gallery" not in texts[edition] and "<!-- wp:" not in texts[edition] and "wp:image" not in texts[edition], edition
    assert "La dune du Pilat" in texts["pdf"] and "Le phare au matin" in texts["pdf"]
    assert texts["epub-images"].count("\n") + 1 >= 3, texts["epub-images"]  # phare, vague, dune
    for alt in ("Un phare blanc", "Une vague", "Une dune"):
        assert f'alt="{alt}"' in texts["epub"] and f'alt="{alt}"' in texts["html"], alt


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java")
def test_built_epub_passes_epubcheck(built):
    from tests.conftest import epubcheck_messages

    valid, messages = epubcheck_messages(built[0] / "carnet.epub")
    assert valid and not messages, messages


@pytest.mark.slow
def test_without_media_the_build_names_each_post_s_images_once(without_media):
    root, _ = without_media
    result = run_cli("build", "-f", "html", "-o", "build", cwd=root)
    assert result.exit_code == 0, result.output
    # the images are the blog's uploads, which the manuscript does not name: one warning per post
    named = [line for line in result.stderr.splitlines() if "[image.uploads]" in line or "[image.remote]" in line]
    assert len(named) == 4, result.stderr
    assert any(line.startswith("posts/album-du-voyage.md:") and "2 images are" in line and "phare.png" in line and "vague.png" in line for line in named), named
    html = "\n".join(p.read_text("utf-8") for p in (root / "build").rglob("*.html"))
    assert "[gallery" not in html and "<!-- wp:" not in html
    assert "Un phare blanc" in html  # the image's alt text stands for it


@pytest.mark.slow
def test_corpus_posts_with_images_built(tmp_path):
    """WordPress's test files with images, imported into one project (the attachment with an
    uploads copy) and built: no WordPress code in any edition; the attachment's image in the book;
    the images the project does not hold named, one warning per post."""
    names = ["wxr-flat-attachment-same-site.xml", "wxr-css-urls.xml", "wxr-base-url-rewriting.xml", "wxr-comprehensive.xml"]
    if not all((CORPUS / n).is_file() for n in names):
        pytest.skip(f"{CORPUS} is absent")
    from PIL import Image

    (tmp_path / "uploads" / "2008" / "06").mkdir(parents=True)
    Image.new("RGB", (90, 60), (30, 160, 60)).save(tmp_path / "uploads" / "2008" / "06" / "canola2.jpg")
    for name in names:
        result = run_cli("import", CORPUS / name, "--into", "posts", "--media", "uploads", "--comments", cwd=tmp_path)
        assert result.exit_code == 0, result.output
    (tmp_path / "manuscripts").mkdir()
    (tmp_path / "manuscripts" / "corpus.yml").write_text(
        "title: Les fichiers de WordPress\nauthor: Anonyme\nlang: fr\nchapters:\n"
        "  - title: Essais\n    posts: [post-with-attachment, css-urls, hello-world, {post: comprehensive-post, comments: all}]\n", "utf-8")
    result = run_cli("build", "-f", "pdf", "-f", "epub", "-f", "html", "-o", "build", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line and "[pdf.loose-line]" not in line]  # typesetting warnings aside
    # the rocket of « https://🚀-science.com » is in no face of the style nor, here, in any font of the machine
    glyphs = [w for w in warnings if "[pdf.missing-glyph]" in w]
    assert all(w.startswith("posts/hello-world.md:") and "U+1F680 ROCKET" in w for w in glyphs), glyphs
    warnings = [w for w in warnings if w not in glyphs]
    assert len(warnings) == 2, warnings
    assert any(w.startswith("posts/css-urls.md:") and "uploads/image.jpg" in w and "[image.uploads]" in w for w in warnings), warnings
    assert any(w.startswith("posts/hello-world.md:") and "wp-content/image.png" in w and "[image.remote]" in w for w in warnings), warnings
    build = tmp_path / "build"
    with zipfile.ZipFile(build / "corpus.epub") as z:
        epub = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".html")))
        assert any(n.endswith((".jpg", ".jpeg")) for n in z.namelist())  # canola2.jpg
    html = "\n".join(p.read_text("utf-8") for p in build.rglob("*.html"))
    import subprocess

    pdf = subprocess.run(["pdftotext", build / "corpus.pdf", "-"], capture_output=True, text=True, check=True).stdout
    for text in (epub, html, pdf):
        assert "[gallery" not in text and "<!-- wp:" not in text and "{{" not in text
    assert 'alt="canola"' in epub and 'alt="canola"' in html
    assert "This post has an attachment." in pdf and "Great post" in pdf  # « post ! » in a French book
    if shutil.which("java"):
        from tests.conftest import epubcheck_messages

        valid, messages = epubcheck_messages(build / "corpus.epub")
        assert valid and not messages, messages
