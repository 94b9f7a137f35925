"""The limits and rules every input of the author's goes through.

* The path rule: every file an author's file names (posts, images, matter files, cover, style,
  ``--compare``) must resolve, symlinks followed, inside the project root; else a located error.
* YAML (manuscripts and front matter) is read by ``BookLoader``: no aliases or anchors (an alias
  bomb is refused before anything is expanded), no implicit timestamps (dates are checked by us,
  with a location, instead of raising from inside the YAML library).
* Text: control and terminal escape characters are refused in titles, keys and slugs, and removed
  from bodies; values quoted in messages are cut and shown escaped (``shown``).
* Sizes and depth: text files above ``MAX_TEXT_BYTES`` are refused; a post nested deeper than
  ``MAX_NESTING`` (block quotes, lists) is refused at its line before pandoc parses it; so are
  YAML, JSON and TOML nested deeper than ``MAX_YAML_DEPTH`` and XML deeper than ``MAX_XML_DEPTH``
  (their parsers recurse: a RecursionError would come instead of a line).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import yaml

from blog2book.diagnostics import Diagnostic, Location, error

from blog2book.diagnostics import MAX_TEXT_BYTES  # noqa: F401  (re-exported: the limits live here)
MAX_NESTING = 40  # block quotes and lists inside one another (pandoc and our tree walkers stay shallow)
MAX_SHOWN = 60  # characters of an author's value quoted in a message

# C0 and C1 controls except tab and newline, and DEL: never part of a title, a key or a slug;
# ESC starts the terminal escape sequences a message must never print raw.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# ---------------------------------------------------------------- paths

def project_root(manuscript: Path) -> Path:
    """The project: the folder that holds ``manuscripts/``, i.e. the manuscript's folder's parent.
    What the manuscript names (``posts:`` included) never widens it."""
    return Path(manuscript).resolve().parent.parent


def outside(path: Path, root) -> bool:
    """True when ``path`` (symlinks followed) is inside none of ``root`` (a folder or a tuple of them)."""
    roots = (root,) if isinstance(root, (str, os.PathLike)) else tuple(root)
    resolved = Path(path).resolve()
    return not any(resolved.is_relative_to(Path(r).resolve()) for r in roots)


def path_error(code: str, what: str, given: str, root, location: Location) -> Diagnostic:
    project = root if isinstance(root, (str, os.PathLike)) else root[0]
    return error(
        code,
        f"{what} {shown(given)} is outside the project folder {project}",
        location,
        "blog2book reads only files inside the project: copy the file into it, or give --allow-outside DIR to let it read DIR too",
    )


# ---------------------------------------------------------------- text

def shown(value, limit: int = MAX_SHOWN) -> str:
    """An author's value quoted for a message: control characters escaped, long values cut."""
    text = str(value)
    cut = len(text) > limit
    text = text[:limit]
    text = CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return f"'{text}…' ({len(str(value))} characters)" if cut else f"'{text}'"


def control_char(text: str) -> str | None:
    """The first control character of ``text``, escaped (``\\x1b``), or None."""
    m = CONTROL_RE.search(text)
    return f"\\x{ord(m.group()):02x}" if m else None


def strip_controls(text: str) -> tuple[str, list[int]]:
    """``text`` without control characters (tab, newline kept); the 1-based lines that had some."""
    if not CONTROL_RE.search(text):
        return text, []
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in CONTROL_RE.finditer(text)})
    return CONTROL_RE.sub("", text), lines


# ---------------------------------------------------------------- nesting

_CONTAINER = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")


