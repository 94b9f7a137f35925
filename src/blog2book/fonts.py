"""The book faces: ``fontpkg:`` URLs -> font files, variable fonts instanced once per machine.

A style names its faces with ``fontpkg:PACKAGE/FILE.ttf?wght=400&opsz=11``. The file comes from the
installed font package; with a query, the variable font is instanced into a static font (WeasyPrint
subsets a static font in milliseconds, but re-instances a variable one on every build).

Instances are cached under ``$XDG_CACHE_HOME/blog2book/fonts`` (else ``~/.cache``), keyed by content:
the source file's SHA-256, the axes, fontTools' version and ``INSTANCE_VERSION``. An instance is
byte-identical on every machine and at any time (the source's ``head`` dates are kept), so the PDF
does not depend on the cache's age. A cache that cannot be written is replaced by a temporary one
for the run; a face is never taken from the machine.

Instancing is the slow part of a first build: ``prepare`` instances every missing face of the style
up front, in worker processes, with progress; ``_fast_otl`` applies the GPOS/GDEF deltas in place
instead of fontTools' generic merger (several times faster, same kerning and anchors; see the tests).
It calls private functions of fontTools' instancer: ``_fast_otl_problem`` checks that they are there
and take the arguments it passes before any is used; with a fontTools that lacks one, the faces are
instanced by fontTools' public instancer and a warning says so once.
"""

from __future__ import annotations

import atexit
import contextlib
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

INSTANCE_VERSION = "2"  # bump when the instancing changes


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
    import fontTools

    st = path.stat()
    tag = "-".join(f"{k}{v:g}" for k, v in sorted(axes.items()))
    key = hashlib.sha256(f"{_digest(path, st.st_size, st.st_mtime_ns)}|{tag}|{fontTools.version}|{INSTANCE_VERSION}".encode()).hexdigest()[:20]
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


def make_instance(path: Path, axes: dict[str, float]) -> bytes:
    """The static instance's bytes: the same on every machine, whatever the time."""
    import io

    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(path, recalcTimestamp=False)
    with _fast_otl_patched(instancer) if _fast_otl_problem() is None else contextlib.nullcontext():
        font = instancer.instantiateVariableFont(font, axes, inplace=True, updateFontNames=False)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# What ``_fast_otl`` calls in fontTools' instancer, as it calls it: positional arguments, keywords.
# Two are private (``_iterLookupVariationConditions``, ``_instantiateBASE``) and ``instantiateOTL``
# is replaced during an instancing: none is used before ``_fast_otl_problem`` found them all.
_FAST_OTL_CALLS = {
    "instantiateOTL": (2, ()),
    "_iterLookupVariationConditions": (1, ()),
    "_instantiateBASE": (2, ()),
    "instantiateItemVariationStore": (3, ("conditionValues",)),
    "instantiateLookupVariationConditionValues": (3, ("done",)),
}


class FastInstancingUnavailable(RuntimeWarning):
    """This fontTools lacks what the fast path needs: faces are instanced by its public path."""


@functools.cache
def _fast_otl_problem() -> str | None:
    """Why ``_fast_otl`` cannot run with the installed fontTools, or None when it can; said once,
    as a ``FastInstancingUnavailable`` warning. The instances are then fontTools' own (other bytes,
    cached under other names: the cache key holds fontTools' version)."""
    import inspect

    import fontTools
    from fontTools.varLib import instancer

    problem = None
    try:
        from fontTools.misc.roundTools import otRound  # noqa: F401
        from fontTools.ttLib.tables import otBase, otTables  # noqa: F401
        from fontTools.ttLib.tables.otTraverse import dfs_base_table  # noqa: F401
    except ImportError as exc:
        problem = str(exc)
    for name, (positional, keywords) in _FAST_OTL_CALLS.items():
        if problem is not None:
            break
        try:
            inspect.signature(getattr(instancer, name, None)).bind(*[None] * positional, **dict.fromkeys(keywords))
        except (TypeError, ValueError):
            problem = f"fontTools.varLib.instancer.{name} is missing or takes other arguments"
    if problem is not None:
        warnings.warn(
            f"fontTools {fontTools.version}: {problem}; blog2book instances the variable faces with fontTools' "
            "public instancer instead (the same kerning and anchors, several times slower, once per machine). "
            f"Report it to blog2book; an earlier fontTools (pip install 'fonttools<{fontTools.version}') brings "
            "the fast instancing back.",
            FastInstancingUnavailable,
            stacklevel=2,
        )
    return problem


