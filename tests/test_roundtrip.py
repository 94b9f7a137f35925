"""The editor's round trip (issue 26): marks made on the review proof with a PDF library (as
Acrobat, Preview or Okular save them) are listed by ``blog2book corrections`` at their post's
file:line with the text under them, applied by ``--apply`` to a copy of the sample project (never
to the repository's posts), recognised when applied twice, and refused when the post changed there
since. The words are found on the proof's pages by PDFium's own text search, not by blog2book's map."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from pikepdf import Array, Dictionary, Name, String

from conftest import run_cli

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
POST = "posts/importance-pate-chinois-strategie-medias-sociaux.md"


def copy_project(dest: Path) -> Path:
    for folder in ("posts", "manuscripts", "styles"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def word_boxes(pdf: Path, text: str, nth: int = 0) -> tuple[int, list[tuple[float, float, float, float]]]:
    """(sheet, one box per line) of the ``nth`` occurrence of ``text`` in the proof, found by PDFium."""
    doc = pdfium.PdfDocument(str(pdf))
    seen = 0
    try:
        for index in range(len(doc)):
            tp = doc[index].get_textpage()
            searcher = tp.search(text, match_case=True)
            while (hit := searcher.get_next()) is not None:
                if seen == nth:
                    start, count = hit
                    lines: dict[int, list] = {}
                    for i in range(start, start + count):
                        box = tp.get_charbox(i)
                        if box[2] > box[0]:
                            lines.setdefault(round(box[1]), []).append(box)
                    return index, [(min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)) for bs in lines.values()]
                seen += 1
    finally:
        doc.close()
    raise AssertionError(f"{text!r} not on the proof")


def quads(boxes) -> Array:
    q = []
    for x0, y0, x1, y1 in boxes:
        q += [x0, y1 + 1, x1, y1 + 1, x0, y0 - 1, x1, y0 - 1]
    return Array(q)


def annotation(pdf, kind: str, rect, contents: str = "", boxes=None, **extra):
    d = Dictionary(Type=Name.Annot, Subtype=Name("/" + kind), Rect=Array(list(rect)), T=String("Éditrice"),
                   M=String("D:20261207101500Z"), F=4, C=Array([1, 0, 0]))
    if contents:
        d.Contents = String(contents)
    if boxes:
        d.QuadPoints = quads(boxes)
    for k, v in extra.items():
        d[Name("/" + k)] = v
    return pdf.make_indirect(d)


def add(pdf, sheet: int, annot) -> None:
    page = pdf.pages[sheet]
    if "/Annots" not in page.obj:
        page.obj.Annots = Array()
    page.obj.Annots.append(annot)


def bbox(boxes):
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def annotate(proof: Path, out: Path) -> None:
    """A strike-out, an insertion caret, a replacement (strike-out + caret, /IRT), a highlight with a
    note and a sticky note, as Acrobat writes them."""
    marks = {name: word_boxes(proof, text) for name, text in
             (("delete", "magique"), ("insert", "déjà parlé"), ("replace", "parmentier"), ("highlight", "Savoir déconner"), ("sticky", "Les gens s"))}
    with pikepdf.open(proof) as pdf:
        sheet, boxes = marks["delete"]
        add(pdf, sheet, annotation(pdf, "StrikeOut", bbox(boxes), boxes=boxes))
        sheet, boxes = marks["insert"]
        x0, y0 = boxes[0][0], boxes[0][1]
        add(pdf, sheet, annotation(pdf, "Caret", [x0 - 3, y0 - 2, x0 + 3, y0 + 6], "bien"))
        sheet, boxes = marks["replace"]
        caret = annotation(pdf, "Caret", [boxes[0][2] - 2, boxes[0][1] - 2, boxes[0][2] + 4, boxes[0][1] + 6], "Parmentier")
        add(pdf, sheet, caret)
        add(pdf, sheet, annotation(pdf, "StrikeOut", bbox(boxes), boxes=boxes, IRT=caret, RT=Name.Group))
        sheet, boxes = marks["highlight"]
        add(pdf, sheet, annotation(pdf, "Highlight", bbox(boxes), "Le lien est-il encore bon ?", boxes=boxes))
        sheet, boxes = marks["sticky"]
        add(pdf, sheet, annotation(pdf, "Text", [boxes[0][0] - 30, boxes[0][3] - 18, boxes[0][0] - 10, boxes[0][3] + 2], "Paragraphe trop long.", Name=Name.Comment))
        # a comment typed in the proof's margin, beside the same line
        add(pdf, sheet, annotation(pdf, "FreeText", [4, boxes[0][1] - 2, 30, boxes[0][3] + 2], "Voir la note.", DA=String("/Helv 8 Tf 0 g")))
        pdf.save(out)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("corr"))
    result = run_cli("build", "--profile", "review", "-o", root / "build", cwd=root)
    assert result.exit_code == 0, result.output
    proof = root / "build" / "medias-sociaux-review.pdf"
    annotate(proof, root / "annotated.pdf")
    return root


def test_marks_are_listed_at_their_post_line_with_the_text_under_them(project):
    result = run_cli("corrections", "annotated.pdf", "--report", "report.md", cwd=project)
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = (project / POST).read_text("utf-8").splitlines()
    n = next(i for i, line in enumerate(lines, 1) if line.startswith("Le pâté chinois"))
    assert f"{POST}:{n}:{lines[n - 1].index('magique') + 1}: delete « magique »" in out
    assert f"{POST}:{n}:{lines[n - 1].index('déjà') + 1}: insert « bien »" in out
    assert f"{POST}:{n}:{lines[n - 1].index('parmentier') + 1}: replace « parmentier » with « Parmentier »" in out
    assert f"{POST}:{n}:{lines[n - 1].index('Savoir') + 1}: highlight on « Savoir déconner »: Le lien est-il encore bon ?" in out
    assert "Éditrice, 2026-12-07 10:15" in out
    m = next(i for i, line in enumerate(lines, 1) if line.startswith("Les gens s"))
    assert f"{POST}:{m}: text: Paragraphe trop long." in out
    assert f"{POST}:{m}: freetext: Voir la note." in out
    report = (project / "report.md").read_text("utf-8")
    assert "« magique »" in report and "« Paragraphe trop long. »" in report
    assert (project / POST).read_text("utf-8") == (REPO / POST).read_text("utf-8")  # listing changes nothing


def test_apply_changes_exactly_those_words_once_and_the_next_build_shows_them(project, tmp_path):
    before = (project / POST).read_text("utf-8")
    patch = run_cli("corrections", "annotated.pdf", "--patch", tmp_path / "fix.diff", cwd=project)
    assert patch.exit_code == 0, patch.output
    assert (project / POST).read_text("utf-8") == before  # --patch changes nothing
    result = run_cli("corrections", "annotated.pdf", "--apply", cwd=project)
    assert result.exit_code == 0, result.output
    after = (project / POST).read_text("utf-8")
    expected = (before.replace("c’est magique (pour", "c’est (pour", 1).replace("J’ai déjà parlé", "J’ai bien déjà parlé", 1)
                .replace("hachis parmentier)", "hachis Parmentier)", 1))
    assert after == expected
    assert "-Le pâté chinois c’est magique" in result.stdout and "+Le pâté chinois c’est (pour" in result.stdout
    assert (tmp_path / "fix.diff").read_text("utf-8") in result.stdout
    # no typography of the build in the post: no non-breaking or thin space, no guillemets added
    added = "".join(line for line in result.stdout.splitlines() if line.startswith("+") and not line.startswith("+++"))
    assert added and not {"\u00a0", "\u202f", "\u2009", "\ufb01", "«", "\ufffe"} & set(added)
    again = run_cli("corrections", "annotated.pdf", "--apply", cwd=project)
    assert again.exit_code == 0, again.output
    assert (project / POST).read_text("utf-8") == after
    assert again.stdout.count("(already made)") == 3
    rebuilt = run_cli("build", "-f", "pdf", "-o", project / "build2", cwd=project)
    assert rebuilt.exit_code == 0, rebuilt.output
    doc = pdfium.PdfDocument(str(project / "build2" / "medias-sociaux.pdf"))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    flat = " ".join(text.replace("\ufffe\r\n", "").split())
    assert "pâté chinois c’est (pour" in flat and "J’ai bien déjà parlé" in flat and "hachis Parmentier)" in flat
    # the trade PDF carries its map too, its paragraphs' bands without the lines (read from the
    # annotated file by `corrections`): a mark on it is found in the post
    trade = project / "build2" / "medias-sociaux.pdf"
    from blog2book.roundtrip.sourcemap import EMBEDDED_NAME, decode

    with pikepdf.open(trade) as pdf:
        smap = decode(pdf.attachments[EMBEDDED_NAME].get_file().read_bytes())
        assert smap.needs_lines and len(smap.bands) == len(pdf.pages) and sum(map(len, smap.bands)) > 100
    sheet, boxes = word_boxes(trade, "surprenante")
    with pikepdf.open(trade) as pdf:
        add(pdf, sheet, annotation(pdf, "Underline", bbox(boxes), "Trop fort ?", boxes=boxes))
        pdf.save(project / "trade-marked.pdf")
    listed = run_cli("corrections", "trade-marked.pdf", cwd=project)
    lines = after.splitlines()
    n = next(i for i, line in enumerate(lines, 1) if "surprenante" in line)
    assert listed.exit_code == 0 and f"{POST}:{n}:{lines[n - 1].index('surprenante') + 1}: underline on « surprenante »: Trop fort ?" in listed.stdout, listed.output


def test_a_proof_resaved_by_qpdf_and_pikepdf_still_maps(project, tmp_path):
    for name, command in (("qpdf.pdf", ["qpdf", "--object-streams=generate", "--linearize", str(project / "annotated.pdf"), str(tmp_path / "qpdf.pdf")]), ("pike.pdf", None)):
        if command is None:
            with pikepdf.open(project / "annotated.pdf") as pdf:
                pdf.save(tmp_path / name, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        else:
            if shutil.which("qpdf") is None:
                pytest.skip("qpdf is not installed")
            subprocess.run(command, check=True)
        result = run_cli("corrections", tmp_path / name, "--report", tmp_path / "r.html", cwd=project)
        assert "delete « magique »" in result.stdout and "highlight on « Savoir déconner »" in result.stdout, result.output
        assert "<td>magique</td>" in (tmp_path / "r.html").read_text("utf-8")


def test_a_mark_over_text_edited_since_is_a_conflict_and_the_post_is_untouched(tmp_path):
    root = copy_project(tmp_path)
    result = run_cli("build", "--profile", "review", "-o", root / "build", cwd=root)
    assert result.exit_code == 0, result.output
    proof = root / "build" / "medias-sociaux-review.pdf"
    sheet, boxes = word_boxes(proof, "universel")
    kept_sheet, kept = word_boxes(proof, "surprenante")
    two_sheet, two = word_boxes(proof, "Thérèse Parisien.")
    assert word_boxes(proof, "De madame")[0] == two_sheet
    two += word_boxes(proof, "De madame")[1]  # one strike-out over the end of a paragraph and the start of the next
    with pikepdf.open(proof) as pdf:
        add(pdf, two_sheet, annotation(pdf, "StrikeOut", bbox(two), boxes=two))
        add(pdf, sheet, annotation(pdf, "StrikeOut", bbox(boxes), boxes=boxes))
        add(pdf, kept_sheet, annotation(pdf, "StrikeOut", bbox(kept), boxes=kept))
        add(pdf, 0, annotation(pdf, "StrikeOut", [5, 5, 20, 12], boxes=[(5, 5, 20, 12)]))  # in the sheet's corner, over no text
        pdf.save(root / "marked.pdf")
    post = root / POST
    # edited since the proof: that sentence, and a new paragraph before everything (the lines move)
    edited = post.read_text("utf-8").replace("à ce qui est universel, ils", "à ce qui est commun à tous, ils")
    edited = edited.replace("\nLe pâté chinois c’est", "\nUn paragraphe ajouté depuis l’épreuve.\n\nLe pâté chinois c’est", 1)
    post.write_text(edited, "utf-8")
    result = run_cli("corrections", "marked.pdf", "--apply", cwd=root)
    assert result.exit_code == 1
    assert "CONFLICT" in result.stdout and "universel" in result.stdout and "commun à tous" in result.stdout
    assert "covers no text" in result.stdout
    # the mark over text that did not change still maps, at its new line, and is the only edit made
    n = next(i for i, line in enumerate(edited.splitlines(), 1) if "surprenante" in line)
    assert f"{POST}:{n}:" in result.stdout
    assert post.read_text("utf-8") == (edited.replace("a été surprenante.", "a été.", 1).replace("journaliste, Thérèse Parisien.\n", "journaliste,\n", 1)
                                       .replace("\nDe madame Parisien\n", "\nParisien\n", 1))


def test_a_pdf_without_the_map_or_encrypted_is_refused_and_nothing_changes(project, tmp_path):
    before = (project / POST).read_text("utf-8")
    with pikepdf.open(project / "annotated.pdf") as pdf:
        del pdf.attachments["blog2book-sourcemap.json.gz"]
        pdf.save(tmp_path / "other.pdf")
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="secret"))
    result = run_cli("corrections", tmp_path / "other.pdf", "--apply", cwd=project)
    assert result.exit_code == 1 and "[corrections.no-sourcemap]" in result.stderr and "Traceback" not in result.output
    result = run_cli("corrections", tmp_path / "locked.pdf", "--apply", cwd=project)
    assert result.exit_code == 1 and "[corrections.encrypted]" in result.stderr and "password" in result.stderr
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\nnot really")
    result = run_cli("corrections", tmp_path / "junk.pdf", cwd=project)
    assert result.exit_code == 1 and "[corrections." in result.stderr and "Traceback" not in result.output
    assert (project / POST).read_text("utf-8") == before
