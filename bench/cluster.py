"""The PDF on a two-worker shared-nothing Dask cluster, against local processes and raw WeasyPrint.

    .venv/bin/python bench/cluster.py [--posts 2829] [--no-raw] [--out bench/RESULTS.md]

Issue 27's archive targets, measured in one run on this machine: the synthetic corpus (bench/corpus.py)
is written to a temporary folder, then

1. raw WeasyPrint on the posts' HTML (pandoc) with the book's print stylesheet (bench/run.py's);
2. ``blog2book build -f pdf -j 2``, cold (a fresh output folder), with ``BLOG2BOOK_TIMINGS``: wall,
   CPU and memory of its process tree, and the plan on paper of bench/plan.py from its pieces;
3. a Dask scheduler and two ``dask worker`` processes (one thread each) on 127.0.0.1, each with a HOME,
   a cache and a working folder of its own, whose audit hook (tests/cluster_worker.py) refuses to open
   anything in the project, the builder's font cache or the font packages; ``blog2book build -f pdf
   --executor dask://…``, cold: wall, the client's CPU and memory, the workers' CPU and peak memory;
4. the two PDFs compared byte for byte.

Nothing here asserts a time: it measures (the tests check the behaviour: tests/test_cluster.py).
"""

from __future__ import annotations

import argparse
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import plan  # noqa: E402
from corpus import write_corpus  # noqa: E402
from run import RAW_WEASYPRINT, Run, _pages, measure, raw_markdown  # noqa: E402

PRELOAD = REPO / "tests" / "cluster_worker.py"  # the audit hook: a worker of another machine, on this one


def _proc(pid: int) -> tuple[float, int]:
    """CPU seconds (user + system) and peak RSS (bytes) of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        peak = next((int(line.split()[1]) * 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmHWM:")), 0)
        return cpu, peak
    except (OSError, IndexError, ValueError):
        return 0.0, 0


class Cluster:
    """A scheduler and two workers on 127.0.0.1 that share no file with the client."""

    def __init__(self, root: Path, forbid: list[Path]):
        self.root, self.forbid = root, os.pathsep.join(str(p) for p in forbid)
        info = root / "scheduler.json"
        self.processes = [self._start("scheduler", ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                                                    "--no-dashboard", "--scheduler-file", str(info), "--idle-timeout", "3600"])]
        for _ in range(600):
            if info.is_file() and info.stat().st_size:
                break
            time.sleep(0.1)
        self.address = json.loads(info.read_text())["address"]
        self.workers = [self._start(name, ["distributed.cli.dask_worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                           "--name", name, "--preload", str(PRELOAD), "--local-directory", str(root / name / "dask")],
                                    B2B_TEST_FORBID=self.forbid) for name in ("w1", "w2")]
        self.processes += self.workers
        self._wait_for(len(self.workers))

    def _start(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        home = self.root / name
        home.mkdir(parents=True, exist_ok=True)
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_", "BLOG2BOOK_", "XDG_"))}
        environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), PYTHONPATH=str(REPO / "src"), **env)
        log = open(home / "log", "wb")
        return subprocess.Popen([sys.executable, "-m", *args], cwd=home, env=environ, stdout=log, stderr=log, start_new_session=True)

    def _wait_for(self, n: int) -> None:
        import distributed

        with distributed.Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=120)

    def worker_usage(self) -> list[tuple[float, int]]:
        return [_proc(p.pid) for p in self.workers]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def forbidden(project: Path) -> list[Path]:
    """What a worker of another machine would not have: the project, the builder's font cache, the font packages."""
    from blog2book.fonts import cache_dir

    packages = [Path(m.module_finder.path) / m.name for m in pkgutil.iter_modules() if m.name.startswith("fontpkg_")]
    return [project.resolve(), cache_dir().resolve(), *(p.resolve() for p in packages)]


