"""The executor the print book's pieces are given to (``layout.lay_out`` runs its passes over it).

Local worker processes are given a piece as one frees up and are replaced every ``RECYCLE`` pieces;
a Dask cluster is given every piece at once, its workers sent the files a piece reads by content
(``content.Shipment``), a failed task given again or the build ended with a message
(``infra.cluster``).
"""

from __future__ import annotations

from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import replace
from typing import Callable

from blog2book.render.pdf.content import Shipment
from blog2book.render.pdf.pieces import lay_out_piece

RECYCLE = 48  # pieces a pool of local worker processes lays out before a fresh pool takes over


class Pool:
    """The executor the pieces are given to, made when first needed.

    Local processes are given a piece as one of them frees up (one more waits in line), never a
    batch to finish together. A pool of local processes that has been given ``RECYCLE`` pieces
    is replaced by a fresh one (its processes grow with every document they lay out: WeasyPrint's
    caches), and finishes the pieces it has while the fresh one starts on the next. Another
    executor (a Dask cluster) is given every piece at once."""

    def __init__(self, factory: Callable[[], Executor], workers: int, shipment: Shipment | None = None):
        self.factory = factory
        self.shipment = shipment
        self.environment: tuple = ()
        self.workers = workers  # the processes of a local pool the factory makes
        self.executor: Executor | None = None
        self.served = 0  # pieces given to the current executor
        self.resent: dict[int, int] = {}  # piece -> times it was given again to a cluster
        self.retired: list[Executor] = []

    def _current(self) -> Executor:
        if isinstance(self.executor, ProcessPoolExecutor) and self.served >= RECYCLE:
            self.executor.shutdown(wait=False)  # its processes end once its pieces are laid out
            self.retired.append(self.executor)
            self.executor = None
        if self.executor is None:
            self.executor, self.served = self.factory(), 0
        return self.executor

    def run(self, todo: list[int], jobs: list):
        """(index, layout) of each job of ``todo``, given in this order, as they are done."""
        from concurrent.futures import FIRST_COMPLETED, wait

        from blog2book.infra.cluster import STALL_SECONDS

        order = {i: n for n, i in enumerate(todo)}
        queue = list(todo)
        pending: dict = {}  # future -> (job index, its executor)
        while queue or pending:
            while queue:
                executor = self._current()
                if isinstance(executor, ProcessPoolExecutor):
                    waiting = sum(1 for _, e in pending.values() if e is executor)
                    if waiting > self.workers:
                        break
                i = queue.pop(0)
                pending[self._submit(executor, jobs[i])] = (i, executor)
                self.served += 1
            cluster = self.shipment is not None and hasattr(self.executor, "share")
            finished, _ = wait(pending, timeout=STALL_SECONDS if cluster else None, return_when=FIRST_COMPLETED)
            if not finished:  # a cluster's scheduler lost without a word would leave its tasks waiting
                self._unstall()
                continue
            for future in sorted(finished, key=lambda f: order[pending[f][0]]):
                i, executor = pending.pop(future)
                try:
                    result = future.result()
                except Exception as exc:
                    if not hasattr(executor, "share"):
                        raise
                    self._cluster_failure(executor, exc, i)
                    queue.insert(0, i)  # given again: its worker was lost, or lacked the files
                    continue
                yield i, result

    def _submit(self, executor: Executor, job):
        """A local process reads the files by path; a cluster's worker is sent them (``content``)."""
        if self.shipment is None or not hasattr(executor, "share"):
            return executor.submit(lay_out_piece, job)
        from blog2book.render.pdf.pieces import lay_out_shipped

        if not self.environment:
            from blog2book.render.pdf.engine import environment

            self.environment = tuple(environment().items())
        files = self.shipment.files_for(job.html)
        executor.share([d for _, d in files], self.shipment.load)
        return executor.submit(lay_out_shipped, replace(job, files=files, environment=self.environment))

    def _unstall(self) -> None:
        """A cluster's tasks that take long: the build ends if the scheduler was lost (BuildError)."""
        if not self.executor.alive():
            raise self.executor.lost(TimeoutError("the scheduler does not answer"))

    def _cluster_failure(self, executor, exc: Exception, i: int) -> None:
        """A cluster's task that failed: a worker that differs, or the scheduler lost, end the build
        (BuildError); a task that Dask cancelled while its scheduler is alive, or given to a worker
        that joined after the files were sent (they are sent again), is tried again
        (``cluster.RESENDS`` times)."""
        from blog2book.diagnostics import BuildError, error
        from blog2book.infra.cluster import HINT, RESENDS, MissingFiles, is_lost
        from blog2book.render.pdf.pieces import WorkerMismatch

        if isinstance(exc, WorkerMismatch):
            raise BuildError([error("executor.mismatch", f"{exc}: it would lay out another book", hint="install the same versions on every worker as on this machine, or stop that worker")]) from exc
        if isinstance(exc, MissingFiles):
            executor.resend()
        elif not is_lost(exc):
            raise BuildError([error("executor.failed", f"a worker of {executor.address} failed to lay out piece {i + 1}: {type(exc).__name__}: {exc}", hint=HINT)]) from exc
        self.resent[i] = self.resent.get(i, 0) + 1
        if not executor.alive() or self.resent[i] > RESENDS:
            raise executor.lost(exc) from exc

    def close(self) -> None:
        for executor in [*self.retired, *([self.executor] if self.executor is not None else [])]:
            executor.shutdown()
        self.retired, self.executor = [], None
