"""What an import says to do next, and the blog's address given to the manuscript ``init`` made.

After ``blog2book import`` the author has posts and a manuscript that names none of them: the
report ends with the ``blog2book posts`` command and a manuscript snippet naming the imported
posts. The blog's address (``site:``, which matches links to the blog with the book's posts) is
written into the manuscript only when ``init`` wrote it (its first line is init's) and it has no
``site:``; a manuscript the author wrote is never touched. The write is atomic.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from blog2book.infra.atomic import atomic_write

SNIPPET_POSTS = 3  # posts named in the snippet; ``blog2book posts --format yaml`` gives them all


def site_of(metas: Iterable[Mapping]) -> str | None:
    """The blog's address: the scheme and host most of the imported posts' URLs share."""
    hosts: Counter = Counter()
    for meta in metas:
        parts = urlsplit(str(meta.get("url") or ""))
        if parts.scheme in ("http", "https") and parts.netloc:
            hosts[f"{parts.scheme}://{parts.netloc}/"] += 1
    return hosts.most_common(1)[0][0] if hosts else None


def _init_first_line() -> str:
    from blog2book import scaffold

    return scaffold.project_files("t", "a", "s")[scaffold.MANUSCRIPT].splitlines()[0]


def manuscripts_of(into: Path) -> list[Path]:
    """The project's manuscripts whose posts folder is ``into`` (``posts: ../posts`` beside it)."""
    folder = into.parent / "manuscripts"
    out = []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        m = re.search(r"^posts:\s*(\S+)", text, re.M)
        posts = m.group(1).strip("'\"") if m else "../posts"
        if (path.parent / posts).resolve() == into.resolve():
            out.append(path)
    return out


def write_site(into: Path, site: str | None) -> list[Path]:
    """``site:`` written into each manuscript of the project that init made and that has none."""
    if not site:
        return []
    first = _init_first_line()
    written = []
    for path in manuscripts_of(into):
        text = path.read_text("utf-8")
        if text.splitlines()[:1] != [first] or re.search(r"^site:", text, re.M):
            continue
        line = f"site: {site}".ljust(29) + " # the blog's address (written by blog2book import): links to it are the book's posts\n"
        at = re.search(r"^posts:.*\n", text, re.M)
        pos = at.end() if at else len(text)
        atomic_write(path, text[:pos] + line + text[pos:])
        written.append(path)
    return written


def next_steps(into: Path, slugs: list[str], manuscripts: list[Path]) -> list[str]:
    """The lines that say what to do with the imported posts."""
    if not slugs:
        return []
    shown = ", ".join(slugs[:SNIPPET_POSTS])
    more = f"   # and {len(slugs) - SNIPPET_POSTS} more: blog2book posts --format yaml lists them all" if len(slugs) > SNIPPET_POSTS else ""
    posts_dir = "" if into.resolve() == (Path.cwd() / "posts").resolve() else f" --posts-dir {into}"
    where = f"into {manuscripts[0]}" if manuscripts else "into your manuscript"
    return [
        f"next: blog2book posts{posts_dir}   (the posts with their dates, categories and tags; --format yaml prints them as a chapter)",
        f"then paste {where}, under 'chapters:', and build with blog2book build:",
        "  - title: Mes billets",
        f"    posts: [{shown}]{more}",
    ]
