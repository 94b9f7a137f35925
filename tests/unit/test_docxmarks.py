"""The DOCX reader (roundtrip/docxmarks.py) on documents written by hand as Word writes them: moved
text (``w:moveFrom``/``w:moveTo``), an insertion before a deletion (a replacement), a change in a
footnote (it belongs to the paragraph that calls it), a change in a chapter title (outside the posts),
a comment over the end of one paragraph and the start of the next, a tab stop that prints nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from blog2book.roundtrip.docxmarks import read_docx

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BY = 'w:author="Éd" w:date="2026-12-07T09:05:00Z"'


def _docx(path: Path, body: str, notes: str = "", comments: str = "") -> Path:
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              f'<property name="blog2book-build"><vt:lpwstr>abcd1234</vt:lpwstr></property>'
              f'<property name="blog2book-files"><vt:lpwstr>{json.dumps(["posts/a.md", "posts/b.md"])}</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        z.writestr("word/footnotes.xml", f"<w:footnotes {NS}>{notes}</w:footnotes>")
        z.writestr("word/comments.xml", f"<w:comments {NS}>{comments}</w:comments>")
        z.writestr("docProps/custom.xml", custom)
    return path


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def d(text: str) -> str:
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def mark(name: str) -> str:
    return f'<w:bookmarkStart w:id="1" w:name="{name}"/><w:bookmarkEnd w:id="1"/>'


def test_moves_replacements_notes_titles_and_comments(tmp_path):
    body = (
        f'<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>{mark("b2b_0_0_1")}'
        f'{r("Un ")}<w:ins w:id="2" {BY}>{r("beau ")}</w:ins>{r("chapitre")}</w:p>'
        f'<w:p>{mark("b2b_1_7_2")}{r("Le chat dort ")}<w:moveFrom w:id="3" {BY}>{d("au soleil ")}</w:moveFrom>{r("depuis midi.")}'
        f'<w:r><w:footnoteReference w:id="5"/></w:r></w:p>'
        f'<w:p>{mark("b2b_2_12_3")}{r("Il pleut ")}<w:moveTo w:id="4" {BY}>{r("au soleil ")}</w:moveTo>'
        f'<w:ins w:id="6" {BY}>{r("souvent")}</w:ins><w:del w:id="7" {BY}>{d("parfois")}</w:del>{r(" le ")}'
        f'<w:commentRangeStart w:id="9"/>{r("soir.")}</w:p>'
        f'<w:p>{r("Une ligne ajoutée")}<w:commentRangeEnd w:id="9"/><w:r><w:commentReference w:id="9"/></w:r>{r(" ici.")}</w:p>'
    )
    notes = f'<w:footnote w:id="5"><w:p>{r("Voir ")}<w:del w:id="8" {BY}>{d("aussi ")}</w:del>{r("plus loin.")}</w:p></w:footnote>'
    comments = f'<w:comment w:id="9" {BY}><w:p>{r("Trop vague.")}</w:p></w:comment>'
    smap, marks = read_docx(_docx(tmp_path / "e.docx", body, notes, comments))
    assert smap.build == "abcd1234" and smap.files == ("posts/a.md", "posts/b.md")
    got = [(m.kind, m.quoted, m.text, str(m.paragraph) if m.paragraph else None, m.what) for m in marks]
    assert got == [
        ("insert", "", "beau ", None, "tracked insertion"),
        ("delete", "au soleil ", "", "posts/a.md:7", "moved from here"),
        ("insert", "", "au soleil ", "posts/b.md:12", "moved here"),
        ("replace", "parfois", "souvent", "posts/b.md:12", "tracked replacement"),
        ("comment", "soir.", "", "posts/b.md:12", "Word comment"),
        ("delete", "aussi ", "", "posts/a.md:7", "tracked deletion"),
    ]
    assert marks[0].problem  # a title the manuscript makes: no post to correct
    replace = marks[3]
    assert replace.before == "Il pleut " and replace.after == " le soir." and replace.author == "Éd" and replace.date == "2026-12-07 09:05"
    assert marks[1].before == "Le chat dort " and marks[1].after == "depuis midi."
    assert marks[4].note == "Trop vague."
    assert marks[5].before == "Voir " and marks[5].where.startswith("note")


def test_a_formatting_change_is_a_comment_and_a_reply_is_read_with_its_comment(tmp_path):
    italic = f'<w:rPr><w:i/><w:rPrChange w:id="20" {BY}><w:rPr/></w:rPrChange></w:rPr>'
    body = (f'<w:p>{mark("b2b_1_3_1")}{r("Lire ")}<w:r>{italic}<w:t>Le Devoir</w:t></w:r><w:r>{italic}<w:t xml:space="preserve"> du matin</w:t></w:r>'
            f'{r(" chaque jour, ")}<w:commentRangeStart w:id="1"/>{r("sans faute")}<w:commentRangeEnd w:id="1"/><w:commentRangeStart w:id="2"/>'
            f'<w:commentRangeEnd w:id="2"/><w:r><w:commentReference w:id="1"/></w:r><w:r><w:commentReference w:id="2"/></w:r>{r(".")}</w:p>')
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    comments = (f'<w:comment w:id="1" {BY}><w:p {w14} w14:paraId="0000000A">{r("Vraiment ?")}</w:p></w:comment>'
                f'<w:comment w:id="2" w:author="Autrice" w:date="2026-12-08T08:00:00Z"><w:p {w14} w14:paraId="0000000B">{r("Oui, tous les jours.")}</w:p></w:comment>')
    path = _docx(tmp_path / "f.docx", body, comments=comments)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("word/commentsExtended.xml", '<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
                   '<w15:commentEx w15:paraId="0000000A" w15:done="0"/><w15:commentEx w15:paraId="0000000B" w15:paraIdParent="0000000A" w15:done="0"/></w15:commentsEx>')
    _, marks = read_docx(path)
    got = [(m.kind, m.quoted, m.note, m.what) for m in marks]
    assert got == [
        ("comment", "Le Devoir du matin", "formatting changed (make it in the post's Markdown by hand)", "Formatting change"),
        ("comment", "sans faute", "Vraiment ? — Autrice: Oui, tous les jours.", "Word comment"),
    ], got
    assert marks[0].before == "Lire " and marks[0].after.startswith(" chaque jour")
