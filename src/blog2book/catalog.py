"""``blog2book posts``: the posts of a folder as a catalogue, to choose what goes into a book.

Reading the front matters of a blog's archive takes seconds, so what is needed of each post (front
matter fields, word count, the text folded for search) is cached in ``build/.cache/catalog.json``
next to the posts folder, keyed by each file's path, mtime and size: a warm listing only stats the
files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from blog2book.collation import sort_key
from blog2book.infra.atomic import atomic_write
from blog2book.diagnostics import Diagnostic, Level, Location
from blog2book.model import PostDate
from blog2book.sources import SourcePost, read_post
from blog2book.sources.folder import IMPORT_TMP_PREFIX

CATALOG_VERSION = 1


@dataclass(frozen=True)
class PostInfo:
    path: str  # relative to the posts folder
    slug: str
    title: str
    date: tuple | None  # (year, month, day, approximate)
    words: int
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    text: str = ""  # title and body, folded (no accents, case-folded) for search; "" unless asked for

    @property
    def post_date(self) -> PostDate | None:
        return PostDate(*self.date) if self.date else None

    @property
    def iso_date(self) -> str:
        return self.post_date.iso if self.date else ""


def fold(text: str) -> str:
    """Accent- and case-insensitive form: ``Médisance`` -> ``medisance``; apostrophes unified."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_URL = re.compile(r"\w+://\S+")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def word_count(body: str) -> int:
    return len(_WORD.findall(_URL.sub(" ", body)))


def _info(post: SourcePost, rel: str) -> PostInfo:
    d = post.date
    return PostInfo(
        path=rel,
        slug=post.slug,
        title=post.title,
        date=(d.year, d.month, d.day, d.approximate) if d else None,
        words=word_count(post.body),
        categories=post.categories,
        tags=post.tags,
        text=fold(post.title + "\n" + post.body),
    )


def _diag_dict(d: Diagnostic) -> dict:
    return {"level": int(d.level), "code": d.code, "message": d.message, "line": d.location.line, "col": d.location.col, "hint": d.hint}


def _diag_from(d: dict, path: Path) -> Diagnostic:
    return Diagnostic(Level(d["level"]), d["code"], d["message"], Location(path, d["line"], d.get("col")), d.get("hint"))


def cache_file(posts_dir: Path) -> Path:
    return posts_dir.resolve().parent / "build" / ".cache" / "catalog.json"


def _md_files(posts_dir: Path) -> list[str]:
    """Paths of the posts, relative and sorted (strings: they sort much faster than Path objects)."""
    out: list[str] = []
    base = str(posts_dir)
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(IMPORT_TMP_PREFIX))  # an import's temporary folder
        rel = os.path.relpath(folder, base)
        out += [name if rel == "." else f"{rel}/{name}" for name in files if name.endswith(".md")]
    return sorted(out)


def _read_json(path: Path, posts: str) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if data.get("version") == CATALOG_VERSION and data.get("posts") == posts else {}
    except (OSError, ValueError):
        return {}


def load_catalog(posts_dir: Path, cache: Path | None = None, with_text: bool = False) -> tuple[list[PostInfo], list[Diagnostic]]:
    """Every readable post of ``posts_dir`` (sorted by date, then slug) and the problems found.

    Two cache files: the fields (read on every listing) and the folded texts (read only for a
    search). The cache is best effort: one that cannot be read or written only makes it slower."""
    posts_dir = Path(posts_dir)
    cache = cache or cache_file(posts_dir)
    text_cache = cache.with_name(cache.stem + "-text.json")
    posts = str(posts_dir.resolve())
    old = _read_json(cache, posts).get("files", {})
    files: dict[str, dict] = {}
    fresh: dict[str, str] = {}
    for rel in _md_files(posts_dir):
        path = posts_dir / rel
        try:
            st = os.stat(path)
        except OSError:
            continue
        key = [st.st_mtime_ns, st.st_size]
        entry = old.get(rel)
        if entry is None or entry.get("key") != key:
            post, diags = read_post(path)
            info = _info(post, rel) if post else None
            if info is not None:
                fresh[rel] = info.text
            entry = {"key": key, "info": {k: v for k, v in asdict(info).items() if k != "text"} if info else None, "diags": [_diag_dict(d) for d in diags]}
        files[rel] = entry
    texts: dict[str, str] = {}
    if fresh or set(files) != set(old) or with_text:
        texts = _read_json(text_cache, posts).get("texts", {})
        texts = {rel: fresh.get(rel, texts.get(rel, "")) for rel in files}
    if fresh or set(files) != set(old):
        _save(cache, {"version": CATALOG_VERSION, "posts": posts, "files": files})
        _save(text_cache, {"version": CATALOG_VERSION, "posts": posts, "texts": texts})
    infos: list[PostInfo] = []
    diags: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for rel, entry in files.items():
        diags.extend(_diag_from(d, posts_dir / rel) for d in entry["diags"] if d["level"] >= Level.WARNING)
        raw = entry["info"]
        if raw is None:
            continue
        info = PostInfo(**{**raw, "date": tuple(raw["date"]) if raw["date"] else None, "categories": tuple(raw["categories"]), "tags": tuple(raw["tags"]), "text": texts.get(rel, "")})
        if info.slug in seen:
            diags.append(Diagnostic(Level.WARNING, "post.duplicate-slug", f"slug '{info.slug}' is also the slug of {seen[info.slug]}", Location(posts_dir / rel, 1), "give one of them another 'slug:'"))
            continue
        seen[info.slug] = rel
        infos.append(info)
    infos.sort(key=lambda p: ((p.date[0], p.date[1] or 0, p.date[2] or 0) if p.date else (9999, 99, 99), p.slug))
    return infos, diags


