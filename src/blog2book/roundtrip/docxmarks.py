"""The marks an editor left in the editors' manuscript (``build -f docx``), read from the DOCX Word or
LibreOffice saved: tracked deletions and insertions (``w:del``, ``w:ins``; a deletion next to an
insertion by the same author is a replacement), moved text (``w:moveFrom``: a deletion, ``w:moveTo``:
an insertion) and comments (``comments.xml``, over the text between ``w:commentRangeStart`` and
``w:commentRangeEnd``). Each becomes a ``Mark`` like a proof's: the text around it (the paragraph as
it was, without the tracked insertions) finds it in the post again.

A paragraph's post and line come from its bookmark ``b2b_<post>_<line>_<k>`` (render/docx/backend.py);
the post's path from the document's custom property ``blog2book-files``. A paragraph without a bookmark
of its own (a paragraph the editor added, a note) belongs to the last one that had one. Word's
footnotes (``footnotes.xml``) belong to the paragraph that calls them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
import zipfile
from dataclasses import dataclass
from pathlib import Path

from blog2book.roundtrip.marks import COMMENT, DELETE, INSERT, REPLACE, Mark, Source
from blog2book.roundtrip.pdfmarks import MarksError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
BUILD_PROPERTY = "blog2book-build"
FILES_PROPERTY = "blog2book-files"
_NAME = re.compile(r"^b2b_(\d+)_(\d+)")
CONTEXT = 80  # characters of the paragraph kept on each side of a change
_INS = {f"{{{W}}}ins", f"{{{W}}}moveTo"}
_DEL = {f"{{{W}}}del", f"{{{W}}}moveFrom"}


def bookmark_name(post: int, line: int, k: int) -> str:
    return f"b2b_{post}_{line}_{k}"


@dataclass(frozen=True)
class DocxMap:
    """What the document says of its sources: the build id and the posts (index 1 is ``files[0]``)."""

    build: str
    files: tuple[str, ...]


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _date(value: str | None) -> str:
    """Word's ``2026-12-07T10:15:00Z`` as ``2026-12-07 10:15``."""
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?", value or "")
    return (m.group(1) + (f" {m.group(2)}" if m.group(2) else "")) if m else ""


def is_docx(path: Path) -> bool:
    """A Word document: a zip, or a file named .docx (a damaged one is then said to be a damaged DOCX)."""
    if path.suffix.lower() == ".docx":
        return True
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def read_docx(path: Path) -> tuple[DocxMap, list[Mark]]:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            parts = {n: z.read(n) for n in ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml", "word/footnotes.xml", "docProps/custom.xml") if n in names}
        if "word/document.xml" not in parts:
            raise MarksError("corrections.unreadable", "this file is a zip but not a Word document (no word/document.xml)", "give the DOCX blog2book made (build -f docx), as the editor saved it")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        xml = {n: etree.fromstring(data, parser) for n, data in parts.items()}
    except MarksError:
        raise
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError, ValueError, EOFError, KeyError) as exc:
        raise MarksError("corrections.unreadable", f"cannot read the Word document ({type(exc).__name__}: {str(exc)[:120]})",
                         "give the DOCX blog2book made (build -f docx), as the editor saved it; a damaged file must be saved again from Word") from None
    props = _properties(xml.get("docProps/custom.xml"))
    try:
        files = tuple(json.loads(props.get(FILES_PROPERTY, "[]")))
    except ValueError:
        files = ()
    body = xml["word/document.xml"]
    if not files or not any(_NAME.match(b.get(_w("name"), "")) for b in body.iter(_w("bookmarkStart"))):
        raise MarksError("corrections.no-sourcemap", "this Word document does not name the posts its paragraphs came from: it was not made by blog2book build -f docx (or its bookmarks were removed)",
                         "build the editors' manuscript with blog2book build -f docx and have the editor correct that file")
    comments = _comments(xml.get("word/comments.xml"))
    reader = _Reader(files, comments, _replies(xml.get("word/comments.xml"), xml.get("word/commentsExtended.xml")))
    reader.read_paragraphs(body.iter(_w("p")), "document")
    if "word/footnotes.xml" in xml:
        for note in xml["word/footnotes.xml"].iter(_w("footnote")):
            reader.current = reader.notes.get(note.get(_w("id")))
            reader.read_paragraphs(note.iter(_w("p")), "note")
    return DocxMap(props.get(BUILD_PROPERTY, ""), files), reader.finish()


