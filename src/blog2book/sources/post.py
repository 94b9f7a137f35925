"""One post's file -> a SourcePost, or the diagnostics saying what is wrong.

A post is ``posts/**/*.md``: a YAML front matter block (``---`` … ``---`` or ``...``) and a Pandoc
Markdown body. Every diagnostic names ``post.md:LINE`` with the line in the real file.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import frontmatter
import yaml

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, did_you_mean, error, read_utf8, warning
from blog2book.guard import shown
from blog2book.model import Comment, PostDate

POST_KEYS = (
    "title", "date", "date_approximate", "slug", "url", "aliases", "wp_id", "categories", "tags", "author", "draft",
    "excerpt", "comments", "lang", "short_title",
)


@dataclass(frozen=True)
class SourcePost:
    path: Path
    slug: str
    title: str
    body: str
    body_line: int  # line of the body's first line in the file (1-based)
    meta: Mapping[str, Any] = field(default_factory=dict)
    date: PostDate | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    wp_id: int | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    front_matter: str = ""  # its text, from the file's line 2
    draft: bool = False
    comments: tuple[Comment, ...] = ()  # readers' comments in thread order (front matter ``comments:``)

    def meta_location(self, needle: str) -> Location:
        """The front matter line holding ``needle`` (a key with its colon, a URL…), else line 1."""
        return _front_matter_line(self.path, self.front_matter, needle)

    def location(self, line_in_body: int | None = None) -> Location:
        if line_in_body is None:
            return Location(self.path, self.body_line)
        return Location(self.path, self.body_line + line_in_body - 1)

    def find_line(self, needle: str, nth: int = 0) -> Location:
        """The location of the body line holding the ``nth`` (from 0) occurrence of ``needle``, the
        last one when there are fewer (the post's start if none)."""
        found = None
        for decode in (False, True):  # then as the text reads with its entities decoded (&#106;avascript:)
            for i, line in enumerate(self.body.splitlines(), start=1):
                text = html.unescape(line) if decode else line
                if needle and needle in text:
                    found = i
                    nth -= text.count(needle)
                    if nth < 0:
                        break
            if found is not None:
                return self.location(found)
        return Location(self.path, self.body_line)


class PandocYAMLHandler(frontmatter.YAMLHandler):
    """Front matter opened by ``---`` and closed by ``---`` or by Pandoc's ``...``."""

    FM_BOUNDARY = re.compile(r"^-{3}[ \t]*$", re.MULTILINE)  # what ``detect`` looks for on the first line

    def split(self, text: str):
        match = re.match(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", text, re.S)
        if not match:
            raise ValueError("front matter is not closed")
        return match.group(1) or "", text[match.end():]


_HANDLER = PandocYAMLHandler()


def slugify(text: str, empty: str = "post") -> str:
    """Lower-case ASCII words joined by hyphens (``empty`` when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or empty


def parse_post_date(value: Any, approximate: bool = False) -> PostDate:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PostDate(value.year, value.month, value.day, approximate)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", text):  # a date with its time (and zone), quoted
        try:
            return parse_post_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00")), approximate)
        except ValueError:
            pass
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        raise ValueError(f"{shown(text)} is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    parts = [year, int(month) if month else None, int(day) if day else None]
    guard.checked_date(year, parts[1] or 1, parts[2] or 1)  # validates ranges, saying what is wrong
    return PostDate(parts[0], parts[1], parts[2], approximate)


def read_post(path: Path) -> tuple[SourcePost | None, list[Diagnostic]]:
    """Read one post; never raises for a problem in the file, returns diagnostics instead."""
    text, problem = read_utf8(path, "post")
    if problem is not None:
        return None, [problem]
    return parse_post(path, text)


def _front_matter_line(path: Path, front_matter: str, needle: str, at_start: bool = False) -> Location:
    for i, line in enumerate(front_matter.splitlines(), start=2):
        if line.startswith(needle) if at_start else needle in line:
            return Location(path, i)
    return Location(path, 1)


def has_front_matter(text: str) -> bool:
    return bool(_HANDLER.detect(text))


def parse_post(path: Path, text: str) -> tuple[SourcePost | None, list[Diagnostic]]:
    """A post's text (front matter and body) -> SourcePost, or the diagnostics saying what is wrong."""
    diags: list[Diagnostic] = []
    if not has_front_matter(text):
        return None, [
            error("post.front-matter", "the post has no front matter", Location(path, 1), "start the file with a '---' block holding at least 'title:'")
        ]
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        return None, [error("post.front-matter", "the front matter block is not closed", Location(path, 1), "end it with a line '---'")]
    body_line = text[: len(text) - len(body)].count("\n") + 1
    try:
        meta = guard.load_yaml(fm_text) if fm_text.strip() else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # "while parsing a flow sequence" points at the opening
        loc = Location(path, mark.line + 2, mark.column + 1) if mark else Location(path, 1)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [error("post.front-matter", f"invalid YAML in the front matter: {problem}", loc, guard.yaml_hint(exc, fm_text))]
    except yaml.YAMLError as exc:  # a control character in the text, found by the YAML reader
        line, problem = guard.yaml_problem(exc, fm_text)
        return None, [error("post.front-matter", f"invalid YAML in the front matter: {problem}", Location(path, line + 1), "remove the character; titles and keys are plain text")]
    if not isinstance(meta, dict):
        return None, [error("post.front-matter", "the front matter must be a mapping of keys", Location(path, 2), "write one 'key: value' per line")]

    def key_loc(key: str) -> Location:
        return _front_matter_line(path, fm_text, f"{key}:", at_start=True)

    for key in meta:
        bad = guard.control_char(str(key))
        if bad:
            shown_part = guard.CONTROL_RE.split(str(key))[0] or str(key)
            diags.append(error("post.control-char", f"a front matter key contains the control character {bad}", _front_matter_line(path, fm_text, shown_part), "retype the key"))
        elif key not in POST_KEYS:
            hint = did_you_mean(str(key), POST_KEYS)
            diags.append(warning("post.unknown-key", f"unknown front matter key {shown(key)} is ignored", key_loc(str(key)), hint))
    for key in ("title", "slug", "url", "categories", "tags", "aliases", "author"):
        values = meta.get(key) if isinstance(meta.get(key), list) else [meta.get(key)]
        bad = next((b for v in values if isinstance(v, str) and (b := guard.control_char(v))), None)
        if bad:
            diags.append(error("post.control-char", f"'{key}' contains the control character {bad}", key_loc(key), "remove it: titles, slugs and names are plain text"))
    if any(d.code == "post.control-char" for d in diags):
        return None, diags
    title = meta.get("title")
    if not isinstance(title, (str, int, float)) or not str(title).strip():
        diags.append(error("post.title", "the post has no title", key_loc("title") if "title" in meta else Location(path, 1), "add 'title: …' to the front matter"))
        return None, diags
    slug = str(meta.get("slug") or path.stem)
    if guard.control_char(slug):
        diags.append(error("post.control-char", f"the slug contains the control character {guard.control_char(slug)}", Location(path, 1), "rename the file or give a plain 'slug:'"))
        return None, diags
    deep = guard.too_deep(body)
    if deep is not None:
        diags.append(
            error(
                "post.too-deep",
                f"block quotes or lists are nested more than {guard.MAX_NESTING} levels deep",
                Location(path, body_line + deep - 1),
                "flatten the quotes or lists; a book cannot show that many levels",
            )
        )
        return None, diags
    body, control_lines = guard.strip_controls(body)
    for line in control_lines[:5]:
        diags.append(warning("post.control-char", "control characters removed from this line", Location(path, body_line + line - 1), "they print nothing; retype the line if text is missing"))
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        diags.append(error("post.front-matter", "'draft' must be true or false", key_loc("draft")))
        draft = True
    date = None
    if meta.get("date") is not None:
        try:
            date = parse_post_date(meta["date"], bool(meta.get("date_approximate")))
        except ValueError as exc:
            diags.append(error("post.date", str(exc), key_loc("date")))
    def str_list(key: str) -> tuple[str, ...]:
        value = meta.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, int)):
            return (str(value),)
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return tuple(str(v) for v in value)
        diags.append(error("post.front-matter", f"'{key}' must be a word or a list of words", key_loc(key)))
        return ()

    wp_id = meta.get("wp_id")
    if wp_id is not None and not isinstance(wp_id, int):
        diags.append(error("post.front-matter", "'wp_id' must be a number (the WordPress post id)", key_loc("wp_id")))
        wp_id = None
    lang = meta.get("lang")
    if lang is not None and not (isinstance(lang, str) and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", lang.strip())):
        diags.append(error("post.front-matter", f"'lang' must be a language tag such as 'en' or 'fr-CA', not {lang!r}", key_loc("lang")))
        meta = {k: v for k, v in meta.items() if k != "lang"}
    url = meta.get("url")
    if url is not None and not isinstance(url, str):
        diags.append(error("post.front-matter", "'url' must be text", key_loc("url")))
        url = None
    comments = parse_comments(meta.get("comments"), path, fm_text, diags) if "comments" in meta else ()
    post = SourcePost(
        path=path,
        slug=slug,
        title=str(title).strip(),
        body=body,
        body_line=body_line,
        meta=MappingProxyType(dict(meta)),
        date=date,
        url=url,
        aliases=str_list("aliases"),
        wp_id=wp_id,
        categories=str_list("categories"),
        tags=str_list("tags"),
        front_matter=fm_text,
        draft=draft,
        comments=comments,
    )
    return post, diags


_COMMENT_KEYS = ("id", "parent", "author", "date", "content", "author_url", "status", "type")


def parse_comments(value: Any, path: Path, fm_text: str, diags: list[Diagnostic]) -> tuple[Comment, ...]:
    """The front matter's ``comments:`` list -> Comments; a bad item is reported at its line and skipped."""
    where = _front_matter_line(path, fm_text, "comments:", at_start=True)
    if value is None:
        return ()
    if not isinstance(value, list):
        diags.append(error("post.comments", "'comments' must be a list of comments", where, "each item: {id: 501, parent: 0, author: …, date: …, content: …}"))
        return ()
    out: list[Comment] = []
    seen: set[int] = set()
    for i, item in enumerate(value):
        cid = item.get("id") if isinstance(item, dict) else None
        loc = _comment_line(path, fm_text, cid) if isinstance(cid, int) and not isinstance(cid, bool) else None
        loc = loc or where
        problem = None
        if not isinstance(item, dict):
            problem = "is not a mapping"
        elif not isinstance(cid, int) or isinstance(cid, bool):
            problem = "has no numeric 'id'"
        elif cid in seen:
            problem = f"repeats the id {cid}"
        elif not isinstance(item.get("content", ""), str):
            problem = "has a 'content' that is not text"
        elif not isinstance(item.get("parent", 0) or 0, int):
            problem = "has a 'parent' that is not a comment id"
        if problem:
            diags.append(error("post.comments", f"comments[{i}] {problem}", loc, "each item: {id: 501, parent: 0, author: …, date: …, content: …}"))
            continue
        for key in item:
            if key not in _COMMENT_KEYS:
                diags.append(warning("post.unknown-key", f"comments[{i}]: unknown key '{key}' is ignored", loc, did_you_mean(str(key), _COMMENT_KEYS)))
        date = _comment_date(item.get("date"))
        if item.get("date") is not None and date is None:
            diags.append(warning("post.comments", f"comments[{i}]: '{item['date']}' is not a date; the comment is printed without one", loc, "write it as 2010-03-05T14:22:00-05:00 or 2010-03-05"))
        seen.add(cid)
        out.append(
            Comment(
                id=cid,
                author=str(item.get("author") or "").strip(),
                content=str(item.get("content") or ""),
                parent=int(item.get("parent") or 0),
                date=date,
                line=loc.line,
            )
        )
    return tuple(out)


def _comment_line(path: Path, fm_text: str, cid: int) -> Location | None:
    """The front matter line of the comment with this id ("id: 50" is not "id: 501")."""
    pattern = re.compile(rf"\bid:\s*{cid}(?!\d)")
    for i, line in enumerate(fm_text.splitlines(), start=2):
        if pattern.search(line):
            return Location(path, i)
    return None


def _comment_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
    return None
