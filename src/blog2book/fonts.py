"""The book faces: ``fontpkg:`` URLs -> font files, variable fonts instanced once per machine.

A style names its faces with ``fontpkg:PACKAGE/FILE.ttf?wght=400&opsz=11``. The file comes from the
installed font package; with a query, the variable font is instanced into a static font (WeasyPrint
subsets a static font in milliseconds, but re-instances a variable one on every build).

Instances (``fontinstance.py``: HarfBuzz's, in milliseconds; fontTools' without it) are cached under
``$XDG_CACHE_HOME/blog2book/fonts`` (else ``~/.cache``), keyed by content: the source file's SHA-256,
the axes, the instancer and its version, and ``INSTANCE_VERSION``. An instance is byte-identical on
every machine and at any time (the source's ``head`` dates are kept), so the PDF does not depend on
the cache's age. A cache that cannot be written is replaced by a temporary one for the run; a face
is never taken from the machine.

``prepare`` makes every missing face of the style up front, with a progress line: in the build's
process with HarfBuzz, in worker processes side by side with fontTools' slower instancer.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib.util
import os
import shutil
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import parse_qs, unquote

from blog2book.infra.atomic import MIN_FREE_BYTES, atomic_write
from blog2book.diagnostics import BuildError, Location, error
from blog2book.fontinstance import FastInstancingUnavailable, fast_otl_check, in_workers, instancer, make_instance

INSTANCE_VERSION = "3"  # bump when the instancing changes


# ---------------------------------------------------------------- where things are

def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "blog2book"


_TEMP_CACHES: dict[Path, Path] = {}


def cache_dir() -> Path:
    """The font cache folder; a temporary one (removed at exit) when it cannot be written."""
    wanted = cache_root() / "fonts"
    if wanted in _TEMP_CACHES:
        return _TEMP_CACHES[wanted]
    parent_wanted, _, inherited = os.environ.get("BLOG2BOOK_FONT_CACHE", "").rpartition(os.pathsep)
    if parent_wanted == str(wanted) and Path(inherited).is_dir():  # a parent's temporary cache, for its workers
        return Path(inherited)
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=wanted, prefix=".probe-"):
            pass
        if shutil.disk_usage(wanted).free < MIN_FREE_BYTES:
            raise OSError("disk almost full")
        return wanted
    except OSError:
        temp = Path(tempfile.mkdtemp(prefix="blog2book-fonts-"))
        atexit.register(shutil.rmtree, temp, True)
        _TEMP_CACHES[wanted] = temp
        os.environ["BLOG2BOOK_FONT_CACHE"] = f"{wanted}{os.pathsep}{temp}"  # worker processes use it too
        return temp


def parse_url(url: str) -> tuple[Path | None, dict[str, float]]:
    """``fontpkg:package/File.ttf?wght=400`` -> (the file in the installed package or None, axes)."""
    rest, _, query = url.split(":", 1)[1].lstrip("/").partition("?")
    package, _, filename = rest.partition("/")
    try:
        axes = {k: float(v[0]) for k, v in sorted(parse_qs(query, strict_parsing=bool(query)).items())}
    except ValueError:
        return None, {}
    spec = importlib.util.find_spec("fontpkg_" + package.replace("-", "_")) if package.replace("-", "").isalnum() else None
    if spec is None or not spec.submodule_search_locations:
        return None, axes
    files = (Path(list(spec.submodule_search_locations)[0]) / "files").resolve()
    path = (files / unquote(filename)).resolve()
    if not path.is_relative_to(files) or not path.is_file():
        return None, axes
    return path, axes


@functools.cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def instance_path(path: Path, axes: dict[str, float]) -> Path:
    """Where the instance of ``path`` at ``axes`` is cached: named by its content key."""
    st = path.stat()
    tag = "-".join(f"{k}{v:g}" for k, v in sorted(axes.items()))
    key = hashlib.sha256(f"{_digest(path, st.st_size, st.st_mtime_ns)}|{tag}|{instancer()}|{INSTANCE_VERSION}".encode()).hexdigest()[:20]
    return cache_dir() / f"{path.stem.split('[')[0]}-{tag}-{key}.ttf"


def font_file(url: str) -> Path | None:
    """The font file for a ``fontpkg:`` URL (instanced and cached when it has axes), or None."""
    path, axes = parse_url(url)
    if path is None:
        return None
    return instance(path, axes) if axes else path


# ---------------------------------------------------------------- instancing

def instance(path: Path, axes: dict[str, float]) -> Path:
    out = instance_path(path, axes)
    if out.is_file():
        return out
    atomic_write(out, make_instance(path, axes))
    return out


def _instance_job(job: tuple[str, dict[str, float]]) -> str:
    path, axes = job
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FastInstancingUnavailable)  # ``prepare`` said it
        return str(instance(Path(path), axes))


def prepare(faces: list[tuple[str, Location]], phases=None) -> None:
    """Make sure every face exists, instancing the missing ones in parallel worker processes.

    ``faces`` are (fontpkg URL, where the style declares it). A face that is not in the installed
    packages, or that fontTools cannot read, is a located error: a book never falls back to the
    machine's fonts."""
    problems = []
    todo: dict[Path, tuple[Path, dict[str, float], Location]] = {}
    for url, loc in faces:
        path, axes = parse_url(url)
        if path is None:
            problems.append(error("style.font-missing", f"no font file for {url} in the installed font packages", loc, "check the package and file name (pip show fontpkg-…), or reinstall blog2book"))
            continue
        if axes:
            out = instance_path(path, axes)
            if not out.is_file():
                todo.setdefault(out, (path, axes, loc))
    if problems:
        raise BuildError(problems)
    if not todo:
        return
    jobs = list(todo.values())
    if phases is not None:
        phases(f"preparing {len(jobs)} font face(s), once for this machine")
    workers = min(len(jobs), os.cpu_count() or 1) if in_workers() else 1
    if workers > 1:
        fast_otl_check()  # a fontTools the fast path cannot use is said here, once, not by each worker
    failures = []
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_instance_job, (str(path), axes)): (path, axes, loc) for path, axes, loc in jobs}
            for done, future in enumerate(as_completed(futures), start=1):
                _collect(future.result, futures[future], failures)
                if phases is not None:
                    phases.step(done, len(jobs), "font faces")
    else:
        for done, job in enumerate(jobs, start=1):
            _collect(lambda: instance(job[0], job[1]), job, failures)
            if phases is not None:
                phases.step(done, len(jobs), "font faces")
    if failures:
        raise BuildError(failures)


def _collect(result, job, failures: list) -> None:
    path, axes, loc = job
    try:
        result()
    except Exception as exc:  # fontTools raises many kinds on a damaged file; the face is what failed
        failures.append(error("style.font-unreadable", f"cannot make the face {path.name} {axes}: {type(exc).__name__}: {exc}", loc, "reinstall the font package; a damaged font cannot be used"))
