"""Jekyll ``_posts`` and Hugo ``content/`` folders: front matter mapped to ours, permalinks derived
as each generator does by default (or as the site's configuration says).

* Jekyll: ``_posts/YYYY-MM-DD-title.md``; ``_config.yml`` gives ``url``, ``baseurl`` and
  ``permalink`` (default ``date``: ``/:categories/:year/:month/:day/:title.html``; ``pretty``,
  ``ordinal``, ``none`` or a pattern); ``published: false`` is a draft.
* Hugo: ``content/<section>/<name>.md`` or a bundle ``<name>/index.md``; front matter in YAML
  (``---``), TOML (``+++``) or JSON; the configuration (``hugo.toml``, ``config.toml``, ``.yaml``,
  ``.json``) gives ``baseURL`` and ``permalinks``; the default URL is ``/<section>/<slug>/``, lower
  case. ``draft: true`` is a draft; pages at the root of ``content/`` are pages, like WordPress's.

A file that is a link leaving the site (a post, a bundle's ``index.md``, the configuration) is not
read: a located warning ``import.outside``. A link to a file of the site is read like the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import yaml

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, error, warning
from blog2book.importers import MAX_POST_BYTES, ImportContext, ImportedPost, decode_slug, leads_outside, make_post, plain
from blog2book.sources import slugify

POST_FILES = (".md", ".markdown", ".mdown", ".html")
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")


def detect(folder: Path) -> str | None:
    if folder.name == "_posts" or (folder / "_posts").is_dir():
        return "jekyll"
    if (folder / "content").is_dir() and any((folder / c).is_file() for c in _HUGO_CONFIGS):
        return "hugo"
    if folder.name == "content" and (any((folder.parent / c).is_file() for c in _HUGO_CONFIGS) or _has_toml_front_matter(folder)):
        return "hugo"
    return None


def _has_toml_front_matter(folder: Path) -> bool:
    site = folder.parent  # a link leaving the site is not opened, even to look at its first bytes
    return any(_starts_with(p, b"+++") for p in list(folder.rglob("*.md"))[:20] if p.is_file() and not guard.outside(p, site))


def _starts_with(path: Path, head: bytes) -> bool:
    with path.open("rb") as f:
        return f.read(len(head)) == head


def read(source: Path, kind: str, ctx: ImportContext) -> Iterator[ImportedPost]:
    return _jekyll(source, ctx) if kind == "jekyll" else _hugo(source, ctx)


def _inside(path: Path, site: Path, ctx: ImportContext) -> bool:
    """True when ``path`` may be read: a file of the site, or a link to one. A link leaving the
    site (to a file elsewhere, to /etc/passwd) is not followed: a located warning says so."""
    problem = leads_outside(path, site, "the site")
    if problem is not None:
        ctx.diags.append(problem)
    return problem is None


# --- front matter -----------------------------------------------------------------------------


def _too_large(path: Path, ctx: ImportContext) -> bool:
    """A post file larger than a post the build reads: left out with a warning, never read whole."""
    size = path.stat().st_size
    if size > MAX_POST_BYTES:
        ctx.diags.append(warning("import.too-large", f"this post is {size / 1048576:.1f} MB; a post is at most {MAX_POST_BYTES // 1048576} MB; it is not imported", Location(path),
                                 "split it into several posts, then import again"))
    return size > MAX_POST_BYTES


def _too_deep(path: Path, line: int) -> Diagnostic:
    return error("import.front-matter", f"the front matter's lists and tables are nested more than {guard.MAX_YAML_DEPTH} levels deep", Location(path, line), "flatten it in the source, then import again")


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int, Diagnostic | None]:
    """(metadata, body, line of the body, problem) for YAML ``---``, TOML ``+++`` or JSON ``{``."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    m = re.match(r"\A(---|\+\+\+)[ \t]*\n(.*?\n)?(?:\1|\.\.\.)[ \t]*(?:\n|\Z)", text, re.S)
    try:
        if m:
            raw = m.group(2) or ""
            deep = guard.too_deep_brackets(raw) if m.group(1) == "+++" else None
            if deep is not None:
                return {}, "", 1, _too_deep(path, deep + 1)
            meta = tomllib.loads(raw) if m.group(1) == "+++" else (yaml.load(raw, Loader=guard.ShallowLoader) or {})
            end = m.end()
        elif text.startswith("{"):
            deep = guard.too_deep_brackets(text, one_value=True)
            if deep is not None:
                return {}, "", 1, _too_deep(path, deep)
            meta, end = json.JSONDecoder().raw_decode(text)
        else:
            return {}, text, 1, None
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)  # a flow sequence: where it opens
        line = mark.line + 2 if mark else 1
        return {}, "", 1, error("import.front-matter", f"the front matter cannot be read: {str(exc).splitlines()[0]}", Location(path, line), "fix it in the source, then import again")
    if not isinstance(meta, dict):
        return {}, "", 1, error("import.front-matter", "the front matter is not a mapping of keys", Location(path, 2))
    return meta, text[end:], text[:end].count("\n") + 1, None


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [w for w in (value.split(",") if "," in value else value.split()) if w.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _date(value: Any) -> dt.date | dt.datetime | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})?)?", text)
    if not m:
        return None
    if not m.group(2):
        return dt.date.fromisoformat(m.group(1))
    zone = (m.group(3) or "").replace("Z", "+00:00")
    if zone and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    clock = m.group(2) if m.group(2).count(":") == 2 else m.group(2) + ":00"
    return dt.datetime.fromisoformat(f"{m.group(1)}T{clock.zfill(8)}{zone}")


