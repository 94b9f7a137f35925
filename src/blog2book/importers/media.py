"""The blog's images, mapped to a local copy of ``wp-content/uploads``.

``MediaMap(uploads, posts)(url)`` answers the converter's question "where is this image now?":
for a URL under ``…/wp-content/uploads/`` (any host: blogs change domains, http and https) it finds
the file in the copy, preferring the original over a resized variant (``photo-300x200.jpg`` ->
``photo.jpg`` when present), and returns ``images/<year>/<month>/<file>``, the path the file will
have under the posts folder, relative to the post; an attachment's URL on another host (a blog on
WordPress.com serves ``files.wordpress.com/2008/06/x.jpg``) is found by the file the export names
for it (``learn``). Images not found stay URLs, with a warning;
so do images that are links leaving the uploads copy (never copied: a located warning each).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blog2book.diagnostics import Diagnostic, Location, warning
from blog2book.importers import leads_outside

_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_VARIANT = re.compile(r"^(.*)-\d+x\d+(\.[A-Za-z0-9]+)$")
_SCALED = re.compile(r"^(.*)-(?:scaled|rotated)(\.[A-Za-z0-9]+)$")


class MediaMap:
    def __init__(self, uploads: Path, posts: Path):
        self.uploads = Path(uploads).resolve()
        self._copies: dict[str, Path] = {}
        self._missing: dict[str, None] = {}
        self._outside: dict[Path, Diagnostic] = {}
        self._known: dict[str, str] = {}  # an attachment's URL path -> its file in the uploads folder

    def learn(self, url: str, rel: str) -> None:
        """The export says which file of the uploads folder an attachment's URL is (its
        ``_wp_attached_file``): a blog hosted on WordPress.com serves it from another host."""
        self._known[unquote(urlsplit(url.strip()).path)] = rel

    def _rel(self, url: str) -> str | None:
        path = unquote(urlsplit(url.strip()).path)
        m = _UPLOADS.search(path)
        if m:
            return m.group(1)
        for pattern in (None, _VARIANT, _SCALED):  # photo-300x200.jpg is a size of photo.jpg
            v = pattern.match(path) if pattern else None
            key = v.group(1) + v.group(2) if v else path
            if key in self._known:
                return self._known[key]
        return None

    def __call__(self, url: str) -> str | None:
        rel = self._rel(url)
        if rel is None:
            return None
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
            given = Path(os.path.normpath(self.uploads / candidate))
            if not given.is_relative_to(self.uploads):  # ../ in the address: not a file of the copy
                continue
            problem = leads_outside(given, self.uploads, "the uploads copy")
            if problem is not None:
                if given.exists():
                    self._outside.setdefault(given, problem)
                continue
            if given.is_file():
                return given.resolve()
        return None

    def copies(self) -> list[tuple[Path, str]]:
        return [(src, rel) for rel, src in sorted(self._copies.items())]

    def diagnostics(self) -> list[Diagnostic]:
        found = list(self._outside.values())
        if not self._missing:
            return found
        shown = ", ".join(list(self._missing)[:5]) + (" …" if len(self._missing) > 5 else "")
        return found + [warning("import.media-missing", f"{len(self._missing)} image(s) of the blog are not in the uploads copy and stay web addresses: {shown}", Location(self.uploads), "copy the whole wp-content/uploads folder, or download these images into the project")]
