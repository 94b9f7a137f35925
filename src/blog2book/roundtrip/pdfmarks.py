"""Marks read from an annotated PDF made by blog2book (its source map: roundtrip/sourcemap.py).

StrikeOut: a deletion; Caret: an insertion (its text, or the text of a note attached to it);
StrikeOut grouped with a Caret or a note (``/IRT``: Acrobat's « replace text »): a replacement;
Highlight, Underline, Squiggly (with their note), Text (a sticky note), FreeText: comments. The
printed text under a mark is read from the map: the characters whose middle lies inside its quad
points, hyphenated words joined (roundtrip/locate.py ``printed``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from blog2book.roundtrip.marks import COMMENT, DELETE, INSERT, REPLACE, Mark, Source, pdf_date
from blog2book.roundtrip.sourcemap import EMBEDDED_NAME, MapError, SourceMap, decode

CONTEXT = 60  # printed characters kept on each side of a mark
_TEXT_MARKS = {"/StrikeOut", "/Highlight", "/Underline", "/Squiggly"}
_NOTES = {"/Text", "/FreeText"}


class MarksError(Exception):
    """The file cannot be read as an annotated blog2book PDF: ``code``, message, hint."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.hint = code, hint


@dataclass(frozen=True)
class Run:
    """A paragraph's text on one page: its lines joined; ``where[i]`` is (line index, char) of text[i]."""

    anchor: str
    text: str
    where: tuple[tuple[int, int], ...]


def runs(smap: SourceMap, page: int) -> list[Run]:
    out: dict[str, tuple[list[str], list[tuple[int, int]]]] = {}
    for n, line in enumerate(smap.pages[page]):
        chars, where = out.setdefault(line.anchor, ([], []))
        if chars and chars[-1] != "\ufffe":
            chars.append(" ")
            where.append((n, -1))
        chars.extend(line.text)
        where.extend((n, i) for i in range(len(line.text)))
    return [Run(a, "".join(c), tuple(w)) for a, (c, w) in out.items()]


