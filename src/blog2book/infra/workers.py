"""Where pieces are laid out: local worker processes, or an existing Dask cluster.

Both are ``concurrent.futures.Executor``s; the layout only calls ``map`` and ``shutdown``.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_executor(jobs: int) -> ProcessPoolExecutor:
    """Local processes forked from this one: they start with its modules imported and see its
    module state (the transform and the EPUB's files hand work over that way). Only where
    ``can_fork()``."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"), initializer=freeze_inherited, initargs=(os.getpid(),))


DEFAULT_GC_THRESHOLDS = (700, 10, 10)  # Python's


PARENT_WATCH_SECONDS = 0.5


def watch_parent(parent: int | None = None) -> None:
    """End this process when the build's (``parent``) dies: a build killed (``kill -9``) shuts no
    pool down, and its workers would lay pieces out for no one, minutes long. A thread of the
    worker's own notices it is an orphan (its parent becomes another process) and sends itself
    SIGTERM (blog2book never handles it: the process ends at once)."""
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_WATCH_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="blog2book-watch-parent", daemon=True).start()


def freeze_inherited(parent: int | None = None) -> None:
    """A forked worker leaves what it inherited (the whole book, in a long one millions of
    objects) out of its garbage collections: they would walk it again and again, and copy its
    memory pages by writing to them. (``gc.freeze``: constant time.) It collects at Python's usual
    pace, not the build's (``pipeline._book_kept``): a WeasyPrint layout leaves cycles behind, and
    collecting them often keeps a worker's memory that of its piece."""
    gc.freeze()
    gc.set_threshold(*DEFAULT_GC_THRESHOLDS)
    watch_parent(parent)  # and it ends with the build


_INHERITED: Any = None  # what forked_map's workers inherit (fork: nothing to pickle)


def inherited() -> Any:
    """In a worker of ``forked_map``: the ``state`` it was forked with."""
    return _INHERITED


def forked_map(work: Callable[[Any], Any], items: Iterable, state: Any, jobs: int, chunksize: int = 1) -> Iterator:
    """``work(item)`` for each item, in order, in ``jobs`` processes forked from this one, which
    inherit ``state`` (read there with ``inherited()``) instead of being sent it. Only where
    ``can_fork()``."""
    global _INHERITED
    _INHERITED = state
    try:
        with fork_executor(jobs) as pool:
            yield from pool.map(work, items, chunksize=chunksize)
    finally:
        _INHERITED = None


def process_executor(jobs: int, preload: tuple[str, ...] = ()) -> Executor:
    """Local worker processes. Forked where the system can: they start with blog2book and the
    ``preload`` modules already imported (here, once: importing WeasyPrint is slow, and a long
    book's pools are renewed every ``pool.RECYCLE`` pieces)."""
    if can_fork():
        for name in preload:
            importlib.import_module(name)
        return fork_executor(jobs)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=watch_parent, initargs=(os.getpid(),))


def dask_address(spec: str) -> str:
    """``tcp://HOST:PORT`` of ``dask://HOST:PORT`` (or ``tcp://HOST:PORT``); ValueError, saying
    what is wrong, when ``spec`` names no host or no port (checked before any work is done)."""
    scheme, sep, rest = spec.partition("://")
    if not sep or scheme not in ("dask", "tcp"):
        raise ValueError("give the scheduler as dask://HOST:PORT")
    host, colon, port = rest.rstrip("/").rpartition(":")
    if not colon or not host.strip("[]") or any(c in host for c in "/?#@ "):
        raise ValueError(f"'{spec}' names no host and port: give the scheduler as dask://HOST:PORT")
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"'{port}' is not a port (a number from 1 to 65535): give the scheduler as dask://HOST:PORT")
    return f"tcp://{host}:{int(port)}"


def dask_executor(spec: str, probe: Callable[[], dict[str, str]] | None = None) -> Executor:
    """``dask://HOST:PORT`` (or ``tcp://HOST:PORT``): hand pieces to that Dask scheduler, once every
    worker gives ``probe()`` what this machine gives (``infra/cluster.py``)."""
    from blog2book.infra.cluster import connect

    return connect(dask_address(spec), probe)
