"""The book faces: open-licensed, installed from the package registry, complete for French.

Every face a print style declares (its own print.css and the base it imports) is read with
fontTools: the glyphs French typesetting needs and the ornaments the styles draw must be there,
with a real italic and a real bold (no synthesised slanting or emboldening), and no style may hand
WeasyPrint a raw variable font (it would re-instance it on every build).
"""

from __future__ import annotations

import importlib.metadata
import io
import re
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from blog2book.fonts import parse_url
from blog2book.styles import font_file

REPO = Path(__file__).resolve().parents[1]
STYLES = REPO / "styles"
BOOK_STYLES = ("base", "medias-sociaux-101", "medias-sociaux-201")

# What French text needs: narrow and ordinary no-break spaces, guillemets, typographic apostrophe
# and dashes, the ligatured œ/æ, every accented capital (they keep their accents in Québec).
FRENCH = (
    "\u202f\u00a0«»‹›“”’‘–—…œŒæÆ"
    "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ"
    "€$%§°№"
)
# What blog2book itself prints around the text: the review proof's paragraph marks and source line,
# the TOC's leaders, the copyright page.
GENERATED = "§·\u2014.©–"
FACE_RE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}", re.S)
URL_RE = re.compile(r'url\("(?P<url>fontpkg:[^"]+)"\)')
CONTENT_RE = re.compile(r'(?:content|--ornament|--post-separator)\s*:\s*(?P<value>"[^"]*")')
IMPORT_RE = re.compile(r'@import\s+url\("(?P<href>[^"]+)"\)')


def css_with_imports(path: Path) -> str:
    text = path.read_text("utf-8")
    out = [text]
    for m in IMPORT_RE.finditer(text):
        out.append(css_with_imports((path.parent / m["href"]).resolve()))
    return "\n".join(out)


def faces(style: str) -> list[dict]:
    """The @font-face rules of a style (with its imports): family, style, weight, url."""
    out = []
    for m in FACE_RE.finditer(css_with_imports(STYLES / style / "print.css")):
        body = m["body"]
        family = re.search(r'font-family:\s*"([^"]+)"', body)[1]
        fstyle = re.search(r"font-style:\s*(\w+)", body)[1]
        weight = int(re.search(r"font-weight:\s*(\d+)", body)[1])
        url = URL_RE.search(body)["url"]
        out.append({"family": family, "style": fstyle, "weight": weight, "url": url})
    return out


def css_characters(style: str) -> set[str]:
    """Characters the style itself prints (ornaments in generated content), CSS escapes decoded."""
    chars: set[str] = set()
    for m in CONTENT_RE.finditer(css_with_imports(STYLES / style / "print.css")):
        value = m["value"][1:-1]
        value = re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda e: chr(int(e[1], 16)), value)
        chars |= set(value)
    return chars


def source_file(url: str) -> Path:
    """The font file of the package (without instancing: instancing keeps the character map)."""
    path = font_file(url.split("?", 1)[0])
    assert path is not None, f"{url}: not found in the installed font packages"
    return path


@pytest.mark.parametrize("style", BOOK_STYLES)
def test_every_face_comes_from_an_installed_font_package(style):
    declared = faces(style)
    assert declared, f"{style} declares no face"
    for face in declared:
        package = face["url"].split(":", 1)[1].split("/", 1)[0]
        dist = importlib.metadata.distribution(f"fontpkg-{package}")  # raises if not installed
        assert dist.version
        assert source_file(face["url"]).is_file()


@pytest.mark.parametrize("style", BOOK_STYLES)
def test_no_raw_variable_font(style):
    for face in faces(style):
        name = face["url"].split("?", 1)[0]
        if "[" in name:  # a variable font: it must be instanced by axes given in the query
            assert "?" in face["url"] and "wght=" in face["url"], f"{face['url']}: raw variable font"


@pytest.mark.parametrize("style", BOOK_STYLES)
def test_text_face_has_real_italic_and_bold(style):
    text = [f for f in faces(style) if f["family"] == "Book Serif"]
    kinds = {(f["style"], f["weight"] >= 600) for f in text}
    assert kinds >= {("normal", False), ("italic", False), ("normal", True), ("italic", True)}
    for f in text:
        file = source_file(f["url"]).name
        assert ("Italic" in file) == (f["style"] == "italic"), f"{f}: italic must come from the italic font"
        assert re.search(r"wght=(\d+)", f["url"]), f
        assert int(re.search(r"wght=(\d+)", f["url"])[1]) >= (600 if f["weight"] >= 600 else 350)