def nesting(line: str) -> int:
    """How deep a Markdown line sits: block quote and list markers at its start, plus, on a line
    with a marker, its indentation (two columns per level, the least a nested list needs). An
    indented line without a marker is code or a continuation: it nests nothing."""
    depth = 0
    pos = 0
    indent = len(line) - len(line.lstrip(" \t"))
    while True:
        m = _CONTAINER.match(line, pos)
        if not m or m.end() == pos:
            break
        depth += 1
        pos = m.end()
    return depth + (line[:indent].expandtabs(4).count(" ") // 2 if depth else 0)


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def too_deep(text: str, limit: int = MAX_NESTING) -> int | None:
    """The 1-based line of ``text`` where nesting first passes ``limit``, or None (fenced code
    blocks are skipped: their lines are text, not structure)."""
    fence = None
    for i, line in enumerate(text.split("\n"), start=1):
        m = _FENCE.match(line)
        if m:
            mark = m.group(1)[0] * 3
            fence = None if fence == mark else (fence or mark)
            continue
        if fence is None and len(line) > limit and nesting(line) > limit:
            return i
    return None


# ---------------------------------------------------------------- YAML

MAX_YAML_DEPTH = 40  # nested lists and mappings in a manuscript or a front matter
MAX_XML_DEPTH = 100  # elements inside one another in an export or a feed (its xhtml content included)


class ShallowLoader(yaml.SafeLoader):
    """The safe loader with bounded nesting (PyYAML composes recursively: ``[[[[…]]]]`` would end
    in a RecursionError); a ComposerError marked where the limit is passed instead."""

    _depth = 0

    def compose_node(self, parent, index):
        if self._depth >= MAX_YAML_DEPTH:
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def too_deep_brackets(text: str, limit: int = MAX_YAML_DEPTH, one_value: bool = False) -> int | None:
    """The 1-based line of JSON or TOML ``text`` where ``[`` and ``{`` first nest deeper than
    ``limit`` (outside strings), or None: checked before their recursive parsers run. With
    ``one_value``, the text is read up to where its first value closes (a JSON front matter: the
    post's body after it is not JSON)."""
    if text.count("[") + text.count("{") <= limit:
        return None
    depth, quote, line, i = 0, "", 1, 0
    while i < len(text):
        c = text[i]
        if c == "\n":
            line, quote = line + 1, ""  # a string of JSON or TOML ends on its line (or this errs on the safe side)
        elif quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#":  # a TOML comment
            end = text.find("\n", i)
            i = (len(text) if end < 0 else end) - 1
        elif c in "[{":
            depth += 1
            if depth > limit:
                return line
        elif c in "]}":
            depth -= 1
            if one_value and depth == 0:
                return None
        i += 1
    return None


class BookLoader(ShallowLoader):
    """The safe loader without aliases, without implicit timestamps, and with bounded nesting."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not allowed; write the value out", event.start_mark
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchors (&{anchor}) are not allowed; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


BookLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """(1-based line, message) of a YAML error the library does not mark (a ReaderError)."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        what = f"\\x{exc.character:02x}" if isinstance(exc.character, int) else shown(exc.character)
        return line, f"the control character {what} is not allowed"
    return 1, shown(exc, 200)


def yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What to do about a YAML error, from its cause: a colon inside a value, a tab, a quote or
    bracket never closed, a key out of line (the colon hint only when a colon is the cause)."""
    problem = str(exc.problem or "")
    mark = exc.problem_mark
    lines = text.split("\n")
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "mapping values are not allowed" in problem:
        if ": " in line[: mark.column].lstrip():
            return "a value with ':' in it needs quotes, e.g. title: \"Twitter : le bilan\""
        return "check the indentation: a key must line up with the other keys of its mapping"
    if "'\\t'" in problem:
        return "indent with spaces: YAML does not allow tabs"
    if "end of stream" in problem or "<stream end>" in problem:
        return "a quote or a bracket opened here is never closed"
    return "check the indentation and quoting"


def load_yaml(text: str):
    return yaml.load(text, Loader=BookLoader)


def compose_yaml(text: str):
    return yaml.compose(text, Loader=BookLoader)


_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` -> date; ValueError saying what is wrong (``month 13 does not exist``)."""
    m = _DATE_RE.fullmatch(str(text).strip())
    if not m:
        raise ValueError(f"{shown(text)} is not a date like 2010-11-24")
    return checked_date(int(m[1]), int(m[2]), int(m[3]))


def checked_date(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(f"{year:04d}-{month:02d}-{day:02d}: month {month} does not exist")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{year:04d}-{month:02d}-{day:02d}: month {month} of {year} has no day {day}") from None


# ---------------------------------------------------------------- --compare

_POST_DIV = re.compile(r"^:::+ *\{[^}\n]*\.post\b[^}\n]*\bslug=", re.M)


def compare_file(path: Path, root: Path, outdir: Path) -> Path:
    """The Markdown edition of an earlier build, checked: inside the project (or the output
    folder), UTF-8 text, and made by blog2book; else a BuildError saying what to pass."""
    from blog2book.diagnostics import BuildError, read_utf8

    path = Path(path)
    loc = Location(path)
    if outside(path, root) and outside(path, outdir):  # root: the project and any --allow-outside folder
        raise BuildError([path_error("review.compare-outside-project", "--compare file", str(path), root, loc)])
    text, problem = read_utf8(path, "compare")
    if problem is not None:
        hint = "give the .md file of an earlier build (blog2book build -f md), not the PDF or EPUB"
        raise BuildError([error("review.compare-unreadable", f"cannot read the earlier build to compare with: {problem.message}", problem.location, hint)])
    if not _POST_DIV.search(text):
        raise BuildError(
            [error("review.compare-not-a-book", "this file is not the Markdown edition of a blog2book build (it has no post sections)", Location(path, 1), "give build/<name>.md from an earlier 'blog2book build -f md'")]
        )
    return path
