"""Readers' comments chosen by the manuscript, set after their post.

``add_comments(posts, chosen, sources, opts)`` appends to each post that has chosen comments::

    Div#<post>--comments.comments
      Header 4 "Commentaires" (.comments-title)
      Div#<post>--comment-501.comment          (one per comment on the post, in thread order)
        Div.comment-meta  Para[Strong author, ", ", date in the book's language]
        <the comment's Markdown, as a post body: WordPress HTML kept, embeds, typography>
        Div.comment …                           (its replies, nested: indented by thread depth)

A reply whose parent was not chosen hangs from its nearest chosen ancestor (or from the post).
Nesting stops at ``MAX_DEPTH`` so that a long thread does not run off the page. All comments of
a post are parsed by one pandoc call.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from blog2book import embeds, lang as lang_mod, pandoc, tree, typography, wphtml
from blog2book.diagnostics import Diagnostic, Level, Location
from blog2book.model import Comment, Post
from blog2book.sources import SourcePost

MAX_DEPTH = 4
COMMENTS_LEVEL = 4  # below the post title (3)


def _parse_all(comments: tuple[Comment, ...]) -> dict[int, list] | None:
    """Each comment's Markdown parsed in one call; None when a comment's text broke the batch."""
    fence = ":" * 12
    text = "\n\n".join(f"{fence} {{#c{c.id}}}\n{c.content.strip()}\n\n{fence}" for c in comments)
    blocks = pandoc.to_ast(text, reader=wphtml.POST_READER)["blocks"]
    out: dict[int, list] = {}
    for b in blocks:
        if b["t"] != "Div" or not b["c"][0][0].startswith("c"):
            return None
        out[int(b["c"][0][0][1:])] = b["c"][1]
    return out if list(out) == [c.id for c in comments] else None


def _body(blocks: list, src: SourcePost, lang: str, diags: list[Diagnostic], line: int | None) -> list:
    where = Location(src.path, line)
    blocks, found = wphtml.expand(blocks, src)
    diags.extend(replace(d, location=where, message=f"in a comment: {d.message}") for d in found)
    blocks, findings = embeds.convert(blocks, lang)
    for f in findings:
        if f.level != "info":
            diags.append(Diagnostic(Level.WARNING, f.code, f"in a comment: {f.message}", where))
    def no_id(el: dict):  # pandoc's automatic ids would repeat from one comment to the next
        if el["t"] == "Header":
            return {"t": "Header", "c": [el["c"][0], ["", el["c"][1][1], el["c"][1][2]], el["c"][2]]}
        return None

    return tree.shift_headers(tree.walk(blocks, no_id), COMMENTS_LEVEL)  # a comment's headings sit below its title


def comment_blocks(post: Post, src: SourcePost, chosen: tuple[Comment, ...], lang: str, typo) -> tuple[list, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    parsed = _parse_all(chosen)
    if parsed is None:
        parsed = {c.id: pandoc.to_ast(c.content, reader=wphtml.POST_READER)["blocks"] for c in chosen}
    words = lang_mod.strings(lang)
    by_id = {c.id: c for c in chosen}
    children: dict[int, list[Comment]] = {}
    for c in chosen:
        parent = c.parent
        while parent and parent not in by_id:  # a reply to a comment left out: to its nearest chosen ancestor
            parent = next((x.parent for x in src.comments if x.id == parent), 0)
        children.setdefault(parent, []).append(c)

    def render(c: Comment, depth: int) -> list:
        meta: list = [{"t": "Strong", "c": tree.text_inlines(c.author or words["anonymous"])}]
        if c.date is not None:
            meta += [tree.Str(","), tree.Space(), *tree.text_inlines(lang_mod.format_date(c.date, lang))]
        content = _body(parsed.get(c.id, []), src, lang, diags, c.line)
        inner = [tree.Div("", ["comment-meta"], [tree.Para(meta)]), *content]
        replies = [b for r in children.get(c.id, []) for b in render(r, depth + 1)]
        if depth >= MAX_DEPTH:  # deeper replies are set at this depth, after this comment
            return [tree.Div(f"{post.id}--comment-{c.id}", ["comment"], inner), *replies]
        return [tree.Div(f"{post.id}--comment-{c.id}", ["comment"], inner + replies)]

    thread = [b for c in children.get(0, []) for b in render(c, 1)]
    title = tree.Header(COMMENTS_LEVEL, f"{post.id}--comments-title", tree.text_inlines(words["comments"]), classes=["comments-title"])
    section = tree.Div(f"{post.id}--comments", ["comments"], [title, *thread])
    return typography.apply([section], typo), diags


def add_comments(
    posts: Mapping[str, Post], chosen: Mapping[str, tuple[Comment, ...]], sources: Mapping[str, SourcePost], lang: str, typo
) -> tuple[dict[str, Post], list[Diagnostic]]:
    """The posts with their chosen comments appended (posts without chosen comments unchanged)."""
    out = dict(posts)
    diags: list[Diagnostic] = []
    for slug, picked in chosen.items():
        if not picked or slug not in out:
            continue
        post = out[slug]
        try:
            blocks, found = comment_blocks(post, sources[slug], picked, lang, typo)
        except Exception as exc:  # one post's comments never end the build without a location
            diags.append(Diagnostic(Level.ERROR, "comments.failed", f"could not set the post's comments: {exc}", Location(post.source), "check the comments' Markdown in the front matter"))
            continue
        diags.extend(found)
        out[slug] = replace(post, blocks=tuple(post.blocks) + tuple(blocks))
    return out, diags
