"""The editors' manuscript in Word (issue 26, item 4): ``build -f docx`` writes the book's text with a
bookmark per paragraph naming its post and line; the tracked changes and comments an editor makes in
it (written here into document.xml with lxml, as Word writes them: a ``w:del`` run, a ``w:ins`` run, a
deletion followed by an insertion, a comment over a range) are listed by ``blog2book corrections`` at
their post's file:line, applied by ``--apply`` on a copy of the sample project, and still read after
LibreOffice re-saved the document."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from lxml import etree

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
POST = "posts/importance-pate-chinois-strategie-medias-sociaux.md"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DATE = "2026-12-07T10:15:00Z"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def copy_project(dest: Path) -> Path:
    for folder in ("posts", "manuscripts", "styles"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


class Editor:
    """Tracked changes and comments made in a DOCX's XML as Word writes them."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.files = {n: z.read(n) for n in z.namelist()}
        self.doc = etree.fromstring(self.files["word/document.xml"])
        self.comments = etree.fromstring(self.files["word/comments.xml"])
        self.ids = 900

    def _split(self, word: str, nth: int = 0):
        """The run holding ``word`` split in three: (before, the word, after)."""
        seen = 0
        for t in self.doc.iter(w("t")):
            text = t.text or ""
            at = text.find(word)
            while at >= 0 and seen < nth:
                seen += 1
                at = text.find(word, at + 1)
            if at < 0:
                continue
            run = t.getparent()
            parts = (text[:at], word, text[at + len(word):])
            runs = []
            for part in parts:
                r = copy.deepcopy(run)
                r.find(w("t")).text = part
                runs.append(r)
            parent = run.getparent()
            i = parent.index(run)
            parent.remove(run)
            for k, r in enumerate(runs):
                parent.insert(i + k, r)
            return runs
        raise AssertionError(f"{word!r} is not in the document")

    def _change(self, tag: str, run):
        self.ids += 1
        el = etree.Element(w(tag), {w("id"): str(self.ids), w("author"): "Éditrice", w("date"): DATE})
        run.addprevious(el)
        el.append(run)
        if tag == "del":
            t = run.find(w("t"))
            t.tag = w("delText")
        return el

    def _run(self, text: str):
        r = etree.Element(w("r"))
        t = etree.SubElement(r, w("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    def delete(self, word: str) -> None:
        _, middle, _ = self._split(word)
        self._change("del", middle)

    def insert(self, after: str, text: str) -> None:
        _, middle, _ = self._split(after)
        new = self._run(text)
        middle.addnext(new)
        self._change("ins", new)

    def replace(self, word: str, text: str) -> None:
        _, middle, _ = self._split(word)
        deleted = self._change("del", middle)
        new = self._run(text)
        deleted.addnext(new)
        self._change("ins", new)

    def comment(self, word: str, text: str) -> None:
        _, middle, _ = self._split(word)
        self.ids += 1
        cid = str(self.ids)
        middle.addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
        middle.addnext(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        ref = etree.Element(w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): cid})
        middle.getnext().addnext(ref)
        c = etree.SubElement(self.comments, w("comment"), {w("id"): cid, w("author"): "Éditrice", w("date"): DATE, w("initials"): "É"})
        p = etree.SubElement(c, w("p"))
        p.append(self._run(text))

    def save(self, path: Path) -> None:
        self.files["word/document.xml"] = etree.tostring(self.doc, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.files["word/comments.xml"] = etree.tostring(self.comments, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.files.items():
                z.writestr(name, data)


def edit(src: Path, dest: Path) -> None:
    ed = Editor(src)
    ed.delete("magique")  # « Le pâté chinois c’est magique (pour… »
    ed.insert("J’ai donc fait", " vraiment")  # « J’ai donc fait vraiment un petit test »
    ed.replace("hier soir", "avant-hier")
    ed.comment("sans ketchup", "Le point d’interrogation : espace fine ?")
    ed.save(dest)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("docx"))
    result = run_cli("build", "-f", "docx", "-o", root / "build", cwd=root)
    assert result.exit_code == 0, result.output
    edit(root / "build" / "medias-sociaux.docx", root / "edited.docx")
    return root


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_the_manuscript_names_each_paragraphs_post_and_line_in_chapter_order(project):
    path = project / "build" / "medias-sociaux.docx"
    with zipfile.ZipFile(path) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles = z.read("word/styles.xml").decode()
        custom = z.read("docProps/custom.xml").decode()
    assert "Source Serif 4" in styles and 'w:val="fr-CA"' in styles
    assert "blog2book-files" in custom
    import json
    files = json.loads(etree.fromstring(custom.encode()).xpath("string(//*[@name='blog2book-files'])"))
    checked = 0
    order = []
    for p in doc.iter(w("p")):
        names = [b.get(w("name")) for b in p.iter(w("bookmarkStart")) if b.get(w("name"), "").startswith("b2b_")]
        if not names:
            continue
        _, post, line, _ = names[0].split("_")
        if post == "0" or p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")).startswith("Heading"):
            continue
        file = files[int(post) - 1]
        if not order or order[-1] != file:
            order.append(file)
        text = "".join(t.text or "" for t in p.iter(w("t")))
        source = (project / file).read_text("utf-8").splitlines()[int(line) - 1]
        words = [x for x in text.split()[:4] if x.isalpha()]
        if not words:
            continue
        assert all(x in source for x in words), (file, line, text[:60], source[:60])
        checked += 1
    assert checked > 50
    from conftest import manifest_structure  # the posts in the manuscript's order
    titles = [post for _, chapters in manifest_structure(project / "manuscripts" / "medias-sociaux.yml") for _, posts in chapters for post in posts]
    import yaml
    got = [yaml.safe_load((project / f).read_text("utf-8").split("---")[1])["title"] for f in order]
    assert got == titles


def test_tracked_changes_and_comments_are_listed_at_their_post_line(project):
    result = run_cli("corrections", "edited.docx", "--report", "report.md", cwd=project)
    assert result.exit_code == 0, result.output
    out = result.stdout
    text = (project / POST).read_text("utf-8")
    lines = text.splitlines()
    n, m, k = _line(text, "Le pâté chinois"), _line(text, "Les gens s"), _line(text, "Et vous, votre pâté")
    assert f"{POST}:{n}:{lines[n - 1].index('magique') + 1}: delete « magique »" in out
    assert f"{POST}:{m}:{lines[m - 1].index(' un petit test') + 1}: insert « vraiment »" in out
    assert f"{POST}:{m}:{lines[m - 1].index('hier soir') + 1}: replace « hier soir » with « avant-hier »" in out
    assert f"{POST}:{k}:{lines[k - 1].index('sans ketchup') + 1}: word comment on « sans ketchup »: Le point d’interrogation : espace fine ?" in out
    assert "Éditrice, 2026-12-07 10:15" in out
    assert "« magique »" in (project / "report.md").read_text("utf-8")
    assert (project / POST).read_text("utf-8") == (REPO / POST).read_text("utf-8")  # listing changes nothing


def test_apply_makes_those_edits_once(project):
    before = (project / POST).read_text("utf-8")
    result = run_cli("corrections", "edited.docx", "--apply", cwd=project)
    assert result.exit_code == 0, result.output
    after = (project / POST).read_text("utf-8")
    expected = (before.replace("c’est magique (pour", "c’est (pour", 1).replace("J’ai donc fait un petit test hier soir", "J’ai donc fait vraiment un petit test avant-hier", 1))
    assert after == expected
    again = run_cli("corrections", "edited.docx", "--apply", cwd=project)
    assert again.exit_code == 0, again.output
    assert (project / POST).read_text("utf-8") == after
    assert again.stdout.count("(already made)") == 3


def test_a_document_resaved_by_libreoffice_still_maps(project, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(project / "edited.docx", src / "edited.docx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "docx", "--outdir", str(tmp_path / "out"), str(src / "edited.docx")],
                   check=True, capture_output=True, timeout=300)
    resaved = tmp_path / "out" / "edited.docx"
    with zipfile.ZipFile(resaved) as z:
        assert b"w:del " in z.read("word/document.xml") or b"<w:del " in z.read("word/document.xml")
    fresh = copy_project(tmp_path / "p")
    result = run_cli("corrections", resaved, cwd=fresh)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "delete « magique »" in out and "insert « vraiment »" in out and "replace « hier soir » with « avant-hier »" in out, out
    assert "comment on « sans ketchup »: Le point d’interrogation" in out, out
    applied = run_cli("corrections", resaved, "--apply", cwd=fresh)
    assert applied.exit_code == 0, applied.output
    assert "J’ai donc fait vraiment un petit test avant-hier" in (fresh / POST).read_text("utf-8")


def test_a_change_over_text_edited_since_is_a_conflict(project, tmp_path):
    fresh = copy_project(tmp_path / "p")
    post = fresh / POST
    post.write_text(post.read_text("utf-8").replace("c’est magique (pour", "c’est formidable (pour", 1), "utf-8")
    before = post.read_text("utf-8")
    result = run_cli("corrections", project / "edited.docx", "--patch", tmp_path / "fix.diff", cwd=fresh)
    assert result.exit_code == 1
    assert "delete « magique »" in result.stdout and "conflict" in result.stdout
    assert post.read_text("utf-8") == before
    assert "avant-hier" in (tmp_path / "fix.diff").read_text("utf-8")  # the others still apply
