"""The PDF laid out on a Dask cluster whose workers share no file with the client (issue 27).

A scheduler and ``dask worker`` processes on 127.0.0.1, each worker with a HOME, a cache and a
working folder of its own, and an audit hook (``tests/cluster_worker.py``) that refuses to open
anything in the client's project, its font cache or the font packages: they lay out the pages the
client's own processes lay out, byte for byte. A worker that runs another blog2book, or none, is
refused before any work; a worker killed mid-build is survived, and one that joins mid-build is sent the files; an unreachable scheduler, one without workers and one that dies mid-build end the build
with a message and exit 1, the previous PDF kept, no process left behind.
"""

from __future__ import annotations

import functools
import json
import os
import pkgutil
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import blog2book
from blog2book.render.pdf import layout as layout_mod

from conftest import REPO, run_cli

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

TINY = Path(__file__).parent / "roots" / "tiny"
PRELOAD = Path(__file__).with_name("cluster_worker.py")
SRC = Path(blog2book.__file__).resolve().parents[1]  # the workers import this blog2book


class Cluster:
    """A scheduler and workers, processes of their own, on 127.0.0.1."""

    def __init__(self, root: Path, forbid: list[Path], **scheduler_env: str):
        self.root = root
        self.forbid = os.pathsep.join(str(p) for p in forbid)
        self.processes: dict[str, subprocess.Popen] = {}  # worker address (or "scheduler") -> process
        root.mkdir(parents=True, exist_ok=True)
        info = root / "scheduler.json"
        self.scheduler = self._start("scheduler", [
            "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info),
            "--idle-timeout", "300", *(["--preload", str(PRELOAD)] if scheduler_env else [])], **scheduler_env)  # ends by itself if this test process dies
        for _ in range(300):
            if info.is_file() and info.stat().st_size:
                break
            time.sleep(0.1)
        self.address = json.loads(info.read_text())["address"]
        self.client = distributed.Client(self.address, timeout=30, set_as_default=False)

    def _start(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        home = self.root / name
        home.mkdir(parents=True, exist_ok=True)
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_", "BLOG2BOOK_", "XDG_"))}
        environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), PYTHONPATH=str(SRC), **env)
        log = open(home / "log", "wb")
        return subprocess.Popen([sys.executable, "-m", *args], cwd=home, env=environ, stdout=log, stderr=log, start_new_session=True)

    def add_worker(self, name: str, **env: str) -> str:
        before = set(self.client.scheduler_info()["workers"])
        process = self._start(name, [
            "distributed.cli.dask_worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name, "--death-timeout", "30",
            "--preload", str(PRELOAD), "--local-directory", str(self.root / name / "dask")], B2B_TEST_FORBID=self.forbid, **env)
        for _ in range(600):
            new = set(self.client.scheduler_info()["workers"]) - before
            if new:
                address = new.pop()
                self.processes[address] = process
                return address
            assert process.poll() is None, (self.root / name / "log").read_text()
            time.sleep(0.1)
        raise AssertionError(f"worker {name} did not join")

    def kill(self, address: str) -> None:
        process = self.processes.pop(address)
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        self.client.close()
        for process in [*self.processes.values(), self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.processes.values(), self.scheduler]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The tiny book (an image in posts/) in a style of the project's own (styles/)."""
    root = tmp_path_factory.mktemp("cluster") / "project"
    shutil.copytree(TINY, root)
    shutil.copytree(REPO / "styles", root / "styles")
    manuscript = root / "manuscripts" / "tiny.yml"
    manuscript.write_text(manuscript.read_text("utf-8") + "style: medias-sociaux-101\n", "utf-8")
    return root


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(layout_mod, "PIECE_WORDS", 1)  # one piece per chapter: several pieces to share out


def forbidden(project: Path) -> list[Path]:
    """What a worker of another machine would not have: the project, the client's font cache, the font packages."""
    from blog2book.fonts import cache_dir

    packages = [Path(m.module_finder.path) / m.name for m in pkgutil.iter_modules() if m.name.startswith("fontpkg_")]
    return [project.resolve(), cache_dir().resolve(), *(p.resolve() for p in packages)]


