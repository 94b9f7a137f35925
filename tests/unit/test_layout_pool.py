"""pool.Pool gives local processes a piece as one frees up, and replaces a pool that has laid out
RECYCLE pieces without waiting for its last piece: no worker idles at a batch's end."""

from __future__ import annotations

import os
import time

import pytest

from blog2book.render.pdf import pool as pool_mod
from blog2book.infra.workers import can_fork, process_executor

pytestmark = pytest.mark.skipif(not can_fork(), reason="local pools are forked")


def timed(job):
    start = time.monotonic()
    time.sleep(job)
    return (os.getpid(), start, time.monotonic())


def test_a_fresh_pool_starts_while_the_old_one_finishes(monkeypatch):
    monkeypatch.setattr(pool_mod, "RECYCLE", 3)
    monkeypatch.setattr(pool_mod, "lay_out_piece", timed)
    made = []

    def factory():
        made.append(process_executor(2))
        return made[-1]

    pool = pool_mod.Pool(factory, 2)
    jobs = [1.0, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]  # the first pool's first piece is long
    try:
        done = dict(pool.run(list(range(len(jobs))), jobs))
    finally:
        pool.close()
    assert sorted(done) == list(range(len(jobs)))
    assert len(made) >= 2, "a fresh pool took over after RECYCLE pieces"
    long_pid, _, long_end = done[0]
    later = [done[i] for i in range(3, len(jobs))]  # given to the fresh pool
    assert all(pid != long_pid for pid, _, _ in later)
    assert any(start < long_end for _, start, _ in later), "the fresh pool waited for the old pool's last piece"


def test_pieces_come_back_whatever_the_order_they_finish_in(monkeypatch):
    monkeypatch.setattr(pool_mod, "lay_out_piece", timed)
    pool = pool_mod.Pool(lambda: process_executor(2), 2)
    jobs = [0.3, 0.01, 0.2, 0.01, 0.01]
    try:
        done = list(pool.run([4, 3, 2, 1, 0], jobs))
    finally:
        pool.close()
    assert sorted(i for i, _ in done) == [0, 1, 2, 3, 4]
    assert all(result[2] - result[1] >= jobs[i] * 0.9 for i, result in done)
