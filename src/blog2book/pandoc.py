"""The one wrapper around the pandoc binary shipped by pypandoc-binary.

Every call is a subprocess with the document on stdin; no call may read a file or fetch a URL
on its own (no --resource-path, no --extract-media, sandboxed with ``--sandbox``).
"""

from __future__ import annotations

import functools
import json
import subprocess
from typing import Any

from blog2book.diagnostics import BuildError, error

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


def run(args: list[str], text: str) -> str:
    """Run pandoc with ``args`` on ``text`` and return its stdout."""
    proc = subprocess.run(
        [pandoc_path(), "--sandbox", *args],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit code {proc.returncode}"
        raise BuildError([error("pandoc.failed", f"pandoc failed: {message}")])
    return proc.stdout.decode("utf-8")


def to_ast(markdown: str, reader: str = READ_MARKDOWN) -> dict[str, Any]:
    """Parse Pandoc Markdown into the pandoc JSON document."""
    return json.loads(run(["-f", reader, "-t", "json"], markdown))


def from_ast(doc: dict[str, Any], to: str, *args: str) -> str:
    """Write a pandoc JSON document to the format ``to``."""
    return run(["-f", "json", "-t", to, *args], json.dumps(doc, ensure_ascii=False))


def document(blocks, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pandoc-api-version": api_version(), "meta": meta or {}, "blocks": list(blocks)}
