"""SourcePost -> Post: the post's Markdown parsed once by pandoc, then reshaped on the AST.

Per post and pure (given the parse), so results are cached by content hash and posts are parsed
in parallel. Steps: parse -> blog artefacts (embeds) -> headings demoted and namespaced ->
images checked -> title and dateline -> French typography. Links stay as written; ``xref`` rewrites
them once every post is known.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from blog2book import alttext, embeds, footnotes, images, lang as lang_mod, pandoc, pandocbatch, tree, typography, wphtml
from blog2book.infra.atomic import atomic_write, cache_has_room, writing
from blog2book.diagnostics import BuildError, Diagnostic, Level, Location, error, warning
from blog2book.model import Heading, Post
from blog2book.sources import SourcePost, slugify

TRANSFORM_VERSION = "3"  # bump when the parse step changes, to invalidate caches
POST_TITLE_LEVEL = 3  # part = 1, chapter = 2, post = 3, the post's own headings below
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class TransformOptions:
    lang: str
    typography: typography.Typography
    project_root: Path
    cache_dir: Path | None = None
    uploads: Path | None = None  # the manuscript's copy of wp-content/uploads
    site: str | None = None  # the blog's address: its /wp-content/uploads/ URLs are looked up in ``uploads``
    allowed: tuple[Path, ...] = ()  # folders outside the project the user allowed (--allow-outside)


def post_id(slug: str) -> str:
    """A valid XML id for the post's anchor (a slug may start with a digit)."""
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "-", slug).strip("-") or "post"
    clean = re.sub(r"_{2,}", "_", clean)  # "__" separates paragraph anchors (render/shared/paragraphs.py)
    return clean if _NCNAME.match(clean) else f"p-{clean}"


# ---------------------------------------------------------------- parsing (cached, parallel)

def _cache_key(body: str) -> str:
    h = hashlib.sha256()
    h.update(f"{TRANSFORM_VERSION}|{wphtml.POST_READER}|{pandoc.api_version()}|".encode())
    h.update(body.encode("utf-8"))
    return h.hexdigest()


def parse_bodies(posts: Iterable[SourcePost], cache_dir: Path | None, step=None) -> dict[str, list]:
    """Parse every post body into AST blocks: cached by content hash, misses parsed in parallel."""
    posts = list(posts)
    result: dict[str, list] = {}
    todo: list[tuple[SourcePost, str]] = []
    for post in posts:
        key = _cache_key(post.body)
        cached = cache_dir / f"{key}.json" if cache_dir else None
        if cached and cached.is_file():
            try:
                blocks = json.loads(cached.read_text("utf-8"))
                if pandoc.depth(blocks) <= pandoc.MAX_AST_DEPTH:  # what to_ast would have refused stays refused
                    result[post.slug] = blocks
                    continue
            except (OSError, ValueError, RecursionError):
                pass
        todo.append((post, key))

    def parse(item: tuple[SourcePost, str], parsed: dict | None = None) -> tuple[str, list | BuildError]:
        post, key = item
        try:
            blocks = (parsed if parsed is not None else pandoc.to_ast(footnotes.mark(post.body, markdown=True), reader=wphtml.POST_READER))["blocks"]
        except BuildError as exc:  # reported with the post's location by transform_all
            return post.slug, exc
        if cache_dir:
            try:  # the cache is an optimisation: a folder that cannot be written is not an error here
                cache_dir.mkdir(parents=True, exist_ok=True)
                if cache_has_room(cache_dir):  # never the last bytes of a disk
                    atomic_write(cache_dir / f"{key}.json", json.dumps(blocks, ensure_ascii=False))
            except OSError:
                pass
        return post.slug, blocks

    def parse_batch(items: list[tuple[SourcePost, str]]) -> list[tuple[str, list | BuildError]]:
        """Several posts by one pandoc process; one it cannot give is parsed alone (its own error)."""
        docs = pandocbatch.read_many([footnotes.mark(post.body, markdown=True) for post, _ in items], wphtml.POST_READER)
        return [parse(item, doc) for item, doc in zip(items, docs)]

    if todo:
        batches = [todo[i:i + PARSE_BATCH] for i in range(0, len(todo), PARSE_BATCH)]
        workers = min(len(batches), os.cpu_count() or 2)
        done = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for parsed in pool.map(parse_batch, batches):
                for slug, blocks in parsed:
                    result[slug] = blocks
                done += len(parsed)
                if step is not None:
                    step(done, len(todo))
    return result


