"""A static site's images, found where the site keeps them and copied beside the posts.

An image of a post (Markdown ``![alt](src)`` or HTML ``<img src>``) given as

* a site path (``/images/x.png``, ``/uploads/2020/x.jpg``, with or without the site's ``baseurl``),
  or an address on the site's own host: looked up in the site's static folders, in order (Jekyll:
  the site's root, then its language folders; Hugo: ``static/``, ``assets/``, ``content/``);
* a relative path (``photo.jpg`` in a page bundle): beside the post first, then as a site path;

is copied to ``images/<post slug>/<name>`` under the posts folder (``SiteImages.copies``) and the
post names that copy. An image found nowhere is a located warning (``import.image-missing``) and,
in the post, a visible placeholder (``[Image introuvable : …]{.image-missing}``): the build goes on.
A file that is a link leaving the site is never copied (``import.outside``, and the placeholder).
Images on other hosts stay addresses (the build says it does not download them).
"""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, warning
from blog2book.importers import leads_outside

_MD_IMAGE = re.compile(r"!\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(\s*(<[^>\n]*>|[^)\s]+)(\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")
_HTML_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1[^>]*>", re.I | re.S)
_ALT = re.compile(r"\balt\s*=\s*([\"'])(.*?)\1", re.I | re.S)
_MISSING = {"fr": "Image introuvable\u00a0: ", "en": "Image not found: "}


class SiteImages:
    def __init__(self, root: Path, folders: list[Path], hosts: set[str], baseurl: str, lang: str | None):
        self.root = root
        self.folders = [f for f in folders if f.is_dir()]
        self.hosts = {h.lower().removeprefix("www.") for h in hosts}
        self.baseurl = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
        self.words = _MISSING["en" if (lang or "fr").lower().startswith("en") else "fr"]
        self.copies: dict[str, Path] = {}
        self._names: dict[tuple[str, Path], str] = {}

    def rewrite(self, text: str, slug: str, post_dir: Path, path: Path, line: int, diags: list[Diagnostic], original: str | None = None, as_html: bool = False) -> str:
        """``text`` naming the copies of its images (placeholders for those not found); ``original``
        is the post's body as written (before Liquid or shortcodes), where warnings find their line;
        ``as_html``: the post is HTML (its placeholders too)."""

        def where(m: re.Match) -> Location:
            if original is not None:
                for target in (m.group(0), m.group(2)):
                    at = original.find(target)
                    if at >= 0:
                        return Location(path, line + original.count("\n", 0, at))
            return Location(path, line + text.count("\n", 0, m.start()))

        def markdown(m: re.Match) -> str:
            target = m.group(2).strip("<>")
            found = self._place(target, slug, post_dir, where(m), diags)
            if found is None:
                return m.group(0)
            if found == "":
                return self._placeholder(m.group(1), target, as_html)
            shown = f"<{found}>" if re.search(r"[\s()<>]", found) else found
            return f"![{m.group(1)}]({shown}{m.group(3) or ''})"

        def html(m: re.Match) -> str:
            target = m.group(2)
            found = self._place(target, slug, post_dir, where(m), diags)
            if found is None:
                return m.group(0)
            if found == "":
                alt = _ALT.search(m.group(0))
                return self._placeholder(alt.group(2) if alt else "", target, as_html)
            return m.group(0).replace(m.group(2), found, 1)

        return _HTML_IMG.sub(html, _MD_IMAGE.sub(markdown, text))

    def _placeholder(self, alt: str, target: str, as_html: bool) -> str:
        name = unquote(urlsplit(target).path).rsplit("/", 1)[-1]
        what = f"{alt} ({name})" if alt.strip() else name
        if as_html:
            return f'<span class="image-missing">{escape(self.words + what, quote=False)}</span>'
        return "[" + self.words + what.replace("[", "\\[").replace("]", "\\]") + "]{.image-missing}"

    def _site_path(self, target: str) -> str | None:
        """The path on the site of an image's address, or None when it is not the site's."""
        parts = urlsplit(target)
        if parts.scheme in ("http", "https") or target.startswith("//"):
            if (parts.hostname or "").lower().removeprefix("www.") not in self.hosts:
                return None
            return unquote(parts.path)
        if parts.scheme:  # data:, mailto:…
            return None
        return unquote(parts.path)

    def _place(self, target: str, slug: str, post_dir: Path, here: Location, diags: list[Diagnostic]) -> str | None:
        """The copy's path for the post (``images/slug/name``); "" when the image is not found (or
        leaves the site); None when it is not the site's image (left as it is)."""
        site_path = self._site_path(target)
        if site_path is None or not site_path.strip("/"):
            return None
        candidates: list[Path] = []
        if not site_path.startswith("/"):
            candidates.append(post_dir / site_path)
        paths = [site_path]
        if self.baseurl and site_path.startswith(self.baseurl + "/"):
            paths.insert(0, site_path[len(self.baseurl):])
        candidates += [folder / p.lstrip("/") for p in paths for folder in self.folders]
        for given in candidates:
            given = Path(os.path.normpath(os.path.abspath(given)))
            if not given.is_relative_to(self.root.resolve()) and not given.is_relative_to(self.root):
                continue
            if not given.exists():
                continue
            problem = leads_outside(given, self.root, "the site")
            if problem is not None:
                diags.append(warning(problem.code, problem.message, here, problem.hint))
                return ""
            if given.is_file():
                return self._copy(given, slug)
        diags.append(warning("import.image-missing", f"image {guard.shown(target)} is not in the site's folders ({', '.join(self._shown_folders())}): the book shows a placeholder", here, "copy the image into the site, or beside the imported post, and import again"))
        return ""

    def _shown_folders(self) -> list[str]:
        return [f.relative_to(self.root).as_posix() + "/" if f != self.root else "the site's root" for f in self.folders] or ["none"]

    def _copy(self, found: Path, slug: str) -> str:
        key = (slug, found)
        if key in self._names:
            return self._names[key]
        name = found.name
        stem, suffix, n = found.stem, found.suffix, 2
        while f"images/{slug}/{name}" in self.copies:
            name, n = f"{stem}-{n}{suffix}", n + 1
        rel = f"images/{slug}/{name}"
        self.copies[rel] = found.resolve()
        self._names[key] = rel
        return rel
