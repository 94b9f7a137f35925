"""Cross-references: collect every name of every post, then rewrite the links of the book.

Collect (``build_index``) runs over all posts of the folder before any link is rewritten, so a link
to a later chapter resolves exactly like a link to an earlier one. Resolve (``resolve_post``)
classifies each Link of a post:

* a post of this book (by URL in any of its shapes, alias, ``?p=ID``, or ``post:slug``) -> an
  internal link ``#id`` with class ``xref`` (« voir p. 42 » in print, a live link in the EPUB);
* a post of the blog left out of the book, or any other web link -> class ``external`` (a note
  with its URL in print, a hyperlink in the EPUB); a bare URL gets class ``bare`` (no note).

URL shapes that name the same post (what blogs really contain): http or https, with or without
``www.``, with or without the trailing slash, accents percent-encoded (either case) or literal,
``/print/``, ``/amp/``, ``/feed/``, ``/embed/``, ``/trackback/`` and ``comment-page-N`` suffixes,
``/index.php/`` prefix, query strings (``?utm_source=…``), ``?p=ID`` and ``?page_id=ID``, both
permalink shapes ``/yyyy/mm/slug/`` and ``/yyyy/mm/dd/slug/`` (and ``/slug/``, WordPress's own
redirect), relative links (against the manifest's ``site:``), protocol-relative ``//host/…``: the
keys those give are ``permalinks``'.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from typing import Mapping
from urllib.parse import urljoin, urlsplit

from blog2book import tree
from blog2book.diagnostics import Diagnostic, Location, error, info, warning
from blog2book.model import Matter, Post
from blog2book.permalinks import HOSTLIKE, bare_host, is_site_page, site_base, site_host, strong_and_weak_keys, unquote_path, url_keys
from blog2book.sources import SourcePost

# Fragments WordPress puts on every post: they name the post, not a heading of it.
_WP_FRAGMENTS = re.compile(r"^(comments|respond|more(-\d+)?|comment-\d+|disqus_thread|content|main|top)$", re.I)


@dataclass(frozen=True)
class Target:
    slug: str
    url: str | None  # canonical URL of the post (absolute when the site is known)
    in_book: bool
    id: str | None  # anchor of the post in the book


@dataclass(frozen=True)
class XrefIndex:
    by_key: Mapping[str, Target]
    by_slug: Mapping[str, Target]
    headings: Mapping[str, Mapping[str, str]]  # slug -> original heading id -> book id
    site: str | None = None  # the blog's host, without www.
    base: str | None = None  # the blog's address, for relative links

    def closest(self, url: str) -> str | None:
        """The URL of the post whose address is closest to ``url`` (a typo, a changed slug)."""
        keys = [k for k in url_keys(url) if "?p=" not in k]
        candidates = [k for k in self.by_key if "?p=" not in k]
        for key in keys:
            match = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
            if match:
                target = self.by_key[match[0]]
                return target.url or f"post:{target.slug}"
        return None


def build_index(sources: Mapping[str, SourcePost], book_posts: Mapping[str, Post], site: str | None) -> tuple[XrefIndex, list[Diagnostic]]:
    """Collect phase: index every post of the folder by all its names."""
    by_key: dict[str, Target] = {}
    weak: dict[str, Target] = {}  # /slug keys: used when no other key matches, never a clash
    by_slug: dict[str, Target] = {}
    claimed: dict[str, Location] = {}  # key -> the front matter line that claimed it
    diags: list[Diagnostic] = []
    if not site:  # no site: in the manifest: the host most posts are published on
        hosts = Counter(site_host(u) for s in sources.values() for u in (s.url, *s.aliases) if u and urlsplit(u).hostname)
        site = next((f"https://{h}/" for h, _ in hosts.most_common(1) if h), None)
    host, base = site_host(site), site_base(site)
    wp_ids: dict[int, str] = {}
    for slug, src in sources.items():
        post = book_posts.get(slug)
        url = src.url
        if url and not urlsplit(url).hostname and base:
            url = urljoin(base, url)
        target = Target(slug, url, post is not None, post.id if post else None)
        by_slug[slug] = target
        if src.wp_id is not None:
            if src.wp_id in wp_ids:
                diags.append(warning("xref.wp-id-clash", f"wp_id {src.wp_id} is also the wp_id of post '{wp_ids[src.wp_id]}'", src.meta_location("wp_id:"), "each post needs its own WordPress id"))
            else:
                wp_ids[src.wp_id] = slug
                if host:
                    by_key[f"{host}?p={src.wp_id}"] = target
        for name in (src.url, *src.aliases):
            if not name:
                continue
            written = name
            if not urlsplit(name).hostname:
                if base is None:
                    diags.append(warning("xref.relative-url", f"url '{name}' has no host and the manuscript sets no 'site:'", src.meta_location(name), "write the full URL, or add 'site:' to the manuscript"))
                    continue
                name = urljoin(base, name)
            strong, weak_keys = strong_and_weak_keys(name)
            for key in weak_keys:
                weak.setdefault(key, target)
            warned = False
            for key in strong:
                if "?p=" in key:
                    continue
                other = by_key.get(key)
                if other is not None and other.slug != slug:
                    if not warned:  # one warning per URL, whichever of its keys clash
                        diags.append(warning("xref.url-clash", f"URL '{name}' is also claimed by post '{other.slug}' ({claimed[key][0].meta_location(claimed[key][1])})", src.meta_location(written), "keep it in one of the two posts"))
                    warned = True
                    continue
                by_key[key] = target
                claimed.setdefault(key, (src, written))  # its location is read only for a warning
    for key, target in weak.items():
        by_key.setdefault(key, target)
    headings = {slug: {h.source_id: h.id for h in post.headings} for slug, post in book_posts.items()}
    return XrefIndex(by_key, by_slug, headings, host, base), diags


@dataclass(frozen=True)
class Resolved:
    # internal | excluded | external | unknown | local | relative | other | unknown-slug | missing-heading
    kind: str
    href: str
    target: Target | None = None


def absolute_url(url: str, index: XrefIndex) -> str | None:
    """``url`` as an absolute http(s) URL; None when it is relative and the site is unknown."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    parts = urlsplit(url)
    if parts.scheme:
        return url
    if HOSTLIKE.match(url) and not url.startswith("/"):  # www.example.com/page written without a scheme
        return "https://" + url
    if index.base is None:
        return None
    return urljoin(index.base, url)


