"""The whole-book cache: the prepared book (every phase up to the Book) and the EPUB and Markdown
made from it, kept under the build cache (``OUTPUT_DIR/.cache/book``) and reused while nothing they
are made from has changed.

Their key is a digest of everything a build reads: the content of every file of the project (the
output folder and version-control folders left out), the style's folder, blog2book's own code and
styles, the pandoc binary, the options, today's date (a copyright page may print it) and
``SOURCE_DATE_EPOCH``. A file's content digest is kept with its size and modification time (as git
does): a file whose size or time changed is read and hashed again, one that looks untouched is not.

Best effort, like every cache of the build: a cache file that cannot be read, written or unpickled
costs time, never a crash; a project too large to fingerprint quickly is simply not cached.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import gc
import hashlib
import os
import pickle
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

FORMAT = "1"  # bump when what is stored changes
MAX_FILES = 100_000  # a "project" larger than this is not fingerprinted (a manuscript in a home folder…)
SKIPPED_FOLDERS = frozenset((".git", ".hg", ".svn", "__pycache__", "node_modules", ".tox"))  # and builds' caches, virtualenvs
_RACY_SECONDS = 2.0  # a file modified this recently may change again within its time stamp's tick


def _proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType):
    return _proxy, (dict(proxy),)


def _dump(obj: Any, fh) -> None:
    pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[MappingProxyType] = _reduce_proxy  # SourcePost.meta, Selection.comments
    pickler.dump(obj)


@contextmanager
def no_gc():
    """Unpickling a book makes millions of small objects: the cycle collector would scan them many
    times over, for no cycle to find."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ---------------------------------------------------------------- fingerprints


class Digests:
    """Content digests of files, remembered with their size and time (``stat-index`` in the cache)."""

    def __init__(self, folder: Path | None):
        self._file = folder / "stat-index.pickle" if folder is not None else None
        self._known: dict[str, tuple] = {}
        self._seen: dict[str, tuple] = {}
        if self._file is not None:
            try:
                with open(self._file, "rb") as fh:
                    known = pickle.load(fh)
                if isinstance(known, dict):
                    self._known = known
            except Exception:  # a cache that cannot be read only costs time
                self._known = {}
        self._now = time.time()

    def of(self, path: str, st: os.stat_result) -> str:
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        known = self._known.get(path)
        if known is not None and known[0] == stamp:
            self._seen[path] = known
            return known[1]
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        digest = h.hexdigest()
        if self._now - st.st_mtime_ns / 1e9 > _RACY_SECONDS:  # else: hashed again next time
            self._seen[path] = (stamp, digest)
        return digest

    def save(self) -> None:
        if self._file is not None and self._file.parent.parent.is_dir() and self._seen != self._known:  # never creates the cache
            _write(self._file, pickle.dumps(self._seen, protocol=pickle.HIGHEST_PROTOCOL))


class TooLarge(Exception):
    pass


def _tree(h, folder: Path, digests: Digests, skip: tuple[Path, ...], budget: list[int], contents: bool = True) -> None:
    """Feed ``h`` with every file under ``folder`` (relative name, content digest), in a stable order."""
    h.update(f"\0tree {folder}\0".encode("utf-8", "surrogateescape"))
    skipped = {str(p) for p in skip}
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIPPED_FOLDERS and os.path.join(top, d) not in skipped and not _is_build_cache(top, d)
        )
        for name in sorted(files):
            path = os.path.join(top, name)
            budget[0] -= 1
            if budget[0] < 0:
                raise TooLarge(folder)
            try:
                st = os.stat(path)
                digest = digests.of(path, st) if contents else f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                digest = "unreadable"
            h.update(f"{os.path.relpath(path, folder)}\0{digest}\n".encode("utf-8", "surrogateescape"))


def _is_build_cache(top: str, name: str) -> bool:
    """A build's ``.cache`` (another output folder inside the project) or a Python virtualenv: not
    the author's files, and thousands of them."""
    folder = os.path.join(top, name)
    if name != ".cache":
        return os.path.exists(os.path.join(folder, "pyvenv.cfg"))
    return any(os.path.exists(os.path.join(folder, mark)) for mark in ("book", "posts", "sources.pickle"))


