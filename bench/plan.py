"""A cluster planned on paper: each piece's measured layout time, list-scheduled on N workers.

    .venv/bin/python bench/plan.py [--posts 300] [--jobs 2] [--workers 2,8,32,128] [--out FILE]
    .venv/bin/python bench/plan.py --timings FILE --wall SECONDS [--jobs 2]   (a file already recorded)

Writes the synthetic corpus (bench/corpus.py), builds its PDF cold (a fresh output folder: no laid-out
piece cached; the machine's font cache as it is) with ``-j JOBS`` and ``BLOG2BOOK_TIMINGS=FILE``: each
piece's layout appends its wall and CPU seconds, each batch of pieces given to the workers together
its keys in the order given (``src/blog2book/render/pdf/timings.py``). Then:

* the **serial** part: the build's measured wall time less the batches' (what one process does
  whatever the workers: starting, reading, transforming, cutting into pieces, merging, writing), split
  by the build's progress lines (before the layout; after it);
* for N workers, each batch **list-scheduled** as the layout gives it (pieces in the order given, each
  to the first worker free; a batch ends when its last piece does, and the next starts then), the
  batches' times added to the serial part: the predicted wall time;
* the **critical path**: the serial part plus the longest piece of each batch (no number of workers
  does better), with those pieces named.

The measured wall time with JOBS workers is printed beside the prediction for JOBS. What the paper
leaves out: a piece laid out on a busy core is slower than on a quiet one (the times are measured with
JOBS workers on this machine), sending pieces to other machines costs time (a Dask cluster), and a
batch is given to local processes only a few at a time (``render/pdf/pool.py``; list scheduling all the same).
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKERS = (2, 8, 32, 128)
_PHASE = re.compile(r"^\[\s*([0-9.]+)s\] (.+)$", re.M)


@dataclass(frozen=True)
class Batch:
    layout: str
    pass_: int
    durations: tuple[float, ...]  # each piece's layout wall time, in the order given to the workers
    cpu: tuple[float, ...]
    keys: tuple[str, ...]
    wall: float  # as the layout measured it (parent process): the batch given to the workers until its last piece
    pages: tuple[int, ...] = ()


def read_timings(path: Path) -> list[Batch]:
    """The batches of a timings file, each with its pieces' times (a piece event is written before
    the batch that holds it, by whichever process laid it out)."""
    pending: dict[str, list[dict]] = {}
    batches = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        if event["event"] == "piece":
            pending.setdefault(event["key"], []).append(event)
        elif event["event"] == "batch":
            pieces = [pending[k].pop(0) for k in event["keys"]]
            batches.append(Batch(event["layout"], event["pass"], tuple(p["wall"] for p in pieces), tuple(p["cpu"] for p in pieces), tuple(event["keys"]), event["wall"], tuple(p.get("pages", 0) for p in pieces)))
    return batches


def makespan(durations: list[float] | tuple[float, ...], workers: int) -> float:
    """List scheduling: each piece, in order, to the worker free first; when the last one ends."""
    free = [0.0] * max(1, min(workers, len(durations)))
    for d in durations:
        heapq.heappush(free, heapq.heappop(free) + d)
    return max(free) if durations else 0.0


def predict(batches: list[Batch], serial: float, workers: int, cpu: bool = False) -> float:
    """The serial part plus each batch list-scheduled on ``workers``; with ``cpu``, each piece taking
    its CPU seconds (what it would take on a core of its own, on a machine where the wall times were
    inflated by other work; ``serial`` is then the serial part's CPU seconds)."""
    return serial + sum(makespan(b.cpu if cpu else b.durations, workers) for b in batches)


def critical_path(batches: list[Batch], serial: float) -> tuple[float, list[tuple[int, str, float]]]:
    """The wall time with unlimited workers, and the piece that ends each batch (pass, key, seconds)."""
    path = [(b.pass_, b.keys[max(range(len(b.durations)), key=b.durations.__getitem__)], max(b.durations)) for b in batches if b.durations]
    return serial + sum(s for _, _, s in path), path


def _longest(b: Batch) -> str:
    i = max(range(len(b.durations)), key=b.durations.__getitem__)
    pages = f", {b.pages[i]} pages" if b.pages and b.pages[i] else ""
    return f"pass {b.pass_} (batch of {len(b.durations)}) {b.keys[i][:8]} {b.durations[i]:.1f} s{pages}"


def phases(output: str) -> dict[str, float]:
    """Progress lines (``[  1.2s] name``) -> when each phase started, in seconds from the start."""
    return {name: float(t) for t, name in _PHASE.findall(output)}


def report(batches: list[Batch], wall: float, jobs: int, workers=WORKERS, stages: dict[str, float] | None = None, title: str = "", build_cpu: float | None = None) -> str:
    """The plan as Markdown. ``build_cpu``: the CPU seconds of the build's whole process tree, whose
    part outside the pieces is taken as the serial part on a quiet machine (else its wall time)."""
    laid = sum(b.wall for b in batches)
    serial = max(0.0, wall - laid)
    crit, _ = critical_path(batches, serial)
    pieces = sum(len(b.durations) for b in batches)
    work = sum(sum(b.durations) for b in batches)
    cpu = sum(sum(b.cpu) for b in batches)
    lines = [title] if title else []
    lines += [
        f"- measured with {jobs} workers: wall {wall:.1f} s, of which the layout's batches {laid:.1f} s "
        f"({len(batches)} batches in {len({b.layout for b in batches})} layouts, {pieces} pieces laid out: "
        f"{work:.1f} s of piece wall time, {cpu:.1f} s of piece CPU) and the serial part {serial:.1f} s",
    ]
    if stages:
        start = next((t for name, t in stages.items() if name.startswith("rendering")), None)
        if start is not None:
            lines.append(f"- the serial part, by progress lines: {start:.1f} s before the layout (starting, reading, transforming), "
                         f"{max(0.0, serial - start):.1f} s around and after it (cutting, merging, writing)")
    serial_cpu = serial if build_cpu is None else max(0.0, build_cpu - cpu)
    if build_cpu is not None:
        lines.append(f"- CPU: {build_cpu:.1f} s for the whole build, {cpu:.1f} s of it in the pieces' layouts, {serial_cpu:.1f} s outside them "
                     "(the last column takes each piece's CPU seconds and this as the serial part: a quiet machine, on paper)")
    lines.append(f"- critical path: {crit:.1f} s = serial {serial:.1f} s + the longest piece of each batch: "
                 + "; ".join(_longest(b) for b in batches if b.durations))
    lines += ["", "| workers | predicted wall (s) | of which layout (s) | measured wall (s) | predicted from the pieces' CPU (s) |", "|---:|---:|---:|---:|---:|"]
    for n in workers:
        total = predict(batches, serial, n)
        lines.append(f"| {n} | {total:.1f} | {total - serial:.1f} | {f'{wall:.1f}' if n == jobs else ''} | {predict(batches, serial_cpu, n, cpu=True):.1f} |")
    cpu_crit = serial_cpu + sum(max(b.cpu) for b in batches if b.cpu)
    lines.append(f"| ∞ (critical path) | {crit:.1f} | {crit - serial:.1f} | | {cpu_crit:.1f} |")
    lines.append(f"| 1 (all pieces in turn) | {serial + work:.1f} | {work:.1f} | | {serial_cpu + cpu:.1f} |")
    return "\n".join(lines)


def measure_build(posts: int, jobs: int, work: Path) -> tuple[list[Batch], float, dict[str, float], float]:
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import write_corpus

    manuscript = write_corpus(work / f"corpus-{posts}", posts)
    timings = work / "timings.jsonl"
    timings.unlink(missing_ok=True)
    env = dict(os.environ, BLOG2BOOK_TIMINGS=str(timings), PYTHONPATH=str(REPO / "src"))
    cmd = [sys.executable, "-m", "blog2book", "build", str(manuscript), "-f", "pdf", "-j", str(jobs), "-o", str(work / "out")]
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        sys.exit(f"the build failed:\n{done.stderr[-3000:]}")
    return read_timings(timings), wall, phases(done.stderr), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2, help="workers of the measured build")
    parser.add_argument("--workers", default=",".join(map(str, WORKERS)))
    parser.add_argument("--timings", type=Path, help="a timings file already recorded (with --wall)")
    parser.add_argument("--wall", type=float, help="the measured wall time of the build that wrote --timings")
    parser.add_argument("--cpu", type=float, help="with --timings: the CPU seconds of that build's process tree")
    parser.add_argument("--out", type=Path, help="append the table to this file (Markdown)")
    args = parser.parse_args()
    workers = [int(n) for n in args.workers.split(",")]
    if args.timings:
        if args.wall is None:
            parser.error("--timings needs --wall")
        batches, wall, stages, cpu, title = read_timings(args.timings), args.wall, None, args.cpu, f"{args.timings}"
    else:
        with tempfile.TemporaryDirectory(prefix="b2b-plan-") as tmp:
            batches, wall, stages, cpu = measure_build(args.posts, args.jobs, Path(tmp))
        title = f"{args.posts} posts, PDF cold, -j {args.jobs}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}"
    emit(report(batches, wall, args.jobs, workers, stages, title, cpu), args.out)


def emit(text: str, out: Path | None) -> None:
    """Printed, and appended to ``out`` (a Markdown file) when given."""
    print(text)
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
