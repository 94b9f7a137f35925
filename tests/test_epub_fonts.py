"""The EPUB carries its series' faces, subset to the book's characters (render/epubfonts.py).

Fast checks of what is chosen and which characters are kept; then EPUBs built through the CLI
(tests/roots/tiny in the 101 and 201 styles, and in a style whose epub.css names no face), read
back: manifest items and media types, @font-face rules pointing at files of the EPUB, every
character of the text in the body face, subsets far smaller than the faces, EPUBCheck 0/0.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from lxml import etree

from blog2book.render.shared.fontsubset import characters, style_faces, subsets, used_families
from conftest import REPO, epubcheck_messages, java_available, run_cli

STYLES = REPO / "styles"
TINY = REPO / "tests" / "roots" / "tiny"
OPF = {"opf": "http://www.idpf.org/2007/opf"}


def _stylesheet(style: str) -> str:
    return (STYLES / "base" / "epub.css").read_text("utf-8") + (STYLES / style / "epub.css").read_text("utf-8")


def test_each_series_embeds_the_faces_its_epub_css_names():
    faces101 = style_faces(STYLES / "medias-sociaux-101", _stylesheet("medias-sociaux-101"))
    faces201 = style_faces(STYLES / "medias-sociaux-201", _stylesheet("medias-sociaux-201"))
    assert {f.family for f in faces101} == {"Book Serif", "MS101 Display"}
    assert {f.family for f in faces201} == {"Book Serif", "MS201 Sans"}  # its headings are in the sans
    for face in faces101 + faces201:
        assert face.name.startswith("fonts/") and face.source.is_file()
        assert f'url("../{face.name}")' in face.rule and "fontpkg:" not in face.rule and "font-display" not in face.rule
    # the print's instances, not the variable fonts: the faces look as in print
    assert all("[" not in f.source.name for f in faces101 + faces201)


def test_a_stylesheet_naming_no_face_embeds_nothing():
    assert used_families("@font-face { font-family: 'Book Serif'; src: url(x.ttf); } body { font-family: Georgia, serif; }") == {"georgia", "serif"}
    assert style_faces(STYLES / "medias-sociaux-101", (STYLES / "base" / "epub.css").read_text("utf-8")) == []


def test_characters_kept_for_the_subset():
    chars = characters(['<p class="x">Déjà\u202f? <em>Œuvre</em> &amp; l\u2019été</p>'], '.a::after { content: "\\2014\\2002\\25C6"; }')
    for c in "DÉJÀéjàŒœ&\u2019\u202f\u2014\u2002\u25c6":
        assert c in chars, c
    assert "<" in chars  # printable ASCII is always kept (text-transform, list numbers)
    assert "\u2010" in chars and "\u2022" in chars  # drawn by the reading system: hyphens, bullets
    assert "\n" not in chars


def _build(tmp_path: Path, style: str | None, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(TINY, root)
    manuscript = root / "manuscripts" / "tiny.yml"
    if style is not None:
        data = yaml.safe_load(manuscript.read_text("utf-8"))
        data["style"] = style
        manuscript.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run_cli("build", manuscript, "-f", "epub", "-o", root / "out")
    assert result.exit_code == 0, result.output
    return root / "out" / "tiny.epub"


def _text_chars(z: zipfile.ZipFile) -> set[str]:
    chars: set[str] = set()
    for name in z.namelist():
        if name.endswith(".xhtml"):
            body = etree.fromstring(z.read(name)).find("{http://www.w3.org/1999/xhtml}body")
            chars |= set("".join(body.itertext()))
    return {c for c in chars if not c.isspace() or c in "\u00a0\u202f"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("epubfonts")
    return {style: _build(tmp, style, style) for style in ("medias-sociaux-101", "medias-sociaux-201")}


@pytest.mark.slow
@pytest.mark.parametrize("style,families", [("medias-sociaux-101", {"Book Serif", "MS101 Display"}), ("medias-sociaux-201", {"Book Serif", "MS201 Sans"})])
def test_epub_embeds_subset_faces(built, style, families):
    z = zipfile.ZipFile(built[style])
    opf = etree.fromstring(z.read("EPUB/content.opf"))
    fonts = {i.get("href"): i.get("media-type") for i in opf.iterfind(".//opf:manifest/opf:item", OPF) if i.get("href").startswith("fonts/")}
    assert fonts and set(fonts.values()) == {"font/ttf"}
    css = z.read("EPUB/style/book.css").decode()
    rules = re.findall(r"@font-face\s*\{([^}]*)\}", css)
    assert {re.search(r'font-family:\s*"([^"]+)"', r).group(1) for r in rules} == families
    urls = {re.search(r'url\("\.\./([^"]+)"\)', r).group(1) for r in rules}
    assert urls == set(fonts)  # every face is carried, nothing else
    assert css.index("@font-face") < css.index("body {")
    # Apple Books uses a book's faces only when asked to
    assert b'<option name="specified-fonts">true</option>' in z.read("META-INF/com.apple.ibooks.display-options.xml")
    text = _text_chars(z)
    body = next(r for r in rules if '"Book Serif"' in r and "normal" in r and "400" in r)
    face = TTFont(io.BytesIO(z.read("EPUB/" + re.search(r'url\("\.\./([^"]+)"\)', body).group(1))))
    cmap = face.getBestCmap()
    assert {c for c in text if ord(c) not in cmap} == set(), "characters of the book missing from the body face"
    assert 0x202F in cmap and ord("É") in cmap  # French spaces; capitals for text-transform
    for href in fonts:
        data = z.read("EPUB/" + href)
        glyphs = len(TTFont(io.BytesIO(data)).getGlyphOrder())
        assert glyphs < 400 and len(data) < 120_000, (href, glyphs, len(data))  # the full faces: 1,400+ glyphs, 280-500 KB
    if style == "medias-sociaux-101":
        assert "smcp" in {r.FeatureTag for r in face["GSUB"].table.FeatureList.FeatureRecord}  # labels in real small capitals


@pytest.mark.slow
def test_epub_faces_are_reproducible(built, tmp_path):
    again = _build(tmp_path, "medias-sociaux-201", "again")
    assert again.read_bytes() == built["medias-sociaux-201"].read_bytes()


def test_a_subset_is_the_same_bytes_every_time():
    face = style_faces(STYLES / "medias-sociaux-201", _stylesheet("medias-sociaux-201"))[0]
    assert subsets([face.source], "Déjà vu", None) == subsets([face.source], "Déjà vu", None)


@pytest.mark.slow
def test_style_without_faces_in_epub_css_embeds_nothing(tmp_path):
    root = tmp_path / "plain"
    shutil.copytree(TINY, root)
    shutil.copytree(STYLES / "base", root / "styles" / "base")
    (root / "styles" / "plain").mkdir()
    (root / "styles" / "plain" / "print.css").write_text('@import url("../base/print.css");\n', "utf-8")
    (root / "styles" / "plain" / "epub.css").write_text("h1 { color: #333; }\n", "utf-8")
    manuscript = root / "manuscripts" / "tiny.yml"
    data = yaml.safe_load(manuscript.read_text("utf-8"))
    data["style"] = "plain"
    manuscript.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run_cli("build", manuscript, "-f", "epub", "-o", root / "out")
    assert result.exit_code == 0, result.output
    z = zipfile.ZipFile(root / "out" / "tiny.epub")
    assert not [n for n in z.namelist() if "/fonts/" in n or "display-options" in n]
    assert "@font-face" not in z.read("EPUB/style/book.css").decode()
    if java_available():
        valid, messages = epubcheck_messages(root / "out" / "tiny.epub")
        assert valid and messages == [], messages


@pytest.mark.slow
@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_epubcheck_clean_with_faces(built):
    for path in built.values():
        valid, messages = epubcheck_messages(path)
        assert valid and messages == [], messages


def test_a_face_that_cannot_be_subset_is_reported(tmp_path):
    broken = tmp_path / "Broken.ttf"
    broken.write_bytes(b"not a font at all")
    (result,) = subsets([broken], "abc", None)
    assert isinstance(result, str) and result


@pytest.mark.slow
def test_epub_build_goes_on_without_a_face_it_cannot_subset(tmp_path, monkeypatch):
    """A damaged face: a located warning, the EPUB without that face (nor its rule), still valid."""
    from blog2book.render.shared import fontsubset as epubfonts

    real = epubfonts.subset

    def failing(path, chars):
        if "Italic" in path.name:
            raise ValueError("damaged glyf table")
        return real(path, chars)

    monkeypatch.setattr(epubfonts, "subset", failing)
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    post = root / "posts" / "premier-billet.md"  # a character of this test alone: its faces are not in the subset cache
    post.write_text(post.read_text("utf-8") + "\nLe son ŋ.\n", "utf-8")
    result = run_cli("build", root / "manuscripts" / "tiny.yml", "-f", "epub", "-j", "1", "-o", root / "out")  # in this process, where the patch is
    assert result.exit_code == 0, result.output
    assert "[epub.font-subset]" in result.output and "print.css" in result.output and "damaged glyf table" in result.output
    z = zipfile.ZipFile(root / "out" / "tiny.epub")
    fonts = [n for n in z.namelist() if "/fonts/" in n]
    assert fonts and not [n for n in fonts if "Italic" in n]
    css = z.read("EPUB/style/book.css").decode()
    assert "Italic" not in css and "font-style: normal" in css
    if java_available():
        valid, messages = epubcheck_messages(root / "out" / "tiny.epub")
        assert valid and messages == [], messages
