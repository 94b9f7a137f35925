"""Issue 24, item 11: hostile and broken images, each through the CLI. An image is checked once, when
read (``images.examine``): a located warning, and the same decision in every edition (left out with a
visible placeholder, or used as its real type)."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import REPO, epubcheck_messages, java_available, run_cli

TINY = REPO / "tests" / "roots" / "tiny"
POST = "posts/deuxieme-billet.md"


# ---------------------------------------------------------------- hostile files, made small

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, rows: int | None = None) -> bytes:
    """A 1-bit PNG whose header says width × height; ``rows`` of data (all of them when None):
    20000 × 20000 compresses to about 50 KB, written row by row."""
    z = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)
    data = b"".join(z.compress(row) for _ in range(height if rows is None else rows)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def pillow(fmt: str, size=(64, 48), mode="RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, 3 if mode == "P" else (200, 40, 40)).save(out, fmt)
    return out.getvalue()


HOSTILE = {  # name -> (bytes, alt, the warning's words, code)
    "bombe.png": (lambda: png_claiming(20000, 20000), "Une bombe", "20000 × 20000 pixels (400 megapixels); the limit is 50 megapixels", "image.too-large"),
    "pretend.png": (lambda: png_claiming(100000, 100000, rows=4), "", "100000 × 100000 pixels", "image.too-large"),
    "coupee.jpg": (lambda: pillow("JPEG", (640, 480))[:1500], "Coupée", "a JPEG file that cannot be decoded (truncated or corrupt)", "image.undecodable"),
    "texte.png": (lambda: b"pas une image\n" * 20, "Du texte", "it is text, not an image", "image.undecodable"),
}
GIF_AS_PNG = "anim.png"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hostile_book(root: Path, cover: str | None = None) -> Path:
    """The tiny book, its second post showing every hostile image and a GIF named .png."""
    book = root / "book"
    shutil.copytree(TINY, book)
    images = book / "posts" / "images"
    for name, (make, _, _, _) in HOSTILE.items():
        (images / name).write_bytes(make())
    (images / GIF_AS_PNG).write_bytes(pillow("GIF", (40, 30), "P"))
    post = book / POST
    post.write_text(post.read_text("utf-8") + "".join(f"\n\n![{alt}](images/{name})\n" for name, (_, alt, _, _) in HOSTILE.items())
                    + f"\n\n![Un GIF](images/{GIF_AS_PNG})\n", "utf-8")
    if cover:
        m = book / "manuscripts" / "tiny.yml"
        m.write_text(m.read_text("utf-8").replace("lang: fr-CA\n", f"lang: fr-CA\ncover: ../posts/images/{cover}\n"), "utf-8")
    return book


def line_of(book: Path, name: str) -> int:
    return next(n for n, line in enumerate((book / POST).read_text("utf-8").splitlines(), 1) if f"images/{name})" in line)


def clean(result, code: int = 0) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "unexpected failure" not in result.output
    return result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The hostile book (its cover the 20000² bomb) built once in every edition."""
    root = tmp_path_factory.mktemp("images")
    book = hostile_book(root, cover="bombe.png")
    before = snapshot(book / "posts") | snapshot(book / "manuscripts")
    result = run_cli("build", book / "manuscripts" / "tiny.yml", "-f", "pdf", "-f", "epub", "-f", "html", "-f", "md", "-o", root / "out")
    return book, root / "out", clean(result), before


# ---------------------------------------------------------------- 11

def test_11_each_image_is_warned_at_its_line_with_its_code(built):
    book, _, stderr, before = built
    for name, (_, _, words, code) in HOSTILE.items():
        expected = f"{POST}:{line_of(book, name)}: warning: image 'images/{name}': "
        found = [line for line in stderr.splitlines() if expected in line]
        assert found, f"{expected!r} not in:\n{stderr}"
        assert words in found[0] and "it is left out of every edition" in found[0] and found[0].endswith(f"[{code}]")
    gif = f"{POST}:{line_of(book, GIF_AS_PNG)}: warning: image 'images/{GIF_AS_PNG}': it is a GIF image, not PNG; the book uses it as GIF"
    assert gif in stderr and "rename it with the .gif extension) [image.wrong-type]" in stderr
    assert "manuscripts/tiny.yml:4:8: warning: cover: 'bombe.png': it is 20000 × 20000 pixels" in stderr
    assert "every edition has the style's typographic cover instead" in stderr
    assert snapshot(book / "posts") | snapshot(book / "manuscripts") == before  # posts/ and manuscripts/ untouched


def _placeholders(text: str) -> list[str]:
    return [name for name in HOSTILE if f"[image absente : {name}]" in text.replace("\u00a0", " ").replace("\u202f", " ")]


