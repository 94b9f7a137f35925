"""Formats made beside the PDF's layout.

The PDF is laid out by worker processes, and for seconds at a time it leaves a core idle: while
the parent writes the pieces' HTML, while the last pieces are laid out, while the PDF is merged.
The book's other formats wait for none of the layout (the Markdown edition) or only for its page
numbers (the EPUB's page list, the web edition's), which are known before the PDF is merged. So
they are made in one process of their own, forked when the PDF starts, at a lower priority
(``nice``): they take the cores the layout leaves idle, not the layout's. The EPUB makes its files
while the pieces are laid out (``EpubBackend.warm``), is given the page numbers when the layout
knows them (``send``), and is packaged while the PDF is merged.

What the process made comes back as the back ends' ``Rendered``; an exception it raised is raised
again where its result is taken. A build that stops early stops it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Any, Callable

from blog2book.infra.workers import can_fork, freeze_inherited

NICENESS = 10  # below the layout's workers: the scheduler gives them the cores first

_WORK: Callable[[Callable[[], Any]], dict] | None = None  # what the forked process runs (inherited, not pickled)


class Beside:
    """A forked process running ``work(receive)``, which returns a dict; ``receive()`` waits there
    for what this side ``send``s. ``result()`` waits for the dict."""

    def __init__(self, work: Callable[[Callable[[], Any]], dict]):
        global _WORK
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe(duplex=False)
        child_inbox, self._outbox = context.Pipe(duplex=False)
        _WORK = work
        try:
            self._process = context.Process(target=_run, args=(child_end, child_inbox, (self._conn, self._outbox)), name="blog2book-beside")
            self._process.start()
        finally:
            _WORK = None
            child_end.close()
            child_inbox.close()
        self._result: dict | None = None
        self.sent = False

    def send(self, value: Any) -> None:
        """Give the process what its ``receive()`` waits for (once)."""
        if not self.sent:
            self.sent = True
            try:
                self._outbox.send(value)
            except OSError:  # it has ended already (it failed): ``result()`` says why
                pass

    def result(self) -> dict:
        if self._result is None:
            try:
                status, value = self._conn.recv()
            except EOFError:
                self._process.join()  # reaped first: its exit code says how it ended
                status, value = "error", RuntimeError(
                    f"the process making the other formats beside the PDF stopped (exit code {self._process.exitcode}); "
                    "build again, or with -j 1 to make them after the PDF"
                )
            finally:
                self._process.join()
                self._conn.close()
                self._outbox.close()
            if status == "error":
                raise value
            self._result = value
        return self._result

    def stop(self) -> None:
        """Stop the process if it still runs (the build stopped before taking its result)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()
        self._outbox.close()


def start(work: Callable[[Callable[[], Any]], dict]) -> Beside | None:
    """``work`` in a process of its own, or None where processes cannot be forked."""
    return Beside(work) if can_fork() else None


def _run(conn, inbox, parent_ends) -> None:
    for end in parent_ends:  # this process's copies: if the build dies, ``receive()`` ends
        end.close()
    freeze_inherited()  # what it inherited stays out of its collections
    try:
        os.nice(NICENESS)
    except OSError:  # pragma: no cover - not allowed here: same priority
        pass
    try:
        outcome = ("ok", _WORK(_listen(inbox)))
    except BaseException as exc:  # raised again in the build
        outcome = ("error", exc)
    try:
        conn.send(outcome)
    except Exception as exc:  # an exception that cannot be pickled: its text
        conn.send(("error", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}" if outcome[0] == "error" else f"cannot send what was made: {exc}")))
    finally:
        conn.close()


def _listen(inbox) -> Callable[[], Any]:
    """``receive()`` for the work: what the build sends is read as soon as it is sent, by a thread
    of this process, so that the build never waits on a full pipe (the page products of a long
    book are megabytes) while this process is still busy."""
    arrived = threading.Event()
    box: list = []

    def listen() -> None:
        try:
            box.append(inbox.recv())
        except (EOFError, OSError):  # the build ended without sending
            pass
        arrived.set()

    threading.Thread(target=listen, name="blog2book-beside-inbox", daemon=True).start()

    def receive() -> Any:
        arrived.wait()
        if not box:
            raise EOFError("the build ended before it sent what this process waits for")
        return box[0]

    return receive