@pytest.fixture(scope="module")
def reference(project, tmp_path_factory):
    """The book laid out by local processes (one piece per chapter)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(layout_mod, "PIECE_WORDS", 1)
    try:
        out = tmp_path_factory.mktemp("local")
        result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "pdf", "-o", out, "-j", "2")
        assert result.exit_code == 0, result.output
        return (out / "tiny.pdf").read_bytes()
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def cluster(project, reference, tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("dask"), forbidden(project))
    try:
        cluster.add_worker("w1")
        cluster.add_worker("w2")
        yield cluster
    finally:
        cluster.stop()


def cluster_build(project: Path, out: Path, address: str):
    """-v: an unexpected failure would show its traceback (the tests say there is none)."""
    return run_cli("build", "-v", project / "manuscripts" / "tiny.yml", "-f", "pdf", "-o", out, "--executor", address.replace("tcp://", "dask://"))


def children() -> set[int]:
    """This process's child processes (the cluster's are started in sessions of their own, but are children too)."""
    out = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()):
            out.add(int(status.parent.name))
    return out


def test_the_workers_cannot_read_the_clients_files(cluster, project):
    """The proof holds: a worker that opened a file of the project by path would fail."""
    found = cluster.client.run((project / "manuscripts" / "tiny.yml").read_bytes, on_error="return")
    assert len(found) == 2 and all(isinstance(v, PermissionError) for v in found.values()), found
    homes = cluster.client.run(functools.partial(os.getenv, "HOME"))
    folders = cluster.client.run(os.getcwd)
    assert all(h != os.environ.get("HOME") for h in homes.values()), homes
    assert all(str(project) not in f for f in folders.values()), folders


def test_workers_that_share_no_file_lay_out_the_same_pdf(cluster, project, reference, tmp_path, small_pieces):
    result = cluster_build(project, tmp_path / "out", cluster.address)
    assert result.exit_code == 0, result.output
    assert "fetch-refused" not in result.output and "machine-font" not in result.output, result.output
    assert (tmp_path / "out" / "tiny.pdf").read_bytes() == reference


def test_a_worker_that_runs_another_blog2book_is_refused(cluster, project, tmp_path, small_pieces):
    address = cluster.add_worker("other", B2B_TEST_VERSION="0.0.0-other")
    try:
        result = cluster_build(project, tmp_path / "out", cluster.address)
    finally:
        cluster.kill(address)
    assert result.exit_code == 1, result.output
    assert "[executor.mismatch]" in result.output and address in result.output, result.output
    assert f"blog2book 0.0.0-other (here {blog2book.__version__})" in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out" / "tiny.pdf").exists()


def test_a_worker_without_blog2book_is_refused(cluster, project, tmp_path, small_pieces):
    address = cluster.add_worker("bare", B2B_TEST_NO_BLOG2BOOK="1")
    try:
        result = cluster_build(project, tmp_path / "out", cluster.address)
    finally:
        cluster.kill(address)
    assert result.exit_code == 1, result.output
    assert "[executor.worker-broken]" in result.output and address in result.output and "blog2book" in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out" / "tiny.pdf").exists()


def test_a_worker_killed_mid_build_is_survived(cluster, project, reference, tmp_path, small_pieces, monkeypatch):
    """A worker is killed while it lays a piece out; another joins mid-build (it was sent no file):
    the pieces are laid out by the others, the book is the same bytes."""
    from blog2book.infra import cluster as cluster_mod

    cluster.add_worker("spare")  # three workers, one killed
    real = cluster_mod.DaskExecutor.share
    events: list[str] = []

    def share(self, digests, load):
        real(self, digests, load)
        if not events:
            events.append("sent")
            cluster.add_worker("late")  # joins after the files were sent

    def kill_when_busy():  # the first worker seen laying a piece out
        for _ in range(1200):
            busy = [w for w, tasks in cluster.client.processing().items() if tasks and w in cluster.processes]
            if busy:
                cluster.kill(busy[0])
                events.append("killed")
                return
            time.sleep(0.02)

    monkeypatch.setattr(cluster_mod.DaskExecutor, "share", share)
    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    try:
        result = cluster_build(project, tmp_path / "out", cluster.address)
    finally:
        killer.join()
    assert result.exit_code == 0, result.output
    assert "killed" in events, "no worker was seen laying a piece out"
    assert (tmp_path / "out" / "tiny.pdf").read_bytes() == reference


def test_an_unreachable_scheduler_keeps_the_previous_pdf(project, reference, tmp_path, small_pieces, monkeypatch):
    import socket

    from blog2book.infra import cluster as cluster_mod

    monkeypatch.setattr(cluster_mod, "CONNECT_SECONDS", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "tiny.pdf").write_bytes(reference)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = cluster_build(project, out, f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1, result.output
    assert "[executor.unreachable]" in result.output and f"127.0.0.1:{port}" in result.output, result.output
    assert (out / "tiny.pdf").read_bytes() == reference and "Traceback" not in result.output


def test_a_scheduler_without_workers_then_lost_mid_build(project, reference, tmp_path, small_pieces, monkeypatch):
    from blog2book.infra import cluster as cluster_mod

    monkeypatch.setattr(cluster_mod, "CONNECT_SECONDS", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "tiny.pdf").write_bytes(reference)
    before = children()
    cluster = Cluster(tmp_path / "dask", forbidden(project))
    try:
        result = cluster_build(project, out, cluster.address)
        assert result.exit_code == 1, result.output
        assert "[executor.no-workers]" in result.output, result.output
        cluster.add_worker("w")
        real = cluster_mod.DaskExecutor.share

        def share(self, digests, load):
            real(self, digests, load)
            if cluster.scheduler.poll() is None:
                cluster.scheduler.send_signal(signal.SIGKILL)
                cluster.scheduler.wait()

        monkeypatch.setattr(cluster_mod.DaskExecutor, "share", share)
        result = cluster_build(project, out, cluster.address)
    finally:
        ours = {p.pid for p in [*cluster.processes.values(), cluster.scheduler]}
        cluster.stop()
    assert result.exit_code == 1, result.output
    assert "[executor.lost]" in result.output and "lost the Dask scheduler" in result.output, result.output
    assert (out / "tiny.pdf").read_bytes() == reference and "Traceback" not in result.output
    assert children() - before - ours == set()  # the build left no process behind


def test_a_scheduler_that_runs_another_blog2book_is_refused(project, tmp_path, small_pieces):
    """The scheduler unpickles the tasks: it is checked like the workers."""
    cluster = Cluster(tmp_path / "dask", forbidden(project), B2B_TEST_VERSION="0.0.0-other")
    try:
        cluster.add_worker("w")
        result = cluster_build(project, tmp_path / "out", cluster.address)
    finally:
        cluster.stop()
    assert result.exit_code == 1, result.output
    assert f"the scheduler runs blog2book 0.0.0-other (here {blog2book.__version__})" in result.output, result.output
    assert "[executor.mismatch]" in result.output and not (tmp_path / "out" / "tiny.pdf").exists()
