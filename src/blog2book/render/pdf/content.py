"""What a piece's layout reads, named and sent by content, for workers that share no file with the
client (``--executor dask://…``).

A layout reads the print style (its sheets and their files, and the shared base style), the faces
its ``@font-face`` rules name (``fontpkg:`` URLs: the instanced files of this machine's font cache)
and the book's images. A ``Shipment`` names each of them as the layout asks for it
(``engine.fetch.file_key``: the file's path here, the ``fontpkg:`` URL) and by the SHA-256 of its
bytes; a piece is sent the style, the faces and only the images its HTML shows. The bytes are read
when a worker first needs them (``Shipment.load``), and each is sent once (``infra/cluster.py``).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

from blog2book.render.pdf.engine.fetch import file_key

_FONTPKG = re.compile(r"""url\(\s*(["']?)(fontpkg:[^"')]*)\1\s*\)""", re.I)


@dataclass(frozen=True)
class Shipment:
    common: tuple[tuple[str, str], ...]  # (name, digest): the style's files and the faces
    images: tuple[tuple[tuple[str, ...], str, str], ...]  # (how the HTML may write its file name, name, digest)
    paths: dict[str, Path] = field(default_factory=dict, compare=False)  # digest -> the file here

    def files_for(self, html: str) -> tuple[tuple[str, str], ...]:
        """(name, digest) of every file the layout of ``html`` may read."""
        return self.common + tuple((name, d) for shown, name, d in self.images if any(s in html for s in shown))

    def load(self, digest: str) -> bytes:
        return self.paths[digest].read_bytes()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _names(path: Path) -> set[str]:
    """A file's names as a layout may ask for it: its absolute path as written and resolved."""
    return {os.path.normpath(str(path.absolute())), os.path.normpath(str(path.resolve()))}


def shipment(style: Path, images: list[Path]) -> Shipment:
    """Everything a layout of the book in ``style`` may read: the style's folder and the base
    style's (the files the cache key of a layout counts, ``layout.style_key``), the faces of its
    sheets, ``images``."""
    from blog2book.fonts import font_file
    from blog2book.styles import css_chain

    paths: dict[str, Path] = {}
    common: dict[str, str] = {}

    def add(path: Path) -> str:
        d = _sha256(path)
        paths[d] = path
        return d

    sheets = css_chain(style / "print.css")
    files = {p for folder in (style, style.parent / "base") if folder.is_dir() for p in folder.rglob("*") if p.is_file()}
    for path in sorted(files | set(sheets)):
        d = add(path)
        common.update((name, d) for name in _names(path))
    for sheet in sheets:
        for m in _FONTPKG.finditer(sheet.read_text("utf-8", errors="replace")):
            found = font_file(m.group(2))
            key = file_key(m.group(2))
            if found is not None and key is not None:
                common[key] = add(found)
    shown: list[tuple[tuple[str, ...], str, str]] = []
    for image in dict.fromkeys(images):
        if image.is_file():
            d = add(image)
            written = tuple(sorted({image.name, escape(image.name), quote(image.name)}))
            shown += [(written, name, d) for name in sorted(_names(image))]
    return Shipment(tuple(sorted(common.items())), tuple(shown), paths)
