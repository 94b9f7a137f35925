"""Book styles: a folder with ``print.css`` (WeasyPrint), ``epub.css`` and a README.

A manifest names a style by name (a folder of the project's ``styles/`` or of the styles installed
with blog2book) or by a path to a folder. Fonts are declared in the CSS with ``fontpkg:`` URLs
(``fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf``), served from the font packages that
blog2book depends on, so no book relies on the fonts a machine happens to have.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from blog2book.diagnostics import BuildError, Diagnostic, Location, did_you_mean, error
from blog2book.guard import shown

_PACKAGE_STYLES = Path(__file__).parent / "styles"  # installed wheel
_REPO_STYLES = Path(__file__).resolve().parents[2] / "styles"  # editable install / source tree


def style_roots(project_root: Path | None) -> list[Path]:
    roots = []
    if project_root is not None:
        roots.append(project_root / "styles")
    roots += [_PACKAGE_STYLES, _REPO_STYLES]
    return [r for r in dict.fromkeys(roots) if r.is_dir()]


def find_style(name: str, manifest_path: Path, location: Location | None = None) -> Path:
    candidate = (manifest_path.parent / name).resolve()
    if ("/" in name or name.startswith(".")) and (candidate / "print.css").is_file():
        check_style(candidate, location)
        return candidate
    project = manifest_path.parent.parent
    known: list[str] = []
    for root in style_roots(project):
        folder = root / name
        if (folder / "print.css").is_file():
            check_style(folder.resolve(), location)
            return folder.resolve()
        known += [p.name for p in root.iterdir() if (p / "print.css").is_file() and p.name != "base"]
    known = sorted(set(known))
    raise BuildError(
        [
            error(
                "style.unknown",
                f"no style '{name}' (known styles: {', '.join(known) or 'none'})",
                location or Location(manifest_path),
                did_you_mean(name, known) or "give a style name or the path of a style folder",
            )
        ]
    )


# ---------------------------------------------------------------- checking a style's CSS

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(["']?)([^"')\s;]+)\1""", re.I)
_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.I)
_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.I)
_LOCAL = re.compile(r"\blocal\(", re.I)


def _css_text(path: Path) -> str:
    """The CSS without comments, line numbers kept."""
    text = path.read_text("utf-8", errors="replace")
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_css(path: Path, roots: list[Path], edition: str, seen: set[Path] | None = None) -> tuple[list[Diagnostic], list[tuple[str, Location]]]:
    """Problems of a style sheet and the files it imports; the fontpkg faces it declares.

    Nothing remote (``http:``, ``file:``, ``//host``…) and no file outside the style folders; in the
    EPUB's sheet, no ``@import`` and no ``url()`` at all (the EPUB carries only that one file).
    Faces only from ``fontpkg:`` URLs, never ``local()`` machine fonts."""
    seen = seen if seen is not None else set()
    path = path.resolve()
    if path in seen:
        return [], []
    seen.add(path)
    problems: list[Diagnostic] = []
    faces: list[tuple[str, Location]] = []
    try:
        text = _css_text(path)
    except OSError as exc:
        return [error("style.unreadable", f"cannot read the style sheet: {exc.strerror}", Location(path))], []
    what = "the EPUB style sheet" if edition == "epub" else "the print style sheet"
    imports = {m.start(2) for m in _IMPORT.finditer(text)}
    for m in _IMPORT.finditer(text):
        href, loc = m.group(2), Location(path, _line(text, m.start()))
        if edition == "epub":
            problems.append(error("style.epub-import", f"{what} imports {shown(href)}; the EPUB carries only epub.css", loc, "copy the rules into epub.css"))
            continue
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", href, re.I):
            problems.append(error("style.remote", f"{what} imports {shown(href)}: styles may use their own files only", loc, "copy the file into the style folder"))
            continue
        target = (path.parent / unquote(href)).resolve()
        if not any(target.is_relative_to(r) for r in roots):
            problems.append(error("style.outside", f"{what} imports {shown(href)}, outside the style folders", loc, "copy the file into the style folder"))
        elif not target.is_file():
            problems.append(error("style.import-missing", f"{what} imports {shown(href)}, which does not exist (expected at {target})", loc, "fix the path: a style copied elsewhere must keep reaching ../base/print.css"))
        else:
            sub_problems, sub_faces = check_css(target, roots, edition, seen)
            problems += sub_problems
            faces += sub_faces
    for m in _URL.finditer(text):
        if m.start(2) in imports:
            continue
        href, loc = m.group(2).strip(), Location(path, _line(text, m.start()))
        if edition == "print" or href.lower().startswith("data:"):
            continue  # the print engine's fetcher refuses (and reports) what is not the style's or a font's
        problems.append(error("style.epub-url", f"{what} refers to {shown(href)}, which the EPUB does not carry", loc, "remove the url(); EPUB faces and images are the reader's"))
    if edition == "print":
        for m in _OPENERS.finditer(text):
            if m.group(1).strip() not in OPENERS:
                problems.append(error("style.openers", f"--openers: '{m.group(1).strip()}' is not recto or any", Location(path, _line(text, m.start())), "write --openers: recto (chapters open on a right-hand page) or --openers: any (on the next page)"))
        for m in _FACE.finditer(text):
            loc = Location(path, _line(text, m.start()))
            body = m.group(1)
            urls = [u.group(2) for u in _URL.finditer(body)]
            if _LOCAL.search(body) or not urls or any(not u.startswith("fontpkg:") for u in urls):
                problems.append(error("style.face-source", "a @font-face must take its face from a fontpkg: URL only", loc, "books never use the machine's fonts; name a file of an installed font package"))
            faces += [(u, loc) for u in urls if u.startswith("fontpkg:")]
    return problems, faces


