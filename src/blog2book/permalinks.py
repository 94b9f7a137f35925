"""The shapes of a blog's URLs that name one post (what ``xref`` matches links with).

Scheme, ``www.``, trailing slash, percent-encoding (UTF-8, or Windows-1252 for old blogs), case,
``/print/``-like suffixes and ``comment-page-N``, the ``/index.php/`` prefix and the query are
ignored, except ``?p=ID``/``?page_id=ID``; both permalink shapes ``/yyyy/mm/slug/`` and
``/yyyy/mm/dd/slug/`` give one key, and ``/slug`` a weak one (WordPress redirects it to the post).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, unquote, unquote_to_bytes, urlsplit

_SUFFIXES = ("print", "amp", "feed", "embed", "trackback")
_COMMENT_PAGE = re.compile(r"^comment-page-\d+$")
# a dated permalink, under the folder WordPress is installed in if any (/demo/2013/01/10/slug/)
_PERMALINK = re.compile(r"^((?:/[^/]+)*?)/(\d{4})/(\d{2})/(?:(\d{2})/)?([^/]+?)(?:/(\d+))?$")
# Pages of a blog that are not posts: a link to them is a web link, without a warning.
_NON_POST_DIRS = ("category", "tag", "author", "page", "feed", "wp-content", "wp-admin", "search", "comments")
HOSTLIKE = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)", re.I)


def bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def site_host(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url if "//" in url else "//" + url)
    return bare_host(parts.hostname or "") or None


def site_base(url: str | None) -> str | None:
    """The site's address as an absolute URL ending in '/', for relative links."""
    if not url:
        return None
    url = url.strip()
    if "//" not in url:
        url = "https://" + url
    elif url.startswith("//"):
        url = "https:" + url
    return url if url.endswith("/") else url + "/"


def unquote_path(path: str) -> str:
    """Percent-decoding as UTF-8, or as Windows-1252 for old blogs; Unicode NFC."""
    try:
        text = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        text = unquote(path, encoding="cp1252", errors="replace")
    return unicodedata.normalize("NFC", text)


def path_segments(path: str) -> list[str]:
    segments = [s for s in unquote_path(path or "/").split("/") if s]
    if segments and segments[0].lower() == "index.php":
        segments = segments[1:]
    while segments and (segments[-1].lower() in _SUFFIXES or _COMMENT_PAGE.match(segments[-1].lower())):
        segments.pop()
    return segments


def url_keys(url: str) -> tuple[str, ...]:
    """Every normalised key a URL matches, best first.

    Scheme, ``www.``, trailing slash, percent-encoding, case, ``/print/``-like suffixes and the
    query are ignored (except ``?p=ID``/``?page_id=ID``, which give the key, the path being the
    blog's home); ``/yyyy/mm/dd/slug`` and ``/yyyy/mm/slug`` both give ``/yyyy/mm/slug`` (under the
    blog's folder if any); a permalink also gives ``/slug``, last (a weak key: WordPress redirects
    ``/slug/`` to the post).
    """
    strong, weak = strong_and_weak_keys(url)
    return strong + weak


def strong_and_weak_keys(url: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host = bare_host(parts.hostname or "")
    keys: list[str] = []
    query = parse_qs(parts.query)
    for name in ("p", "page_id"):
        value = query.get(name, [""])[0]
        if value.isdigit():
            keys.append(f"{host}?p={int(value)}")
    path = "/" + "/".join(path_segments(parts.path)).lower()
    if not keys:  # /?p=123, /demo/?p=123: the id names the post, the path is the blog's home page
        keys.append(f"{host}{path}")
    weak: tuple[str, ...] = ()
    m = _PERMALINK.match(path) if "?p=" not in keys[0] else None
    if m:
        home, year, month, _day, slug, _page = m.groups()
        keys.append(f"{host}{home}/{year}/{month}/{slug}")
        weak = (f"{host}{home}/{slug}",)
    return tuple(dict.fromkeys(keys)), weak


def is_site_page(path: str) -> bool:
    """The home page, a category, a tag, an archive, a file: pages of the blog that are not posts."""
    segments = path_segments(path)
    if not segments:
        return True
    if segments[0].lower() in _NON_POST_DIRS:
        return True
    return all(s.isdigit() for s in segments)  # /2010/ or /2010/10/: date archives
