"""A written PDF read back for its fonts: never a book set in the machine's fonts.

Run by the pipeline on every PDF the build writes (the book, a review proof, the printer's file,
the cover: ``Format.check`` in ``render/__init__.py``). Every glyph must come from a face the style
declares: a character the faces lack (an emoji, U+2011), the text of an SVG image in a family the
style does not declare, a whole book fallen back to the machine's fonts (a lost ``@import``) fail
the build alike, each character named (``U+2011 NON-BREAKING HYPHEN``) with the posts and images
where it occurs. On a machine with no font that has such a character (an emoji, most often), it is
drawn as the declared face's empty box (glyph 0, ``.notdef``), the same on every machine without
one: a warning names each character the faces lack where it occurs (``--strict`` fails the build),
never a box printed without a word.
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from pathlib import Path


from blog2book.diagnostics import Diagnostic, Location, error, warning
from blog2book.render.pdf.fontmerge import used_glyphs
from blog2book.styles import declared_families

SHOWN_CHARACTERS = 12  # characters the faces lack named one by one, per machine font
SHOWN_PLACES = 3  # posts or images named per character


def machine_fonts(path: Path, data: bytes, book, sources: dict | None = None) -> list[Diagnostic]:
    """What a PDF's fonts say (``path``: where it is written, for the messages): every font must be
    one of the style's declared faces (or the cover's own, ``Cover …``); each character set in
    another is an error at the posts (``FILE:LINE``) or SVG images where it occurs, else at the
    style. Embedded fonts are named after the CSS family (``ABCDEF+Book-Serif-Italic``)."""
    style = Path(book.style)
    families = [f.replace(" ", "-") for f in declared_families(style)] + ["Cover"]
    found: dict[str, set[str]] = {}  # font name -> the characters it draws
    boxes: set[str] = set()  # fonts that draw glyph 0 (.notdef: a character their face lacks)
    seen: set = set()  # fonts shared by many pages (the merged book's) are read once
    import pikepdf

    # read with qpdf (pikepdf): pypdf took 3.0 s to walk a 1103-page book's page tree and fonts
    with pikepdf.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            resources = page.obj.get("/Resources")
            fonts = resources.get("/Font") if resources is not None else None
            for _, font in (fonts.items() if fonts is not None else ()):
                if font.objgen != (0, 0):  # an indirect object: shared by the pages that use it
                    if font.objgen in seen:
                        continue
                    seen.add(font.objgen)
                name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
                chars = found.setdefault(name, set())
                unicode = to_unicode(font)
                for descendant in font.get("/DescendantFonts", []):
                    glyphs = used_glyphs(descendant)
                    chars |= {unicode.get(g, "\ufffd") for g in glyphs if g}
                    if 0 in glyphs:
                        boxes.add(name)
    strangers = sorted(f for f in found if not any(f == fam or f.startswith(fam + "-") for fam in families))
    empty = empty_boxes(path, book, sorted(boxes - set(strangers)), sources or {})
    if not strangers:
        return empty
    at_style = Location(style / "print.css")
    hint = "replace the character in the post, or add a face that has it to the style"
    if len(strangers) == len(found):  # nothing in the declared faces: the style itself is broken
        return [error("pdf.machine-font", f"{path.name}: the PDF engine set the whole text in fonts the style does not declare: {', '.join(strangers)}",
                      at_style, "declare every font-family the style uses with @font-face and a fontpkg: URL")]
    out: list[Diagnostic] = []
    places = _Places(book, sources or {})
    in_faces = set().union(*(found[f] for f in found if f not in strangers))  # what the declared faces drew
    for font in strangers:
        chars = sorted(c for c in found[font] if not c.isspace())
        if not chars:  # glyphs the PDF does not map to text (no /ToUnicode): the font alone is named
            out.append(error("pdf.machine-font", f"{path.name}: the PDF engine set text in {font}, a font of this machine the style does not declare",
                             at_style, "declare every font-family the style uses with @font-face and a fontpkg: URL"))
            continue
        family = [c for c in chars if c in in_faces]  # the faces have them: a text set in an undeclared family
        if family:
            shown = "".join(family)[:SHOWN_CHARACTERS * 3]
            where = places.of_text(family)
            out.append(error("pdf.machine-font", f"{path.name}: the PDF engine set text in fonts the style does not declare: {font}, a font of this machine, set its characters {shown!r}",
                             where[0] if where else at_style, "give that text a font-family the style declares (an SVG's <text font-family=…>, a style rule), or declare the font with @font-face"))
        lacking = [c for c in chars if c not in in_faces]
        for c in lacking[:SHOWN_CHARACTERS]:
            where = places.of(c)
            also = f" (also {', '.join(str(w) for w in where[1:SHOWN_PLACES])})" if len(where) > 1 else ""
            out.append(error("pdf.machine-font", f"{path.name}: {describe(c)} is not in the book's faces: it was set in {font}, a font of this machine{also}",
                             where[0] if where else at_style, hint))
    return out + empty


def empty_boxes(path: Path, book, fonts: list[str], sources: dict) -> list[Diagnostic]:
    """``fonts`` (declared faces) drew their empty box: the characters of the posts that no face of
    the style has, each a warning where it occurs (else one at the style)."""
    if not fonts:
        return []
    from fontTools.ttLib import TTFont

    from blog2book.render.shared.webfonts import web_fonts_css

    covered: set[int] = set()
    for file in dict.fromkeys(web_fonts_css(Path(book.style))[1].values()):
        try:
            covered |= set(TTFont(file, lazy=True).getBestCmap() or {})
        except Exception:  # noqa: BLE001 - a face that cannot be read was said when it was prepared
            continue
    places = _Places(book, sources)
    lacking = sorted({c for src in places.posts for c in src.body if ord(c) not in covered and not c.isspace() and unicodedata.category(c)[0] != "C"})
    hint = "replace the character in the post, or add a face that has it to the style"
    if not lacking:
        return [warning("pdf.missing-glyph", f"{path.name}: {', '.join(fonts)} drew an empty box (.notdef) for a character no face of the style has",
                      Location(Path(book.style) / "print.css"), hint)]
    out = []
    for c in lacking[:SHOWN_CHARACTERS]:
        where = places.of(c)
        also = f" (also {', '.join(str(w) for w in where[1:SHOWN_PLACES])})" if len(where) > 1 else ""
        out.append(warning("pdf.missing-glyph", f"{path.name}: {describe(c)} is in no face of the style, nor in any font of this machine: it prints as an empty box{also}",
                         where[0] if where else Location(Path(book.style) / "print.css"), hint))
    return out


def describe(c: str) -> str:
    """``U+2011 NON-BREAKING HYPHEN``."""
    return f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')}" if len(c) == 1 else repr(c)


class _Places:
    """Where a character occurs: the book's posts (``FILE:LINE``), then its SVG images."""

    def __init__(self, book, sources: dict):
        self.posts = [sources[p.slug] for p in book.posts() if p.slug in sources]
        self._svgs: list[tuple[Path, str]] | None = None
        self.book = book

    def svgs(self) -> list[tuple[Path, str]]:
        if self._svgs is None:
            from blog2book.render.pdf.backend import image_files

            self._svgs = []
            for f in dict.fromkeys(image_files(self.book)):
                if f.suffix.lower() == ".svg":
                    try:
                        self._svgs.append((f, f.read_text("utf-8", errors="replace")))
                    except OSError:
                        continue
        return self._svgs

    def of(self, c: str) -> list[Location]:
        found = [src.find_line(c) for src in self.posts if c in src.body]
        for f, text in self.svgs():
            if c in text:
                found.append(Location(f, text.count("\n", 0, text.index(c)) + 1))
        return found

    def of_text(self, chars: list[str]) -> list[Location]:
        """Where most of ``chars`` occur together: an SVG image first (its text), then a post."""
        want = set(chars)
        for f, text in self.svgs():
            texts = "".join(re.findall(r">([^<]*)<", text))
            if want <= set(texts) | {"\ufffd"}:
                m = re.search(r"<text\b", text)
                return [Location(f, text.count("\n", 0, m.start() if m else 0) + 1)]
        return [src.find_line(chars[0]) for src in self.posts if want <= set(src.body)][:1]


_HEX = r"<([0-9A-Fa-f]+)>"


def to_unicode(font) -> dict[int, str]:
    """A font's /ToUnicode CMap (a pikepdf stream) as glyph id -> text (what the PDF says each glyph stands for)."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    try:
        text = cmap.read_bytes().decode("latin-1")
    except Exception:
        return {}
    out: dict[int, str] = {}

    def chars(hexa: str) -> str:
        return bytes.fromhex(hexa if len(hexa) % 2 == 0 else "0" + hexa).decode("utf-16-be", "replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(_HEX + r"\s*" + _HEX, block):
            out[int(src, 16)] = chars(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(_HEX + r"\s*" + _HEX + r"\s*" + _HEX, block):
            first = chars(dst)
            for i, code in enumerate(range(int(lo, 16), min(int(hi, 16), int(lo, 16) + 65535) + 1)):
                out[code] = first[:-1] + chr(ord(first[-1]) + i) if first else ""
    return out