def _body(path: Path, body: str, line: int, ctx: ImportContext, convert) -> str | None:
    """The post's Markdown (an HTML post converted); None when it is left out (said at its line)."""
    if path.suffix == ".html":
        text, diags = ctx.convert(convert, body, path=path, line=line, media=ctx.media)
        ctx.diags.extend(diags)
        return text
    for i, row in enumerate(body.splitlines()):
        found = re.search(r"\{%-?\s*\w+|\{\{[<%]", row)
        if found:
            ctx.diags.append(warning("import.template-tag", f"a template tag ({row[found.start():found.start() + 20].strip()}…) is kept as text", Location(path, line + i), "replace it by Markdown (an image, a link) in the imported post"))
            break
    return body


def _absolute(base: str, path: str) -> str:
    if re.match(r"^https?://", path) or not base:
        return path
    return base.rstrip("/") + "/" + quote(path.lstrip("/"), safe="/:%")


# --- Jekyll -----------------------------------------------------------------------------------


def _jekyll(source: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    from blog2book.wpcontent import wp_to_markdown

    root = source.parent if source.name == "_posts" else source
    posts_dir = source if source.name == "_posts" else source / "_posts"
    if not posts_dir.is_dir():
        ctx.diags.append(error("import.source", "no _posts folder here: not a Jekyll site", Location(source), "name the site's folder or its _posts folder"))
        return
    config: dict = {}
    if (root / "_config.yml").is_file() and _inside(root / "_config.yml", root, ctx):
        try:
            config = yaml.load((root / "_config.yml").read_text("utf-8"), Loader=guard.ShallowLoader) or {}
        except yaml.YAMLError:
            ctx.diags.append(warning("import.config", "_config.yml cannot be read; URLs are written without the site's address", Location(root / "_config.yml")))
    base = (str(config.get("url") or "").rstrip("/") + "/" + str(config.get("baseurl") or "").strip("/")).rstrip("/")
    style = str(config.get("permalink") or "date")
    pattern = _JEKYLL_STYLES.get(style, style)
    paths = sorted(p for p in posts_dir.rglob("*") if p.suffix in POST_FILES and p.is_file())
    for n, path in enumerate(paths, 1):
        if ctx.step:
            ctx.step(n, len(paths))
        if not _inside(path, root, ctx):
            continue
        m = _JEKYLL_NAME.match(path.stem)
        if not m:
            ctx.diags.append(warning("import.jekyll-name", "not a post name (YYYY-MM-DD-title): skipped", Location(path), "rename it like 2010-03-05-title.md"))
            continue
        if _too_large(path, ctx):
            continue
        meta, body, line, problem = split_front_matter(path, path.read_text("utf-8", "replace"))
        if problem:
            ctx.diags.append(problem)
            continue
        if meta.get("published") is False:
            if "drafts" not in ctx.options.include:
                ctx.left_out["drafts"] += 1
                continue
        date = _date(meta.get("date")) or dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        title_slug = str(meta.get("slug") or m.group(4))
        categories = _words(meta.get("categories")) or _words(meta.get("category"))
        tags = _words(meta.get("tags")) or _words(meta.get("tag"))
        link = str(meta.get("permalink") or _jekyll_url(pattern, date, title_slug, categories, ".html"))
        url = _absolute(base, link)
        post_meta = {
            "title": plain(str(meta.get("title") or title_slug.replace("-", " ").capitalize())),
            "date": date,
            "draft": True if meta.get("published") is False else None,
            "url": url,
            "aliases": [_absolute(base, a) for a in _words(meta.get("redirect_from"))],
            "author": plain(str(meta.get("author") or "")),
            "categories": categories,
            "tags": tags,
            "excerpt": plain(str(meta.get("excerpt") or meta.get("description") or "")),
        }
        text = _body(path, body, line, ctx, wp_to_markdown)
        if text is not None:
            yield make_post(decode_slug(title_slug), post_meta, text, Location(path, 1))


def _jekyll_url(pattern: str, date, title: str, categories: list[str], ext: str) -> str:
    d = date if isinstance(date, dt.date) else dt.date.today()
    values = {
        "year": f"{d.year:04d}", "short_year": f"{d.year % 100:02d}", "month": f"{d.month:02d}", "i_month": str(d.month),
        "day": f"{d.day:02d}", "i_day": str(d.day), "y_day": f"{d.timetuple().tm_yday:03d}",
        "title": title, "slug": title, "categories": "/".join(c.lower() for c in categories), "output_ext": ext,
    }
    url = re.sub(r":(short_year|year|i_month|month|i_day|y_day|day|title|slug|categories|output_ext)", lambda m: values[m.group(1)], pattern)
    return re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))


