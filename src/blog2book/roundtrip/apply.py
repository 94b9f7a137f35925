"""Each mark found again in its post, and the edits made.

A mark is looked for by its printed context: the text just before it, the text under it and the
text just after it (folded to keys, roundtrip/locate.py), in the post its paragraph came from,
nearest the paragraph's line. Found: the edit is the post's span of the quoted text (an
insertion: the point between its context), with the text that goes in. Not found, but its context
is there with the edit already made: it is done (a proof applied twice changes nothing). Else it is
a conflict: the post was edited there since the proof, and the mark is left to the author.
An edit is (post file, line, column, old text, new text): what a Word reader will produce too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path

from blog2book.roundtrip.locate import Projection, clean_insert, key, nearest, project
from blog2book.roundtrip.marks import COMMENT, DELETE, EDITS, INSERT, Mark, Source

WINDOW = 24  # key characters of context kept on each side
SHORT = 8  # a side cut short
APPLY, DONE, CONFLICT, NOTE = "apply", "done", "conflict", "note"


@dataclass(frozen=True)
class Edit:
    file: str
    start: int  # offsets in the post's text
    end: int
    old: str
    new: str


@dataclass(frozen=True)
class Located:
    """A mark and what became of it: ``status`` apply | done | conflict | note (a comment)."""

    mark: Mark
    status: str
    source: Source | None  # the place in the post (the paragraph's line when the text was not found)
    edit: Edit | None = None
    reason: str = ""  # a conflict: why
    now: str = ""  # a conflict: what the post holds there now


class Posts:
    """The posts' texts, read once, and their projections (with and without digits: a note call
    prints a number after a word that the post does not hold)."""

    def __init__(self, root: Path):
        self.root = root
        self.texts: dict[str, str] = {}
        self.projections: dict[tuple[str, bool], Projection] = {}

    def text(self, file: str) -> str | None:
        if file not in self.texts:
            path = (self.root / file)
            try:
                if not path.resolve().is_relative_to(self.root.resolve()):
                    return None
                self.texts[file] = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return self.texts[file]

    def projection(self, file: str, digits: bool) -> Projection | None:
        text = self.text(file)
        if text is None:
            return None
        if (file, digits) not in self.projections:
            self.projections[file, digits] = project(text, digits)
        return self.projections[file, digits]


def locate(mark: Mark, posts: Posts) -> Located:
    para = mark.paragraph
    if para is None or mark.problem:
        status = NOTE if mark.kind == COMMENT else CONFLICT
        return Located(mark, status, para, reason=mark.problem or "the mark is outside the posts' text", now=_now(posts, para) if para else "")
    if posts.text(para.file) is None:
        return Located(mark, NOTE if mark.kind == COMMENT else CONFLICT, para, reason=f"{para.file} cannot be read")
    for digits in (True, False):
        proj = posts.projection(para.file, digits)
        found = _find(mark, proj, digits)
        if found is not None:
            return found
    if mark.kind == COMMENT:
        return Located(mark, NOTE, para)
    place = _nearby(mark, posts.projection(para.file, True)) or para
    return Located(mark, CONFLICT, place, reason="the text under the mark is no longer at that place in the post", now=_now(posts, place))


def _find(mark: Mark, proj: Projection, digits: bool) -> Located | None:
    b = key(mark.before, digits)[-WINDOW:]
    a = key(mark.after, digits)[:WINDOW]
    q = key(mark.quoted, digits)
    t = key(clean_insert(mark.text), digits)
    origin = proj.key_at_line(mark.paragraph.line)
    if mark.kind != INSERT and not q:
        return None
    for bb, aa in _contexts(b, a):
        hits = proj.find_all(bb + q + aa)
        if not hits:
            continue
        at = nearest(hits, origin - len(bb)) + len(bb)
        if mark.kind == INSERT:
            start = end = _insertion_point(mark, proj, at)
        else:
            start, end = proj.span(at, at + len(q))
        line, col = proj.line_col(start)
        place = Source(mark.paragraph.file, line, col)
        if mark.kind == COMMENT:
            return Located(mark, NOTE, place)
        return Located(mark, APPLY, place, _edit(mark, proj.source, place.file, start, end))
    if mark.kind not in EDITS:
        return None
    # already made? (the other marks of the proof may have changed its context: one side at a time)
    sides = _contexts(b, a) + ([(b, ""), ("", a)] if len(t) >= 3 else [])
    for bb, aa in sides:
        done = proj.find_all(bb + t + aa) if len(bb + t + aa) >= 8 else []
        if done:
            at = nearest(done, origin - len(bb)) + len(bb)
            start = proj.starts[at] if at < len(proj.starts) else len(proj.source)
            line, col = proj.line_col(start)
            return Located(mark, DONE, Source(mark.paragraph.file, line, col))
    return None


def _contexts(b: str, a: str) -> list[tuple[str, str]]:
    """The mark's context, then with one side cut short (another mark of the proof may be there)."""
    out = [(b, a)]
    if len(b) > SHORT:
        out.append((b[-SHORT:], a))
    if len(a) > SHORT:
        out.append((b, a[:SHORT]))
    return out


