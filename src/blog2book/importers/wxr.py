"""WordPress export files (WXR 1.0–1.2), streamed item by item.

Published posts are imported (``wp:post_type`` post, ``wp:status`` publish, no password); drafts,
pending, private, scheduled, trashed and password-protected posts, pages, attachments, revisions,
menu items and other custom types are left out and counted (``--include`` brings back pages and
each kind of post). An item without a post type or a status cannot be classified: an error, and
nothing is imported. Comments (``--comments``): approved ones only, in thread order, with the
author's name, the date and the parent; never an e-mail or an IP.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

from blog2book.diagnostics import Location, error
from blog2book.importers import ImportContext, ImportedPost, decode_slug, make_post, plain, undated_aliases
from blog2book.importers.xmlstream import Node, records
from blog2book.sources import slugify

_LEFT_OUT_TYPES = {"page": "pages", "attachment": "attachments", "revision": "revisions", "nav_menu_item": "menu items"}
_STATUS = {"draft": "drafts", "auto-draft": "drafts", "pending": "pending", "private": "private", "future": "scheduled", "trash": "trash", "inherit": "drafts"}  # the "left out" names


def scan(path: Path) -> tuple[int, dict[int, str]]:
    """A first pass: how many items (for the progress bar) and every attachment's URL by id
    (``[gallery ids="…"]`` names images by id, and their items may come after the post)."""
    count, attachments = 0, {}
    for node in records(path):
        if node.name != "item":
            continue
        count += 1
        if node.get("wp:post_type").strip() == "attachment":
            wp_id, url = _int(node.get("wp:post_id")), node.get("wp:attachment_url").strip()
            if wp_id is not None and url:
                attachments[wp_id] = url
    return count, attachments


def read(path: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    from functools import partial

    from blog2book.wpcontent import wp_to_markdown

    total, attachments = scan(path)
    convert = partial(wp_to_markdown, attachments=attachments)
    done = 0
    authors: dict[str, str] = {}
    site = ""
    for node in records(path):
        if node.name == "wp:author":
            login = node.get("wp:author_login")
            authors[login] = plain(node.get("wp:author_display_name")) or login
        elif node.name in ("wp:base_blog_url", "link") and not site:
            site = node.text.strip().rstrip("/")
        if node.name != "item":
            continue
        done += 1
        if ctx.step:
            ctx.step(done, total)
        post = _item(path, node, ctx, authors, site, convert)
        if post is not None:
            yield post


def _kept(ctx: ImportContext, kind: str) -> bool:
    """Whether ``kind`` (pages, drafts…) is imported; if not, it is counted as left out."""
    if kind in ctx.options.include:
        return True
    ctx.left_out[kind] += 1
    return False


def _item(path: Path, item: Node, ctx: ImportContext, authors: dict[str, str], site: str, convert) -> ImportedPost | None:
    post_type, status = item.get("wp:post_type").strip(), item.get("wp:status").strip()
    if not post_type or not status:
        missing = " and ".join(n for n, v in (("<wp:post_type>", post_type), ("<wp:status>", status)) if not v)
        ctx.diags.append(error("import.unclassified", f"this item has no {missing} in WordPress's export namespace: it cannot be told from a page, a menu item or a draft", Location(path, item.line), "export the blog again with WordPress's Tools › Export; nothing was imported"))
        return None
    if post_type == "page":
        if not _kept(ctx, "pages"):
            return None
    elif post_type != "post":
        ctx.left_out[_LEFT_OUT_TYPES.get(post_type, f"'{post_type}' items")] += 1
        return None
    if status != "publish" and not _kept(ctx, _STATUS.get(status, status)):
        return None
    if item.get("wp:post_password").strip() and not _kept(ctx, "password-protected"):
        return None

    wp_id = _int(item.get("wp:post_id"))
    title = plain(item.get("title"))
    slug = decode_slug(item.get("wp:post_name")) or slugify(title, empty=f"post-{wp_id}")
    url = item.get("link").strip()
    aliases: list[str] = []
    if wp_id is not None and site:
        aliases.append(f"{site}/?p={wp_id}")
    guid = item.get("guid").strip()
    if guid.startswith("http") and guid not in aliases:
        aliases.append(guid)
    if status == "publish":
        aliases += undated_aliases(url)
    else:
        url = ""  # an unpublished post's link is a ?p= URL, already an alias
    aliases = [a for a in dict.fromkeys(aliases) if a != url]

    content = item.find("content:encoded")
    line = content.line if content is not None else item.line
    body, diags = ctx.convert(convert, content.text if content is not None else "", path=path, line=line, media=ctx.media)
    ctx.diags.extend(diags)
    if body is None:  # too large, or pandoc could not: said at its line, the other posts go on
        return None
    meta = {
        "title": title or slug,
        "date": _date(item.get("wp:post_date"), item.get("wp:post_date_gmt")),
        "draft": True if status != "publish" else None,
        "url": url,
        "aliases": aliases,
        "wp_id": wp_id,
        "author": authors.get(item.get("dc:creator").strip(), plain(item.get("dc:creator"))),
        "categories": _terms(item, "category"),
        "tags": _terms(item, "post_tag"),
    }
    excerpt = item.find("excerpt:encoded")
    if excerpt is not None and excerpt.text.strip():
        text, diags = ctx.convert(convert, excerpt.text, path=path, line=excerpt.line, what="excerpt", media=None)
        ctx.diags.extend(diags)
        if text is not None:
            meta["excerpt"] = text.strip()
    comments = item.findall("wp:comment")
    if ctx.options.comments:
        meta["comments"] = _comments(path, comments, ctx, convert)
    elif comments:
        ctx.left_out["comments (import them with --comments)"] += len(comments)
    return make_post(slug, meta, body, Location(path, item.line))


def _terms(item: Node, domain: str) -> list[str]:
    names = (plain(c.text) for c in item.findall("category") if c.attrs.get("domain") == domain)
    return list(dict.fromkeys(n for n in names if n))


def _int(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _date(local: str, gmt: str) -> dt.datetime | None:
    """WordPress's local time, with its zone worked out from the GMT time when known."""
    when = _parse(local)
    if when is None:
        return None
    utc = _parse(gmt)
    if utc is None:
        return when
    minutes = round((when - utc).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return when
    return when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))


