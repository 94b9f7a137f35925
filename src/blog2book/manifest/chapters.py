"""The manuscript's ``chapters:``: parts, chapters and the posts they name (by slug, with their
comments, or by a selection), each post named once."""

from __future__ import annotations

import yaml

from blog2book.diagnostics import Location, error
from blog2book.guard import shown
from blog2book.manifest.reader import Reader, construct, node_kind
from blog2book.manifest.spec import ChapterSpec, CommentPick, PartSpec, PostRef, SelectRef


def read_divisions(reader: Reader, node) -> tuple[PartSpec | ChapterSpec, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.err(node, "chapters: expected a non-empty list of chapters and parts")
        return ()
    out: list[PartSpec | ChapterSpec] = []
    for i, item in enumerate(node.value):
        where = f"chapters[{i}]"
        if isinstance(item, yaml.MappingNode) and any(k.value == "part" for k, _ in item.value):
            m = reader.mapping(item, where, ("part", "chapters"))
            if m is None:
                continue
            title = reader.string(m["part"][1], f"{where}.part")
            if "chapters" not in m:
                reader.err(item, f"{where}: part {shown(title)} has no 'chapters' list", code="manifest.missing-key")
                continue
            chapters = []
            sub = m["chapters"][1]
            if not isinstance(sub, yaml.SequenceNode) or not sub.value:
                reader.err(sub, f"{where}.chapters: expected a non-empty list of chapters")
                continue
            for j, ch in enumerate(sub.value):
                spec = _chapter(reader, ch, f"{where}.chapters[{j}]", allow_part=False)
                if spec:
                    chapters.append(spec)
            if title:
                out.append(PartSpec(title, tuple(chapters), reader.loc(item)))
        else:
            spec = _chapter(reader, item, where, allow_part=True)
            if spec:
                out.append(spec)
    return tuple(out)


def _post_entry(reader: Reader, node, where: str) -> PostRef | None:
    """``{post: slug, comments: all | [501, 502]}``: a post with the comments the book prints."""
    m = reader.mapping(node, where, ("post", "comments"))
    if m is None:
        return None
    if "post" not in m:
        reader.missing(node, where, "post")
        return None
    slug = reader.string(m["post"][1], f"{where}.post")
    pick = None
    if "comments" in m:
        cnode = m["comments"][1]
        if isinstance(cnode, yaml.ScalarNode) and cnode.value == "all":
            pick = CommentPick(reader.loc(cnode))
        elif isinstance(cnode, yaml.SequenceNode) and cnode.value:
            ids: list[int] = []
            locs: list[Location] = []
            for i, item in enumerate(cnode.value):
                value = construct(item) if isinstance(item, yaml.ScalarNode) else None
                if isinstance(value, int) and not isinstance(value, bool):
                    ids.append(value)
                    locs.append(reader.loc(item))
                else:
                    reader.err(item, f"{where}.comments[{i}]: expected a comment id (a number), got {node_kind(item)}", "the ids are in the post's front matter, under comments:")
            pick = CommentPick(reader.loc(cnode), tuple(ids), tuple(locs))
        else:
            reader.err(cnode, f"{where}.comments: expected 'all' or a list of comment ids", "for example comments: all, or comments: [501, 502]")
    return PostRef(slug, reader.loc(node), pick) if slug else None


def _chapter(reader: Reader, node, where: str, allow_part: bool) -> ChapterSpec | None:
    if isinstance(node, yaml.ScalarNode):
        slug = reader.string(node, where)
        return ChapterSpec(None, (PostRef(slug, reader.loc(node)),), reader.loc(node)) if slug else None
    if isinstance(node, yaml.MappingNode) and any(k.value == "post" for k, _ in node.value):
        ref = _post_entry(reader, node, where)
        return ChapterSpec(None, (ref,), reader.loc(node)) if ref else None
    if not allow_part and isinstance(node, yaml.MappingNode) and any(k.value == "part" for k, _ in node.value):
        reader.err(node, f"{where}: a part cannot contain another part", "list its chapters directly, or move it to the top level")
        return None
    m = reader.mapping(node, where, ("title", "posts", "short_title"))
    if m is None:
        return None
    title = reader.string(m["title"][1], f"{where}.title") if "title" in m else None
    if "title" not in m:
        reader.missing(node, where, "title")
    if "posts" not in m:
        reader.missing(node, where, "posts")
        return None
    posts = m["posts"][1]
    if not isinstance(posts, yaml.SequenceNode) or not posts.value:
        reader.err(posts, f"{where}.posts: expected a non-empty list of post slugs")
        return None
    items: list[PostRef | SelectRef] = []
    for k, p in enumerate(posts.value):
        pw = f"{where}.posts[{k}]"
        if isinstance(p, yaml.MappingNode) and any(k.value == "post" for k, _ in p.value):
            ref = _post_entry(reader, p, pw)
            if ref:
                items.append(ref)
        elif isinstance(p, yaml.MappingNode):
            sel = reader.mapping(p, pw, ("select",))
            if sel is None or "select" not in sel:
                continue
            crit = reader.mapping(sel["select"][1], f"{pw}.select", ("category", "tag", "from", "to"))
            if crit is None:
                continue
            if not crit:
                reader.err(p, f"{pw}.select: give at least one of category, tag, from, to")
                continue
            items.append(
                SelectRef(
                    location=reader.loc(p),
                    category=reader.string(crit["category"][1], f"{pw}.select.category") if "category" in crit else None,
                    tag=reader.string(crit["tag"][1], f"{pw}.select.tag") if "tag" in crit else None,
                    date_from=reader.date(crit["from"][1], f"{pw}.select.from") if "from" in crit else None,
                    date_to=reader.date(crit["to"][1], f"{pw}.select.to") if "to" in crit else None,
                )
            )
        else:
            slug = reader.string(p, pw)
            if slug:
                items.append(PostRef(slug, reader.loc(p)))
    short = reader.string(m["short_title"][1], f"{where}.short_title") if "short_title" in m else None
    return ChapterSpec(title, tuple(items), reader.loc(node), short or None)


def check_duplicates(reader: Reader, divisions) -> None:
    seen: dict[str, PostRef] = {}
    for div in divisions:
        for ch in div.chapters if isinstance(div, PartSpec) else [div]:
            for item in ch.items:
                if isinstance(item, PostRef):
                    if item.slug in seen:
                        first = seen[item.slug].location
                        reader.diagnostics.append(
                            error(
                                "manifest.duplicate-post",
                                f"post {shown(item.slug)} is used twice (first at line {first.line})",
                                item.location,
                                "a post can appear only once in a book; remove one of them",
                            )
                        )
                    else:
                        seen[item.slug] = item
