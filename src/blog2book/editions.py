"""Editions: what a build made an edition of, recorded in the project (``build --edition NAME``), and
what changed since (``blog2book changes --since NAME``).

The record is ``manuscripts/<name>.editions/NAME.json``, written atomically (the only file a build
writes beside the manuscripts, and only when asked): the manuscript and its hash; each post in the
book's order with its file, its hash, its words, its part and chapter, and what the last import said
of it (its hash in ``posts/.blog2book-import.json``: the blog's version); the page map when the PDF
was built (for each page, the anchors that start on it) and each post's first page; the posts' texts
and the Markdown edition, gzipped (the word count of a change; ``build --profile review --compare
edition:NAME`` marks the changes against it).
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from blog2book.diagnostics import BuildError, Location, error
from blog2book.infra.atomic import atomic_write
from blog2book.model import Book, Part

FORMAT = 1
STATE = ".blog2book-import.json"  # importers/writer.py: what the last import wrote
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name))


def folder(manuscript: Path) -> Path:
    return manuscript.parent / f"{manuscript.stem}.editions"


def _pack(value) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else json.dumps(value, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(gzip.compress(data, 9, mtime=0)).decode("ascii")


def _unpack(text: str, as_json: bool = False):
    data = gzip.decompress(base64.b64decode(text)).decode("utf-8")
    return json.loads(data) if as_json else data


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Placed:
    """A post where the book has it: its file (relative to the project), part, chapter and rank."""

    file: str
    slug: str
    title: str
    part: str
    chapter: str
    rank: int  # in the book, from 1
    path: Path


def placed(book: Book, root: Path) -> list[Placed]:
    out: list[Placed] = []
    for div in book.divisions:
        chapters = div.chapters if isinstance(div, Part) else (div,)
        part = div.title if isinstance(div, Part) else ""
        for ch in chapters:
            for post in ch.posts:
                path = Path(post.source).resolve()
                try:
                    file = path.relative_to(root.resolve()).as_posix()
                except ValueError:
                    file = path.as_posix()
                out.append(Placed(file, post.slug, post.title, part, ch.title, len(out) + 1, path))
    return out


def _blog_record(path: Path, cache: dict) -> str | None:
    """The hash the last import recorded for this post file (None: not imported)."""
    state = path.parent / STATE
    if state not in cache:
        try:
            cache[state] = json.loads(state.read_text("utf-8")).get("posts", {})
        except (OSError, ValueError, AttributeError):
            cache[state] = {}
    entry = cache[state].get(path.name)
    return entry.get("hash") if isinstance(entry, dict) else None


def record(manuscript: Path, root: Path, book: Book, name: str, markdown: str, page_map=None) -> dict:
    """The edition ``name`` of ``book``: what ``write`` stores."""
    posts, texts, states = [], {}, {}
    first_page: dict[str, int] = {}
    ids = {p.id: p.slug for p in book.posts()}
    if page_map is not None:
        for n, anchors in enumerate(page_map, start=1):
            for a in anchors:
                if a in ids and ids[a] not in first_page:
                    first_page[ids[a]] = n
    for p in placed(book, root):
        try:
            text = p.path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        texts[p.file] = text
        posts.append({"file": p.file, "slug": p.slug, "title": p.title, "part": p.part, "chapter": p.chapter, "rank": p.rank,
                      "sha256": _sha(text), "words": len(_words(text)), "blog": _blog_record(p.path, states), "page": first_page.get(p.slug)})
    return {
        "format": FORMAT, "edition": name, "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "manuscript": manuscript.resolve().relative_to(root.resolve()).as_posix() if manuscript.resolve().is_relative_to(root.resolve()) else manuscript.name,
        "manuscript_sha256": _sha(manuscript.read_text("utf-8")), "title": book.meta.title, "posts": posts,
        "pages": len(page_map) if page_map is not None else None,
        "page_map": [list(a) for a in page_map] if page_map is not None else None,
        "texts": _pack(texts), "markdown": _pack(markdown),
    }


def write(manuscript: Path, name: str, data: dict) -> Path:
    path = folder(manuscript) / f"{name}.json"
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    except OSError as exc:
        raise BuildError([error("edition.write", f"cannot record the edition: {exc.strerror or exc}", Location(path), "check the manuscripts folder's permissions and the disk")]) from None
    return path


def load(manuscript: Path, name: str | None) -> dict:
    """The edition ``name`` (None: the last one made) of the manuscript; a BuildError when there is none."""
    where = folder(manuscript)
    known = sorted(p.stem for p in where.glob("*.json")) if where.is_dir() else []
    if not known:
        raise BuildError([error("edition.none", "no edition of this manuscript was recorded", Location(manuscript), "build one with blog2book build --edition NAME (e.g. --edition 2026-premiere)")])
    if name is not None and name not in known:
        raise BuildError([error("edition.unknown", f"no edition named '{name}' (recorded: {', '.join(known)})", Location(where), "give one of the recorded editions' names")])
    out = []
    for stem in ([name] if name else known):
        path = where / f"{stem}.json"
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("posts"), list):
                raise ValueError("not an edition record of this version")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise BuildError([error("edition.unreadable", f"cannot read the edition record ({exc})", Location(path), "build the edition again with --edition, or remove the file")]) from None
        out.append(data)
    return max(out, key=lambda d: d.get("made", ""))


def markdown(manuscript: Path, name: str) -> str:
    """The Markdown edition of the recorded edition ``name`` (for the review proof's change bars)."""
    return _unpack(load(manuscript, name)["markdown"])


_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def _words(text: str) -> list[str]:
    body = text.split("\n---", 1)[1] if text.startswith("---") and "\n---" in text else text  # the front matter is not the text
    return _WORD.findall(body)


def word_change(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) from ``old`` to ``new``."""
    a, b = _words(old), _words(new)
    added = removed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


@dataclass(frozen=True)
class Change:
    kind: str  # edited | blog | added | removed | moved
    file: str
    title: str
    detail: str

    def line(self) -> str:
        label = {"edited": "edited", "blog": "changed on the blog", "added": "added", "removed": "removed", "moved": "moved"}[self.kind]
        return f"{self.file}: {label} — {self.detail} [changes.{self.kind}]"


def _where(p: dict | Placed) -> str:
    part, chapter = (p["part"], p["chapter"]) if isinstance(p, dict) else (p.part, p.chapter)
    return f"« {chapter} »" + (f" in « {part} »" if part else "")


def _page(was: dict, edition: dict) -> str:
    """Where the post started in the edition's PDF, when its page map was recorded."""
    return f" (p. {was['page']} in {edition['edition']})" if was.get("page") else ""


def changes(edition: dict, book: Book, root: Path) -> list[Change]:
    """What changed in the book since ``edition``: posts changed on the blog since (re-imported),
    edited, added, removed and moved, in the book's order (removed ones last)."""
    old = {p["file"]: p for p in edition["posts"]}
    texts = _unpack(edition["texts"], as_json=True)
    now = placed(book, root)
    states: dict = {}
    kept_old = [p["file"] for p in edition["posts"] if p["file"] in {q.file for q in now}]
    kept_new = [q.file for q in now if q.file in old]
    in_place = set()
    for block in difflib.SequenceMatcher(None, kept_old, kept_new, autojunk=False).get_matching_blocks():
        in_place.update(kept_old[block.a:block.a + block.size])
    out: list[Change] = []
    for q in now:
        was = old.get(q.file)
        if was is None:
            out.append(Change("added", q.file, q.title, f"« {q.title} », in {_where(q)} (#{q.rank})"))
            continue
        try:
            text = q.path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if _sha(text) != was["sha256"]:
            added, removed = word_change(texts.get(q.file, ""), text)
            blog = _blog_record(q.path, states)
            if blog is not None and blog != was.get("blog"):
                out.append(Change("blog", q.file, q.title, f"re-imported since: +{added} −{removed} words{_page(was, edition)}"))
            else:
                out.append(Change("edited", q.file, q.title, f"+{added} −{removed} words{_page(was, edition)}"))
        if (was["chapter"], was["part"]) != (q.chapter, q.part) or q.file not in in_place:
            out.append(Change("moved", q.file, q.title, f"from {_where(was)} (#{was['rank']}) to {_where(q)} (#{q.rank})"))
    files = {q.file for q in now}
    for p in edition["posts"]:
        if p["file"] not in files:
            out.append(Change("removed", p["file"], p["title"], f"« {p['title']} », was in {_where(p)} (#{p['rank']})"))
    return out
