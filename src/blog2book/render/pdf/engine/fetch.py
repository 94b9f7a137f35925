"""The only way WeasyPrint may read anything: files of the style, the fonts, the book's images.

No network, no file outside those roots: a post cannot pull ``file:///etc/passwd`` or a web page
into a book. Refusals are recorded so the pipeline can report them.

On a cluster's worker (``files``), nothing is read from the worker's disk: the fetcher serves the
bytes the client sent, by the URL's path (or ``fontpkg:`` URL) on the client
(``render/pdf/content.py``).
"""

from __future__ import annotations

import mimetypes
import os
from typing import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from blog2book import images, svg
from blog2book.styles import font_file


class SafeFetcher(URLFetcher):
    def __init__(self, roots: list[Path], transform_css=None, files: Mapping[str, bytes] | None = None):
        super().__init__(allowed_protocols=("file", "fontpkg"))
        self.roots = [r.resolve() for r in roots] if files is None else []
        self.files = files  # None: read the roots' files; else only these (content.file_key -> bytes)
        self.refused: list[str] = []
        self.transform_css = transform_css  # str -> str, applied to every stylesheet served

    def _read(self, url: str) -> tuple[Path | None, bytes | None]:
        scheme = url.split(":", 1)[0].lower()
        if self.files is not None:
            key = file_key(url)
            data = self.files.get(key) if key is not None else None
            return (Path(key.partition("?")[0]), data) if data is not None else (None, None)
        if scheme == "fontpkg":
            path = font_file(url)
        elif scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                path = None
        else:
            path = None
        return (path, path.read_bytes()) if path is not None and path.is_file() else (None, None)

    def fetch(self, url, headers=None):
        path, data = self._read(url)
        if path is None or data is None:
            self.refused.append(url)
            raise ValueError(f"blog2book does not let the PDF engine read {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in (".ttf", ".otf"):
            mime = "font/" + path.suffix[1:]
        kind = "svg" if path.suffix.lower() == ".svg" else None
        if self.files is None and path.suffix.lower() in images.SUFFIX_KINDS:  # the verdict every edition follows (checked when read;
            verdict = images.examine(path)  # a cluster's worker is sent only what the client's transform let through)
            if not verdict.usable:
                self.refused.append(url)
                raise ValueError(f"blog2book refuses the image {url}: {verdict.problem}")
            kind, mime = verdict.kind, verdict.media_type
        if kind == "svg":
            try:  # no script, no reference to another file or the network
                data = svg.sanitise(data)[0]
            except svg.SvgRefused:
                self.refused.append(url)
                raise ValueError(f"blog2book refuses the SVG {url}") from None
        if self.transform_css is not None and path.suffix == ".css":
            data = self.transform_css(data.decode("utf-8")).encode("utf-8")
        if self.files is not None:
            return _Sent(url, data, {"Content-Type": mime})
        return URLFetcherResponse(url, data, {"Content-Type": mime})


class _Sent(URLFetcherResponse):
    """Bytes a client sent: WeasyPrint must not read the file the URL names again from the worker's
    disk (it does for an image whose path is a file there: ``RasterImage``'s lazy local image)."""

    @property
    def path(self):
        return None


def file_key(url: str) -> str | None:
    """How a file a layout may read is named in what a client sends its workers: the normalised
    path of a ``file:`` URL, a ``fontpkg:`` URL unquoted; None for any other URL."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "fontpkg":
        return "fontpkg:" + unquote(url.split(":", 1)[1]).lstrip("/")
    if scheme == "file":
        return os.path.normpath(unquote(urlsplit(url).path))
    return None