@pytest.mark.parametrize("style", BOOK_STYLES)
def test_faces_cover_french_and_the_ornaments(style):
    needed = set(FRENCH) | set(GENERATED) | css_characters(style)
    for face in faces(style):
        cmap = TTFont(source_file(face["url"]), lazy=True).getBestCmap()
        missing = sorted(c for c in needed if ord(c) not in cmap)
        assert not missing, f"{face['family']} {face['style']} {face['weight']}: missing {[f'U+{ord(c):04X}' for c in missing]}"


def test_text_face_covers_every_character_of_the_sample_posts():
    chars: set[str] = set()
    for path in [*(REPO / "posts").glob("*.md"), *(REPO / "manuscripts").rglob("*.md")]:
        chars |= set(path.read_text("utf-8"))
    chars = {c for c in chars if c.isprintable() and not c.isspace()} | {"\u202f", "\u00a0"}
    for face in faces("base"):
        if face["family"] != "Book Serif":
            continue
        cmap = TTFont(source_file(face["url"]), lazy=True).getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap)
        assert not missing, f"Book Serif {face['style']} {face['weight']}: missing {missing}"


def test_css_characters_are_decoded():
    # the ornament test above would pass vacuously if no ornament were found
    # the 101 and the 201 draw their ornaments as rules (issue 25, item 11; issue 12): the base's « \2014 »
    assert "\u2014" in css_characters("medias-sociaux-101")
    assert "\u2014" in css_characters("medias-sociaux-201")


# ---------------------------------------------------------------- instancing: fast path, or fontTools' own

SMALL_FACE = "fontpkg:source-sans-3/SourceSans3-Italic[wght].ttf?wght=600"  # the quickest to instance


@pytest.fixture
def fresh_check():
    from blog2book import fontinstance

    fontinstance._fast_otl_problem.cache_clear()
    yield fontinstance
    fontinstance._fast_otl_problem.cache_clear()


def test_the_fast_instancing_finds_what_it_needs_in_this_fonttools(fresh_check, monkeypatch):
    fonts = fresh_check
    used = []
    real = fonts._fast_otl
    monkeypatch.setattr(fonts, "_fast_otl", lambda *args: used.append(1) or real(*args))
    with warnings.catch_warnings():
        warnings.simplefilter("error", fonts.FastInstancingUnavailable)
        assert fonts._fast_otl_problem() is None
        path, axes = parse_url(SMALL_FACE)
        fonts.fonttools_instance(path, axes)
    assert used


def public_instance(path: Path, axes: dict) -> bytes:
    import io

    from fontTools.varLib import instancer

    out = io.BytesIO()
    instancer.instantiateVariableFont(TTFont(path, recalcTimestamp=False), axes, updateFontNames=False).save(out)
    return out.getvalue()


@pytest.mark.parametrize("change", ["gone", "other arguments"])
def test_without_what_the_fast_instancing_needs_fonttools_instances_and_it_is_said_once(fresh_check, monkeypatch, change):
    """A fontTools whose instancer lacks a private name the fast path calls, or has it with other
    arguments (a module standing for fontTools.varLib.instancer; fontTools' own functions unchanged)."""
    import sys
    import types

    import fontTools.varLib
    from fontTools.varLib import instancer

    fonts = fresh_check
    other = types.ModuleType(instancer.__name__)
    other.__dict__.update((k, v) for k, v in vars(instancer).items() if k != "_instantiateBASE")
    if change == "other arguments":
        other._instantiateBASE = lambda varfont, axisLimits, baseTables: None
    monkeypatch.setattr(fontTools.varLib, "instancer", other)
    monkeypatch.setitem(sys.modules, instancer.__name__, other)
    monkeypatch.setattr(fonts, "_fast_otl", lambda *args: pytest.fail("the fast path ran"))
    path, axes = parse_url(SMALL_FACE)
    with pytest.warns(fonts.FastInstancingUnavailable, match=r"fontTools \S+: fontTools\.varLib\.instancer\._instantiateBASE is missing or takes other arguments.*fonttools<"):
        made = fonts.fonttools_instance(path, axes)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fonts.FastInstancingUnavailable)
        assert fonts._fast_otl_problem() is not None  # said once
    assert made == public_instance(path, axes)