def _parse(text: str) -> dt.datetime | None:
    text = (text or "").strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None


def _comments(path: Path, nodes: list[Node], ctx: ImportContext, convert) -> list[dict]:
    """Approved comments in thread order: each top-level comment by date, its replies after it."""
    kept: dict[int, dict] = {}
    for node in nodes:
        approved = node.get("wp:comment_approved").strip()
        ctype = node.get("wp:comment_type").strip() or "comment"
        if approved == "spam":
            ctx.left_out["spam comments"] += 1
            continue
        if approved == "trash" or approved == "post-trashed":
            ctx.left_out["trashed comments"] += 1
            continue
        if approved != "1":
            ctx.left_out["unapproved comments"] += 1
            continue
        if ctype in ("pingback", "trackback") and "pingbacks" not in ctx.options.include:
            ctx.left_out[ctype + "s"] += 1
            continue
        cid = _int(node.get("wp:comment_id"))
        if cid is None:
            continue
        content = node.find("wp:comment_content")
        text, diags = ctx.convert(convert, content.text if content is not None else "", path=path, line=content.line if content is not None else node.line, what="comment", media=None)
        ctx.diags.extend(diags)
        if text is None:  # said at its line; the post and the other comments are imported
            continue
        kept[cid] = {
            "id": cid,
            "parent": _int(node.get("wp:comment_parent")) or 0,
            "author": plain(node.get("wp:comment_author")) or "Anonyme",
            "date": _date(node.get("wp:comment_date"), node.get("wp:comment_date_gmt")),
            "content": text.strip(),
            "_order": (node.get("wp:comment_date_gmt").strip() or node.get("wp:comment_date").strip(), cid),
        }
    children: dict[int, list[dict]] = {}
    for c in kept.values():
        if c["parent"] not in kept:
            c["parent"] = 0  # a reply to a comment left out hangs from the post
        children.setdefault(c["parent"], []).append(c)
    ordered: list[dict] = []

    def walk(parent: int) -> None:
        for c in sorted(children.get(parent, []), key=lambda c: c["_order"]):
            ordered.append({k: v for k, v in c.items() if v is not None and k != "_order"})
            walk(c["id"])

    walk(0)
    return ordered
