"""RSS 2.0 and Atom feeds: each item or entry is a post (a feed holds only published posts).

A feed carries no comments and often only the latest posts or a summary; the importer says so.
WordPress feeds give each item a ``guid`` of the form ``https://blog/?p=ID``: that id becomes
``wp_id``, so ``?p=ID`` links resolve.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

from blog2book.diagnostics import Location, info
from blog2book.importers import ImportContext, ImportedPost, make_post, plain, slug_from_url, undated_aliases
from blog2book.importers.xmlstream import Node, inner_xml, records
from blog2book.sources import slugify


def read(path: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    from blog2book.wpcontent import wp_to_markdown

    summaries = 0
    for node in records(path):
        if node.name == "item":
            post, summary = _rss_item(path, node, ctx, wp_to_markdown)
        elif node.name == "atom:entry":
            post, summary = _atom_entry(path, node, ctx, wp_to_markdown)
        else:
            continue
        if post is None:  # too large, or pandoc could not: said at its line, the other posts go on
            continue
        summaries += summary
        yield post
    if summaries:
        ctx.diags.append(info("import.feed-summary", f"{summaries} item(s) of the feed carry only a summary, not the whole post", Location(path), "import the blog's full export (WordPress: Tools › Export) for the complete text"))
    if ctx.options.comments:
        ctx.diags.append(info("import.feed-comments", "a feed carries no comments; --comments has nothing to import", Location(path)))


def _rss_item(path: Path, item: Node, ctx: ImportContext, convert) -> tuple[ImportedPost | None, bool]:
    title = plain(item.get("title"))
    url = item.get("link").strip()
    guid = item.get("guid").strip()
    full = item.find("content:encoded")
    source = full if full is not None and full.text.strip() else item.find("description")
    body, diags = ctx.convert(convert, source.text if source is not None else "", path=path, line=source.line if source is not None else item.line, media=ctx.media)
    ctx.diags.extend(diags)
    if body is None:
        return None, False
    meta = _common(title, url, guid, _rfc822(item.get("pubDate")) or _iso(item.get("dc:date")))
    meta["author"] = plain(item.get("dc:creator") or item.get("author"))
    meta["categories"] = list(dict.fromkeys(plain(c.text) for c in item.findall("category") if c.text.strip()))
    description = item.find("description")
    if full is not None and description is not None and description.text.strip():
        meta["excerpt"] = plain(description.text)
    return make_post(_slug(url, title), meta, body, Location(path, item.line)), source is not full


def _atom_entry(path: Path, entry: Node, ctx: ImportContext, convert) -> tuple[ImportedPost | None, bool]:
    title = plain(_atom_text(entry.find("atom:title")))
    links = entry.findall("atom:link")
    url = next((l.attrs.get("href", "") for l in links if l.attrs.get("rel", "alternate") == "alternate"), "")
    content = entry.find("atom:content")
    summary = entry.find("atom:summary")
    source = content if content is not None and (content.text.strip() or content.children) else summary
    body, diags = ctx.convert(convert, _atom_text(source, as_html=True), path=path, line=source.line if source is not None else entry.line, media=ctx.media)
    ctx.diags.extend(diags)
    if body is None:
        return None, False
    meta = _common(title, url, entry.get("atom:id").strip(), _iso(entry.get("atom:published") or entry.get("atom:updated")))
    author = entry.find("atom:author")
    meta["author"] = plain(author.get("atom:name")) if author is not None else ""
    meta["categories"] = list(dict.fromkeys(plain(c.attrs.get("label") or c.attrs.get("term", "")) for c in entry.findall("atom:category")))
    if source is content and summary is not None:
        meta["excerpt"] = plain(_atom_text(summary, as_html=True))
    return make_post(_slug(url, title), meta, body, Location(path, entry.line)), source is summary


def _atom_text(node: Node | None, as_html: bool = False) -> str:
    """An Atom text construct as HTML (``as_html``) or as written: text, html or xhtml."""
    if node is None:
        return ""
    kind = node.attrs.get("type", "text")
    if kind == "xhtml":  # the content is wrapped in one xhtml <div>, which is not part of it
        wrapped = len(node.children) == 1 and node.children[0].name == "xhtml:div" and not node.text.strip()
        return inner_xml(node.children[0] if wrapped else node)
    if kind == "text" and as_html:
        return html.escape(node.text)
    return node.text


def _common(title: str, url: str, guid: str, date: dt.datetime | None) -> dict:
    wp_id = None
    aliases: list[str] = []
    parts = urlsplit(guid)
    if parts.scheme in ("http", "https"):
        p = parse_qs(parts.query).get("p", [""])[0]
        wp_id = int(p) if p.isdigit() else None
        if guid != url:
            aliases.append(guid)
    aliases += [a for a in undated_aliases(url) if a != url]
    return {"title": title, "date": date, "url": url, "aliases": aliases, "wp_id": wp_id}


def _slug(url: str, title: str) -> str:
    slug = slug_from_url(url) if url else ""
    if not slug or slug.isdigit() or re.fullmatch(r"index|\?.*", slug):
        slug = slugify(title)
    return slug


def _rfc822(text: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text.strip()) if text.strip() else None
    except (TypeError, ValueError):
        return None


def _iso(text: str) -> dt.datetime | None:
    text = (text or "").strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
