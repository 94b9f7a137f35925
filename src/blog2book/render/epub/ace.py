"""DAISY Ace, the EPUB accessibility checker, run on an EPUB: its findings as data.

``run_ace(epub_path, ace_command=None) -> list[Finding]`` runs ``ACE -o OUTDIR EPUB`` in a
temporary folder, reads its ``report.json`` and returns one ``Finding`` per violation (impact
``critical``, ``serious``, ``moderate`` or ``minor``, the rule, the file in the EPUB, Ace's
message). It raises ``AceError`` when Ace cannot run or writes no report. ``ace_command()`` finds
the command: the environment variable ``BLOG2BOOK_ACE`` (a command, split like a shell's words),
else the project's own install (``.tools/ace``, made by ``make test``), else ``ace-puppeteer`` or
``ace`` on ``PATH``; None when there is none. Ace drives a headless Chromium through puppeteer:
Debian's ``/usr/bin/chromium`` is used when ``PUPPETEER_EXECUTABLE_PATH`` is not set.

Used by the tests (0 critical and 0 serious violations on every EPUB they check) and by
``blog2book check --preflight`` (``preflight.ace``).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PROJECT_INSTALL = Path(".tools") / "ace" / "node_modules" / ".bin" / "ace-puppeteer"
TIMEOUT = 600  # seconds: Ace opens every XHTML file of the EPUB in the browser


class AceError(Exception):
    """Ace could not run, or wrote no report."""


@dataclass(frozen=True)
class Finding:
    impact: str  # critical | serious | moderate | minor
    rule: str  # Ace's (axe's) rule, e.g. "epub-lang", "color-contrast"
    file: str  # the file in the EPUB, e.g. "EPUB/chapitre-1.xhtml"
    message: str

    @property
    def blocking(self) -> bool:
        return self.impact in ("critical", "serious")

    def __str__(self) -> str:
        return f"{self.file}: {self.impact}: {self.message} [{self.rule}]"


def ace_command(root: Path | None = None) -> list[str] | None:
    """The command that runs Ace (see the module's docstring), or None."""
    env = os.environ.get("BLOG2BOOK_ACE", "").strip()
    if env:
        return shlex.split(env)
    for base in ([root] if root is not None else []) + [Path(__file__).resolve().parents[4], Path.cwd()]:
        local = base / PROJECT_INSTALL
        if local.is_file() and os.access(local, os.X_OK):
            return [str(local)]
    for name in ("ace-puppeteer", "ace"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def run_ace(epub_path: Path, ace_command: list[str] | str | None = None, timeout: float = TIMEOUT) -> list[Finding]:
    """Ace's violations in ``epub_path`` (a list, empty when it found none)."""
    command = ace_command if ace_command is not None else globals()["ace_command"]()
    if command is None:
        raise AceError("Ace is not installed (npm install @daisy/ace, or set BLOG2BOOK_ACE)")
    if isinstance(command, str):
        command = shlex.split(command)
    env = dict(os.environ)
    if "PUPPETEER_EXECUTABLE_PATH" not in env and Path(CHROMIUM).exists():
        env["PUPPETEER_EXECUTABLE_PATH"] = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="blog2book-ace-") as out:
        try:
            done = subprocess.run(
                [*command, "--force", "--silent", "--outdir", out, str(Path(epub_path).resolve())],
                env=env, capture_output=True, text=True, timeout=timeout, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            raise AceError(f"Ace did not run: {e}") from None
        report = Path(out) / "report.json"
        if not report.is_file():
            raise AceError(f"Ace wrote no report (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-500:]}")
        return findings(json.loads(report.read_text("utf-8")))


def findings(report: dict) -> list[Finding]:
    """The violations of an Ace ``report.json``."""
    out = []
    for subject in report.get("assertions", []):
        where = subject.get("earl:testSubject", {}).get("url", "")
        for a in subject.get("assertions", []):
            if a.get("earl:result", {}).get("earl:outcome") != "fail":
                continue
            test = a.get("earl:test", {})
            out.append(Finding(test.get("earl:impact", ""), test.get("dct:title", ""), where, a["earl:result"].get("dct:description", "").strip()))
    return out