@contextlib.contextmanager
def _fast_otl_patched(instancer):
    original = instancer.instantiateOTL

    def fast(varfont, limits):
        try:
            _fast_otl(varfont, limits, instancer)
        except _NotSimple:
            original(varfont, limits)

    instancer.instantiateOTL = fast
    try:
        yield
    finally:
        instancer.instantiateOTL = original


class _NotSimple(Exception):
    """The font needs fontTools' general path (MATH or JSTF tables, a partial instance…)."""


def _fast_otl(varfont, limits, instancer) -> None:
    """Pin GDEF/GPOS variations at ``limits`` by adding each value's delta where it stands.

    fontTools' ``instantiateOTL`` runs its merger, which also re-joins kerning subtables split when
    the font was built (canonicalising and deep-copying class matrices: most of its time). A static
    instance does not need that; the values are the same. Only for a full instance."""
    from fontTools.misc.roundTools import otRound
    from fontTools.ttLib.tables import otBase, otTables as ot
    from fontTools.ttLib.tables.otTraverse import dfs_base_table

    gdef = varfont["GDEF"].table if "GDEF" in varfont else None
    if gdef is None or gdef.Version < 0x00010003 or not gdef.VarStore or "MATH" in varfont or "JSTF" in varfont:
        raise _NotSimple
    if any(getattr(gdef, f"{name}2", None) is not None for name in ("GlyphClassDef", "AttachList", "LigCaretList", "MarkAttachClassDef", "MarkGlyphSetsDef")):
        raise _NotSimple
    store = gdef.VarStore
    conditions = [c for c in instancer._iterLookupVariationConditions(varfont) if c.Format == 2]
    instancer._instantiateBASE(varfont, limits)
    deltas = instancer.instantiateItemVariationStore(store, varfont["fvar"].axes, limits, conditionValues=conditions)
    if store.VarRegionList.Region:
        raise RuntimeError("the instance is not static")  # every axis is pinned: cannot happen

    def delta(dev) -> int:
        return otRound(deltas[(dev.StartSize << 16) + dev.EndSize])

    def fix_value(rec) -> None:
        for name, dname in (("XAdvance", "XAdvDevice"), ("YAdvance", "YAdvDevice"), ("XPlacement", "XPlaDevice"), ("YPlacement", "YPlaDevice")):
            dev = getattr(rec, dname, None)
            if dev is not None and dev.DeltaFormat == 0x8000:
                setattr(rec, name, getattr(rec, name, 0) + delta(dev))
            if hasattr(rec, dname) and (dev is None or dev.DeltaFormat == 0x8000):
                delattr(rec, dname)

    for tag in ("GDEF", "GPOS"):
        if tag not in varfont:
            continue
        for path in dfs_base_table(varfont[tag].table):
            table = path[-1].value
            if isinstance(table, (ot.Anchor, ot.CaretValue)):
                if table.Format != 3:
                    continue
                coords = (("XCoordinate", "XDeviceTable"), ("YCoordinate", "YDeviceTable")) if isinstance(table, ot.Anchor) else (("Coordinate", "DeviceTable"),)
                keep = False
                for name, dname in coords:
                    dev = getattr(table, dname, None)
                    if dev is not None and dev.DeltaFormat == 0x8000:
                        setattr(table, name, getattr(table, name) + delta(dev))
                        delattr(table, dname)
                    elif dev is not None:
                        keep = True  # a hinting device table: kept, and the format with it
                    elif hasattr(table, dname):
                        delattr(table, dname)
                if not keep:
                    table.Format = 1
                continue
            for value in vars(table).values():
                if isinstance(value, otBase.ValueRecord):
                    fix_value(value)
                elif isinstance(value, list) and value and isinstance(value[0], otBase.ValueRecord):
                    for rec in value:
                        fix_value(rec)
    instancer.instantiateLookupVariationConditionValues(varfont, deltas, {}, done=set())
    del gdef.VarStore
    gdef.Version = 0x00010002
    if gdef.MarkGlyphSetsDef is None:
        del gdef.MarkGlyphSetsDef
        gdef.Version = 0x00010000


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
    _fast_otl_problem()  # a fontTools the fast path cannot use is said here, once, not by each worker
    workers = min(len(jobs), os.cpu_count() or 1)
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
