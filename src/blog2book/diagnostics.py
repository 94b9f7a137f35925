"""Diagnostics shared by every stage: a location, a level, a dotted code.

Stages never print: they return or raise diagnostics, and the CLI decides how to show them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path


MAX_TEXT_BYTES = 4 * 1024 * 1024  # a post, a manuscript or a matter file
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MAX_MESSAGE = 4000


def printable(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Text safe to print on a terminal: control characters (ESC…) escaped, cut at ``limit``."""
    text = _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


class Level(IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30


@dataclass(frozen=True)
class Location:
    path: Path | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        if self.path is None:
            return ""
        text = printable(_display_path(self.path))
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text


def _display_path(path: Path) -> str:
    for base, full in ((Path.cwd(), Path(path).absolute()), (Path.cwd().resolve(), Path(path).resolve())):
        try:  # the path as given first: a symlinked post is shown where it lies, not where it leads
            return str(full.relative_to(base))
        except ValueError:
            continue
    return str(path)


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    code: str
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None

    def format(self) -> str:
        where = str(self.location)
        prefix = f"{where}: " if where else ""
        label = f"{self.level.name.lower()}: "  # error:, warning:, info: (as compilers print them)
        text = f"{prefix}{label}{printable(self.message)}"
        if self.hint:
            text += f" ({printable(self.hint)})"
        return f"{text} [{self.code}]"


def error(code: str, message: str, location: Location | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Level.ERROR, code, message, location or Location(), hint)


def warning(code: str, message: str, location: Location | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Level.WARNING, code, message, location or Location(), hint)


def info(code: str, message: str, location: Location | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Level.INFO, code, message, location or Location(), hint)


def did_you_mean(word: str, choices, cutoff: float = 0.6) -> str | None:
    """A hint like "did you mean 'title'?" for the closest choice, or None."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f"did you mean '{matches[0]}'?" if matches else None


def read_utf8(path: Path, what: str) -> tuple[str | None, Diagnostic | None]:
    """A text file of the author's, or the located error saying why it cannot be read
    (``what`` names it in the code: ``post.encoding``, ``manifest.unreadable``…)."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_TEXT_BYTES:
            return None, error(
                f"{what}.too-large",
                f"the file is {size / 1048576:.1f} MB; blog2book reads text files up to {MAX_TEXT_BYTES // 1048576} MB",
                Location(path),
                "split it, or check that it is the file you meant",
            )
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, error(f"{what}.unreadable", f"cannot read the file: {exc.strerror}", Location(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        return None, error(f"{what}.encoding", message, Location(path, line, col), "save it as UTF-8")
    return text.lstrip("\ufeff").replace("\r\n", "\n"), None


class BuildError(Exception):
    """Raised when a phase cannot go on; carries every diagnostic gathered so far."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], phase: str = ""):
        self.diagnostics = tuple(diagnostics)
        self.phase = phase
        super().__init__("; ".join(d.format() for d in self.diagnostics) or phase)


class Reporter:
    """Collects diagnostics in order; knows whether the build has failed."""

    def __init__(self, strict: bool = False, sink=None):
        self.strict = strict
        self.items: list[Diagnostic] = []
        self._sink = sink

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)
        if self._sink is not None:
            self._sink(diagnostic)

    def extend(self, diagnostics) -> None:
        for d in diagnostics:
            self.add(d)

    def count(self, level: Level) -> int:
        return sum(1 for d in self.items if d.level == level)

    @property
    def failed(self) -> bool:
        if self.count(Level.ERROR):
            return True
        return self.strict and self.count(Level.WARNING) > 0