# --- Hugo -------------------------------------------------------------------------------------


def _hugo(source: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    from blog2book.wpcontent import wp_to_markdown

    content = source if source.name == "content" else source / "content"
    root = content.parent
    if not content.is_dir():
        ctx.diags.append(error("import.source", "no content folder here: not a Hugo site", Location(source), "name the site's folder or its content folder"))
        return
    config = _hugo_config(root, ctx)
    base = str(config.get("baseURL") or config.get("baseurl") or "").rstrip("/")
    permalinks = config.get("permalinks") or {}
    if isinstance(permalinks.get("page"), dict):  # Hugo ≥ 0.120: permalinks.page.<section>
        permalinks = permalinks["page"]
    paths = sorted(p for p in content.rglob("*") if p.suffix in POST_FILES and p.is_file() and not p.name.startswith("_index."))
    for n, path in enumerate(paths, 1):
        if ctx.step:
            ctx.step(n, len(paths))
        if not _inside(path, root, ctx):
            continue
        rel = path.relative_to(content)
        bundle = path.stem == "index"
        parts = rel.parent.parts[:-1] if bundle else rel.parent.parts
        name = rel.parent.name if bundle else path.stem
        if _too_large(path, ctx):
            continue
        meta, body, line, problem = split_front_matter(path, path.read_text("utf-8", "replace"))
        if problem:
            ctx.diags.append(problem)
            continue
        if not parts and "pages" not in ctx.options.include:
            ctx.left_out["pages"] += 1
            continue
        if meta.get("draft") is True and "drafts" not in ctx.options.include:
            ctx.left_out["drafts"] += 1
            continue
        section = parts[0] if parts else ""
        slug = str(meta.get("slug") or name)
        date = _date(meta.get("date") or meta.get("publishDate"))
        if meta.get("url"):
            link = str(meta["url"])
        elif isinstance(permalinks, dict) and section in permalinks:
            link = _hugo_url(str(permalinks[section]), date, slug, name, section, str(meta.get("title") or ""))
        else:
            link = "/" + "/".join([*parts, slug]) + "/"
        if not config.get("disablePathToLower"):
            link = link.lower()
        authors = meta.get("author") or meta.get("authors")
        post_meta = {
            "title": plain(str(meta.get("title") or name)),
            "date": date,
            "draft": True if meta.get("draft") is True else None,
            "url": _absolute(base, link.replace(" ", "-")),
            "aliases": [_absolute(base, a) for a in _words(meta.get("aliases"))],
            "author": ", ".join(_words(authors)) if isinstance(authors, list) else plain(str(authors or "")),
            "categories": _words(meta.get("categories")),
            "tags": _words(meta.get("tags")),
            "excerpt": plain(str(meta.get("summary") or meta.get("description") or "")),
        }
        text = _body(path, body, line, ctx, wp_to_markdown)
        if text is not None:
            yield make_post(decode_slug(slug), post_meta, text, Location(path, 1))


def _hugo_config(root: Path, ctx: ImportContext) -> dict:
    for name in _HUGO_CONFIGS:
        path = root / name
        if not path.is_file():
            continue
        if not _inside(path, root, ctx):
            return {}
        try:
            text = path.read_text("utf-8")
            if not name.endswith((".yaml", ".yml")) and guard.too_deep_brackets(text) is not None:
                raise ValueError("nested too deep")  # the parsers recurse
            data = tomllib.loads(text) if name.endswith(".toml") else json.loads(text) if name.endswith(".json") else yaml.load(text, Loader=guard.ShallowLoader)
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
            ctx.diags.append(warning("import.config", f"{name} cannot be read; URLs are written without the site's address", Location(path)))
            return {}
    return {}


def _hugo_url(pattern: str, date, slug: str, name: str, section: str, title: str) -> str:
    d = date if isinstance(date, dt.date) else dt.date(1970, 1, 1)
    values = {
        "year": f"{d.year:04d}", "month": f"{d.month:02d}", "day": f"{d.day:02d}", "slug": slug, "filename": name,
        "contentbasename": name, "section": section, "sections": section, "title": slugify(title) if title else slug,
    }
    return re.sub(r":(year|month|day|slug|filename|contentbasename|sections|section|title)", lambda m: values[m.group(1)], pattern)