def test_11_every_edition_leaves_the_same_images_out_with_a_placeholder(built):
    import pypdf
    from lxml import etree

    _, out, _, _ = built
    refused = {make() for make, _, _, _ in HOSTILE.values()}
    gif = pillow("GIF", (40, 30), "P")
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(out / "tiny.pdf").pages)
    assert _placeholders(pdf_text) == list(HOSTILE)
    with zipfile.ZipFile(out / "tiny.epub") as z:
        chapters = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        packed = {n: z.read(n) for n in z.namelist() if n.startswith("EPUB/images/")}
        opf = z.read("EPUB/content.opf").decode()
    assert _placeholders(re.sub(r"<[^>]+>", "", chapters)) == list(HOSTILE)
    assert not refused & set(packed.values())  # no refused file is carried, the cover bomb included
    (gif_name,) = [n for n, data in packed.items() if data == gif]
    types = {item.get("href"): item.get("media-type") for item in etree.fromstring(opf.encode()).iter("{*}item")}
    assert gif_name.endswith(".gif") and types[gif_name[len("EPUB/"):]] == "image/gif"
    assert packed["EPUB/images/cover.png"].startswith(b"\x89PNG") and "cover.png" in opf  # the typographic cover
    web = out / "tiny-html"
    carried = {p.read_bytes(): p.name for p in web.rglob("*") if p.is_file() and p.suffix in (".png", ".jpg", ".gif")}
    assert not refused & set(carried) and carried[gif].endswith(".gif")
    pages = "".join(p.read_text("utf-8") for p in web.glob("*.html"))
    assert _placeholders(re.sub(r"<[^>]+>", "", pages)) == list(HOSTILE)
    md = (out / "tiny.md").read_text("utf-8")
    assert _placeholders(md.replace("\\[", "[").replace("\\]", "]")) == list(HOSTILE)
    assert not any(f"images/{name})" in md for name in HOSTILE)


def test_11_the_epub_with_refused_images_passes_epubcheck(built):
    if not java_available():
        pytest.skip("EPUBCheck needs Java")
    valid, messages = epubcheck_messages(built[1] / "tiny.epub")
    assert valid, messages


def test_11_check_says_the_same_and_strict_fails(tmp_path):
    book = hostile_book(tmp_path)
    stderr = clean(run_cli("check", book / "manuscripts" / "tiny.yml"))
    assert stderr.count("[image.too-large]") == 2 and stderr.count("[image.undecodable]") == 2 and stderr.count("[image.wrong-type]") == 1
    clean(run_cli("check", book / "manuscripts" / "tiny.yml", "--strict"), code=1)


def test_11_a_gif_named_png_as_the_cover_is_a_gif_in_the_epub(tmp_path):
    book = hostile_book(tmp_path, cover=GIF_AS_PNG)
    stderr = clean(run_cli("build", book / "manuscripts" / "tiny.yml", "-f", "epub", "-o", tmp_path / "out"))
    assert "manuscripts/tiny.yml:4:8: warning: cover: 'anim.png': it is a GIF image, not PNG; the book uses it as GIF" in stderr
    with zipfile.ZipFile(tmp_path / "out" / "tiny.epub") as z:
        assert z.read("EPUB/images/cover.gif") == (book / "posts" / "images" / GIF_AS_PNG).read_bytes()
        opf = z.read("EPUB/content.opf").decode()
    assert 'href="images/cover.gif"' in opf and 'media-type="image/gif"' in opf
    if java_available():
        valid, messages = epubcheck_messages(tmp_path / "out" / "tiny.epub")
        assert valid, messages


def test_11_an_image_fixed_or_broken_after_a_build_is_checked_again(tmp_path):
    """The transformed posts are cached: a refused image replaced by a good one is used at the next
    build, and a good image replaced by a bad one is refused (the cache knows each image's size and time)."""
    book = hostile_book(tmp_path)
    m, out = book / "manuscripts" / "tiny.yml", tmp_path / "out"
    clean(run_cli("build", m, "-f", "md", "-o", out))
    good = pillow("PNG", (30, 20))
    (book / "posts" / "images" / "texte.png").write_bytes(good)
    (book / "posts" / "images" / "schema.png").write_bytes(b"plus une image\n")
    stderr = clean(run_cli("build", m, "-f", "md", "-f", "epub", "-o", out))
    assert "'images/texte.png'" not in stderr
    assert "posts/premier-billet.md:16: warning: image 'images/schema.png': it is text, not an image" in stderr
    md = (out / "tiny.md").read_text("utf-8")
    assert "images/texte.png)" in md and "images/schema.png)" not in md
    with zipfile.ZipFile(out / "tiny.epub") as z:
        assert good in {z.read(n) for n in z.namelist()}


@pytest.mark.slow
def test_11_the_press_pdf_and_the_print_cover_follow_the_same_decision(tmp_path):
    book = hostile_book(tmp_path, cover="bombe.png")
    m = book / "manuscripts" / "tiny.yml"
    m.write_text(m.read_text("utf-8") + "print: {profile: kdp, paper: cream}\n", "utf-8")
    stderr = clean(run_cli("build", m, "-f", "pdf", "-f", "cover", "-o", tmp_path / "out"))
    assert "cover: 'bombe.png'" in stderr and "[pdf.fetch-refused]" not in stderr
    import pypdf

    press = "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "out" / "tiny-kdp.pdf").pages)
    assert _placeholders(press) == list(HOSTILE)
    assert (tmp_path / "out" / "tiny-cover.pdf").stat().st_size > 0