def book_key(spec, style: Path, outdir: Path, drafts: bool, cache_dir: Path | None) -> str | None:
    """The digest of everything ``pipeline.prepare`` reads, or None (no caching) when it cannot be had."""
    if cache_dir is None:
        return None
    from blog2book import __version__

    try:
        from blog2book.pandoc import pandoc_path

        pandoc = Path(pandoc_path())
        pst = pandoc.stat()
        tool = f"{pandoc}:{pst.st_size}:{pst.st_mtime_ns}"
    except Exception:
        tool = "no pandoc"
    h = hashlib.sha256()
    h.update(repr((FORMAT, __version__, sys.version, tool, bool(drafts), str(spec.path), dt.date.today().isoformat(), os.environ.get("SOURCE_DATE_EPOCH", ""))).encode())
    digests = Digests(cache_dir / "book")
    budget = [MAX_FILES]
    skip = (Path(outdir).resolve(),)
    try:
        _tree(h, Path(spec.root).resolve(), digests, skip, budget)
        style = Path(style).resolve()
        allowed = tuple(spec.allowed)  # --allow-outside folders: read as the project is
        h.update(repr(allowed).encode())
        for folder in dict.fromkeys((*allowed, style.parent, _package_dir())):  # the style, its siblings, blog2book's code and styles
            if not folder.is_relative_to(Path(spec.root).resolve()):
                _tree(h, folder, digests, skip, budget)
    except (TooLarge, OSError, RecursionError):
        return None
    digests.save()
    return h.hexdigest()


_CODE_KEY: list[str] = []


def code_key() -> str:
    """blog2book's version and the names, sizes and times of its files (once per process): a
    cache of parsed or transformed text is not reused by other code."""
    if not _CODE_KEY:
        from blog2book import __version__

        h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
        try:
            _tree(h, _package_dir(), Digests(None), (), [MAX_FILES], contents=False)
        except (TooLarge, OSError):
            pass
        _CODE_KEY.append(h.hexdigest())
    return _CODE_KEY[0]


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def font_key() -> str:
    """The instanced fonts on this machine (names, sizes and times): a cover or an EPUB may embed them.
    The EPUB's subsets kept beside them are made from them (and written by the build being keyed):
    not counted."""
    from blog2book.fonts import cache_root

    h = hashlib.sha256()
    folder = cache_root() / "fonts"
    if folder.is_dir():
        try:
            _tree(h, folder, Digests(None), (folder / "epub-subsets",), [MAX_FILES], contents=False)
        except (TooLarge, OSError):
            return "unknown"
    return h.hexdigest()


def render_key(book_key: str, fmt: str, settings: dict) -> str:
    """An output's key: the book's, the format, the settings it is rendered with (as their repr:
    dataclasses and tuples, stable from run to run) and the fonts it may embed."""
    h = hashlib.sha256(f"{FORMAT}\0{book_key}\0{fmt}\0{font_key()}\0".encode())
    h.update(repr(sorted(settings.items())).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


# ---------------------------------------------------------------- records: a key, then the payload


def load(path: Path, key: str | None):
    """The payload stored at ``path`` under ``key``, or None."""
    if key is None:
        return None
    try:
        with open(path, "rb") as fh:
            if pickle.load(fh) != key:
                return None
            with no_gc():
                return pickle.load(fh)
    except Exception:  # missing, truncated, from another version: rebuilt
        return None


def holds(path: Path, key: str | None) -> bool:
    """Whether ``path`` is a record stored under ``key`` (its payload is not read)."""
    if key is None:
        return False
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh) == key
    except Exception:
        return False


def store(path: Path, key: str | None, payload: Any) -> None:
    """The key, then the payload, pickled straight into a temporary file that replaces ``path``: a
    long book is never held a second time in memory as bytes. Best effort (no room, a payload
    that does not pickle: not cached)."""
    from blog2book.infra.atomic import cache_has_room, writing

    if key is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not cache_has_room(path.parent):
            return
        with writing(path) as fh:
            pickle.dump(key, fh, protocol=pickle.HIGHEST_PROTOCOL)
            _dump(payload, fh)
    except Exception:  # no room, a payload that does not pickle, no folder to hold it: not cached
        pass


def _write(path: Path, data: bytes) -> None:
    from blog2book.infra.cache import store as store_file

    store_file(path, data)
