"""What the Jekyll and Hugo readers share: telling a site from its folder, front matter (YAML,
TOML, JSON) mapped to Python values, dates, word lists, the Markdown a generator's page keeps but a
book must not (HTML comments such as ``<!--more-->``, Kramdown's attribute lists ``{: .class}``).

The readers are ``jekyll`` (``_posts`` folders, ``_config.yml``, ``_data/``, Liquid: ``liquid``) and
``hugo`` (``content/``, its configuration, bundles, languages, shortcodes: ``shortcodes``); both
read the site's configuration with ``siteconfig`` and copy images with ``siteimages``.

A file that is a link leaving the site (a post, a bundle's ``index.md``, the configuration) is not
read: a located warning ``import.outside``. A link to a file of the site is read like the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, error, warning
from blog2book.importers import MAX_POST_BYTES, ImportContext, leads_outside
from blog2book.importers.siteconfig import HUGO_CONFIGS

POST_FILES = (".md", ".markdown", ".mdown", ".html")
_HUGO_CONFIGS = HUGO_CONFIGS


def detect(folder: Path) -> str | None:
    if folder.name == "_posts" or (folder / "_posts").is_dir() or jekyll_language_folders(folder):
        return "jekyll"
    if (folder / "content").is_dir() and any((folder / c).is_file() or (folder / "config" / "_default" / c).is_file() for c in _HUGO_CONFIGS):
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


def jekyll_language_folders(root: Path) -> list[Path]:
    """The ``_posts`` folders of a site's language folders (``fr/_posts``, ``en/_posts``)."""
    if not root.is_dir() or root.name == "_posts":
        return []
    return sorted(d / "_posts" for d in root.iterdir() if d.is_dir() and not d.name.startswith((".", "_")) and (d / "_posts").is_dir())


def inside(path: Path, site: Path, ctx: ImportContext) -> bool:
    """True when ``path`` may be read: a file of the site, or a link to one. A link leaving the
    site (to a file elsewhere, to /etc/passwd) is not followed: a located warning says so."""
    problem = leads_outside(path, site, "the site")
    if problem is not None:
        ctx.diags.append(problem)
    return problem is None


# --- front matter -----------------------------------------------------------------------------


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


def words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [w for w in (value.split(",") if "," in value else value.split()) if w.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def date_of(value: Any) -> dt.date | dt.datetime | None:
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


def convert_html(path: Path, body: str, line: int, ctx: ImportContext) -> str | None:
    """An ``.html`` post: WordPress's converter (tags, entities, embeds) to Pandoc Markdown; None when
    it is left out (too large, or pandoc could not: said at its line)."""
    from blog2book.wpcontent import wp_to_markdown

    text, diags = ctx.convert(wp_to_markdown, body, path=path, line=line, media=ctx.media)
    ctx.diags.extend(diags)
    return text


def too_large(path: Path, ctx: ImportContext) -> bool:
    """A post file larger than a post the build reads: left out with a warning, never read whole."""
    size = path.stat().st_size
    if size > MAX_POST_BYTES:
        ctx.diags.append(warning("import.too-large", f"this post is {size / 1048576:.1f} MB; a post is at most {MAX_POST_BYTES // 1048576} MB; it is not imported", Location(path),
                                 "split it into several posts, then import again"))
    return size > MAX_POST_BYTES


_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.M | re.S)
_COMMENT_LINES = re.compile(r"^[ \t]*<!--(?:(?!-->).)*-->[ \t]*$", re.M | re.S)  # alone on its lines: it ended a paragraph
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IAL = re.compile(r"\{:(?!/)(?:[^{}\n\"']|\"[^\"\n]*\"|'[^'\n]*')*\}")  # {: .class}, {:target="_blank"}, {::options … /}
_TOC = re.compile(r"^[*-] (?:TOC|toc)\s*\n(?=\{:toc\})", re.M)


def clean_markdown(text: str) -> str:
    """HTML comments (``<!--more-->``, a commented-out passage), Kramdown's attribute lists and
    extensions (``{: .class}``, ``{:target="_blank"}``, ``* TOC {:toc}``) removed, outside code blocks."""
    out, pos = [], 0
    for m in _FENCE.finditer(text):
        out.append(_clean(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_clean(text[pos:]))
    return "".join(out)


def _clean(text: str) -> str:
    text = _COMMENT.sub("", _COMMENT_LINES.sub("", text))
    text = re.sub(r"\{::comment\}.*?\{:/comment\}|\{::nomarkdown\}|\{:/nomarkdown\}|\{:/\}", "", text, flags=re.S)
    text = _TOC.sub("", text)
    text = _IAL.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"^[ \t]+$", "", text, flags=re.M))


def absolute(base: str, path: str) -> str:
    if re.match(r"^https?://", path) or not base:
        return path
    return base.rstrip("/") + "/" + quote(path.lstrip("/"), safe="/:%")


_LINK = re.compile(r"(\]\(\s*<?|\bhref\s*=\s*[\"'])([^)\s\"'>]+)")


def norm_path(path: str) -> str:
    return re.sub(r"(?:/index)?(?:\.html?)?/?$", "", path) or "/"


def canonical_links(body: str, by_path: dict, hosts: set[str]) -> str:
    """A link naming a post of the site (a site path, an address on one of its hosts, in any of its
    shapes: baseurl, language folder, ``.html``) -> the post's URL."""

    def fix(m: re.Match) -> str:
        target = m.group(2)
        parts = urlsplit(target)
        if parts.scheme in ("http", "https"):
            if (parts.hostname or "").lower().removeprefix("www.") not in hosts:
                return m.group(0)
        elif parts.scheme or not target.startswith("/"):
            return m.group(0)
        found = by_path.get(norm_path(parts.path))
        if found is None:
            return m.group(0)
        return m.group(1) + found + (f"#{parts.fragment}" if parts.fragment else "")

    return _LINK.sub(fix, body)


def read_post_file(path: Path, ctx: ImportContext):
    """(front matter, body, the body's first line) of a post file, or None when it is left out: too
    large to read (``too_large``) or its front matter broken (said at its line)."""
    if too_large(path, ctx):
        return None
    meta, body, line, problem = split_front_matter(path, path.read_text("utf-8", "replace"))
    if problem:
        ctx.diags.append(problem)
        return None
    return meta, body, line
