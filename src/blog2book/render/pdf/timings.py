"""Per-piece layout times, for planning a cluster on paper (``bench/plan.py``); off by default.

With ``BLOG2BOOK_TIMINGS=FILE`` in the environment, each piece's layout (in whatever process lays
it out: it inherits the variable) appends one JSON line to FILE: ``{"event": "piece", "key",
"wall", "cpu", "pages", "renumbered", "pid"}``; the layout's passes append one line per batch of
pieces given to the workers together (``{"event": "batch", "layout", "pass", "batch", "keys" (in
the order given), "hits" (pieces taken from the cache), "workers", "wall"}``), a batch's pieces
being all done before the next batch starts. Each line is one ``write`` to a file opened for
appending, so lines of processes writing at once are not mixed. Without the variable nothing is
measured or written (one environment look-up per piece). The file is a measurement, not an
output: it is not written atomically, and a write that fails is ignored.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from collections.abc import Iterator

ENV = "BLOG2BOOK_TIMINGS"


def enabled() -> bool:
    return bool(os.environ.get(ENV))


def record(event: dict) -> None:
    """Append ``event`` as one JSON line to the timings file (nothing without the variable)."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    except OSError:
        pass


@contextmanager
def clock() -> Iterator[dict]:
    """Yields a dict that holds ``wall`` and ``cpu`` (this process's seconds) once the block ends."""
    out: dict = {}
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield out
    finally:
        out["wall"] = round(time.perf_counter() - wall, 4)
        out["cpu"] = round(time.process_time() - cpu, 4)
