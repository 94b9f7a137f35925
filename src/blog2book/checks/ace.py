"""DAISY Ace, the accessibility checker of EPUB publications, run on an EPUB when it is installed:
the command named by ``BLOG2BOOK_ACE`` (a path, or a command line), else ``ace`` on the PATH. Ace
prints its JSON report on stdout when given no ``--outdir``; its failed assertions are read back
with their impact (critical, serious, moderate, minor) and where they are."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ENV = "BLOG2BOOK_ACE"
TIMEOUT = 600


@dataclass(frozen=True)
class Violation:
    impact: str  # critical | serious | moderate | minor
    rule: str
    description: str
    where: str  # the content document, or ""


def command() -> list[str] | None:
    """How to run Ace here, or None when it is not installed."""
    given = os.environ.get(ENV, "").strip()
    if given:
        words = shlex.split(given)
        found = shutil.which(words[0]) or (words[0] if Path(words[0]).is_file() else None)
        return [found, *words[1:]] if found else None
    found = shutil.which("ace")
    return [found] if found else None


def run(epub: Path, ace: list[str]) -> list[Violation]:
    """Ace's failed assertions on ``epub``. Raises ``RuntimeError`` when Ace gives no report."""
    try:
        done = subprocess.run([*ace, "--silent", str(epub)], capture_output=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"cannot run {ace[0]}: {exc}") from exc
    text = done.stdout.decode("utf-8", "replace")
    try:
        report = json.loads(text[text.index("{"):])
    except ValueError:
        said = (done.stderr.decode("utf-8", "replace") or text).strip().splitlines()
        raise RuntimeError(f"{ace[0]} gave no report (exit {done.returncode}): {said[-1] if said else 'no message'}") from None
    return violations(report)


def violations(report: dict) -> list[Violation]:
    """The failed assertions of an Ace report (EARL: ``assertions`` within ``assertions``)."""
    found: list[Violation] = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            subject = node.get("earl:testSubject")
            if isinstance(subject, dict):
                where = str(subject.get("url", where))
            test, result = node.get("earl:test"), node.get("earl:result")
            if isinstance(test, dict) and isinstance(result, dict) and result.get("earl:outcome") == "fail":
                found.append(Violation(str(test.get("earl:impact", "minor")), str(test.get("dct:title", "")), str(test.get("dct:description", result.get("dct:description", ""))), where))
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(report.get("assertions", []), "")
    return found