def _properties(root) -> dict[str, str]:
    if root is None:
        return {}
    return {p.get("name"): "".join(p.itertext()) for p in root.iter(f"{{{CUSTOM}}}property")}


def _comments(root) -> dict[str, tuple[str, str, str]]:
    """comment id -> (its text, author, date)."""
    if root is None:
        return {}
    out = {}
    for c in root.iter(_w("comment")):
        text = "\n".join("".join(t.text or "" for t in p.iter(_w("t"))) for p in c.iter(_w("p"))).strip()
        out[c.get(_w("id"))] = (text, c.get(_w("author")) or "", _date(c.get(_w("date"))))
    return out


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _replies(comments, extended) -> dict[str, str]:
    """reply's comment id -> the id of the comment it answers (Word's commentsExtended.xml: each
    comment's last paragraph id and its parent's)."""
    if comments is None or extended is None:
        return {}
    by_para = {}
    for c in comments.iter(_w("comment")):
        paras = c.findall(_w("p"))
        if paras and paras[-1].get(f"{{{W14}}}paraId"):
            by_para[paras[-1].get(f"{{{W14}}}paraId")] = c.get(_w("id"))
    out = {}
    for ex in extended.iter(f"{{{W15}}}commentEx"):
        child, parent = by_para.get(ex.get(f"{{{W15}}}paraId")), by_para.get(ex.get(f"{{{W15}}}paraIdParent"))
        if child and parent:
            out[child] = parent
    return out