def classify(url: str, index: XrefIndex, current_slug: str) -> Resolved:
    url = url.strip()
    if url.startswith("post:"):
        slug, _, frag = url[5:].partition("#")
        target = index.by_slug.get(slug.strip().strip("/"))
        if target is None:
            return Resolved("unknown-slug", url)
        return _point(target, frag, index, None)
    if url.startswith("#"):
        heading = find_heading(index, current_slug, url[1:])
        if heading:
            return Resolved("internal", "#" + heading, index.by_slug.get(current_slug))
        return Resolved("local", url)
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return Resolved("other", url)
    absolute = absolute_url(url, index)
    if absolute is None:
        return Resolved("relative", url)
    parts = urlsplit(absolute)
    for key in url_keys(absolute):
        target = index.by_key.get(key)
        if target is not None:
            return _point(target, parts.fragment, index, absolute)
    if index.site and bare_host(parts.hostname or "") == index.site and not is_site_page(parts.path):
        return Resolved("unknown", absolute)
    return Resolved("external", absolute)


def _norm_fragment(text: str) -> str:
    text = unicodedata.normalize("NFKD", unquote_path(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def find_heading(index: XrefIndex, slug: str, fragment: str) -> str | None:
    """The book id of the heading ``fragment`` names in post ``slug`` (as written, encoded or not)."""
    headings = index.headings.get(slug, {})
    if not fragment:
        return None
    for candidate in (fragment, unquote_path(fragment)):
        if candidate in headings:
            return headings[candidate]
    wanted = _norm_fragment(fragment)
    for source_id, book_id in headings.items():
        if _norm_fragment(source_id) == wanted:
            return book_id
    return None


def _point(target: Target, fragment: str, index: XrefIndex, written: str | None) -> Resolved:
    if not target.in_book:
        url = target.url or (written.partition("#")[0] if written else "")
        return Resolved("excluded", url + (f"#{fragment}" if fragment and url else ""), target)
    if fragment:
        anchor = find_heading(index, target.slug, fragment)
        if anchor is not None:
            return Resolved("internal", "#" + anchor, target)
        if _WP_FRAGMENTS.match(unquote_path(fragment)):
            return Resolved("internal", "#" + target.id, target)
        return Resolved("missing-heading", "#" + target.id, target)
    return Resolved("internal", "#" + target.id, target)


def _plain(url: str) -> str:
    url = unquote_path(url.strip()).rstrip("/")
    return re.sub(r"^(?:https?:)?//(?:www\.)?", "", url, flags=re.I).lower()


def _is_bare(inlines: list, url: str, classes=()) -> bool:
    """A URL written out in the text (an autolink, or link text that is the URL): no note repeats it."""
    if "uri" in classes:
        return True
    text = tree.stringify(inlines).strip()
    return bool(text) and _plain(text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")) == _plain(url)


def resolve_post(post: Post, source: SourcePost, index: XrefIndex, xref_style: str) -> tuple[Post, list[Diagnostic]]:
    """Resolve phase for one post: a new Post whose links are cross-references or classed web links."""
    blocks, diags = resolve_links(post.blocks, post.slug, source, index, xref_style)
    return replace(post, blocks=blocks), diags


def resolve_matter(matter: Matter, index: XrefIndex, xref_style: str) -> tuple[Matter, list[Diagnostic]]:
    """The same for a front or back matter file (a preface that names posts of the book gets its
    « voir p. N »), located in the matter's file."""
    if not matter.blocks or matter.source is None:
        return matter, []
    try:
        text = matter.source.read_text("utf-8")
    except (OSError, UnicodeError):  # read once already: a file changed since only loses its lines
        text = ""
    source = SourcePost(path=matter.source, slug=matter.id, title=matter.title, body=text, body_line=1)
    blocks, diags = resolve_links(matter.blocks, matter.id, source, index, xref_style)
    return replace(matter, blocks=blocks), diags


def resolve_links(blocks, slug: str, source: SourcePost, index: XrefIndex, xref_style: str) -> tuple[tuple, list[Diagnostic]]:
    """``blocks`` (of the post or matter ``slug``) with their links cross-references or classed web links."""
    diags: list[Diagnostic] = []
    ids: set[str] | None = None  # the post's own ids, found when a link needs them
    seen: dict[str, int] = {}  # url -> links met so far with it, to name the line of each

    def fix(el: dict):
        nonlocal ids
        attr, inlines, (url, title) = el["c"]
        res = classify(url, index, slug)
        seen[url] = seen.get(url, 0) + 1
        loc = None if res.kind in ("internal", "external") else _locate(source, url, seen[url])  # only a message needs its line (a read of the post each)
        classes = [c for c in attr[1] if c not in ("xref", "external", "bare", "blog")]
        kv = [list(a) for a in attr[2] if a[0] != "data-xref"]

        def xref(href: str):
            if xref_style == "chapter":
                kv.append(["data-xref", "chapter"])
            return tree.Link(inlines, href, title, attr[0], classes + ["xref"], kv)

        def web(href: str, blog: bool = False):
            extra = ["external"] + (["blog"] if blog else []) + (["bare"] if _is_bare(inlines, href, classes) else [])
            return tree.Link(inlines, href, title, attr[0], classes + extra, kv)

        if res.kind == "internal":
            return xref(res.href)
        if res.kind == "missing-heading":
            diags.append(warning("xref.missing-heading", f"link '{url}': post '{res.target.slug}' has no heading with that id; linking to the post", loc, "check the part after '#' against the post's headings"))
            return xref(res.href)
        if res.kind == "unknown-slug":
            named = url.strip()[5:].partition("#")[0]
            diags.append(error("xref.unknown-slug", f"cross-reference '{url}' names no post", loc, _slug_hint(named, index)))
            return tree.Span("", ["xref-missing"], inlines)
        if res.kind == "excluded":
            if not res.href:
                diags.append(info("xref.not-in-book", f"link to post '{res.target.slug}', which is not in this book and has no 'url:': only its text is kept", loc))
                return tree.Span("", [], inlines)
            link = web(res.href, blog=True)
            if "bare" in link["c"][0][1]:
                diags.append(info("xref.not-in-book", f"address of post '{res.target.slug}', which is not in this book: kept as written", loc))
            else:
                diags.append(info("xref.not-in-book", f"link to post '{res.target.slug}', which is not in this book: it becomes a web link with its URL in a note", loc))
            return link
        if res.kind == "unknown":
            hint = index.closest(res.href)
            diags.append(
                warning(
                    "xref.unknown-url",
                    f"link '{url}' points to this blog but matches no post; kept as a web link",
                    loc,
                    f"did you mean '{hint}'?" if hint else None,
                )
            )
            return web(res.href)
        if res.kind == "external":
            return web(res.href)
        if res.kind == "relative":
            diags.append(
                warning("xref.relative-link", f"relative link '{url}' cannot be resolved: the manuscript sets no 'site:'; only its text is kept", loc, "add 'site: https://…' (the blog's address) to the manuscript")
            )
            return tree.Span("", [], inlines)
        if res.kind == "local" and ids is None:
            ids = set(tree.ids(list(blocks)))
        if res.kind == "local" and res.href[1:] not in ids:
            diags.append(warning("xref.missing-anchor", f"link '{url}': this post has no heading or anchor with that id; only its text is kept", loc, "check the part after '#' against this post's headings"))
            return tree.Span("", [], inlines)
        return tree.Link(inlines, res.href, title, attr[0], classes, kv)

    return tuple(tree.rewrite(list(blocks), fix, only=frozenset(("Link",)))), diags  # the words, untouched, stay shared (tree.share_leaves)


def _locate(source: SourcePost, url: str, nth: int):
    """The line of the ``nth`` occurrence of ``url`` in the post, written as a link target (so
    ``post:a`` is not found in ``post:ab``); pandoc may have re-encoded the URL."""
    lines = source.body.splitlines()
    for needle in dict.fromkeys((url, unquote_path(url), url.replace("&", "&amp;"))):
        if not needle or needle not in source.body:
            continue
        count, first = 0, None
        for i, line in enumerate(lines, start=1):
            found = _occurrences(line, needle) if needle in line else 0
            if found and first is None:
                first = i
            count += found
            if count >= nth:
                return source.location(i)
        if first is not None:
            return source.location(first)
    return source.location(None)


def _occurrences(line: str, needle: str) -> int:
    """How many times ``needle`` is in ``line`` followed by a space, ``)``, ``>``, ``]``, a quote or
    the line's end: what a pattern of the escaped needle with that lookahead finds, without
    compiling a pattern per link (8892 of them in the archive)."""
    found, start, size = 0, 0, len(needle)
    while (i := line.find(needle, start)) != -1:
        end = i + size
        if end == len(line) or line[end] in ")>]\"'" or line[end].isspace():
            found += 1
            start = end
        else:
            start = i + 1
    return found


def _slug_hint(slug: str, index: XrefIndex) -> str:
    match = difflib.get_close_matches(slug, list(index.by_slug), n=1)
    return f"did you mean 'post:{match[0]}'?" if match else "write [text](post:slug) with the file name of a post"
