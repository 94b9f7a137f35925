"""The manuscript's references resolved to posts, in book order: ``select``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from blog2book.diagnostics import Diagnostic, Level, Location, did_you_mean, error, info, warning
from blog2book.guard import shown
from blog2book.manifest import ChapterSpec, ManifestSpec, PartSpec, PostRef, SelectRef
from blog2book.model import Comment
from blog2book.sources.post import SourcePost


def settle(diags: list[Diagnostic], failed: dict[Path, str], used: set[str]) -> list[Diagnostic]:
    """Errors in posts the book does not use become warnings: a broken draft or a NOTES.md in
    ``posts/`` must not block every book. A broken post the book uses stays an error."""
    unused = {path for path, slug in failed.items() if slug not in used and path.stem not in used}
    out = []
    for d in diags:
        if d.level == Level.ERROR and d.location.path in unused:
            d = warning(d.code, d.message + " (this post is not in the book, so it is left out)", d.location, d.hint)
        out.append(d)
    return out


@dataclass(frozen=True)
class Selection:
    """The manifest's chapters with their posts resolved, in book order."""

    divisions: tuple[tuple[str | None, tuple[tuple[str | None, tuple[SourcePost, ...]], ...]], ...]
    comments: Mapping[str, tuple[Comment, ...]] = field(default_factory=dict)  # slug -> the comments printed

    def posts(self) -> tuple[SourcePost, ...]:
        return tuple(p for _, chapters in self.divisions for _, ps in chapters for p in ps)


def select(
    spec: ManifestSpec, posts: Mapping[str, SourcePost], failed, read_diags=(), drafts: bool = False
) -> tuple[Selection, list[Diagnostic]]:
    """Resolve each chapter's references to posts; report unknown slugs and posts used twice.

    ``read_diags`` (what reading the posts found) come back first, the errors of posts the book
    does not use turned into warnings. Posts marked ``draft: true`` are left out unless ``drafts``."""
    diags: list[Diagnostic] = []
    chosen_comments: dict[str, tuple[Comment, ...]] = {}
    failed = dict.fromkeys(failed, None) if not isinstance(failed, dict) else failed
    failed_slugs = {p.stem for p in failed} | {s for s in failed.values() if s}
    used: dict[str, Location] = {}
    explicit = {i.slug for ch in spec.chapter_specs() for i in ch.items if isinstance(i, PostRef)}
    if not drafts:
        left_out = {slug for slug, p in posts.items() if p.draft}
        for ref in (i for ch in spec.chapter_specs() for i in ch.items if isinstance(i, PostRef) and i.slug in left_out):
            diags.append(warning("post.draft", f"post {shown(ref.slug)} is a draft (draft: true): left out of the book", ref.location, "build with --drafts to include drafts, or remove 'draft: true'"))
        posts = {slug: p for slug, p in posts.items() if not p.draft}
        failed_slugs |= left_out  # not "unknown": reported above

    def resolve(ch: ChapterSpec) -> tuple[str | None, tuple[SourcePost, ...]]:
        chosen: list[SourcePost] = []
        for item in ch.items:
            if isinstance(item, PostRef):
                post = posts.get(item.slug)
                if post is None:
                    if item.slug not in failed_slugs:  # a post that failed to read was reported already
                        diags.append(
                            error(
                                "manifest.unknown-post",
                                f"no post {shown(item.slug)} in {spec.posts_dir}",
                                item.location,
                                did_you_mean(item.slug, posts.keys()) or "run 'blog2book posts' to list the posts",
                            )
                        )
                    continue
                picked = [post]
                if item.comments is not None:
                    chosen_comments[post.slug] = _pick_comments(post, item, diags)
            else:
                picked = [p for p in posts.values() if _matches(p, item)]
                picked.sort(key=lambda p: (p.date.sort_key() if p.date else (9999, 99, 99), p.slug))
                picked = [p for p in picked if p.slug not in used and p.slug not in explicit]  # explicit picks win
                if not picked:
                    diags.append(warning("manifest.empty-select", "this selection matches no post", item.location, "check the category or tag as the posts write it, and the dates"))
            for post in picked:
                if isinstance(item, PostRef) and post.slug in used:
                    continue  # duplicates among explicit references are reported by the manifest
                used[post.slug] = item.location
                chosen.append(post)
        return ch.title, tuple(chosen)  # None: the chapter takes its post's title when the book is assembled

    divisions = []
    for div in spec.divisions:
        if isinstance(div, PartSpec):
            divisions.append((div.title, tuple(resolve(ch) for ch in div.chapters)))
        else:
            divisions.append((None, (resolve(div),)))
    unused = sorted(slug for slug in posts if slug not in used)
    if unused:
        diags.append(info("manifest.unused-posts", f"{len(unused)} post(s) in the posts folder are not in this book: {', '.join(unused)}", Location(spec.path)))
    in_book = set(used) | explicit
    return Selection(tuple(divisions), MappingProxyType(chosen_comments)), settle(list(read_diags), failed, in_book) + diags


def _pick_comments(post: SourcePost, ref: PostRef, diags: list[Diagnostic]) -> tuple[Comment, ...]:
    """The comments a manuscript entry asks for, in the post's thread order; unknown ids are errors."""
    pick = ref.comments
    if not post.comments:
        diags.append(
            warning(
                "manifest.no-comments",
                f"post '{post.slug}' has no comments in its front matter",
                pick.location,
                "import the blog with its comments (blog2book import --comments), or remove 'comments:'",
            )
        )
        return ()
    if pick.ids is None:
        return post.comments
    known = {c.id: c for c in post.comments}
    for cid, loc in zip(pick.ids, pick.id_locations):
        if cid not in known:
            ids = ", ".join(str(c.id) for c in post.comments[:8]) + ("…" if len(post.comments) > 8 else "")
            diags.append(error("manifest.unknown-comment", f"post '{post.slug}' has no comment {cid}", loc, f"its comments are {ids}"))
    wanted = set(pick.ids)
    return tuple(c for c in post.comments if c.id in wanted)


def _matches(post: SourcePost, sel: SelectRef) -> bool:
    if sel.category and sel.category.casefold() not in {c.casefold() for c in post.categories}:
        return False
    if sel.tag and sel.tag.casefold() not in {t.casefold() for t in post.tags}:
        return False
    if sel.date_from or sel.date_to:
        if post.date is None:
            return False
        d = post.date.as_date()
        if sel.date_from and d < sel.date_from:
            return False
        if sel.date_to and d > sel.date_to:
            return False
    return True
