"""The round trip's pieces without a build: the source map's encoding, printed text matched with
Markdown (roundtrip/locate.py), marks located and edits made (roundtrip/apply.py)."""

from __future__ import annotations

from pathlib import Path

from blog2book.roundtrip.apply import APPLY, CONFLICT, DONE, NOTE, Posts, edited, locate, settle
from blog2book.roundtrip.locate import key, printed, project
from blog2book.roundtrip.marks import COMMENT, DELETE, INSERT, REPLACE, Mark, Source, pdf_date
from blog2book.roundtrip.sourcemap import Line, Paragraph, Placement, SourceMap, decode, encode

POST = """---
title: "Un billet"
tags: [a,
  b]
---

Il a *vraiment* [dit](http://example.com/x) qu\\'il viendrait &amp; « oui » : c'est -- dit-il -- le « pâté » final !

> Une citation sur
> deux lignes, avec un mot.
"""


def test_printed_text_is_found_in_the_markdown_it_came_from():
    proj = project(POST)
    page = "Il a vraiment dit qu’il viendrait & « oui » : c’est – dit-il – le « pâté » final !"
    at = proj.text.find(key(page))
    assert at >= 0
    start, end = proj.span(at, at + len(key(page)))
    assert POST[start:end].startswith("Il a *vraiment*") and POST[start:end].endswith("final !")
    assert proj.line_col(start) == (7, 1)
    quote = proj.text.find(key("Une citation sur deux lignes, avec un mot."))
    assert quote >= 0 and proj.line_col(proj.starts[quote]) == (9, 3)
    # hyphenation (PDFium's U+FFFE), ligatures, no-break and thin spaces
    assert key("fi\ufb01nal pâ\ufffeté\u202f!") == key("fifinal pâté !")
    assert printed("décon\ufffener\u00a0de\u202f!") == "déconner de !"


def test_the_map_survives_its_encoding():
    line = Line("post__p1", (45.8, 300.0, 374.9, 310.5), "Le pâté\ufffe", (45.8, 52.1, 58.0, 64.5, 70.2, 75.9, 81.3, 86.0))
    smap = SourceMap("1a2b3c4d", (432.0, 648.0), ("posts/a.md",), {"post__p1": Paragraph("posts/a.md", 9, 1)},
                     ((line,),), ((Placement(0, 36.0, 57.6),),))
    back = decode(encode(smap))
    assert back == smap
    assert back.placed(0, 100.0, 400.0) == (0, 64.0, 342.4)
    assert back.placed(0, 5.0, 5.0) is None


def _posts(tmp_path: Path, text: str = POST) -> Posts:
    (tmp_path / "posts").mkdir(exist_ok=True)
    (tmp_path / "posts" / "a.md").write_text(text, "utf-8")
    return Posts(tmp_path)


def _mark(kind, quoted, before, after, text="", note=""):
    return Mark(kind, quoted, text, note, "Éd", "2026-12-07 10:15", Source("posts/a.md", 7), before, after, 11, "StrikeOut")


def test_edits_are_made_where_their_context_is_and_recognised_once_made(tmp_path):
    posts = _posts(tmp_path)
    marks = [
        _mark(DELETE, "vraiment", "Il a ", " dit qu’il viendrait"),  # emphasis around exactly the word goes too
        _mark(REPLACE, "pâté", "c’est – dit-il – le « ", " » final !", "Pâté"),
        _mark(INSERT, "", "Une citation sur deux lignes, avec un ", "mot.", "seul"),
        _mark(COMMENT, "viendrait", "dit qu’il ", " & « oui »", note="vraiment ?"),
    ]
    items = settle([locate(m, posts) for m in marks], posts)
    assert [i.status for i in items] == [APPLY, APPLY, APPLY, NOTE]
    assert items[3].source == Source("posts/a.md", 7, POST.splitlines()[6].index("viendrait") + 1)
    (_, new), = edited(posts, items).values()
    assert "Il a [dit](http://example.com/x)" in new and "le « Pâté » final" in new and "avec un seul mot." in new
    posts = _posts(tmp_path, new)
    again = settle([locate(m, posts) for m in marks], posts)
    assert [i.status for i in again] == [DONE, DONE, DONE, NOTE] and edited(posts, again) == {}


def test_a_mark_across_formatting_or_over_changed_text_is_a_conflict(tmp_path):
    posts = _posts(tmp_path)
    across = _mark(DELETE, "vraiment dit", "Il a ", " qu’il viendrait")  # half of a link's brackets
    changed = _mark(DELETE, "citation", "Une ", " sur trois lignes")
    items = settle([locate(across, posts), locate(changed, posts)], posts)
    assert [i.status for i in items] == [CONFLICT, CONFLICT]
    assert "formatting" in items[0].reason and "no longer" in items[1].reason
    assert edited(posts, items) == {}


def test_pdf_dates():
    assert pdf_date("D:20261207101500Z") == "2026-12-07 10:15"
    assert pdf_date("D:2026") == "2026" and pdf_date("hier") == ""


def _line(anchor: str, text: str, x: float, y: float, advance: float = 5.0) -> Line:
    return Line(anchor, (x, y, x + advance * len(text), y + 8), text, tuple(x + advance * i for i in range(len(text))))


def _quad(x0, y0, x1, y1):
    return [x0, y1, x1, y1, x0, y0, x1, y0]


def test_marks_from_annotations_hyphenated_words_joined_and_groups_read():
    from blog2book.roundtrip.pdfmarks import marks_of

    class Ref:
        def __init__(self, n):
            self.idnum = n

    lines = (_line("p__p1", "Les gens aiment décon\ufffe", 50, 500), _line("p__p1", "ner de temps à autre.", 50, 488))
    smap = SourceMap("id", (400.0, 600.0), ("posts/a.md",), {"p__p1": Paragraph("posts/a.md", 7, 1)}, (lines,), ((Placement(0, 10.0, 20.0),),))
    # « décon‐ner » struck out across the line break (two quads), on the sheet where the page lies at (10, 20)
    strike = {"/Subtype": "/StrikeOut", "/QuadPoints": _quad(50 + 5 * 16 + 10, 520, 50 + 5 * 22 + 10, 528) + _quad(60, 508, 60 + 15, 516),
              "/T": "Éd", "/M": "D:20261207"}
    # « temps » replaced: a caret holding the new text, the strike-out grouped with it (/IRT, /RT /Group)
    caret = {"/Subtype": "/Caret", "/Rect": [60 + 5 * 7, 506, 60 + 5 * 12, 518], "/Contents": "jours"}
    grouped = {"/Subtype": "/StrikeOut", "/QuadPoints": _quad(60 + 5 * 7, 508, 60 + 5 * 12, 516), "/IRT": Ref(2), "/RT": "/Group"}
    insert = {"/Subtype": "/Caret", "/Rect": [60 + 5 * 4 - 2, 506, 60 + 5 * 4 + 2, 518], "/Contents": "bien"}
    marks = marks_of(smap, [(0, 1, strike), (0, 2, caret), (0, 3, grouped), (0, 4, insert)])
    assert [(m.kind, m.quoted, m.text) for m in marks] == [(DELETE, "décon\ufffener", ""), (REPLACE, "temps", "jours"), (INSERT, "", "bien")]
    assert printed(marks[0].quoted) == "déconner" and marks[0].before.endswith("aiment ") and marks[0].after.startswith(" de temps")
    assert marks[0].date == "2026-12-07" and marks[0].paragraph == Source("posts/a.md", 7) and marks[0].page == 1
    assert marks[2].before.endswith("décon\ufffener ") and marks[2].after.startswith("de temps")
