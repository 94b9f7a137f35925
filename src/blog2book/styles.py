"""Book styles: a folder with ``print.css`` (WeasyPrint), ``epub.css`` and a README.

A manifest names a style by name (a folder of the project's ``styles/`` or of the styles installed
with blog2book) or by a path to a folder. Fonts are declared in the CSS with ``fontpkg:`` URLs
(``fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf``), served from the font packages that
blog2book depends on, so no book relies on the fonts a machine happens to have.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote

from blog2book.diagnostics import BuildError, Location, did_you_mean, error

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
        return candidate
    project = manifest_path.parent.parent
    known: list[str] = []
    for root in style_roots(project):
        folder = root / name
        if (folder / "print.css").is_file():
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


def font_file(url: str) -> Path | None:
    """``fontpkg:source-serif-4/File.ttf`` -> the file inside the installed font package.

    With a query (``…ttf?wght=600&opsz=12``) the variable font is instanced once into a static
    font, kept in the user's cache: WeasyPrint subsets a static font in milliseconds, while it
    re-instances a variable font on every build (10 s for a 50-page book).
    """
    rest, _, query = url.split(":", 1)[1].lstrip("/").partition("?")
    package, _, filename = rest.partition("/")
    module = "fontpkg_" + package.replace("-", "_")
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    files = (Path(list(spec.submodule_search_locations)[0]) / "files").resolve()
    path = (files / unquote(filename)).resolve()
    if not path.is_relative_to(files) or not path.is_file():
        return None
    return static_instance(path, query) if query else path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "blog2book"


def static_instance(path: Path, query: str) -> Path:
    axes = {k: float(v[0]) for k, v in sorted(parse_qs(query).items())}
    tag = "-".join(f"{k}{v:g}" for k, v in axes.items())
    out = cache_root() / "fonts" / f"{path.stem.split('[')[0]}-{tag}-{path.stat().st_size}.ttf"
    if out.is_file():
        return out
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    out.parent.mkdir(parents=True, exist_ok=True)
    font = instancer.instantiateVariableFont(TTFont(path), axes, updateFontNames=False)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    font.save(tmp)
    os.replace(tmp, out)
    return out