def read_marks(path: Path) -> tuple[SourceMap, list[Mark]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    encrypted = MarksError("corrections.encrypted", "the PDF is encrypted with a password",
                           "save the annotated proof without a password (or ask the editor for an unprotected copy), then run this again")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not _opens(reader):
            raise encrypted
        blobs = reader.attachments.get(EMBEDDED_NAME) or []
        pages = list(reader.pages)
    except MarksError:
        raise
    except (DependencyError, FileNotDecryptedError):
        raise encrypted from None
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise MarksError("corrections.unreadable", f"cannot read the PDF ({type(exc).__name__}: {str(exc)[:120]})", "give the annotated proof or PDF that blog2book made") from exc
    if not blobs:
        raise MarksError("corrections.no-sourcemap", "this PDF carries no blog2book source map: it was not made by blog2book (or its maker dropped the map when saving)",
                         "annotate the review proof (blog2book build --profile review) or the PDF blog2book built, and save it with your reader")
    try:
        smap = decode(blobs[0])
    except MapError as exc:
        raise MarksError("corrections.bad-sourcemap", str(exc), "rebuild the proof with this version of blog2book") from exc
    if smap.needs_lines:  # a book PDF's map: its printed lines are read from the file itself
        from blog2book.roundtrip.pdflines import read_lines

        try:
            smap = smap.with_lines(read_lines(path.read_bytes(), smap.bands))
        except Exception as exc:  # noqa: BLE001 - pdfium's errors on a file pypdf could read
            raise MarksError("corrections.unreadable", f"cannot read the PDF's text ({type(exc).__name__}: {str(exc)[:120]})",
                             "give the annotated PDF that blog2book made, saved by your reader") from exc
    annots = []
    for sheet, page in enumerate(pages):
        for ref in page.get("/Annots", None) or ():
            try:
                annot = ref.get_object()
            except Exception:  # a dangling reference in a damaged file: the other marks are read
                continue
            if hasattr(annot, "get") and annot.get("/Subtype") in _TEXT_MARKS | _NOTES | {"/Caret"}:
                annots.append((sheet, getattr(ref, "idnum", None), annot))
    return smap, marks_of(smap, annots)


def _opens(reader) -> bool:
    """An encrypted PDF that opens with no password (a permissions-only protection) is read."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf's DependencyError (AES without the cryptography package) and the like
        return False


def _irt(annot):
    ref = annot.get("/IRT")
    return getattr(ref, "idnum", None) if ref is not None else None


def _string(annot, name: str) -> str:
    value = annot.get(name)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip() if value is not None else ""


def marks_of(smap: SourceMap, annots: list) -> list[Mark]:
    """Marks from (sheet, object number, annotation) triples: replies and groups joined to their mark."""
    by_id = {i: (sheet, a) for sheet, i, a in annots if i is not None}
    children: dict[int, list] = {}
    for sheet, i, a in annots:
        parent = _irt(a)
        if parent in by_id:
            children.setdefault(parent, []).append((i, a))
    used: set = set()
    out: list[Mark] = []
    for sheet, i, a in annots:
        if i in used:
            continue
        kind = a.get("/Subtype")
        parent = _irt(a)
        if parent in by_id and parent != i:
            continue  # a reply or a group's member: read with the mark it belongs to
        replies = [c for c in children.get(i, []) if c[0] not in used]
        if kind == "/Caret" and any(c[1].get("/Subtype") == "/StrikeOut" for c in replies):
            # Acrobat's « replace text » grouped the other way round: the strike-out names the caret
            strike = next(c for c in replies if c[1].get("/Subtype") == "/StrikeOut")
            used.add(strike[0])
            out.extend(_text_marks(smap, sheet, strike[1], REPLACE, _string(a, "/Contents"), [c for c in replies if c is not strike], a))
            continue
        if kind == "/StrikeOut":
            insert = next((c for c in replies if c[1].get("/Subtype") in ("/Caret", "/Text", "/FreeText") and _string(c[1], "/Contents")), None)
            if insert is not None:
                used.add(insert[0])
                out.extend(_text_marks(smap, sheet, a, REPLACE, _string(insert[1], "/Contents"), [c for c in replies if c is not insert], a))
            else:
                out.extend(_text_marks(smap, sheet, a, DELETE, "", replies, a))
        elif kind in _TEXT_MARKS:
            out.extend(_text_marks(smap, sheet, a, COMMENT, "", replies, a))
        elif kind == "/Caret":
            text = _string(a, "/Contents") or next((_string(c[1], "/Contents") for c in replies if _string(c[1], "/Contents")), "")
            out.append(_caret(smap, sheet, a, text))
        else:
            out.append(_note(smap, sheet, a, replies))
    return out


def _notes(own: str, replies: list) -> str:
    return "\n".join(t for t in [own, *(_string(c[1], "/Contents") for c in replies)] if t)


def _who(a) -> tuple[str, str]:
    return _string(a, "/T"), pdf_date(_string(a, "/M") or _string(a, "/CreationDate"))


def _quads(a) -> list[tuple[float, float, float, float]]:
    q = [float(v) for v in a.get("/QuadPoints", None) or ()]
    boxes = []
    for k in range(0, len(q) - 7, 8):
        xs, ys = q[k:k + 8:2], q[k + 1:k + 8:2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if not boxes and "/Rect" in a:
        x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
        boxes.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return boxes


def _paragraph(smap: SourceMap, anchor: str) -> Source | None:
    p = smap.paragraphs.get(anchor)
    return Source(p.file, p.line) if p is not None else None


def _text_marks(smap: SourceMap, sheet: int, a, kind: str, text: str, replies: list, who) -> list[Mark]:
    """The mark over the characters its quad points cover: one per paragraph it runs over (a
    deletion over the end of one paragraph and the start of the next is two); a replacement over
    several paragraphs cannot be split, it is a problem."""
    author, date = _who(who)
    own = _string(a, "/Contents")
    note = _notes(own if own != text else "", replies)
    selected: dict[int, set[tuple[int, int]]] = {}
    for x0, y0, x1, y1 in _quads(a):
        placed = smap.placed(sheet, (x0 + x1) / 2, (y0 + y1) / 2)
        if placed is None:
            continue
        page, bx, by = placed
        dx, dy = (x0 + x1) / 2 - bx, (y0 + y1) / 2 - by
        for n, line in enumerate(smap.pages[page]):
            middle = (line.box[1] + line.box[3]) / 2
            if not y0 - dy <= middle <= y1 - dy:
                continue
            for i in range(len(line.text)):
                left, right = line.char_span(i)
                if x0 - dx <= (left + right) / 2 <= x1 - dx:
                    selected.setdefault(page, set()).add((n, i))
    base = dict(kind=kind, text=text, note=note, author=author, date=date, what=str(a.get("/Subtype", ""))[1:], where=f"sheet {sheet + 1}")
    out = []
    for page in sorted(selected):
        for run in runs(smap, page):
            picked = [k for k, w in enumerate(run.where) if w in selected[page]]
            if picked:
                a0, b0 = picked[0], picked[-1] + 1
                out.append(Mark(quoted=run.text[a0:b0], paragraph=_paragraph(smap, run.anchor), before=run.text[max(0, a0 - CONTEXT):a0],
                                after=run.text[b0:b0 + CONTEXT], page=page + 1, **base))
    if not out:
        return [Mark(quoted="", paragraph=None, problem="the mark covers no text of the book's pages", **base)]
    if len(out) > 1 and kind == REPLACE:
        return [Mark(quoted=" / ".join(m.quoted for m in out), paragraph=out[0].paragraph, before=out[0].before, after=out[-1].after, page=out[0].page,
                     problem=f"the replacement runs over {len(out)} paragraphs: make it by hand", **base)]
    if len(out) > 1 and kind == COMMENT:  # one comment, at its first paragraph
        return [replace(out[0], quoted=" / ".join(m.quoted for m in out), after=out[-1].after)]
    return out


def _point(smap: SourceMap, sheet: int, a, snap: float | None):
    """(book page, line index, char boundary) nearest the annotation's point; None when no line is
    within ``snap`` points (any distance when None)."""
    x0, y0, x1, y1 = _quads(a)[0] if _quads(a) else (0, 0, 0, 0)
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    placed = smap.placed(sheet, x, y, near=snap is None)
    if placed is None:
        return None
    page, bx, by = placed
    best = None
    for n, line in enumerate(smap.pages[page]):
        distance = 0.0 if line.box[1] <= by <= line.box[3] else min(abs(by - line.box[1]), abs(by - line.box[3]))
        if best is None or distance < best[0]:
            best = (distance, n)
    if best is None or (snap is not None and best[0] > snap):
        return None
    line = smap.pages[page][best[1]]
    edges = [*line.lefts, line.box[2]]
    boundary = min(range(len(edges)), key=lambda k: abs(edges[k] - bx))
    return page, best[1], boundary


def _caret(smap: SourceMap, sheet: int, a, text: str) -> Mark:
    author, date = _who(a)
    base = dict(text=text, note="", author=author, date=date, what="Caret", where=f"sheet {sheet + 1}")
    if not text:
        base["note"], kind = "(an insertion mark with no text)", COMMENT
    else:
        kind = INSERT
    found = _point(smap, sheet, a, snap=6.0)
    if found is None:
        return Mark(kind=kind, quoted="", paragraph=None, problem="the insertion mark is not on a line of the book's text", **base)
    page, n, boundary = found
    for run in runs(smap, page):
        if (n, 0) in run.where:
            k = run.where.index((n, 0)) + boundary
            return Mark(kind=kind, quoted="", paragraph=_paragraph(smap, run.anchor), before=run.text[max(0, k - CONTEXT):k],
                        after=run.text[k:k + CONTEXT], page=page + 1, **base)
    return Mark(kind=kind, quoted="", paragraph=None, problem="the insertion mark is not on a line of the book's text", **base)


def _note(smap: SourceMap, sheet: int, a, replies: list) -> Mark:
    author, date = _who(a)
    base = dict(kind=COMMENT, quoted="", text="", note=_notes(_string(a, "/Contents"), replies), author=author, date=date,
                what=str(a.get("/Subtype", ""))[1:], where=f"sheet {sheet + 1}")
    found = _point(smap, sheet, a, snap=None)
    if found is None:
        return Mark(paragraph=None, **base)
    page, n, _ = found
    return Mark(paragraph=_paragraph(smap, smap.pages[page][n].anchor), page=page + 1, **base)
