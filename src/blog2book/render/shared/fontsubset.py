"""The style's faces inside the EPUB and the web edition, subset to the characters the book uses.

A style's ``epub.css`` names the same families as its ``print.css`` (« Book Serif », « MS201 Sans »…).
The @font-face rules come from the print style (``html.web_fonts_css``: the ``fontpkg:`` faces, the
variable fonts instanced as for the PDF by ``fonts.font_file``); only the faces of the families
``epub.css`` names are carried, so a style whose ``epub.css`` names none embeds nothing and leaves
the reader's fonts.

Each face is subset once per book (HarfBuzz's subsetter, milliseconds a face; fontTools.subset,
about a second, without uharfbuzz) to every character of the book's XHTML and of
the stylesheet's generated content, with both cases of each letter (``text-transform``), printable
ASCII and the characters a reading system draws itself (hyphens, list bullets, spaces), keeping the
small capitals (``font-variant: small-caps``). The subset keeps the file's format (TrueType or
OpenType, deflated in the zip: about as small as WOFF2, and read by older readers too). Subsets are
kept beside the faces' instances in the machine's font cache (``fonts.cache_dir()/epub-subsets``),
by the face, the characters and the subsetter's version: a book rebuilt, into any folder, subsets nothing.
"""

from __future__ import annotations

import html
import io
import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from blog2book.fontinstance import in_workers, instancer
from blog2book.infra.cache import key_of, store

MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
# drawn by the reading system, not found in the text: hyphenation, list markers, spaces, ellipsis
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0\u00ad\u2010\u2011\u2013\u2014\u2022\u2026\u202f\u25aa\u25e6"
_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_FAMILY = re.compile(r"""font-family\s*:\s*([^;}]+)""", re.I)
_FONT_PROPERTY = re.compile(r"""(?:font-family|--[\w-]*font)\s*:\s*([^;}]+)""", re.I)  # a declaration, or a custom property it reads
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_CONTENT = re.compile(r"""content\s*:\s*((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^;}"'])*)""", re.I)


@dataclass(frozen=True)
class Face:
    family: str
    rule: str  # the @font-face rule, its src pointing at ``../<name>`` (from style/book.css)
    name: str  # the file inside the EPUB: fonts/<file>
    source: Path  # the font file (a static instance for a variable font)


@dataclass(frozen=True)
class Embedded:
    css: str  # the @font-face rules, to put first in the stylesheet
    files: tuple[tuple[str, str, bytes], ...]  # (name in the EPUB, media type, subset bytes)
    failed: tuple[tuple[str, str], ...] = ()  # (font file, error): faces left to the reader's fonts


def used_families(stylesheet: str) -> set[str]:
    """The family names the stylesheet's rules ask for (not the ones @font-face declares)."""
    text = _FACE.sub("", re.sub(r"/\*.*?\*/", "", stylesheet, flags=re.S))
    return {name.strip().strip("\"'").strip().lower() for m in _FONT_PROPERTY.finditer(text) for name in m.group(1).split(",")}


def style_faces(style: Path, stylesheet: str, prefix: str = "../") -> list[Face]:
    """The print style's faces whose family the EPUB (or web) stylesheet names, their files named
    from the stylesheet as ``<prefix>fonts/<file>``."""
    from blog2book.render.shared.webfonts import web_fonts_css

    rules, files = web_fonts_css(style)
    wanted = used_families(stylesheet)
    faces = []
    for body in _FACE.findall(rules):
        family = _FAMILY.search(body)
        url = _URL.search(body)
        if family is None or url is None or url.group(1) not in files:
            continue  # a face the font packages do not have: fonts.prepare has said so for the PDF
        name = family.group(1).strip().strip("\"'")
        if name.lower() not in wanted:
            continue
        if prefix:  # the EPUB: reading systems draw the text with the face they have
            body = body.replace(" font-display: swap;", "")
        rule = "@font-face {" + body.replace(url.group(0), f'url("{prefix}{url.group(1)}")') + "}"
        faces.append(Face(name, rule, url.group(1), files[url.group(1)]))
    return faces