class _Reader:
    def __init__(self, files: tuple[str, ...], comments: dict, replies: dict | None = None):
        self.files = files
        self.comments = comments
        self.replies = replies or {}
        self.listed: dict[str, int] = {}  # comment id -> its mark's index
        self.styled: list[tuple[object, int]] = []  # runs whose formatting was changed, and where they start
        self.current: Source | None = None
        self.notes: dict[str, Source | None] = {}  # footnote id -> the source of the paragraph calling it
        self.open: dict[str, tuple[Source | None, str, int, int]] = {}  # comment id -> (source, where, paragraph n, start)
        self.marks: list[Mark] = []
        self.count = 0
        self.commented: set[str] = set()

    def _source(self, name: str) -> Source | None:
        m = _NAME.match(name)
        n, line = int(m.group(1)), int(m.group(2))
        return Source(self.files[n - 1], line) if 0 < n <= len(self.files) else None

    def read_paragraphs(self, paragraphs, part: str) -> None:
        for p in paragraphs:
            self.count += 1
            self._paragraph(p, f"{part} paragraph {self.count}")

    def _paragraph(self, p, where: str) -> None:
        # the paragraph's pieces in order: (state, text, change element); markers for comments
        pieces: list[tuple[str, str, object]] = []
        styled: list[tuple[object, int]] = []  # formatting changes: (w:rPrChange, offset in the original text)
        starts: list[tuple[str, int]] = []  # comment id, offset in the original text
        ends: list[tuple[str, int]] = []
        original = 0
        for el in p.iter():
            tag = el.tag
            if tag == _w("bookmarkStart") and _NAME.match(el.get(_w("name"), "")):
                self.current = self._source(el.get(_w("name")))
            elif tag == _w("commentRangeStart"):
                starts.append((el.get(_w("id")), original))
            elif tag == _w("commentRangeEnd"):
                ends.append((el.get(_w("id")), original))
            elif tag == _w("commentReference"):
                cid = el.get(_w("id"))
                if cid not in dict(starts) and cid not in self.open and cid not in dict(ends):
                    starts.append((cid, original))
                    ends.append((cid, original))
            elif tag == _w("footnoteReference"):
                self.notes[el.get(_w("id"))] = self.current
            elif tag == _w("rPrChange") and el.getparent().getparent().tag == _w("r"):
                styled.append((el, original))
            text = _text(el)
            if text is None:
                continue
            change = next((a for a in el.iterancestors() if a.tag in _INS or a.tag in _DEL), None)
            state = "same" if change is None else ("ins" if change.tag in _INS else "del")
            if pieces and pieces[-1][0] == state and pieces[-1][2] is change:
                pieces[-1] = (state, pieces[-1][1] + text, change)
            else:
                pieces.append((state, text, change))
            if state != "ins":
                original += len(text)
        source = self.current
        orig = "".join(t for s, t, _ in pieces if s != "ins")
        self._changes(pieces, orig, source, where)
        self._restyled(styled, orig, source, where)
        for cid, start in starts:
            self.open[cid] = (source, where, start, orig)
        for cid, end in ends:
            self._comment(cid, end, orig, source)

    def _changes(self, pieces, orig: str, source, where: str) -> None:
        at = 0
        i = 0
        while i < len(pieces):
            state, text, change = pieces[i]
            if state == "same":
                at += len(text)
                i += 1
                continue
            first = change
            moved = change.tag in (_w("moveFrom"), _w("moveTo"))
            start = at
            taken = {state: text}  # "del": the text struck out (it is in the post), "ins": the text added
            i += 1
            # a deletion and an insertion side by side, by the same author: a replacement
            if i < len(pieces) and pieces[i][0] not in ("same", state) and _author(pieces[i][2]) == _author(first) and not moved:
                taken[pieces[i][0]] = pieces[i][1]
                i += 1
            quoted, inserted = taken.get("del", ""), taken.get("ins", "")
            at += len(quoted)
            kind = REPLACE if quoted and inserted else (DELETE if quoted else INSERT)
            if not quoted and not inserted:
                continue
            what = {DELETE: "moved from here" if moved else "tracked deletion", INSERT: "moved here" if moved else "tracked insertion", REPLACE: "tracked replacement"}[kind]
            self.marks.append(Mark(kind, quoted, inserted, "", _author(first), _date(first.get(_w("date"))), source,
                                   before=orig[max(0, start - CONTEXT):start], after=orig[at:at + CONTEXT], what=what, where=where,
                                   problem="" if source else "the change is outside the posts (a title, a heading the book made)"))

    def _restyled(self, styled, orig: str, source, where: str) -> None:
        """Formatting changes (italics, bold…: ``w:rPrChange``) on runs side by side, one comment each:
        listed for the author, never applied (a post's emphasis is its Markdown)."""
        groups: list[list] = []
        for change, start in styled:
            run = change.getparent().getparent()
            end = start + sum(len(t.text or "") for t in run.iter(_w("t"), _w("delText")))
            if groups and groups[-1][1] == start and _author(groups[-1][2]) == _author(change):
                groups[-1][1] = end
            else:
                groups.append([start, end, change])
        for start, end, change in groups:
            if orig[start:end].strip():
                self.marks.append(Mark(COMMENT, orig[start:end], "", "formatting changed (make it in the post's Markdown by hand)", _author(change),
                                       _date(change.get(_w("date"))), source, before=orig[max(0, start - CONTEXT):start], after=orig[end:end + CONTEXT],
                                       what="Formatting change", where=where))

    def _comment(self, cid: str, end: int, orig_end: str, source_end) -> None:
        if cid not in self.open or cid in self.commented:
            return
        self.commented.add(cid)
        source, where, start, orig = self.open.pop(cid)
        quoted = orig[start:end] if orig is orig_end else orig[start:]
        text, author, date = self.comments.get(cid, ("", "", ""))
        self.listed[cid] = len(self.marks)
        self.marks.append(Mark(COMMENT, quoted, "", text, author, date, source, before=orig[max(0, start - CONTEXT):start],
                               after=orig[end:end + CONTEXT] if orig is orig_end else "", what="Word comment", where=where))

    def finish(self) -> list[Mark]:
        for cid in list(self.open):  # a range never closed: the comment on the text to its paragraph's end
            source, _, _, orig = self.open[cid]
            self._comment(cid, len(orig), orig, source)
        # a reply is read with the comment it answers: its words added to the note, not listed again
        dropped = set()
        for cid, parent in self.replies.items():
            if cid in self.listed and parent in self.listed:
                text, author, _ = self.comments.get(cid, ("", "", ""))
                i = self.listed[parent]
                self.marks[i] = replace(self.marks[i], note=f"{self.marks[i].note} — {author or 'reply'}: {text}")
                dropped.add(self.listed[cid])
        return [m for i, m in enumerate(self.marks) if i not in dropped]


def _author(change) -> str:
    return (change.get(_w("author")) or "") if change is not None else ""


def _text(el) -> str | None:
    """What an element of a run prints; None for elements that print nothing."""
    tag = el.tag
    if tag in (_w("t"), _w("delText")):
        return el.text or ""
    parent = el.getparent()
    if parent is None or parent.tag != _w("r"):
        return None  # a tab stop in the paragraph's properties, not a tab
    if tag == _w("tab"):
        return "\t"
    if tag in (_w("br"), _w("cr")):
        return " "
    if tag == _w("noBreakHyphen"):
        return "-"
    return None
