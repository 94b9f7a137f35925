"""Cross-references: collect every name of every post, then rewrite the links of the book.

Collect (``build_index``) runs over all posts of the folder before any link is rewritten, so a link
to a later chapter resolves exactly like a link to an earlier one. Resolve (``resolve_post``)
classifies each Link of a post:

* a post of this book (by URL in any of its shapes, alias, ``?p=ID``, or ``post:slug``) -> an
  internal link ``#id`` with class ``xref`` (« voir p. 42 » in print, a live link in the EPUB);
* a post of the blog left out of the book, or any other web link -> class ``external`` (a note
  with its URL in print, a hyperlink in the EPUB); a bare URL gets class ``bare`` (no note).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Mapping
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from blog2book import tree
from blog2book.diagnostics import Diagnostic, error, info, warning
from blog2book.model import Post
from blog2book.sources import SourcePost

_SUFFIXES = ("print", "amp", "feed", "embed")
_PERMALINK = re.compile(r"^/(\d{4})/(\d{2})/(?:(\d{2})/)?([^/]+)$")


def site_host(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def url_keys(url: str) -> tuple[str, ...]:
    """Every normalised key a URL matches: scheme, www., trailing slash, accents, /print/, /amp/ ignored;
    /yyyy/mm/dd/slug and /yyyy/mm/slug both given."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = unquote(parts.path or "/")
    segments = [s for s in path.split("/") if s]
    while segments and segments[-1].lower() in _SUFFIXES:
        segments.pop()
    path = "/" + "/".join(segments)
    query = parse_qs(parts.query)
    keys = []
    if "p" in query and query["p"][0].isdigit():
        keys.append(f"{host}?p={query['p'][0]}")
    keys.append(f"{host}{path.lower()}")
    m = _PERMALINK.match(path.lower())
    if m:
        year, month, _day, slug = m.groups()
        keys.append(f"{host}/{year}/{month}/{slug}")
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class Target:
    slug: str
    url: str | None  # canonical URL of the post
    in_book: bool
    id: str | None  # anchor of the post in the book


@dataclass(frozen=True)
class XrefIndex:
    by_key: Mapping[str, Target]
    by_slug: Mapping[str, Target]
    headings: Mapping[str, Mapping[str, str]]  # slug -> original heading id -> book id
    site: str | None = None

    def closest(self, url: str) -> str | None:
        keys = url_keys(url)
        candidates = [k for k in self.by_key if not k.startswith("wp:")]
        for key in keys:
            match = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
            if match:
                target = self.by_key[match[0]]
                return target.url or target.slug
        return None


def build_index(sources: Mapping[str, SourcePost], book_posts: Mapping[str, Post], site: str | None) -> tuple[XrefIndex, list[Diagnostic]]:
    """Collect phase: index every post of the folder by all its names."""
    by_key: dict[str, Target] = {}
    by_slug: dict[str, Target] = {}
    diags: list[Diagnostic] = []
    host = site_host(site)
    for slug, src in sources.items():
        post = book_posts.get(slug)
        target = Target(slug, src.url, post is not None, post.id if post else None)
        by_slug[slug] = target
        names = [u for u in (src.url, *src.aliases) if u]
        if src.wp_id is not None and host:
            by_key[f"{host}?p={src.wp_id}"] = target
        for name in names:
            if not urlsplit(name).hostname:
                if host is None:
                    diags.append(warning("xref.relative-url", f"url '{name}' has no host and the manuscript sets no 'site:'", src.find_line(name)))
                    continue
                name = urljoin(f"https://{host}/", name)
            for key in url_keys(name):
                other = by_key.get(key)
                if other is not None and other.slug != slug:
                    diags.append(warning("xref.url-clash", f"URL '{name}' is also claimed by post '{other.slug}'", src.location()))
                    continue
                by_key[key] = target
    headings = {slug: {h.source_id: h.id for h in post.headings} for slug, post in book_posts.items()}
    return XrefIndex(by_key, by_slug, headings, host), diags


@dataclass(frozen=True)
class Resolved:
    kind: str  # "internal" | "excluded" | "external" | "unknown" | "local" | "other"
    href: str
    target: Target | None = None


