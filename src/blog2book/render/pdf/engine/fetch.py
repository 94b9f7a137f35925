"""The only way WeasyPrint may read anything: files of the style, the fonts, the book's images.

No network, no file outside those roots: a post cannot pull ``file:///etc/passwd`` or a web page
into a book. Refusals are recorded so the pipeline can report them.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from blog2book import images, svg
from blog2book.styles import font_file


class SafeFetcher(URLFetcher):
    def __init__(self, roots: list[Path], transform_css=None):
        super().__init__(allowed_protocols=("file", "fontpkg"))
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []
        self.transform_css = transform_css  # str -> str, applied to every stylesheet served

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "fontpkg":
            path = font_file(url)
        elif scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                path = None
        else:
            path = None
        if path is None or not path.is_file():
            self.refused.append(url)
            raise ValueError(f"blog2book does not let the PDF engine read {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in (".ttf", ".otf"):
            mime = "font/" + path.suffix[1:]
        kind = None
        if path.suffix.lower() in images.SUFFIX_KINDS:  # the verdict every edition follows (checked when read)
            verdict = images.examine(path)
            if not verdict.usable:
                self.refused.append(url)
                raise ValueError(f"blog2book refuses the image {url}: {verdict.problem}")
            kind, mime = verdict.kind, verdict.media_type
        data = path.read_bytes()
        if kind == "svg":
            try:  # no script, no reference to another file or the network
                data = svg.sanitise(data)[0]
            except svg.SvgRefused:
                self.refused.append(url)
                raise ValueError(f"blog2book refuses the SVG {url}") from None
        if self.transform_css is not None and path.suffix == ".css":
            data = self.transform_css(data.decode("utf-8")).encode("utf-8")
        return URLFetcherResponse(url, data, {"Content-Type": mime})
