"""The back ends' share of the build cache (``OUTPUT_DIR/.cache``): text made from AST blocks
(pandoc's HTML, XHTML or Markdown of a piece or a chapter), kept by the hash of the blocks and of
what else made it. Best effort: a cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

from blog2book import __version__
from blog2book.infra.atomic import atomic_write, cache_has_room


def key_of(*parts) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        h.update(b"\0")
        h.update(part if isinstance(part, bytes) else json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()


def cached_text(folder: Path | None, key: str, produce: Callable[[], str]) -> str:
    if folder is not None:
        try:
            return (folder / key).read_text("utf-8")
        except OSError:
            pass
    text = produce()
    if folder is not None:
        store(folder / key, text.encode("utf-8"))
    return text


def store(path: Path, data: bytes) -> None:
    """Best effort: kept when it can be (threads may store the same key at once: each writes its own
    temporary file, ``infra/atomic.py``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if cache_has_room(path.parent):
            atomic_write(path, data)
    except OSError:
        pass