def check_style(style: Path, location: Location | None = None) -> list[tuple[str, Location]]:
    """Check a style's print.css and epub.css (BuildError with every problem); its faces."""
    roots = [style.resolve(), style.resolve().parent]
    problems, faces = check_css(style / "print.css", roots, "print")
    epub_css = style / "epub.css"
    if not epub_css.is_file():
        epub_css = style.parent / "base" / "epub.css"
    if epub_css.is_file():
        problems += check_css(epub_css, roots, "epub")[0]
    if not faces and not problems:
        problems.append(
            error("style.no-faces", "the style declares no @font-face: the book would be set in the machine's fonts", Location(style / "print.css", 1), "import ../base/print.css or declare faces with fontpkg: URLs")
        )
    if problems:
        raise BuildError(problems)
    return faces


_FAMILY = re.compile(r"""font-family\s*:\s*(["']?)([^"';}]+)\1""", re.I)


def css_chain(path: Path, seen: set[Path] | None = None) -> list[Path]:
    """A style sheet and the sheets it imports (``@import``, comments ignored), imported ones first;
    a sheet that is missing, or met again, is left out."""
    seen = seen if seen is not None else set()
    path = path.resolve()
    if path in seen or not path.is_file():
        return []
    seen.add(path)
    out: list[Path] = []
    for m in _IMPORT.finditer(_css_text(path)):
        out += css_chain(path.parent / unquote(m.group(2)), seen)
    return out + [path]


_OPENERS = re.compile(r"--openers\s*:\s*([^;}]*)")
OPENERS = ("recto", "any")


def openers(style: Path | None) -> str:
    """Where the style opens chapters, parts and matter: ``recto`` (the default: a blank verso
    before an opener that would fall on one) or ``any`` (the next page). Set in the style's print.css
    (or a sheet it imports) as ``:root { --openers: any; }``; the last declaration wins."""
    value = "recto"
    for path in css_chain(style / "print.css") if style is not None else []:
        for m in _OPENERS.finditer(_css_text(path)):
            value = m.group(1).strip()
    return value


def declared_families(style: Path) -> list[str]:
    """The font-family names of the @font-face rules of the style's print.css and its imports."""
    out: list[str] = []
    for path in css_chain(style / "print.css"):
        out += [f.group(2).strip() for m in _FACE.finditer(_css_text(path)) if (f := _FAMILY.search(m.group(1)))]
    return sorted(set(out))


_ACCENT = re.compile(r"--accent\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")


def accent_colour(style: Path) -> str | None:
    """The style's ``--accent`` (``#rrggbb``) as its print.css and imports set it last, or None."""
    found = None
    for path in css_chain(style / "print.css"):
        for m in _ACCENT.finditer(_css_text(path)):
            found = m.group(1)
    return found


def faces_for(book, style: bool, cover: bool) -> list[tuple[str, Location]]:
    """The faces a build needs: the style's (``style``: for the PDF, the EPUB, which embeds them
    subset, and the web edition) and the typographic cover's (``cover``: for an EPUB whose
    manuscript names no cover image)."""
    faces = check_style(book.style) if style else []
    if cover and book.meta.cover is None:
        faces += [(url, Location(book.style / "print.css")) for url in cover_faces()]
    return faces


def font_file(url: str) -> Path | None:
    """``fontpkg:source-serif-4/File.ttf`` -> the font file (see ``fonts``)."""
    from blog2book.fonts import font_file as resolve

    return resolve(url)


# ---------------------------------------------------------------- the cover's design

SERIF = "fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght={w}&opsz={o}"
ITALIC = "fontpkg:source-serif-4/SourceSerif4-Italic[opsz,wght].ttf?wght={w}&opsz={o}"

DESIGN_DEFAULTS = {
    "background": "#1f3a5f",
    "text": "#ffffff",
    "accent": "#e8b04b",
    "title-font": SERIF.format(w=600, o=20),
    "text-font": SERIF.format(w=400, o=11),
    "italic-font": ITALIC.format(w=400, o=11),
}


def cover_design(book) -> dict[str, str]:
    """The style's cover design, shared by the EPUB cover and the print cover: colours and faces
    (``fontpkg:`` URLs) from ``cover.txt`` (key=value lines), the defaults otherwise."""
    design = dict(DESIGN_DEFAULTS)
    spec = book.style / "cover.txt" if book.style else None
    if spec is not None and spec.is_file():
        for line in spec.read_text("utf-8").splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                if key.strip() in design:
                    design[key.strip()] = value.strip()
    return design


def cover_faces() -> list[str]:
    """The fontpkg URLs the typographic cover draws with (prepared with the style's faces)."""
    return [SERIF.format(w=400, o=11), SERIF.format(w=600, o=20), ITALIC.format(w=400, o=11)]