def _css_string(token: str) -> str:
    """A CSS string's text, escapes (``\\2014``) decoded."""

    def unescape(m: re.Match) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else ""
        return m.group(2)

    return re.sub(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", unescape, token[1:-1])


def characters(texts: Iterable[str], stylesheet: str) -> str:
    """Every character a reader may see: the text of the XHTML, the stylesheet's ``content``
    strings, each letter in both cases, and what the reading system draws itself."""
    chars: set[str] = set(_ALWAYS)
    for text in texts:
        chars.update(html.unescape(re.sub(r"<[^>]*>", " ", text)))
    for m in _CONTENT.finditer(stylesheet):
        for token in re.findall(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""", m.group(1)):
            chars.update(_css_string(token))
    chars.update({c.upper() for c in chars if len(c.upper()) == 1} | {c.lower() for c in chars if len(c.lower()) == 1})
    return "".join(sorted(c for c in chars if unicodedata.category(c) not in ("Cc", "Cs")))


def subset(path: Path, chars: str) -> bytes:
    """The face cut down to ``chars`` (and what its features reach from them: ligatures, small caps):
    by HarfBuzz, else by fontTools."""
    if not in_workers():
        made = _harfbuzz_subset(path, chars)
        if made is not None:
            return made
    return _fonttools_subset(path, chars)


def _harfbuzz_subset(path: Path, chars: str) -> bytes | None:
    """HarfBuzz's subset, with what fontTools' keeps by default and blog2book adds: the default
    layout features and small capitals, the name IDs 0-6 and the licence (13, 14), the hinting."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    spec = hb.SubsetInput()
    spec.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in chars)
    spec.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).add(_tag("smcp"))
    names = spec.sets(hb.SubsetInputSets.NAME_ID)
    names.add(13)
    names.add(14)
    try:
        made = hb.subset(face, spec)
    except Exception:  # noqa: BLE001 - HarfBuzz refused this face: fontTools is tried
        return None
    data = bytes(made.blob.data) if made is not None else b""
    return data or None


def _tag(text: str) -> int:
    return int.from_bytes(text.encode("ascii"), "big")


def _fonttools_subset(path: Path, chars: str) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = [*options.layout_features, "smcp"]
    options.name_IDs = [*options.name_IDs, 13, 14]  # the licence and its URL stay with the face
    font = TTFont(path, recalcTimestamp=False)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _subset_job(job: tuple[str, str]) -> bytes | str:
    """The subset, or what went wrong (fontTools raises many kinds on a damaged file)."""
    try:
        return subset(Path(job[0]), job[1])
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def subsets(sources: list[Path], chars: str, folder: Path | None, jobs: int | None = None) -> list[bytes | str]:
    """Each face subset to ``chars`` (or the error that stopped it): from the build cache, else made
    in worker processes when fontTools subsets (a face takes it a second: its layout tables are read whole)."""
    keys = []
    for path in sources:
        st = path.stat()
        keys.append(key_of("epub-font", path.name, st.st_size, st.st_mtime_ns, chars, instancer()))
    out: list[bytes | str | None] = []
    for key in keys:
        try:
            out.append((folder / key).read_bytes() if folder is not None else None)
        except OSError:
            out.append(None)
    todo = [i for i, data in enumerate(out) if data is None]
    workers = min(len(todo), jobs or os.cpu_count() or 1) if in_workers() else 1
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            made = list(pool.map(_subset_job, [(str(sources[i]), chars) for i in todo]))
    else:
        made = [_subset_job((str(sources[i]), chars)) for i in todo]
    for i, data in zip(todo, made):
        out[i] = data
        if folder is not None and isinstance(data, bytes):
            store(folder / keys[i], data)
    return out


def embed(style: Path | None, stylesheet: str, texts: Iterable[str], cache: Path | None = None, jobs: int | None = None,
          prefix: str = "../") -> Embedded:
    """The @font-face rules and the subset font files for a book's EPUB, or its web edition with
    ``prefix`` "" (nothing when the stylesheet names none of the style's faces)."""
    faces = style_faces(style, stylesheet, prefix) if style else []
    if not faces:
        return Embedded("", ())
    sources = list(dict.fromkeys((face.name, face.source) for face in faces))  # two rules may share a file
    data = dict(zip(sources, subsets([source for _, source in sources], characters(texts, stylesheet), cache, jobs)))
    files = tuple((name, MEDIA_TYPES.get(source.suffix.lower(), "font/ttf"), content) for (name, source), content in data.items() if isinstance(content, bytes))
    failed = tuple((source.name, content) for (_, source), content in data.items() if isinstance(content, str))
    rules = "\n".join(f.rule for f in faces if isinstance(data[(f.name, f.source)], bytes))
    return Embedded(rules, files, failed)