# ---------------------------------------------------------------- HarfBuzz's instances

ALL_FACES = sorted({m for css in (STYLES / "base" / "print.css", STYLES / "medias-sociaux-101" / "print.css",
                                  STYLES / "medias-sociaux-201" / "print.css")
                    for m in re.findall(r'url\("(fontpkg:[^"]+\?[^"]+)"\)', css.read_text("utf-8"))})


def _shaped(data: bytes, text: str, features: dict) -> tuple[list, list]:
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.language = "fr"
    hb.shape(hb.Font(hb.Face(data)), buf, features)
    return [g.codepoint for g in buf.glyph_infos], [(p.x_advance, p.y_advance, p.x_offset, p.y_offset) for p in buf.glyph_positions]


@pytest.mark.parametrize("url", ALL_FACES)
def test_harfbuzz_instances_set_text_as_fonttools_instances_do(url):
    """Every face the styles declare, made by HarfBuzz and by fontTools' instancer: the same glyph
    set, advances, outlines' metrics (OS/2, hhea, post), and the sample's posts (with every Latin-1
    and Latin Extended-A letter and the French punctuation) shaped to the same glyphs at the same
    positions, with the features the styles use (old-style and lining figures, small capitals,
    ligatures and kerning, and without them). HarfBuzz's bytes are its own, and the same twice."""
    from blog2book import fontinstance

    path, axes = parse_url(url)
    made = fontinstance.harfbuzz_instance(path, axes)
    assert made is not None and made == fontinstance.harfbuzz_instance(path, axes)
    reference = fontinstance.fonttools_instance(path, axes)
    a, b = TTFont(io.BytesIO(made)), TTFont(io.BytesIO(reference))
    assert "fvar" not in a and "gvar" not in a and "HVAR" not in a and "MVAR" not in a  # static
    assert a.getGlyphOrder() == b.getGlyphOrder() and a.getBestCmap() == b.getBestCmap()
    assert [a["hmtx"][g][0] for g in a.getGlyphOrder()] == [b["hmtx"][g][0] for g in b.getGlyphOrder()]
    assert a["OS/2"].compile(a) == b["OS/2"].compile(b) and a["post"].compile(a) == b["post"].compile(b)
    assert (a["hhea"].ascent, a["hhea"].descent, a["hhea"].lineGap) == (b["hhea"].ascent, b["hhea"].descent, b["hhea"].lineGap)
    assert a["name"].getDebugName(6) == b["name"].getDebugName(6)  # the PDF's font name
    text = "\n".join(p.read_text("utf-8") for p in sorted((REPO / "posts").glob("*.md")))
    text += "".join(map(chr, range(0x20, 0x180))) + "« À » l’été — 1–2… ﬁ ﬂ « Québec » n° 12 ?!;:"
    for features in ({}, {"onum": True, "pnum": True}, {"lnum": True, "tnum": True}, {"smcp": True, "c2sc": True}, {"liga": False, "kern": False}):
        assert _shaped(made, text, features) == _shaped(reference, text, features), features


def test_with_harfbuzz_a_fresh_machine_makes_the_faces_in_the_build_itself(tmp_path, monkeypatch):
    """No worker processes, no long step: every face of the 101 made in this process, in the cache."""
    import os

    from blog2book import fonts
    from blog2book.diagnostics import Location

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts, "_TEMP_CACHES", {})
    made = []
    real = fonts.make_instance
    monkeypatch.setattr(fonts, "make_instance", lambda path, axes: made.append(os.getpid()) or real(path, axes))
    steps = []

    class Phases:
        def __call__(self, text):
            steps.append(text)

        def step(self, done, total, what):
            steps.append((done, total, what))

    assert fonts.instancer().startswith("harfbuzz-")
    fonts.prepare([(u, Location(STYLES / "base" / "print.css", 1)) for u in ALL_FACES], Phases())
    assert made == [os.getpid()] * len(ALL_FACES)
    assert len(list((tmp_path / "cache" / "blog2book" / "fonts").glob("*.ttf"))) == len(ALL_FACES)
    assert steps[0] == f"preparing {len(ALL_FACES)} font face(s), once for this machine" and steps[-1] == (len(ALL_FACES), len(ALL_FACES), "font faces")