def _insertion_point(mark: Mark, proj: Projection, at: int) -> int:
    """Where the inserted text goes: after the key character before the caret, or before the one
    after it when the caret stood at the start of a word (after a space)."""
    if at == 0:
        return proj.starts[0] if proj.starts else len(proj.source)
    if at >= len(proj.starts) or not mark.before[-1:].isspace():
        return proj.ends[at - 1]
    return proj.starts[at]


_CLOSING = ".,;:!?)]}»…"
_OPENING = "([{«\"'’"


def _edit(mark: Mark, source: str, file: str, start: int, end: int) -> Edit:
    new = clean_insert(mark.text) if mark.kind != DELETE else ""
    # emphasis around exactly the marked text goes with it
    while 0 < start and end < len(source) and source[start - 1] == source[end] and source[start - 1] in "*_" and mark.kind == DELETE:
        start, end = start - 1, end + 1
    if mark.kind == DELETE:
        if start > 0 and source[start - 1] == " " and (end == len(source) or source[end] in " \n" + _CLOSING):
            start -= 1
        elif end < len(source) and source[end] == " " and (start == 0 or source[start - 1] in "\n" + _OPENING):
            end += 1
    elif mark.kind == INSERT and new.strip():
        left = source[start - 1] if start > 0 else "\n"
        right = source[start] if start < len(source) else "\n"
        if left.isspace() and right.isalnum() and not new[-1].isspace():
            new = new + " "
        elif (left.isalnum() or left in _CLOSING) and (right.isspace() or right in _CLOSING) and not new[0].isspace() and new[0] not in _CLOSING:
            new = " " + new
    return Edit(file, start, end, source[start:end], new)


def _nearby(mark: Mark, proj: Projection) -> Source | None:
    """Where the mark's context is now, by one side of it (the text was edited between): the line
    to show beside the conflict."""
    origin = proj.key_at_line(mark.paragraph.line)
    for side, after in ((key(mark.before)[-SHORT - 4:], True), (key(mark.after)[:SHORT + 4], False)):
        hits = proj.find_all(side) if len(side) >= SHORT else []
        if hits:
            at = nearest(hits, origin) + (len(side) - 1 if after else 0)
            return Source(mark.paragraph.file, proj.line_col(proj.starts[at])[0])
    return None


def _now(posts: Posts, para: Source) -> str:
    lines = (posts.text(para.file) or "").splitlines()
    return lines[para.line - 1].strip() if 0 < para.line <= len(lines) else ""


_MARKUP = "*_[]()<>`"


def settle(located: list[Located], posts: Posts) -> list[Located]:
    """The edits to make, checked together: an edit that crosses the post's formatting (an
    unbalanced ``*``, a link's brackets) or overlaps another is a conflict, left to the author."""
    out: list[Located] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    for item in located:
        if item.status != APPLY:
            out.append(item)
            continue
        e = item.edit
        unbalanced = [c for c in "*_`" if e.old.count(c) % 2] + [p for p in ("[]", "()", "<>") if e.old.count(p[0]) != e.old.count(p[1])]
        if unbalanced:
            out.append(replace(item, status=CONFLICT, edit=None, reason=f"the marked text crosses the post's formatting ({' '.join(unbalanced)}): make this edit by hand", now=e.old))
            continue
        spans = taken.setdefault(e.file, [])
        if any(s < e.end and e.start < t or (s == t == e.start == e.end) for s, t in spans):
            out.append(replace(item, status=CONFLICT, edit=None, reason="another mark edits the same text", now=e.old))
            continue
        spans.append((e.start, e.end))
        out.append(item)
    return out


def edited(posts: Posts, located: list[Located]) -> dict[str, tuple[str, str]]:
    """file -> (text before, text after) for every post an applied mark changes."""
    by_file: dict[str, list[Edit]] = {}
    for item in located:
        if item.status == APPLY:
            by_file.setdefault(item.edit.file, []).append(item.edit)
    out = {}
    for file, edits in by_file.items():
        old = posts.text(file)
        new = old
        for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            new = new[:e.start] + e.new + new[e.end:]
        if new != old:
            out[file] = (old, new)
    return out


def unified_diff(changes: dict[str, tuple[str, str]]) -> str:
    parts = []
    for file, (old, new) in sorted(changes.items()):
        parts.extend(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{file}", f"b/{file}"))
    return "".join(p if p.endswith("\n") else p + "\n\\ No newline at end of file\n" for p in parts)
