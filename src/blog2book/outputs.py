"""Writing a build's outputs: all of them change together, or none does.

Every output is written to a temporary file beside its target (``.NAME.PID.RANDOM.tmp``) and flushed
to disk; only when all are written are they renamed over the targets, one ``rename`` each. A disk
that fills up, or an error, leaves the previous outputs as they were and no temporary behind.
Temporaries left by a build that was killed (its process is gone) are removed by the next build.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from blog2book.diagnostics import BuildError, Location, error
from blog2book.infra.atomic import temporary

STALE_AFTER = 3600  # seconds: a temporary without a live owner older than this is a killed build's


def write_outputs(rendered: list[tuple], outdir: Path) -> tuple[Path, ...]:
    """Write every (path, data[, writer]); BuildError (located, no file replaced) if one cannot be
    written. A ``writer`` (the web edition's folder, swapped in whole) runs once every file's
    temporary is written, just before the files are renamed."""
    temps: list[tuple[Path, Path]] = []
    folders: list[Path] = []
    files = [(item[0], item[1]) for item in rendered if len(item) < 3 or item[2] is None]
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(outdir, [path.name for path, _ in files])
        for path, data in files:
            temps.append((temporary(path, data), path))
        for item in rendered:
            if len(item) >= 3 and item[2] is not None:
                folders.append(item[2](item[0], item[1]))
    except BaseException as exc:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BuildError(
                [error("output.write", f"cannot write the outputs: {exc.strerror or exc}; the previous outputs are unchanged", Location(Path(exc.filename or outdir)), "free some space or choose another folder with -o")]
            ) from exc
        raise
    for tmp, path in temps:  # renames do not need space: once all are written, they all go
        os.replace(tmp, path)
    done = {path: path for _, path in temps} | {path: path for path in folders}
    return tuple(done[item[0]] for item in rendered if item[0] in done)


def remove_stale_temporaries(outdir: Path, names: list[str]) -> list[Path]:
    """Remove ``.NAME.PID.*.tmp`` files of these outputs whose build is no longer running."""
    removed = []
    for name in names:
        pattern = re.compile(rf"^\.{re.escape(name)}\.(?:(\d+)\.)?[^/]*\.tmp$")
        for tmp in outdir.glob(f".{name}.*.tmp"):
            m = pattern.match(tmp.name)
            if not m:
                continue
            pid = int(m.group(1)) if m.group(1) else None
            try:
                if pid is not None and pid != os.getpid() and _alive(pid) and time.time() - tmp.stat().st_mtime < STALE_AFTER:
                    continue  # another build writing into the same folder right now
                if pid is None and time.time() - tmp.stat().st_mtime < STALE_AFTER:
                    continue
                if pid == os.getpid():
                    continue
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
