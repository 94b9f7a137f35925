"""The one wrapper around the pandoc binary shipped by pypandoc-binary.

Every call is a subprocess with the document on stdin; no call may read a file or fetch a URL
on its own (no --resource-path, no --extract-media, sandboxed with ``--sandbox``).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from typing import Any

from blog2book.diagnostics import BuildError, Location, error

# Pandoc Markdown as the posts are written: smart quotes off (our typography pass owns quotes).
READ_MARKDOWN = "markdown-smart"
WRITE_MARKDOWN = "markdown-smart"


@functools.cache
def pandoc_path() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception as exc:  # pragma: no cover - install problem
        raise BuildError(
            [error("pandoc.missing", f"pandoc is not available ({exc}); reinstall blog2book with its dependencies")]
        ) from exc


@functools.cache
def api_version() -> list[int]:
    return to_ast("")["pandoc-api-version"]


TIME_LIMIT = float(os.environ.get("BLOG2BOOK_PANDOC_TIMEOUT", "120"))  # seconds per pandoc call
MAX_AST_DEPTH = 150  # nested elements in a parsed document (our walkers and json stay far from limits)


def run(args: list[str], text: str) -> str:
    """Run pandoc with ``args`` on ``text`` and return its stdout; at most ``TIME_LIMIT`` seconds."""
    return run_bytes(args, text).decode("utf-8")


def run_bytes(args: list[str], text: str) -> bytes:
    """``run`` for a binary output (a DOCX written to stdout, a default data file)."""
    try:
        proc = subprocess.run(
            [pandoc_path(), "--sandbox", *args],
            input=text.encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=TIME_LIMIT,
        )
    except subprocess.TimeoutExpired:
        raise BuildError(
            [error("pandoc.timeout", f"pandoc took more than {TIME_LIMIT:g} s and was stopped", hint="simplify the deepest or longest structure of the text (set BLOG2BOOK_PANDOC_TIMEOUT to allow more)")]
        ) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit code {proc.returncode}"
        raise BuildError([error("pandoc.failed", f"pandoc failed: {message}")])
    return proc.stdout


def to_ast(markdown: str, reader: str = READ_MARKDOWN) -> dict[str, Any]:
    """Parse Pandoc Markdown into the pandoc JSON document.

    Nesting is bounded before parsing (``guard.too_deep``: the error's location has the line in
    ``markdown``) and after (``MAX_AST_DEPTH``: nested emphasis, brackets, HTML divs)."""
    from blog2book import guard

    deep = guard.too_deep(markdown)
    if deep is not None:
        raise BuildError([_too_deep(deep, f"block quotes or lists are nested more than {guard.MAX_NESTING} levels deep")])
    try:
        doc = json.loads(run(["-f", reader, "-t", "json"], markdown))
    except RecursionError:
        doc = None
    if doc is None or depth(doc["blocks"]) > MAX_AST_DEPTH:
        raise BuildError([_too_deep(None, f"the text nests elements more than {MAX_AST_DEPTH} levels deep (emphasis, links, HTML blocks…)")])
    return doc


def _too_deep(line: int | None, message: str):
    return error("pandoc.too-deep", message, Location(None, line), "flatten the structure; a book cannot show that many levels")


def depth(node: Any) -> int:
    """How deeply ``node`` nests (lists and dicts), without recursion. A word or a space (an
    element whose content is text or nothing: most of a text) is counted without being visited."""
    deepest = 0
    stack = [(node, 1)]
    leaf = (str, type(None))
    while stack:
        item, d = stack.pop()
        if d > deepest:
            deepest = d
        below = d + 1
        for v in item.values() if type(item) is dict else item:
            kind = type(v)
            if kind is dict:
                if len(v) <= 2 and type(v.get("c")) in leaf and type(v.get("t", "")) is str:
                    if below > deepest:
                        deepest = below
                    continue
                stack.append((v, below))
            elif kind is list:
                stack.append((v, below))
    return deepest


# pandoc's runtime sized for a chapter: with its own setting (-H64m) it spends much of its time
# collecting garbage while it reads a chapter's JSON; a 32 MB allocation area makes it collect less
# often (the best of the sizes tried: bench/RESULTS.md). The output is the same: only the runtime's
# memory changes.
RTS = ["+RTS", "-A32m", "-RTS"]


@functools.cache
def runtime_options() -> tuple[str, ...]:
    """``RTS`` when this pandoc accepts runtime options (a pandoc built without them refuses)."""
    try:
        ok = subprocess.run([pandoc_path(), *RTS, "--version"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return tuple(RTS) if ok else ()


def from_ast(doc: dict[str, Any], to: str, *args: str) -> str:
    """Write a pandoc JSON document to the format ``to``."""
    return run(["-f", "json", "-t", to, *args], json.dumps(doc, ensure_ascii=False))


def document(blocks, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pandoc-api-version": api_version(), "meta": meta or {}, "blocks": list(blocks)}
