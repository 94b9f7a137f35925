"""A first build on a fresh machine (an empty font cache), through the CLI: the style's faces are
prepared once, announced by a progress line; a second build does not prepare them again. HarfBuzz
makes them in the build's own process in milliseconds (tests/test_fonts.py); here the path taken
without it (fontTools' instancer, seconds a face) is forced: the faces are made in worker processes
side by side. With BLOG2BOOK_TIMINGS, the same build records each piece's layout time and
each batch of pieces, which bench/plan.py reads.

The faces' instancing is fontTools' work (tests/test_fonts.py checks the instances): here each
worker copies the instance the machine's font cache already has (or makes it when there is none),
after waiting for the other worker to start a face too (a barrier: two faces in progress at once,
or the build fails after a timeout)."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from blog2book import fonts
from blog2book.infra.workers import can_fork
from blog2book.render.pdf import timings
from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "bench"))
import plan

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not can_fork(), reason="the faces' workers are forked (they inherit the barrier)")]
TINY = REPO / "tests" / "roots" / "tiny"
_state: dict = {}  # set before the build; the forked workers inherit it


def _instance_in_a_worker(path: Path, axes: dict) -> bytes:
    with open(_state["log"], "a") as fh:
        fh.write(f"{os.getpid()} {path.name} {sorted(axes.items())}\n")
    if not _state.get("waited"):  # this worker's first face: wait until another worker has one too
        _state["waited"] = True
        _state["barrier"].wait(timeout=120)
    ready = _state["real"] / fonts.instance_path(path, axes).name
    return ready.read_bytes() if ready.is_file() else _state["make"](path, axes)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("first")
    project = tmp / "tiny"
    shutil.copytree(TINY, project)
    manuscript = project / "manuscripts" / "tiny.yml"
    mp = pytest.MonkeyPatch()
    try:
        _state.update(real=fonts.cache_dir(), make=fonts.make_instance, log=tmp / "faces.log",
                      barrier=multiprocessing.get_context("fork").Barrier(2), parent=os.getpid())
        (tmp / "faces.log").write_text("")
        mp.setenv("XDG_CACHE_HOME", str(tmp / "fresh-cache"))  # a machine that never built a book
        mp.setenv(timings.ENV, str(tmp / "timings.jsonl"))
        mp.setattr(os, "cpu_count", lambda: 2)
        mp.setattr(fonts, "make_instance", _instance_in_a_worker)
        mp.setattr(fonts, "in_workers", lambda: True)  # as without HarfBuzz
        fonts._TEMP_CACHES.clear()
        first = run_cli("build", manuscript, "-f", "pdf", "-j", "2", "-o", tmp / "out")
        calls_first = (tmp / "faces.log").read_text().splitlines()
        second = run_cli("build", manuscript, "-f", "pdf", "-j", "2", "-o", tmp / "out")  # no change
        calls_second = (tmp / "faces.log").read_text().splitlines()[len(calls_first):]
    finally:
        mp.undo()
        _state.clear()
    return {"first": first, "second": second, "calls": calls_first, "again": calls_second, "tmp": tmp}


def test_the_first_build_prepares_each_face_once_side_by_side_with_a_progress_line(builds):
    first = builds["first"]
    assert first.exit_code == 0, first.output
    said = re.findall(r"preparing (\d+) font face\(s\), once for this machine", first.output)
    assert len(said) == 1, first.output
    made = sorted((builds["tmp"] / "fresh-cache" / "blog2book" / "fonts").glob("*.ttf"))
    assert int(said[0]) == len(made) == len(builds["calls"]) > 1  # each face once (a style declares some twice)
    assert len({line.split(" ", 1)[1] for line in builds["calls"]}) == len(builds["calls"])
    pids = {int(line.split()[0]) for line in builds["calls"]}
    assert len(pids) == 2 and os.getpid() not in pids  # two worker processes, not the build's own


def test_a_second_build_prepares_nothing(builds):
    second = builds["second"]
    assert second.exit_code == 0, second.output
    assert "font face" not in second.output
    assert builds["again"] == []


def test_the_build_recorded_its_pieces_times_for_the_plan(builds):
    events = [json.loads(line) for line in (builds["tmp"] / "timings.jsonl").read_text("utf-8").splitlines()]
    pieces = [e for e in events if e["event"] == "piece"]
    batches = [e for e in events if e["event"] == "batch"]
    assert pieces and batches
    assert all(e["wall"] >= 0 and e["cpu"] >= 0 and e["pages"] > 0 for e in pieces)
    laid_out = [k for b in batches for k in b["keys"]]
    assert sorted(laid_out) == sorted(e["key"] for e in pieces)  # every piece laid out is in one batch
    read = plan.read_timings(builds["tmp"] / "timings.jsonl")
    assert sum(len(b.durations) for b in read) == len(pieces)
    text = plan.report(read, 60.0, 2)
    assert re.search(r"^\| 2 \| [0-9.]+ \| [0-9.]+ \| 60\.0 \|", text, re.M), text
