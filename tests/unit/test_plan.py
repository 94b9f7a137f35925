"""bench/plan.py: measured piece times list-scheduled on N workers, the critical path, the serial part."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import plan

from blog2book.render.pdf import timings


def batch(durations, keys=None, layout="L", pass_=1, wall=0.0):
    keys = keys or [f"k{pass_}-{i}" for i in range(len(durations))]
    return plan.Batch(layout, pass_, tuple(durations), tuple(d / 2 for d in durations), tuple(keys), wall)


def test_list_scheduling_gives_each_piece_in_turn_to_the_first_worker_free():
    # two workers: 5 | 3, then 3 on the second (free at 3: ends at 6), 2 on the first (ends at 7), 1 on the second (7)
    assert plan.makespan([5, 3, 3, 2, 1], 2) == 7
    assert plan.makespan([5, 3, 3, 2, 1], 8) == 5  # as many workers as pieces: the longest piece
    assert plan.makespan([5, 3, 3, 2, 1], 1) == 14
    assert plan.makespan([1, 1, 1, 5], 2) == 6  # in the order given, not the best order (5 comes last)
    assert plan.makespan([], 4) == 0


def test_the_prediction_adds_the_batches_one_after_the_other_and_the_serial_part():
    batches = [batch([5, 3, 3, 2, 1]), batch([4, 4, 4], pass_=2)]
    assert plan.predict(batches, 10, 2) == 10 + 7 + 8
    assert plan.predict(batches, 10, 8) == 10 + 5 + 4
    assert plan.predict(batches, 10, 128) == 10 + 5 + 4
    assert plan.predict(batches, 10, 2, cpu=True) == 10 + 3.5 + 4  # each piece its CPU seconds (half, here)
    length, path = plan.critical_path(batches, 10)
    assert length == 19
    assert [(p, k, s) for p, k, s in path] == [(1, "k1-0", 5), (2, "k2-0", 4)]


def test_a_timings_file_is_read_into_batches_whatever_process_wrote_the_pieces(tmp_path, monkeypatch):
    path = tmp_path / "t.jsonl"
    monkeypatch.setenv(timings.ENV, str(path))
    for key, wall, pid in (("b", 2.0, 11), ("a", 3.0, 12), ("c", 1.0, 11)):  # as the workers finished
        timings.record({"event": "piece", "key": key, "wall": wall, "cpu": wall / 2, "pages": 20, "renumbered": False, "pid": pid})
    timings.record({"event": "batch", "layout": "L", "pass": 1, "batch": 0, "keys": ["a", "b", "c"], "hits": 1, "workers": 2, "wall": 3.2})
    timings.record({"event": "piece", "key": "a", "wall": 0.5, "cpu": 0.4, "pages": 20, "renumbered": True, "pid": 12})  # laid out again
    timings.record({"event": "batch", "layout": "L", "pass": 2, "batch": 0, "keys": ["a"], "hits": 2, "workers": 1, "wall": 0.6})
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 6 and all(json.loads(line)["event"] in ("piece", "batch") for line in lines)
    batches = plan.read_timings(path)
    assert [b.durations for b in batches] == [(3.0, 2.0, 1.0), (0.5,)]  # in the order given to the workers
    assert [b.pass_ for b in batches] == [1, 2]
    text = plan.report(batches, 12.0, 2, stages={"reading posts": 0.1, "rendering pdf": 4.0})
    serial = 12.0 - 3.2 - 0.6
    assert f"the serial part {serial:.1f} s" in text
    assert f"| 2 | {serial + 3.0 + 0.5:.1f} | 3.5 | 12.0 |" in text  # a: 3 | b: 2, then c on b's worker: 3; then 0.5
    assert f"critical path: {serial + 3.5:.1f} s" in text


def test_no_variable_no_file_and_no_clock(tmp_path, monkeypatch):
    monkeypatch.delenv(timings.ENV, raising=False)
    assert not timings.enabled()
    timings.record({"event": "piece"})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("unwritable", ["/proc/blog2book-timings"])
def test_a_timings_file_that_cannot_be_written_does_not_stop_a_layout(monkeypatch, unwritable):
    monkeypatch.setenv(timings.ENV, unwritable)
    timings.record({"event": "piece"})  # no exception: a measurement, not an output


def test_on_paper_a_quiet_machine_takes_the_pieces_cpu_and_the_rest_of_the_builds_cpu():
    batches = [batch([6, 4, 2], wall=6.5)]  # CPU seconds: 3, 2, 1
    text = plan.report(batches, 20.0, 2, build_cpu=14.0)  # 14 - 6 in the pieces: 8 outside them
    assert "8.0 s outside them" in text
    assert "| 2 | 19.5 | 6.0 | 20.0 | 11.0 |" in text  # 3 | 2, then 1 on the second worker: 3; + 8
    assert "| ∞ (critical path) | 19.5 | 6.0 | | 11.0 |" in text
