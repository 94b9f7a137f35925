"""A Dask cluster as an executor: connected, checked, sent the files the work reads by content.

Workers of a real cluster share no file with the client (another machine, another HOME). So what a
task reads is sent as bytes, named by their SHA-256 (``share``): each worker is sent each file once,
by ``client.run``, checks it against its name and keeps it in memory while the build lasts (a
content store keyed by digest, ``kept``); a task carries the digests only. Before
any work, every worker is asked what it runs (``agree``: a probe run on each worker by
``client.run``); a worker that differs from the client, or cannot run the probe (blog2book not
installed), refuses the cluster, naming the worker and the difference. A worker lost mid-build costs
its tasks, which Dask gives to another worker (they are pure); a worker that joins later is sent the
files when a task finds them missing. A scheduler lost mid-build ends the build with a message.

Nothing here knows what a piece is: the PDF's layout (``render/pdf/layout.py``) says what to send and
what to run.
"""

from __future__ import annotations

import hashlib
import logging
from concurrent.futures import CancelledError, Executor
from typing import Callable

from blog2book.diagnostics import BuildError, error

CONNECT_SECONDS = 10  # to reach the scheduler, and for it to have a worker
STALL_SECONDS = 5  # a build waiting this long for its tasks checks that the files they need still exist
RESENDS = 3  # times the files of a task are sent again when the workers holding them were lost
HINT = "start the scheduler and its workers (see the README, 'Big books'), or build without --executor"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DaskExecutor(Executor):
    """A Dask client's executor that closes its client when shut down; ``share`` sends files by
    content."""

    def __init__(self, client, address: str):
        self._client = client
        self._executor = client.get_executor(pure=False)  # a task given again is run again, not its failure read back
        self.address = address
        self._sent: set[str] = set()  # digests every worker was sent

    def submit(self, fn, /, *args, **kwargs):
        return self._executor.submit(fn, *args, **kwargs)

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        return self._executor.map(fn, *iterables, timeout=timeout)

    def shutdown(self, wait=True, *, cancel_futures=False):
        """The client closed: the tasks it still had (a build that failed) are let go by the
        scheduler; the results it needed are already here. The workers forget the files."""
        try:
            self._executor.shutdown(wait=False)
            if self._sent and self.alive():
                self._client.run(forget, sorted(self._sent), on_error="return")
        except Exception:  # a worker or the scheduler already gone: nothing to forget there
            pass
        finally:
            self._client.close()

    def share(self, digests, load: Callable[[str], bytes]) -> None:
        """Every worker keeps the bytes of ``digests`` (``load(digest)`` reads them, only for the
        ones not sent yet): each is sent once to each worker, straight from the client, and
        checked there against its name (``keep``)."""
        missing = [d for d in dict.fromkeys(digests) if d not in self._sent]
        if not missing:
            return
        try:
            answers = self._client.run(keep, {d: load(d) for d in missing}, on_error="return")
        except Exception as exc:  # the scheduler lost
            raise self.lost(exc) from exc
        for worker, answer in sorted(answers.items()):
            if isinstance(answer, OSError):  # a worker lost meanwhile: its pieces go to the others
                continue
            if isinstance(answer, BaseException) or answer:
                raise BuildError([error("executor.worker-broken", f"worker {worker} could not keep the files it is sent: {answer if isinstance(answer, BaseException) else 'their bytes are not their SHA-256'}", hint=HINT)])
        self._sent.update(missing)

    def resend(self) -> None:
        """A worker lacked files (it joined after they were sent): the next ``share`` sends them to every worker."""
        self._sent.clear()

    def alive(self) -> bool:
        return self._client.status == "running"

    def lost(self, exc: BaseException) -> BuildError:
        what = "lost the Dask scheduler" if not self.alive() else "lost the workers of the Dask scheduler"
        return BuildError([error("executor.lost", f"{what} at {self.address} during the build ({type(exc).__name__}: {exc or 'cancelled'})", hint=HINT + "; the previous outputs are unchanged")])


