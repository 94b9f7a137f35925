"""`blog2book preview` in a real browser (headless Chromium) and `blog2book build --watch`,
both run as the author runs them: a separate process in a project made by `blog2book init`."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def project(tmp_path):
    result = run_cli("init", tmp_path / "livre")
    assert result.exit_code == 0, result.output
    return tmp_path / "livre"


def start(args, cwd: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH")])))
    # Ctrl-C as in a terminal: a shell without job control starts background jobs with SIGINT
    # ignored (POSIX), and a process inherits that; Python then never raises KeyboardInterrupt
    return subprocess.Popen([sys.executable, "-m", "blog2book", *args], cwd=cwd, env=env, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for(predicate, timeout=90.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:  # the error page comes with status 500
        return exc.read().decode("utf-8")


def dump_dom(url: str, profile: Path) -> str:
    """The page as Chromium renders it (after its scripts run)."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs it with apt-get when run as root)")
def test_preview_in_a_browser_rebuilds_on_edit_and_shows_errors(project, tmp_path):
    proc = start(["preview", "--port", "0"], project)
    try:
        line = wait_for(lambda: proc.stderr.readline(), what="the server's address")
        while "serving" not in line:
            line = proc.stderr.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        dom = dump_dom(base + "chapitre-1.html", tmp_path / "chrome")
        assert "Pourquoi tenir un blogue" in dom and "Tenir un" in dom and '<html lang="fr-CA"' in dom
        assert "/__blog2book/version" in dom  # the preview's reload script, added when serving
        version = fetch(base + "__blog2book/version")

        post = project / "posts" / "premier-billet.md"
        post.write_text(post.read_text("utf-8").replace("Tenir un blogue,", "Tenir un carnet en ligne,"), "utf-8")
        wait_for(lambda: fetch(base + "__blog2book/version") != version, what="a rebuild")
        dom = dump_dom(base + "chapitre-1.html", tmp_path / "chrome")
        assert "Tenir un carnet en ligne" in dom

        # a post the book uses, broken (a broken post the book does not use is only a warning)
        version = fetch(base + "__blog2book/version")
        good = post.read_text("utf-8")
        post.write_text("---\ntitle: [oups\n---\n", "utf-8")
        wait_for(lambda: fetch(base + "__blog2book/version") != version, what="a failed rebuild")
        dom = dump_dom(base + "chapitre-1.html", tmp_path / "chrome")
        assert "The book could not be built" in dom and "posts/premier-billet.md:2:8: error: invalid YAML" in dom

        version = fetch(base + "__blog2book/version")
        post.write_text(good, "utf-8")
        wait_for(lambda: fetch(base + "__blog2book/version") != version, what="the repaired build")
        assert "Tenir un carnet en ligne" in dump_dom(base + "chapitre-1.html", tmp_path / "chrome")
        assert proc.poll() is None  # the broken post did not stop the server
    finally:
        code = stop(proc)
    assert code == 130


def test_build_watch_rebuilds_the_chosen_formats(project):
    out = project / "build" / "livre.md"
    proc = start(["build", "--watch", "-f", "md"], project)
    try:
        wait_for(out.is_file, what="the first build")
        post = project / "posts" / "deuxieme-billet.md"
        post.write_text(post.read_text("utf-8").replace("Choisir les billets", "Trier les billets"), "utf-8")
        wait_for(lambda: "Trier les billets" in out.read_text("utf-8"), what="the rebuild")
        assert not (project / "build" / "livre.pdf").exists()  # only the chosen format
    finally:
        code = stop(proc)
    assert code == 130
    assert "change seen: rebuilding" in proc.stderr.read()
