"""The marks an editor left, whatever they were made in: a proof's annotations (``pdfmarks``) or,
later, a Word document's tracked changes. Each is a frozen ``Mark``: what to do, the printed text
under it and around it, the editor's words, who and when, and the paragraph it is in."""

from __future__ import annotations

import re
from dataclasses import dataclass

DELETE, INSERT, REPLACE, COMMENT = "delete", "insert", "replace", "comment"
EDITS = (DELETE, INSERT, REPLACE)


@dataclass(frozen=True)
class Source:
    """A place in a post: its file (relative to the project), 1-based line and column (0: unknown)."""

    file: str
    line: int
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.col}" if self.col else "")


@dataclass(frozen=True)
class Mark:
    kind: str  # delete | insert | replace | comment
    quoted: str  # the printed text under the mark ("" for an insertion point or a note)
    text: str  # what goes in: the inserted or replacing text ("" for a deletion or a comment)
    note: str  # the editor's words (a comment's text, a note beside an edit)
    author: str
    date: str  # ISO (YYYY-MM-DD HH:MM), or ""
    paragraph: Source | None  # where the paragraph under the mark starts in its post (None: outside any text)
    before: str = ""  # printed text just before the mark in its paragraph (to find the place again)
    after: str = ""  # and just after
    page: int = 0  # the book's page (1-based; 0: unknown)
    what: str = ""  # what the editor's tool called it (StrikeOut, Caret, Highlight, Text, FreeText…)
    where: str = ""  # where in the annotated file (« sheet 3 »)
    problem: str = ""  # why the mark could not be read (a mark over no text)


_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def pdf_date(value: str) -> str:
    """A PDF date (``D:20261207153000Z``) as ``2026-12-07 15:30``; "" when it is not one."""
    m = _PDF_DATE.match(value or "")
    if not m:
        return ""
    y, mo, d, h, mi = m.groups()
    out = y + (f"-{mo}" if mo else "") + (f"-{d}" if mo and d else "")
    return out + (f" {h}:{mi or '00'}" if d and h else "")
