"""Every post of the posts folder, by slug; a post whose text is the one an earlier build read is not
parsed again."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Level, Location, error, read_utf8
from blog2book.guard import shown
from blog2book.sources.post import SourcePost, parse_post


IMPORT_TMP_PREFIX = ".blog2book-import-"  # an import's temporary folder inside posts/ (importers/writer.py): never posts


def post_files(posts_dir: Path) -> list[Path]:
    """``posts_dir/**/*.md`` in order; folders reached through a symlink are not entered
    (a symlinked *file* is listed, and ``read_posts`` checks where it leads)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(posts_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(IMPORT_TMP_PREFIX))  # an import's temporary folder, left by a kill
        found += [Path(folder) / f for f in files if f.endswith(".md")]
    return sorted(found)


def read_posts(
    posts_dir: Path, root: Path | None = None, cache_dir: Path | None = None
) -> tuple[dict[str, SourcePost], dict[Path, str], list[Diagnostic]]:
    """Every post of the folder, by slug; the paths that failed (-> the slug they would have had);
    diagnostics. A file leading outside ``root`` (a symlink) is refused, not read. With a
    ``cache_dir``, a post whose text is the one read last time is not parsed again."""
    posts: dict[str, SourcePost] = {}
    failed: dict[Path, str] = {}
    diags: list[Diagnostic] = []
    cache = _ReadCache(cache_dir)
    for path in post_files(posts_dir):
        if root is not None and guard.outside(path, root):
            diags.append(guard.path_error("post.outside-project", "this post leads to", str(path.resolve()), root, Location(path)))
            failed[path] = path.stem
            continue
        post, post_diags = cache.read(path)
        diags.extend(post_diags)
        if post is None:
            failed[path] = path.stem
            continue
        if post.slug in posts:
            diags.append(
                error(
                    "post.duplicate-slug",
                    f"slug {shown(post.slug)} is also the slug of {posts[post.slug].path.name}",
                    Location(path, 1),
                    "give one of them another 'slug:'",
                )
            )
            failed[path] = post.slug
            continue
        if any(d.level == Level.ERROR for d in post_diags):
            failed[path] = post.slug  # read, but not fit for a book (a bad date…)
            continue
        posts[post.slug] = post
    cache.save()
    return posts, failed, diags


class _ReadCache:
    """Posts as parsed by an earlier build (``OUTPUT_DIR/.cache/sources.pickle``), by path and
    by a digest of their text."""

    def __init__(self, cache_dir: Path | None):
        from blog2book import bookcache

        self._file = cache_dir / "sources.pickle" if cache_dir is not None else None
        self._key = bookcache.code_key()
        known = bookcache.load(self._file, self._key) if self._file is not None else None
        self._known = known if isinstance(known, dict) else {}
        self._read: dict[str, tuple] = {}

    def read(self, path: Path) -> tuple[SourcePost | None, list[Diagnostic]]:
        text, problem = read_utf8(path, "post")
        if problem is not None:
            return None, [problem]
        if self._file is None or not self._file.parent.is_dir():  # a build stopped by an error creates nothing
            return parse_post(path, text)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        known = self._known.get(str(path))
        if isinstance(known, tuple) and len(known) == 3 and known[0] == digest:
            post, diags = known[1], list(known[2])
        else:
            post, diags = parse_post(path, text)
        self._read[str(path)] = (digest, post, tuple(diags))
        return post, diags

    def save(self) -> None:
        from blog2book import bookcache

        if self._file is None or not self._file.parent.is_dir():  # a build stopped by an error creates nothing
            return
        same = self._read.keys() == self._known.keys() and all(
            isinstance(self._known[p], tuple) and self._known[p][:1] == entry[:1] for p, entry in self._read.items()
        )
        if not same:
            bookcache.store(self._file, self._key, self._read)