PARSE_BATCH = 32  # posts parsed by one pandoc process (pandocbatch)


# ---------------------------------------------------------------- the per-post passes

def located(findings, src: SourcePost) -> list[Diagnostic]:
    """The embeds' findings as diagnostics at their lines: a needle found again (two identical
    tags) is the next occurrence in the post, the findings coming in the order of the text."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for f in findings:
        nth = seen[f.code, f.message, f.needle] = seen.get((f.code, f.message, f.needle), -1) + 1
        level = {"info": Level.INFO, "warning": Level.WARNING, "error": Level.ERROR}.get(f.level, Level.WARNING)
        out.append(Diagnostic(level, f.code, f.message, src.find_line(f.needle, nth)))
    return out


def transform_post(src: SourcePost, blocks: list, opts: TransformOptions, memo: dict | None = None) -> tuple[Post, list[Diagnostic]]:
    """The post, its words shared with the others of ``memo`` (``tree.share_leaves``'s) as they are written."""
    diags: list[Diagnostic] = []
    pid = post_id(src.slug)

    blocks, found = wphtml.expand(blocks, src)  # WordPress HTML blocks and shortcodes -> structure
    diags.extend(found)
    blocks, lost = footnotes.resolve(blocks)  # hand-written footnotes (marked before the parse) as notes
    diags.extend(footnotes.warnings(src.body, src.find_line, lost))
    blocks, findings = embeds.convert(blocks, opts.lang)
    diags.extend(located(findings, src))

    blocks, headings = _demote_headings(blocks, pid)
    blocks = images.check_images(alttext.from_captions(blocks), src, opts, diags)  # a figure's caption describes its image

    title_inlines = tree.text_inlines(src.title)
    short = " ".join(str(src.meta.get("short_title") or "").split())  # the running heads' title (``short_title:``)
    if short:
        short = tree.stringify(typography.apply([tree.Plain(tree.text_inlines(short))], opts.typography))
    running = [("running", short)] if short else ()
    head: list = [tree.Header(POST_TITLE_LEVEL, pid, title_inlines, classes=["post-title"], attrs=running)]
    if src.date is not None:
        dateline = lang_mod.format_date(src.date, opts.lang)
        head.append(tree.Div("", ["dateline"], [tree.Para(tree.text_inlines(dateline))]))
    post_lang = str(src.meta.get("lang") or "").strip().replace("_", "-")
    if post_lang and post_lang.lower() != opts.lang.lower():  # a post in another language (``lang:``)
        blocks = [tree.Div("", ["post-lang"], list(blocks), attrs=[("lang", post_lang)])]
    blocks = typography.apply(head + list(blocks), opts.typography, memo)

    forbidden = typography.forbidden_forms(src.body) if opts.typography.french else []
    for found_line, col, found, suggestion in forbidden:
        diags.append(
            warning(
                "typo.ordinal",
                f"'{found}' is not a French ordinal abbreviation; the book prints '{suggestion}'",
                Location(src.path, src.body_line + found_line - 1, col),
                f"write '{suggestion}'",
            )
        )
    words = len(tree.stringify(blocks[len(head):]).split())
    title = tree.stringify(blocks[0]["c"][2])  # the title as the book sets it, for the TOC, running heads, nav
    post = Post(
        slug=src.slug,
        id=pid,
        title=title,
        source=src.path,
        blocks=tuple(blocks),
        date=src.date,
        url=src.url,
        categories=src.categories,
        tags=src.tags,
        headings=tuple(headings),
        word_count=words,
        short_title=short or None,
    )
    return post, diags


def _demote_headings(blocks: list, pid: str) -> tuple[list, list[Heading]]:
    headings: list[Heading] = []
    used: set[str] = set()

    def fix(el: dict):
        if el["t"] != "Header":
            return None
        level, (ident, classes, kv), inlines = el["c"]
        base = ident or slugify(tree.stringify(inlines), "section")
        new_id = f"{pid}--{base}"
        n = 1
        while new_id in used:
            n += 1
            new_id = f"{pid}--{base}-{n}"
        used.add(new_id)
        headings.append(Heading(new_id, ident or base, tree.stringify(inlines)))
        return tree.Header(min(level + POST_TITLE_LEVEL, 6), new_id, inlines, classes, kv)

    return tree.rewrite(blocks, fix, only=frozenset(("Header",))), headings


def _post_key(src: SourcePost, opts: TransformOptions) -> str:
    from blog2book import __version__

    h = hashlib.sha256(f"{TRANSFORM_VERSION}|{__version__}|{opts.lang}|{opts.typography!r}|{opts.project_root}|{opts.allowed}|".encode())
    h.update(repr((str(src.path), src.slug, src.title, src.date, src.url, src.categories, src.tags, src.body_line)).encode())
    h.update(src.front_matter.encode("utf-8"))
    h.update(b"\0")
    h.update(src.body.encode("utf-8"))
    return h.hexdigest()


_WORDS = tree.CHILDLESS  # most of a post, and never an image


def _images_of(post: Post) -> list[str]:
    """The targets of the post's images, in the order ``tree.visit`` meets them."""
    found: list[str] = []

    def go(node) -> None:
        if type(node) is list:
            for item in node:
                if type(item) is dict and item.get("t") in _WORDS or type(item) is str:
                    continue
                go(item)
        elif type(node) is dict:
            for value in node.values():
                if type(value) is not str:
                    go(value)
            if node.get("t") == "Image":
                found.append(node["c"][2][0])

    go(list(post.blocks))
    return found


def _load_transformed(folder: Path, key: str):
    """A transformed post from an earlier build, if the images it checked are still there."""
    try:
        with open(folder / f"{key}.pickle", "rb") as fh:
            return _still_good(pickle.load(fh))
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return None


def _still_good(record):
    """(post, diagnostics) of a stored (post, diagnostics, images), if the images are still there."""
    try:
        post, diags, images = record
    except (TypeError, ValueError):
        return None
    if any(not _unchanged(p) for p in images) or any(d.code in _CHECKED_AGAIN for d in diags):
        return None
    return post, diags


_CHECKED_AGAIN = frozenset(("image.missing", "image.too-large", "image.undecodable", "image.wrong-type"))  # the file may be fixed


def _unchanged(image) -> bool:
    """An image of a stored post is still the file that was checked (its size and time)."""
    if not isinstance(image, tuple):
        return False
    try:
        st = os.stat(image[0])
    except (OSError, TypeError, ValueError):
        return False
    return (st.st_size, st.st_mtime_ns) == tuple(image[1:])


def _stamped(targets: list[str]) -> list[tuple[str, int, int]]:
    """The images of a post with their size and time, for ``_unchanged``."""
    out = []
    for target in targets:
        try:
            st = os.stat(target)
            out.append((target, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((target, -1, -1))
    return out


def _store_transformed(folder: Path, key: str, post: Post, diags: list[Diagnostic], images: list[str] | None = None) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not cache_has_room(folder):
            return
        with writing(folder / f"{key}.pickle") as fh:  # no partial file left behind
            pickle.dump((post, diags, _stamped(_images_of(post)) if images is None else images), fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass


def transform_all(sources: Iterable[SourcePost], opts: TransformOptions, step=None) -> tuple[dict[str, Post], list[Diagnostic]]:
    """Every post transformed; a post whose text, front matter and options are unchanged since an
    earlier build comes from the cache (``posts/`` under the build cache), parsed or not."""
    sources = list(sources)
    folder = opts.cache_dir / "posts" if opts.cache_dir else None
    keys = {src.slug: _post_key(src, opts) for src in sources} if folder else {}
    done: dict[str, tuple[Post, list[Diagnostic]]] = {}
    memo: dict = {}  # leaves shared across the book (tree.share_leaves)
    bundled: dict = {}  # the last build's posts in one file: read at once, their words already shared
    from_bundle = 0
    if folder is not None:
        from blog2book import bookcache

        bundled = bookcache.load(folder / BUNDLE, bookcache.code_key()) or {}
        bundled = bundled if isinstance(bundled, dict) else {}
        with bookcache.no_gc():  # millions of small objects read back: the cycle collector would scan them again and again
            for src in sources:
                hit = _still_good(bundled.get(keys[src.slug]))
                if hit is not None:
                    from_bundle += 1
                else:
                    hit = _load_transformed(folder, keys[src.slug])
                    if hit is not None:
                        tree.share_leaves(list(hit[0].blocks), memo)
                if hit is not None:
                    done[src.slug] = hit
    todo = [src for src in sources if src.slug not in done]
    # each new post is stored (posts/<key>.pickle) and its words shared where it was transformed
    fresh = _transform_in_processes(todo, opts, step) if len(todo) >= PARALLEL_FROM else _transform_here(todo, opts, step)
    posts: dict[str, Post] = {}
    diags: list[Diagnostic] = []
    diags_of: dict[str, list[Diagnostic]] = {}
    images_of: dict[str, list[str]] = {}
    for src in sources:
        if src.slug in done:
            post, post_diags = done[src.slug]
        else:
            post, post_diags, images_of[src.slug] = fresh[src.slug]
        diags.extend(post_diags)
        if post is not None:
            posts[src.slug] = post
            diags_of[src.slug] = list(post_diags)
    if folder is not None and (from_bundle < len(posts) or len(bundled) != len(posts)):
        from blog2book import bookcache

        def images(slug: str, post: Post) -> list[str]:
            if images_of.get(slug) is not None:
                return images_of[slug]
            record = bundled.get(keys[slug])
            return record[2] if isinstance(record, tuple) and len(record) == 3 and record[0] is post else _stamped(_images_of(post))

        bookcache.store(folder / BUNDLE, bookcache.code_key(), {keys[slug]: (post, diags_of[slug], images(slug, post)) for slug, post in posts.items()})
    return posts, diags


BUNDLE = "all.pickle"  # beside the per-post files, whose names are digests


PARALLEL_FROM = 24  # posts to transform from which worker processes pay for themselves


def _transform_here(sources: list[SourcePost], opts: TransformOptions, step=None) -> dict[str, tuple[Post | None, list[Diagnostic], list[str] | None]]:
    """Parse (pandoc, cached) and transform these posts; a post that fails is reported, not fatal.
    Each post comes with its images' targets; it is stored in the cache (``posts/<key>.pickle``)
    and its words are shared with those of the other posts here (``tree.share_leaves``)."""
    parsed = parse_bodies(sources, opts.cache_dir, step)
    folder = opts.cache_dir / "posts" if opts.cache_dir else None
    memo: dict = {}
    out: dict[str, tuple[Post | None, list[Diagnostic], list[str] | None]] = {}
    for src in sources:
        if isinstance(parsed[src.slug], BuildError):
            out[src.slug] = (None, [
                error(d.code, d.message, src.location(d.location.line), d.hint or "check the post's Markdown near this line")
                for d in parsed[src.slug].diagnostics
            ], None)
            continue
        try:
            post, diags = transform_post(src, parsed[src.slug], opts, memo)
        except Exception as exc:  # per-post isolation: report and go on
            out[src.slug] = (None, [error("transform.failed", f"could not transform the post: {exc}", src.location(), "rerun with -v to see where it failed")], None)
            continue
        images = _stamped(_images_of(post))
        if folder is not None:
            _store_transformed(folder, _post_key(src, opts), post, diags, images)
        out[src.slug] = (post, diags, images)
    return out


def _transform_chunk(bounds: tuple[int, int]) -> dict:
    from blog2book.infra.workers import inherited

    sources, opts = inherited()
    return _transform_here(sources[bounds[0]:bounds[1]], opts)


def _transform_in_processes(sources: list[SourcePost], opts: TransformOptions, step=None) -> dict:
    """The same, the posts shared among worker processes (the AST passes are Python: one core each)."""
    from blog2book.infra.workers import can_fork, default_jobs, forked_map

    jobs = default_jobs()
    if jobs < 2 or not can_fork():
        return _transform_here(sources, opts, step)
    size = max(4, len(sources) // (jobs * 4))
    out: dict = {}
    for result in forked_map(_transform_chunk, [(i, i + size) for i in range(0, len(sources), size)], (sources, opts), jobs):
        out.update(result)
        if step is not None:
            step(len(out), len(sources))
    return out
