"""Issue 24: inputs that crashed a command, each through the CLI. Every failing case gives a located
message, exit 1 (2 for a usage error), no traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

TINY = REPO / "tests" / "roots" / "tiny"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(TINY, tmp_path / "book")
    return tmp_path / "book"


def clean(result, code: int = 0) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "unexpected failure" not in result.output
    return result.output


# ---------------------------------------------------------------- 4: TeX math

def test_4_tex_math_is_printed(project, tmp_path):
    post = project / "posts" / "premier-billet.md"
    post.write_text(post.read_text("utf-8") + "\n\nUne formule $x^2$ et $$\\int_0^1 f$$ fin.\n", "utf-8")
    m = project / "manuscripts" / "tiny.yml"
    clean(run_cli("check", m))
    clean(run_cli("build", m, "-f", "pdf", "-o", tmp_path / "out"))
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages)
    assert "Une formule x" in text and "∫" in text


# ---------------------------------------------------------------- 6: a slug too long for a file name

WXR = REPO / "tests" / "roots" / "import" / "blog.wxr"


def test_6_a_400_character_slug_is_shortened_in_the_file_name_only(tmp_path):
    import yaml

    slug = "tres-" + "long-" * 79 + "billet"  # 400 characters
    text = WXR.read_text("utf-8").replace("<wp:post_name><![CDATA[pourquoi-bloguer]]></wp:post_name>", f"<wp:post_name><![CDATA[{slug}]]></wp:post_name>")
    assert slug in text
    (tmp_path / "long.wxr").write_text(text, "utf-8")
    clean(run_cli("import", tmp_path / "long.wxr", cwd=tmp_path))
    (path,) = [p for p in (tmp_path / "posts").glob("tres-long-*.md")]
    assert len(path.name.encode()) <= 255
    assert yaml.safe_load(path.read_text("utf-8").split("---\n")[1])["slug"] == slug
    again = clean(run_cli("import", tmp_path / "long.wxr", cwd=tmp_path))  # again: the same file, unchanged
    assert "0 added" in again and len(list((tmp_path / "posts").glob("tres-long-*.md"))) == 1


# ---------------------------------------------------------------- 10: a null byte in a preview URL

def test_10_preview_answers_400_to_a_null_byte(tmp_path):
    import re
    import socket

    from test_preview import start, stop, wait_for

    assert run_cli("init", tmp_path / "livre").exit_code == 0
    proc = start(["preview", "--port", "0"], tmp_path / "livre")
    try:
        line = wait_for(lambda: proc.stderr.readline(), what="the server's address")
        while "serving" not in line:
            line = proc.stderr.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        for path, status in (("/%00", 400), ("/a%00b.html", 400), ("/" + "x" * 5000, 404)):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                reply = b""
                while chunk := s.recv(65536):
                    reply += chunk
            assert reply.split(b" ", 2)[1] == str(status).encode(), reply[:200]
        assert proc.poll() is None
    finally:
        stop(proc)
    assert "Traceback" not in proc.stderr.read()


# ---------------------------------------------------------------- 8: a Dask address without a host or port

@pytest.mark.parametrize("address", ["dask://", "dask://127.0.0.1:notaport", "dask://127.0.0.1", "dask://:8786", "tcp://h:0", "dask://h:99999"])
def test_8_a_dask_address_is_checked_before_any_work(project, tmp_path, address):
    import time

    began = time.monotonic()
    result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "pdf", "-o", tmp_path / "out", "--executor", address)
    output = clean(result, 2)
    assert "--executor" in output and "dask://HOST:PORT" in output
    assert time.monotonic() - began < 3 and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- 5: deep nesting in a feed or a front matter

def test_5_atom_xhtml_content_nested_1000_deep_is_refused_at_its_line(tmp_path):
    spans = "<span>" * 1000 + "profond" + "</span>" * 1000
    (tmp_path / "feed.atom").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id>\n'
        '<updated>2010-01-01T00:00:00Z</updated>\n<entry><title>Profond</title><id>urn:1</id><updated>2010-01-01T00:00:00Z</updated>\n'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{spans}</div></content></entry></feed>\n', "utf-8")
    err = clean(run_cli("import", tmp_path / "feed.atom", cwd=tmp_path), 1)
    assert "feed.atom:5:" in err and "nested more than 100 levels deep" in err and "[import.malformed]" in err
    assert not (tmp_path / "posts").exists()


@pytest.mark.parametrize("kind, text, line", [
    ("yaml", "---\ntitle: a\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\ncorps\n", 3),
    ("yaml-block", "---\ntitle: a\n" + "".join(" " * i + f"k{i}:\n" for i in range(2000)) + "---\ncorps\n", 42),
    ("toml", '+++\ntitle = "a"\nx = ' + "[" * 100_000 + "]" * 100_000 + "\n+++\ncorps\n", 3),
    ("json", '{"title": "a",\n"x": ' + "[" * 100_000 + "]" * 100_000 + "}\ncorps\n", 2),
])
def test_5_front_matter_nested_100000_deep_is_refused_at_its_line(tmp_path, kind, text, line):
    (tmp_path / "site" / "_posts").mkdir(parents=True)
    (tmp_path / "site" / "_posts" / "2010-01-01-profond.md").write_text(text, "utf-8")
    err = clean(run_cli("import", tmp_path / "site", "--from", "jekyll", cwd=tmp_path), 1)
    assert f"2010-01-01-profond.md:{line}:" in err and "nested more than 40 levels deep" in err and "[import.front-matter]" in err


def test_5_brackets_in_the_body_after_json_front_matter_are_not_nesting(tmp_path):
    (tmp_path / "site" / "_posts").mkdir(parents=True)
    body = "".join(f"Voir [note {i}\n" for i in range(45))
    (tmp_path / "site" / "_posts" / "2010-01-01-crochets.md").write_text('{"title": "Crochets"}\n\n' + body, "utf-8")
    clean(run_cli("import", tmp_path / "site", "--from", "jekyll", "--into", tmp_path / "posts", cwd=tmp_path), 0)
    assert "Voir [note 44" in (tmp_path / "posts" / "crochets.md").read_text("utf-8")


# ---------------------------------------------------------------- 7: a posts folder on another device, a full disk

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _no_temporary_folder(tmp_path: Path) -> None:
    assert [p for p in tmp_path.rglob("*import-*") if p.is_dir()] == []


def test_7_import_into_a_posts_folder_that_is_a_mount_point(tmp_path, monkeypatch):
    import errno

    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a-moi.md").write_text("---\ntitle: À moi\n---\n\nTexte.\n", "utf-8")
    real = os.replace

    def across_devices(src, dst, *args, **kwargs):  # posts/ is a file system of its own
        inside = [Path(p).resolve().is_relative_to(posts.resolve()) for p in (src, dst)]
        if inside[0] != inside[1]:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src), None, str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", across_devices)
    out = clean(run_cli("import", WXR, cwd=tmp_path))
    assert "3 added" in out and (posts / "pourquoi-bloguer.md").is_file() and (posts / "a-moi.md").is_file()
    assert (posts / ".blog2book-import.json").is_file()
    _no_temporary_folder(tmp_path)


def test_7_import_onto_a_full_disk_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    import errno

    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a-moi.md").write_text("---\ntitle: À moi\n---\n\nTexte.\n", "utf-8")
    before = _tree(posts)
    real = Path.write_text
    calls = []

    def full(self, *args, **kwargs):
        if self.suffix == ".md" and any(part.startswith(".blog2book-import-") for part in self.parts):
            calls.append(self)
            if len(calls) == 2:  # one post is written already
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    err = clean(run_cli("import", WXR, cwd=tmp_path), 1)
    assert "the disk is full" in err and "[import.write]" in err and "the posts folder is as it was" in err
    assert f"posts/{calls[1].name}" in err
    assert _tree(posts) == before
    _no_temporary_folder(tmp_path)

    # the state file, the last one written: nothing is in place either
    calls.clear()
    monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")) if self.name == ".blog2book-import.json" else real(self, *a, **k))
    err = clean(run_cli("import", WXR, cwd=tmp_path), 1)
    assert "the disk is full" in err and "[import.write]" in err
    assert _tree(posts) == before
    _no_temporary_folder(tmp_path)


def test_7_a_temporary_folder_left_by_a_killed_import_is_not_read(project):
    left = project / "posts" / ".blog2book-import-k1ll3d"
    left.mkdir()
    shutil.copy(project / "posts" / "premier-billet.md", left / "premier-billet.md")  # the same slug twice, if it were read
    assert "slug" not in clean(run_cli("check", project / "manuscripts" / "tiny.yml"))
    listed = run_cli("posts", "--format", "json", "--posts-dir", project / "posts", cwd=project)
    assert listed.exit_code == 0, listed.output
    assert ".blog2book-import-" not in listed.stdout and listed.stdout.count('"premier-billet"') == 1


# ---------------------------------------------------------------- 9: a build killed while its workers lay out

def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name; None for a process gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields


def _python_workers(pid: int) -> set[int]:
    """The live Python processes under ``pid`` (not pandoc's, started and ended along the way)."""
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        fields = _stat(int(entry))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child)
            with contextlib.suppress(OSError):
                if b"python" in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.add(child)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the processes in /proc")
def test_9_workers_end_when_the_build_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])))
    build = subprocess.Popen([sys.executable, "-m", "blog2book", "build", REPO / "manuscripts" / "medias-sociaux.yml", "-f", "pdf", "-j", "2", "-o", tmp_path / "out"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < end and build.poll() is None:
            time.sleep(0.2)
            workers = _python_workers(build.pid)
        assert len(workers) >= 2, "the build laid nothing out in workers"
        time.sleep(1.0)  # the workers at work
        workers |= _python_workers(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait()
        end = time.monotonic() + 5
        while any(_stat(pid) for pid in workers) and time.monotonic() < end:
            time.sleep(0.1)
        left = [pid for pid in workers if _stat(pid)]
        for pid in left:  # not to leave them to the next test
            os.kill(pid, signal.SIGKILL)
        assert left == [], "workers still alive 5 s after the build was killed"
    finally:
        if build.poll() is None:
            build.kill()
