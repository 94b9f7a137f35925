"""Files and folders replaced whole: a reader sees the old one or the new one, never a part.

A file is written to a temporary file beside it, unique to the process and the thread
(``.NAME.PID.RANDOM.tmp``, ``tempfile.mkstemp``), given the mode a plain ``open`` would give it,
then renamed over it; on any failure the temporary is removed and the file is unchanged. The
build's outputs (``outputs.py``), the caches, the font instances and the posts' catalogue all
write this way. Caches write only while the disk keeps ``MIN_FREE_BYTES`` free.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO, Iterator

MIN_FREE_BYTES = 64 * 1024 * 1024  # a cache never takes the last 64 MB of a disk


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _umask()  # read once, at import: reading it sets it for a moment, which threads would see


@contextlib.contextmanager
def writing(path: Path, sync: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; ``path`` is replaced when the block ends
    without an exception (``sync``: flushed to the disk first), and untouched otherwise."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes | str, sync: bool = False) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8)."""
    with writing(path, sync) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def temporary(path: Path, data: bytes) -> Path:
    """``data`` written and flushed to a temporary file beside ``path``, for a caller that renames
    several files together once all are written (``outputs.write_outputs``)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(name, 0o666 & ~UMASK)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def cache_has_room(folder: Path) -> bool:
    """A cache writes only while the disk keeps ``MIN_FREE_BYTES`` free (a cache is an optimisation:
    it must never be what fills a disk)."""
    try:
        probe = folder if folder.exists() else folder.parent
        return shutil.disk_usage(probe).free >= MIN_FREE_BYTES
    except OSError:
        return False


def write_folder(path: Path, data: bytes) -> Path:
    """Unpack the zip ``data`` into a new folder next to ``path``, then swap it in: a reader sees
    the old edition or the new one, never a half-written one (the old folder is removed after)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    old: Path | None = None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            z.extractall(tmp)
        for p in [tmp, *tmp.rglob("*")]:
            os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~UMASK)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
            os.replace(path, old / "x")
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "x").exists() and not path.exists():
            os.replace(old / "x", path)  # put the previous edition back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return path