def connect(address: str, probe: Callable[[], dict[str, str]] | None = None) -> DaskExecutor:
    """A client of the scheduler at ``address`` (``tcp://HOST:PORT``) with at least one worker, whose
    every worker gives ``probe()`` what it gives here (BuildError naming the worker otherwise)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise BuildError([error("executor.missing", "--executor dask://… needs Dask's distributed package", hint="pip install 'blog2book[dask]'")]) from exc

    # Dask's own log lines (a lost connection's traceback) are not the author's: what matters is reported
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise BuildError([error("executor.unreachable", f"cannot reach the Dask scheduler at {address}: {exc}", hint=HINT)]) from exc
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise BuildError([error("executor.no-workers", f"the Dask scheduler at {address} has no worker (waited {CONNECT_SECONDS} s)", hint=HINT)]) from exc
        if probe is not None:
            agree(client, probe, address)
    except BaseException:
        client.close()
        raise
    return DaskExecutor(client, address)


def agree(client, probe: Callable[[], dict[str, str]], address: str) -> None:
    """Every worker's ``probe()``, and the scheduler's, is the client's, or BuildError: one error per
    worker that differs (what, its value and the client's) or cannot run it."""
    ours = probe()
    try:
        theirs = client.run(probe, on_error="return")
    except (OSError, TimeoutError) as exc:
        raise BuildError([error("executor.unreachable", f"cannot ask the workers of {address} what they run: {exc}", hint=HINT)]) from exc
    try:  # the scheduler reads the tasks too (it unpickles them): it needs the same blog2book
        theirs["the scheduler"] = client.run_on_scheduler(probe)
    except Exception as exc:
        theirs["the scheduler"] = exc
    problems = []
    for worker, found in sorted(theirs.items()):
        if isinstance(found, BaseException):
            problems.append(error("executor.worker-broken", f"{_named(worker)} cannot run blog2book: {type(found).__name__}: {found}",
                                  hint=f"install blog2book {ours.get('blog2book', '')} with the same WeasyPrint on the scheduler and every worker (pip install 'blog2book[dask]')"))
            continue
        differences = [f"{name} {found.get(name, 'missing')} (here {value})" for name, value in ours.items() if found.get(name) != value]
        if differences:
            problems.append(error("executor.mismatch", f"{_named(worker)} runs {', '.join(differences)}: it would lay out another book",
                                  hint="install the same versions on every worker as on this machine, or stop that worker"))
    if problems:
        raise BuildError(problems)


# ---------------------------------------------------------------- on a worker

_KEPT: dict[str, bytes] = {}  # SHA-256 -> bytes: the files this worker was sent


class MissingFiles(Exception):
    """A worker asked for files it was not sent (it joined the cluster after they were)."""


def keep(blobs: dict[str, bytes]) -> list[str]:
    """Run on each worker by ``share``: keep ``blobs``; the digests whose bytes do not match."""
    bad = [d for d, data in blobs.items() if digest(data) != d]
    _KEPT.update((d, data) for d, data in blobs.items() if d not in bad)
    return bad


def forget(digests: list[str]) -> None:
    for d in digests:
        _KEPT.pop(d, None)


def kept(digests) -> dict[str, bytes]:
    """On a worker: the bytes of ``digests`` it was sent (MissingFiles if any was not)."""
    digests = list(digests)
    missing = [d for d in digests if d not in _KEPT]
    if missing:
        raise MissingFiles(f"{len(missing)} file(s) not sent to this worker")
    return {d: _KEPT[d] for d in digests}


def _named(worker: str) -> str:
    return worker if worker == "the scheduler" else f"worker {worker}"


def is_lost(exc: BaseException) -> bool:
    """A task cancelled by Dask: its inputs were lost with a worker, or the scheduler was."""
    return isinstance(exc, CancelledError) or type(exc).__name__ in ("FutureCancelledError", "CancelledError")