def _save(cache: Path, data: dict) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(cache, json.dumps(data, ensure_ascii=False))
    except OSError:
        pass


def as_source(info: PostInfo, posts_dir: Path) -> SourcePost:
    """Enough of a SourcePost for the manuscript's selection rules (``sources.select``)."""
    return SourcePost(posts_dir / info.path, info.slug, info.title, "", 1, date=info.post_date, categories=info.categories, tags=info.tags)


# ---------------------------------------------------------------- filters and output

@dataclass(frozen=True)
class Filters:
    query: str | None = None
    category: str | None = None
    tag: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def matches(info: PostInfo, f: Filters) -> bool:
    if f.query and not all(word in info.text for word in fold(f.query).split()):
        return False
    if f.category and fold(f.category) not in {fold(c) for c in info.categories}:
        return False
    if f.tag and fold(f.tag) not in {fold(t) for t in info.tags}:
        return False
    if f.date_from or f.date_to:
        if not info.date:
            return False
        d = info.post_date.as_date()
        if (f.date_from and d < f.date_from) or (f.date_to and d > f.date_to):
            return False
    return True


def _cut(text: str, width: int) -> str:  # slugs are never cut: they are copied into manuscripts
    return text if len(text) <= width else text[: width - 1] + "…"


def table(infos: Iterable[PostInfo], in_book: set[str] | None) -> str:
    rows = [("date", "slug", "title", "words", "categories", "tags", "in book")]
    for p in infos:
        mark = "-" if in_book is None else ("yes" if p.slug in in_book else "")
        rows.append((p.iso_date, p.slug, _cut(p.title, 50), str(p.words), _cut(", ".join(p.categories), 30), _cut(", ".join(p.tags), 30), mark))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [c.rjust(w) if i == 3 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def yaml_snippet(infos: list[PostInfo], title: str) -> str:
    """A ``chapters:`` list to paste into a manuscript: one chapter holding the listed posts."""
    out = ["chapters:", f"  - title: {json.dumps(title, ensure_ascii=False)}", "    posts:"]
    for p in infos:
        out.append(f"      - {json.dumps(p.slug, ensure_ascii=False)}   # {p.iso_date or 'undated'}: {p.title}")
    if not infos:
        out.append("      []   # no post matches")
    return "\n".join(out)


def as_json(infos: Iterable[PostInfo], in_book: set[str] | None) -> str:
    rows = [
        {"date": p.iso_date or None, "slug": p.slug, "title": p.title, "words": p.words, "categories": list(p.categories), "tags": list(p.tags), "path": p.path, "in_book": None if in_book is None else p.slug in in_book}
        for p in infos
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def stats(infos: list[PostInfo]) -> dict[str, dict[str, int]]:
    years = Counter(str(p.date[0]) if p.date else "undated" for p in infos)
    cats = Counter(c for p in infos for c in p.categories)
    tags = Counter(t for p in infos for t in p.tags)
    by_count = lambda c: dict(sorted(c.items(), key=lambda kv: (-kv[1], sort_key(kv[0]))))  # noqa: E731  (ties: French collation)
    return {"posts": {"total": len(infos), "words": sum(p.words for p in infos)}, "year": dict(sorted(years.items())), "category": by_count(cats), "tag": by_count(tags)}


def stats_text(data: dict[str, dict[str, int]]) -> str:
    lines = [f"{data['posts']['total']} posts, {data['posts']['words']} words"]
    for key, heading in (("year", "By year"), ("category", "By category"), ("tag", "By tag")):
        lines.append(f"\n{heading}:")
        width = max((len(k) for k in data[key]), default=0)
        lines.extend(f"  {k.ljust(width)}  {v:>5}" for k, v in data[key].items())
    return "\n".join(lines)
