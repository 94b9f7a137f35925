"""The process that makes the other formats beside the PDF's layout (render/beside.py): what it
makes comes back, what it is sent arrives, what it raises is raised in the build, it runs below
the build's priority, and a build that stops stops it."""

from __future__ import annotations

import os
import time

import pytest

from blog2book.infra import beside
from blog2book.infra.workers import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="processes are forked only where the system can")


def test_what_it_makes_comes_back_and_what_it_is_sent_arrives():
    book = {"posts": ["a", "b"]}  # inherited by the fork, not pickled

    def work(receive):
        first = {"md": len(book["posts"]), "nice": os.nice(0), "pid": os.getpid()}
        pages = receive()
        return first | {"epub": pages["pages"] * 2}

    process = beside.start(work)
    process.send({"pages": 21})
    process.send({"pages": 99})  # once: a PDF from the cache sends what the layout already gave
    made = process.result()
    assert made["md"] == 2 and made["epub"] == 42
    assert made["pid"] != os.getpid() and made["nice"] == min(19, os.nice(0) + beside.NICENESS)
    assert process.result() is made
    process.stop()  # already done: nothing to stop


def test_the_build_never_waits_to_send_while_the_process_is_busy():
    """The page products of a long book are megabytes: more than a pipe holds. They are read
    as they are sent, so the build goes on (to its merge) while the process finishes its work."""

    def busy(receive):
        time.sleep(1.0)  # still making the EPUB's files
        return {"size": len(receive()["page_map"])}

    process = beside.start(busy)
    started = time.monotonic()
    process.send({"page_map": b"x" * 8_000_000})
    assert time.monotonic() - started < 0.8
    assert process.result() == {"size": 8_000_000}


def test_what_it_raises_is_raised_in_the_build():
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no")

    def fails(receive):
        raise ValueError("the EPUB could not be packaged")

    process = beside.start(fails)
    time.sleep(0.2)
    process.send({"pages": 1})  # it has ended: nothing to send to, no error here
    with pytest.raises(ValueError, match="could not be packaged"):
        process.result()

    def fails_strangely(receive):
        raise Unpicklable("strange")

    process = beside.start(fails_strangely)
    with pytest.raises(RuntimeError, match="Unpicklable: strange"):
        process.result()


def test_a_build_that_stops_stops_it():
    def waits(receive):
        receive()  # the page numbers never come: the PDF failed
        return {}

    process = beside.start(waits)
    pid = process._process.pid
    time.sleep(0.2)
    started = time.monotonic()
    process.stop()
    assert time.monotonic() - started < 5
    assert not process._process.is_alive()
    with pytest.raises(OSError):
        os.kill(pid, 0)  # reaped


def test_forked_processes_leave_what_they_inherited_out_of_their_collections():
    """The book a forked worker inherits is frozen out of its garbage collections (``gc.freeze``):
    a collection would walk it, and copy its memory pages by writing to them."""
    import gc

    from blog2book.infra.workers import fork_executor

    inherited = [{"t": "Str", "c": str(i)} for i in range(10000)]  # the heap a worker inherits
    with fork_executor(1) as pool:
        assert pool.submit(gc.get_freeze_count).result() >= 10000
    process = beside.start(lambda receive: {"frozen": gc.get_freeze_count()})
    assert process.result()["frozen"] >= 10000
    assert gc.get_freeze_count() == 0  # not here: this process's collections are its own
    assert len(inherited) == 10000


def test_a_process_that_dies_is_a_failure_that_says_what_to_do():
    def dies(receive):
        os._exit(3)  # killed, out of memory: nothing sent back

    process = beside.start(dies)
    with pytest.raises(RuntimeError, match=r"exit code 3\); build again, or with -j 1"):
        process.result()
