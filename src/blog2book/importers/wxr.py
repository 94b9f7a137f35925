"""WordPress export files (WXR 1.0–1.2), streamed item by item.

Published posts are imported (``wp:post_type`` post, ``wp:status`` publish, no password); drafts,
pending, private, scheduled, trashed and password-protected posts, pages, attachments, revisions,
menu items and other custom types are left out and counted (``--include`` brings back pages and
each kind of post). An item without a post type or a status cannot be classified: an error, and
nothing is imported. Comments (``--comments``): approved ones only, in thread order, with the
author's name, the date and the parent; never an e-mail or an IP.

Attachments are read in a first pass (``scan``): galleries and image blocks name images by id, and
``[gallery]`` without ids shows the images uploaded to the post. A post whose images stay web
addresses (no ``--media``, or not in the uploads copy) names them in one warning. An export with no
item, or without a WXR version ``X.Y`` (WordPress refuses it), is read, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

from blog2book.diagnostics import Location, error, warning
from blog2book.embeds.common import Attachment, Attachments
from blog2book.importers import ImportContext, ImportedPost, decode_slug, make_post, plain, undated_aliases
from blog2book.importers.xmlstream import Node, records
from blog2book.sources import slugify

_LEFT_OUT_TYPES = {"page": "pages", "attachment": "attachments", "revision": "revisions", "nav_menu_item": "menu items"}
_STATUS = {"draft": "drafts", "auto-draft": "drafts", "pending": "pending", "private": "private", "future": "scheduled", "trash": "trash", "inherit": "drafts"}  # the "left out" names


def scan(path: Path) -> tuple[int, Attachments, dict[str, str]]:
    """A first pass: how many items (for the progress bar) and every attachment by id, with its
    URL, alt text, caption and the post it belongs to (``[gallery]``, ``wp:image`` and
    ``wp:gallery`` blocks name images by id, and their items may come after the post), and each
    attachment's file in the uploads folder by URL (``_wp_attached_file``)."""
    count, attachments, files = 0, Attachments(), {}
    for node in records(path):
        if node.name != "item":
            continue
        count += 1
        if node.get("wp:post_type").strip() == "attachment":
            wp_id, url = _int(node.get("wp:post_id")), node.get("wp:attachment_url").strip()
            if wp_id is not None and url:
                meta = {m.get("wp:meta_key").strip(): m.get("wp:meta_value") for m in node.findall("wp:postmeta")}
                attachments[wp_id] = Attachment(wp_id, url, plain(meta.get("_wp_attachment_image_alt", "")), node.get("excerpt:encoded").strip(), _int(node.get("wp:post_parent")) or 0, _int(node.get("wp:menu_order")) or 0)
                if meta.get("_wp_attached_file", "").strip():
                    files[url] = meta["_wp_attached_file"].strip()
    return count, attachments, files


def read(path: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    from functools import partial

    from blog2book.wpcontent import wp_to_markdown

    total, attachments, files = scan(path)
    if hasattr(ctx.media, "learn"):  # the uploads copy finds an attachment by its file, whatever its URL's host
        for url, rel in files.items():
            ctx.media.learn(url, rel)
    convert = partial(wp_to_markdown, attachments=attachments)
    done = 0
    authors: dict[str, str] = {}
    site = ""
    version: Node | None = None
    channel_line = 0
    for node in records(path):
        if node.name == "wp:author":
            login = node.get("wp:author_login").strip()
            authors[login] = plain(node.get("wp:author_display_name")) or login
        elif node.name in ("wp:base_blog_url", "link") and not site:
            site = node.text.strip().rstrip("/")
        elif node.name == "wp:wxr_version":
            version = node
        channel_line = channel_line or node.line
        if node.name != "item":
            continue
        done += 1
        if ctx.step:
            ctx.step(done, total)
        post = _item(path, node, ctx, authors, site, convert)
        if post is not None:
            yield post
    _check_version(path, version, channel_line, ctx)
    if not total:
        ctx.diags.append(warning("import.empty", "this export holds no item (no post, page or attachment): nothing to import", Location(path, channel_line or 1), "export the blog again with WordPress's Tools › Export › All content"))


def _check_version(path: Path, version: Node | None, line: int, ctx: ImportContext) -> None:
    """WordPress refuses an export without a WXR version ``X.Y``; blog2book reads it by its ``wp:``
    elements, and says so."""
    text = version.text.strip() if version is not None else ""
    if re.fullmatch(r"\d+\.\d+", text):
        return
    what = f"an odd WXR version '{text}'" if text else "no WXR version (<wp:wxr_version>)"
    where = Location(path, version.line if version is not None else (line or 1))
    ctx.diags.append(warning("import.wxr-version", f"this export names {what}: WordPress's importer refuses it; blog2book read it by its wp: elements", where, "check that the posts imported are those of the blog, or export it again"))


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
    asked: dict[str, str | None] = {}

    def media(url: str) -> str | None:  # each image of the post: its local copy, or None (stays a URL)
        asked[url] = ctx.media(url) if ctx.media is not None else None
        return asked[url]

    body, diags = ctx.convert(convert, _with_footnotes(item, content.text if content is not None else ""), path=path, line=line, media=media, post_id=wp_id)
    ctx.diags.extend(diags)
    if body is None:  # too large, or pandoc could not: said at its line, the other posts go on
        return None
    remote = [u for u, local in asked.items() if local is None and re.match(r"(?:https?:)?//", u)]
    if remote:
        shown = ", ".join(remote[:6]) + (f" and {len(remote) - 6} more" if len(remote) > 6 else "")
        hint = "copy the blog's wp-content/uploads folder and import again with --media FOLDER" if ctx.media is None else "download these images into the project and link the files"
        raw = content.text if content is not None else ""
        at = raw.find(remote[0])  # the line of the first one, when the content writes it so
        where = Location(path, line + (raw.count("\n", 0, at) if at >= 0 else 0))
        ctx.diags.append(warning("import.remote-images", f"this post shows {len(remote)} image(s) from the web, which the book prints as their alt text until they are in the project: {shown}", where, hint))
    meta = {
        "title": title or slug,
        "date": _date(item.get("wp:post_date"), item.get("wp:post_date_gmt")),
        "draft": True if status != "publish" else None,
        "url": url,
        "aliases": aliases,
        "wp_id": wp_id,
        "author": _author(item, authors),
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


def _author(item: Node, authors: dict[str, str]) -> str:
    """The display name of the post's author (``dc:creator``, or ``wp:author`` in some files)."""
    login = item.get("dc:creator").strip() or item.get("wp:author").strip()
    return authors.get(login, plain(login))


def _with_footnotes(item: Node, content: str) -> str:
    """WordPress 6.3+ keeps a post's footnotes in its ``footnotes`` meta (JSON), where the block is."""
    from blog2book.footnotes import wordpress_block

    for meta in item.findall("wp:postmeta"):
        if meta.get("wp:meta_key").strip() == "footnotes":
            return wordpress_block(content, meta.get("wp:meta_value"))
    return content


def _terms(item: Node, domain: str) -> list[str]:
    domains = {domain, "tag"} if domain == "post_tag" else {domain}  # WXR 1.0 wrote domain="tag"
    names = (plain(c.text) for c in item.findall("category") if c.attrs.get("domain") in domains)
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
        # no <wp:comment_approved>: WordPress inserts the comment approved (its default)
        approved = node.get("wp:comment_approved", "1").strip()
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