def row(label: str, run: Run, note: str = "") -> str:
    return f"| {label} | {run.wall:.1f} | {run.cpu:.1f} | {run.tree_peak / 2**20:.0f} | {run.proc_peak / 2**20:.0f} | {note} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2829)
    parser.add_argument("--no-raw", action="store_true", help="skip raw WeasyPrint (12 minutes at 2829 posts)")
    parser.add_argument("--out", type=Path, help="append the results to this file (Markdown)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from blog2book import pandoc

    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    env.pop("BLOG2BOOK_TIMINGS", None)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="b2b-cluster-") as tmp:
        work = Path(tmp)
        project = work / f"corpus-{args.posts}"
        manuscript = write_corpus(project, args.posts)
        lines = ["| command | wall (s) | CPU (s) | tree peak (MB) | largest process (MB) | |", "|---|---:|---:|---:|---:|---|"]
        raw = None
        if not args.no_raw:
            md = work / "raw.md"
            md.write_text(raw_markdown(project), "utf-8")
            html = work / "raw.html"
            measure([pandoc.pandoc_path(), "-f", "markdown", "-t", "html5", "-o", str(html), str(md)])
            style = REPO / "styles" / "medias-sociaux-101"
            raw = measure([sys.executable, "-c", RAW_WEASYPRINT, str(html), (style / "print.css").as_uri(), str(work / "raw.pdf"), str(REPO / "styles")], env=env)
            lines.append(row("raw WeasyPrint: the posts' HTML -> pdf", raw, "" if raw.ok else "FAILED"))
            print(lines[-1], flush=True)
        exe = [sys.executable, "-m", "blog2book", "build", str(manuscript), "-f", "pdf", "-q"]
        timings = work / "timings.jsonl"
        local = measure(exe + ["-j", "2", "-o", str(work / "local")], env=dict(env, BLOG2BOOK_TIMINGS=str(timings)))
        lines.append(row("blog2book -f pdf -j 2, cold (local processes)", local, "" if local.ok else "FAILED: " + local.output[-300:]))
        print(lines[-1], flush=True)
        cluster = Cluster(work / "dask", forbidden(project))
        try:
            before = cluster.worker_usage()
            remote = measure(exe + ["--executor", cluster.address.replace("tcp://", "dask://"), "-o", str(work / "cluster")], env=env)
            after = cluster.worker_usage()
        finally:
            cluster.stop()
        worker_cpu = sum(a[0] - b[0] for a, b in zip(after, before))
        worker_peak = max((a[1] for a in after), default=0)
        lines.append(row("blog2book -f pdf on the cluster, cold (the client)", remote, "" if remote.ok else "FAILED: " + remote.output[-300:]))
        lines.append(f"| the cluster's two workers | | {worker_cpu:.1f} | | {worker_peak / 2**20:.0f} | |")
        print("\n".join(lines[-2:]), flush=True)
        name = manuscript.stem + ".pdf"
        a, b = work / "local" / name, work / "cluster" / name
        same = a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()
        pages = _pages(a) if a.is_file() else None
        facts = [
            "",
            f"- the two PDFs: {'byte-identical' if same else 'DIFFERENT'} ({a.stat().st_size / 2**20:.1f} MB"
            + (f", {pages} pages" if pages else "") + ")" if a.is_file() else "- the local PDF is missing",
            f"- on the cluster / local: {remote.wall / local.wall:.2f}× wall (target ≤ 1.1×)",
            f"- the largest process: local {local.proc_peak / 2**20:.0f} MB, a cluster worker {worker_peak / 2**20:.0f} MB, "
            f"the cluster's client {remote.proc_peak / 2**20:.0f} MB (target ≤ 1.5 GB)",
        ]
        if raw is not None and raw.ok:
            facts.append(f"- local / raw WeasyPrint: {local.wall / raw.wall:.2f}× wall (target ≤ 0.45×), {local.cpu / raw.cpu:.2f}× CPU; "
                         f"raw WeasyPrint's largest process {raw.proc_peak / 2**20:.0f} MB")
        laid = plan.read_timings(timings) if timings.is_file() else []
        text = "\n".join([f"### {args.posts} posts, the PDF: local processes and a two-worker shared-nothing cluster ({started}, "
                          f"load at the end {os.getloadavg()[0]:.1f})", "", *lines, *facts, "",
                          plan.report(laid, local.wall, 2, plan.WORKERS, None, "The plan on paper, from the local build's pieces:", local.cpu) if laid else ""])
    plan.emit(text, args.out)


if __name__ == "__main__":
    main()
