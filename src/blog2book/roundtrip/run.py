"""``blog2book corrections``: an annotated proof read, its marks located in the posts, the edits
made (``--apply``) or written as a patch (``--patch``). The command line prints what this returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from blog2book.diagnostics import BuildError, Location, error
from blog2book.infra.atomic import atomic_write
from blog2book.roundtrip.apply import Located, Posts, edited, locate, settle, unified_diff
from blog2book.roundtrip.docxmarks import is_docx, read_docx
from blog2book.roundtrip.pdfmarks import MarksError, read_marks


@dataclass(frozen=True)
class Outcome:
    build: str
    items: tuple[Located, ...]
    changes: dict  # post file -> (text now, text corrected)
    diff: str


def read(pdf: Path, root: Path) -> Outcome:
    """The marks of ``pdf`` (an annotated proof, or the editors' DOCX with tracked changes) located in
    the posts of the project at ``root``; nothing written."""
    try:
        smap, marks = read_docx(pdf) if is_docx(pdf) else read_marks(pdf)
    except MarksError as exc:
        raise BuildError([error(exc.code, str(exc), Location(pdf), exc.hint)]) from None
    if smap.files and not any((root / f).is_file() for f in smap.files):
        raise BuildError([error("corrections.other-project", f"none of the {'document' if is_docx(pdf) else 'proof'}'s {len(smap.files)} post(s) is in this project ({smap.files[0]}…)",
                                Location(pdf), "run this in the project the proof was made from, or name its manuscript")])
    posts = Posts(root)
    items = settle([locate(m, posts) for m in _in_order(marks)], posts)
    changes = edited(posts, items)
    return Outcome(smap.build, tuple(items), changes, unified_diff(changes))


def _in_order(marks):
    return sorted(marks, key=lambda m: (m.paragraph is None, m.paragraph.file if m.paragraph else "", m.paragraph.line if m.paragraph else 0, m.page))


def write_posts(root: Path, outcome: Outcome) -> list[Path]:
    """The corrected posts written, each atomically; a post changed on disk since it was read is
    left alone (an error: run the command again)."""
    written, moved = [], []
    for file, (old, new) in sorted(outcome.changes.items()):
        path = root / file
        try:
            if path.read_text("utf-8") != old:
                moved.append(file)
                continue
            atomic_write(path, new)
        except OSError as exc:
            raise BuildError([error("corrections.write", f"cannot write the corrected post: {exc.strerror or exc}", Location(path), "check the file's permissions and the disk, then run this again")]) from None
        written.append(path)
    if moved:
        raise BuildError([error("corrections.moved", "the post changed while the corrections were read; it was left as it is", Location(root / f), "run blog2book corrections again") for f in moved])
    return written


def write_file(path: Path, text: str, what: str) -> None:
    """The report or the patch, written atomically; a folder that is not there is an error."""
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise BuildError([error("corrections.write", f"cannot write the {what}: {exc.strerror or exc}", Location(path),
                                "give a path in a folder that exists and that you may write to")]) from None
