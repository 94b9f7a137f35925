"""The blog's images, mapped to a local copy of ``wp-content/uploads``.

``MediaMap(uploads, posts)(url)`` answers the converter's question "where is this image now?":
for a URL under ``…/wp-content/uploads/`` (any host: blogs change domains, http and https) it finds
the file in the copy, preferring the original over a resized variant (``photo-300x200.jpg`` ->
``photo.jpg`` when present), and returns ``images/<year>/<month>/<file>``, the path the file will
have under the posts folder, relative to the post. Images not found stay URLs, with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blog2book.diagnostics import Diagnostic, Location, warning

_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_VARIANT = re.compile(r"^(.*)-\d+x\d+(\.[A-Za-z0-9]+)$")
_SCALED = re.compile(r"^(.*)-(?:scaled|rotated)(\.[A-Za-z0-9]+)$")


class MediaMap:
    def __init__(self, uploads: Path, posts: Path):
        self.uploads = Path(uploads).resolve()
        self._copies: dict[str, Path] = {}
        self._missing: dict[str, None] = {}

    def __call__(self, url: str) -> str | None:
        m = _UPLOADS.search(unquote(urlsplit(url.strip()).path))
        if not m:
            return None
        rel = m.group(1)
        found = self._find(rel)
        if found is None:
            self._missing[url] = None
            return None
        local = "images/" + found.relative_to(self.uploads).as_posix()
        self._copies[local] = found
        return local

    def _find(self, rel: str) -> Path | None:
        candidates = []
        for pattern in (_VARIANT, _SCALED):
            v = pattern.match(rel)
            if v:
                candidates.append(v.group(1) + v.group(2))
        candidates.append(rel)
        for candidate in candidates:
            path = (self.uploads / candidate).resolve()
            if path.is_relative_to(self.uploads) and path.is_file():
                return path
        return None

    def copies(self) -> list[tuple[Path, str]]:
        return [(src, rel) for rel, src in sorted(self._copies.items())]

    def diagnostics(self) -> list[Diagnostic]:
        if not self._missing:
            return []
        shown = ", ".join(list(self._missing)[:5]) + (" …" if len(self._missing) > 5 else "")
        return [warning("import.media-missing", f"{len(self._missing)} image(s) of the blog are not in the uploads copy and stay web addresses: {shown}", Location(self.uploads), "copy the whole wp-content/uploads folder, or download these images into the project")]
