"""Images of the blog's ``wp-content/uploads`` folder, found in the copy the manuscript names.

A post copied from WordPress points at its images as ``https://blog/wp-content/uploads/2010/03/a.jpg``,
``/wp-content/uploads/2010/03/a.jpg`` or through Jetpack's ``i0.wp.com/blog/wp-content/uploads/…``.
With ``uploads: ../wp-uploads`` in the manuscript, the book takes ``wp-uploads/2010/03/a.jpg`` (or,
when WordPress's resized copy ``a-300x200.jpg`` is missing, the original ``a.jpg``); without it, the
image is left out with a warning that says what to do.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, error, warning

_MARK = "/wp-content/uploads/"


def _host(url: str) -> str:
    return re.sub(r"^www\.", "", (urlsplit(url if "//" in url else "//" + url).hostname or "").lower())


def upload_path(target: str, site: str | None) -> str | None:
    """The path inside the uploads folder an image address names (``2010/03/a.jpg``), else None."""
    target = target.strip()
    parts = urlsplit(target)
    path = unquote(parts.path)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if parts.netloc:
        host = _host(target)
        if re.fullmatch(r"i[0-3]\.wp\.com", host):  # Jetpack's image CDN: i0.wp.com/<blog>/wp-content/…
            rest = path.lstrip("/")
            host, _, tail = rest.partition("/")
            host = re.sub(r"^www\.", "", host.lower())
            path = "/" + tail
        if site and host != _host(site):
            return None
    elif not path.startswith("/"):
        return None  # a relative path is a file of the project
    at = path.find(_MARK)
    if at < 0:
        return None
    rest = path[at + len(_MARK):]
    return rest or None


def resolve(rel: str, target: str, folder: Path | None, root, loc: Location) -> Path | Diagnostic:
    """The image file in the uploads copy, or the diagnostic saying what to do."""
    if folder is None:
        return warning(
            "image.uploads",
            f"image '{target}' is in the blog's wp-content/uploads, which the manuscript does not name; it is left out",
            loc,
            "copy the blog's wp-content/uploads folder into the project and add 'uploads: ../wp-uploads' (its path) to the manuscript",
        )
    base = folder.resolve()
    path = (base / rel).resolve()
    if not path.is_relative_to(base):
        return error("image.outside", f"image '{target}' points outside the uploads folder", loc, "check the image's address")
    if not path.is_file():
        original = path.with_name(re.sub(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)", "", path.name))
        if original != path and original.is_file():
            path = original
        else:
            return error("image.missing", f"image '{target}' not found in the uploads folder", loc, f"expected at {path}")
    if guard.outside(path, root):  # root: the project, or it and the --allow-outside folders
        return error("image.outside", f"image '{target}': the uploads folder {base} is outside the project folder", loc, "move the uploads copy into the project")
    return path


def unprinted(in_blog_uploads: dict[str, Diagnostic], remote: dict[str, Location]) -> list[Diagnostic]:
    """One warning for a post's images in the blog's uploads when the manuscript names none
    (``in_blog_uploads``: target -> its warning), one for its remote images (target -> where):
    a post of a blog shows many, and each would say the same thing."""
    out: list[Diagnostic] = []
    if len(in_blog_uploads) == 1:
        out.extend(in_blog_uploads.values())
    elif in_blog_uploads:
        first = next(iter(in_blog_uploads.values()))
        out.append(warning("image.uploads", f"{len(in_blog_uploads)} images are in the blog's wp-content/uploads, which the manuscript does not name; they are left out: {_shown(list(in_blog_uploads))}", first.location, first.hint))
    if remote:
        urls = list(remote)
        if len(urls) == 1:
            message = f"image {_shown(urls)} is not a local file; blog2book does not download it (no network during a build): the book prints its alt text"
        else:
            message = f"{len(urls)} images are not local files: {_shown(urls)}; blog2book does not download them (no network during a build): the book prints their alt text"
        out.append(warning("image.remote", message, remote[urls[0]], "download them into the project and link the files (an import from WordPress does it with --media)"))
    return out


def _shown(urls: list[str]) -> str:
    return ", ".join(f"'{u}'" for u in urls[:6]) + (f" and {len(urls) - 6} more" if len(urls) > 6 else "")
