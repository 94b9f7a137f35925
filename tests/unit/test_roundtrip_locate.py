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