def classify(url: str, index: XrefIndex, current_slug: str) -> Resolved:
    url = url.strip()
    if url.startswith("post:"):
        slug, _, frag = url[5:].partition("#")
        target = index.by_slug.get(slug)
        if target is None:
            return Resolved("unknown-slug", url)
        return _point(target, frag, index)
    if url.startswith("#"):
        heading = index.headings.get(current_slug, {}).get(url[1:])
        return Resolved("local", "#" + heading if heading else url)
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return Resolved("other", url)
    if not parts.scheme and not parts.netloc:
        if index.site is None:
            return Resolved("other", url)
        url = urljoin(f"https://{index.site}/", url)
        parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    for key in url_keys(url):
        target = index.by_key.get(key)
        if target is not None:
            return _point(target, parts.fragment, index)
    if index.site and host == index.site:
        return Resolved("unknown", url)
    return Resolved("external", url)


def _point(target: Target, fragment: str, index: XrefIndex) -> Resolved:
    if not target.in_book:
        return Resolved("excluded", (target.url or "") + (f"#{fragment}" if fragment and target.url else ""), target)
    anchor = target.id
    if fragment:
        anchor = index.headings.get(target.slug, {}).get(fragment)
        if anchor is None:
            return Resolved("missing-heading", "#" + target.id, target)
    return Resolved("internal", "#" + anchor, target)


def _is_bare(inlines: list, url: str) -> bool:
    text = tree.stringify(inlines).strip().rstrip("/")
    bare = url.strip().rstrip("/")
    return text in (bare, re.sub(r"^https?://", "", bare), re.sub(r"^https?://(www\.)?", "", bare))


def resolve_post(post: Post, source: SourcePost, index: XrefIndex, xref_style: str) -> tuple[Post, list[Diagnostic]]:
    """Resolve phase for one post: a new Post whose links are cross-references or classed web links."""
    diags: list[Diagnostic] = []

    def fix(el: dict):
        if el["t"] != "Link":
            return None
        attr, inlines, (url, title) = el["c"]
        res = classify(url, index, post.slug)
        loc = source.find_line(url)
        classes = [c for c in attr[1] if c not in ("xref", "external", "bare", "blog")]
        kv = [list(a) for a in attr[2]]
        if res.kind == "internal":
            classes.append("xref")
            if xref_style == "chapter":
                kv.append(["data-xref", "chapter"])
            return tree.Link(inlines, res.href, title, attr[0], classes, kv)
        if res.kind == "missing-heading":
            diags.append(warning("xref.missing-heading", f"link '{url}': post '{res.target.slug}' has no heading with that id; linking to the post", loc))
            classes.append("xref")
            return tree.Link(inlines, res.href, title, attr[0], classes, kv)
        if res.kind == "unknown-slug":
            slug = url[5:].partition("#")[0]
            diags.append(error("xref.unknown-slug", f"cross-reference '{url}' names no post", loc, _slug_hint(slug, index)))
            return tree.Span("", ["xref-missing"], inlines)
        if res.kind == "excluded":
            diags.append(info("xref.not-in-book", f"link to post '{res.target.slug}', which is not in this book: it becomes a note with its URL", loc))
            if not res.href:
                return tree.Span("", [], inlines)
            classes += ["external", "blog"]
            if _is_bare(inlines, res.href):
                classes.append("bare")
            return tree.Link(inlines, res.href, title, attr[0], classes, kv)
        if res.kind == "unknown":
            hint = index.closest(url)
            diags.append(
                warning(
                    "xref.unknown-url",
                    f"link '{url}' points to this blog but matches no post; kept as a web link",
                    loc,
                    f"did you mean '{hint}'?" if hint else None,
                )
            )
            res = Resolved("external", url)
        if res.kind == "external":
            classes.append("external")
            if _is_bare(inlines, url):
                classes.append("bare")
            return tree.Link(inlines, url, title, attr[0], classes, kv)
        return tree.Link(inlines, res.href, title, attr[0], classes, kv)

    blocks = tree.walk(list(post.blocks), fix)
    return replace(post, blocks=tuple(blocks)), diags


def _slug_hint(slug: str, index: XrefIndex) -> str:
    match = difflib.get_close_matches(slug, list(index.by_slug), n=1)
    return f"did you mean 'post:{match[0]}'?" if match else "write [text](post:slug) with the file name of a post"
