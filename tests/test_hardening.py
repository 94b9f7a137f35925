"""Issue 11, case by case, through the CLI: nothing outside the project gets in, no input crashes
the build, no broken file blocks a book. Every failing case must give a located message, exit 1,
no traceback, and no byte of the secret file kept outside the project."""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, epubcheck_messages, java_available, run_cli

TINY = REPO / "tests" / "roots" / "tiny"
SECRET = "TOP-SECRET-7f3a9c"


@pytest.fixture
def project(tmp_path):
    """A copy of the tiny book in tmp_path/book; tmp_path/secret.* lie outside it."""
    shutil.copytree(TINY, tmp_path / "book")
    (tmp_path / "secret.md").write_text(f"---\ntitle: Secret\n---\n\n{SECRET}\n", "utf-8")
    (tmp_path / "secret.png").write_bytes((TINY / "posts" / "images" / "schema.png").read_bytes() + SECRET.encode())
    return tmp_path / "book"


def manuscript(project: Path, extra: str = "", text: str | None = None) -> Path:
    path = project / "manuscripts" / "tiny.yml"
    base = text if text is not None else path.read_text("utf-8")
    path.write_text(base + extra, "utf-8")
    return path


def post(project: Path, name: str, text: str) -> Path:
    path = project / "posts" / name
    path.write_text(text, "utf-8")
    return path


def use_post(project: Path, slug: str) -> Path:
    """Make the tiny book's first chapter use ``slug`` too."""
    path = project / "manuscripts" / "tiny.yml"
    path.write_text((TINY / "manuscripts" / "tiny.yml").read_text("utf-8").replace("posts: [premier-billet]", f"posts: [premier-billet, {slug}]"), "utf-8")
    return path


def failed(result, *expected: str) -> str:
    """The run failed cleanly: exit 1, each expected text in stderr, no traceback, no secret."""
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.output and "unexpected failure" not in result.output
    assert SECRET not in result.output
    assert "\x1b" not in result.output  # no raw terminal escape ever printed
    return result.stderr


def outputs_hold_no_secret(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            if path.suffix == ".epub":
                with zipfile.ZipFile(path) as z:
                    for name in z.namelist():
                        assert SECRET.encode() not in z.read(name), name


# ---------------------------------------------------------------- 1, 2: cover and matter files

def test_1_cover_outside_the_project_is_refused(project, tmp_path):
    for cover in ("/etc/passwd", "../../secret.png"):
        m = manuscript(project, text=(TINY / "manuscripts" / "tiny.yml").read_text("utf-8") + f"cover: {cover}\n")
        for command in (("check", m), ("build", m, "-f", "epub", "-o", tmp_path / "out")):
            failed(run_cli(*command), "manuscripts/tiny.yml:", "cover: ", "is outside the project folder", "[manifest.outside-project]")
    (project / "cover.png").symlink_to(tmp_path / "secret.png")  # a symlink inside leading outside
    m = manuscript(project, text=(TINY / "manuscripts" / "tiny.yml").read_text("utf-8") + "cover: ../cover.png\n")
    failed(run_cli("build", m, "-f", "epub", "-o", tmp_path / "out"), "tiny.yml:12:8: error: cover: '../cover.png' is outside")
    assert not (tmp_path / "out").exists()


def test_1_cover_must_be_an_image(project, tmp_path):
    (project / "notes.txt").write_text("pas une image", "utf-8")
    m = manuscript(project, "cover: ../notes.txt\n")
    failed(run_cli("check", m), "tiny.yml:12:8: error: cover: 'notes.txt' is not an image", "[manifest.cover]")


def test_2_matter_files_outside_the_project_are_refused(project, tmp_path):
    (project / "preface.md").symlink_to(tmp_path / "secret.md")
    m = manuscript(project, "front: {preface: ../../secret.md, dedication: ../preface.md}\nback: {about: ../../../../../../../../etc/passwd}\n")
    err = failed(run_cli("build", m, "-f", "md", "-f", "epub", "-o", tmp_path / "out"), "[manifest.outside-project]")
    assert err.count("[manifest.outside-project]") == 3
    assert "tiny.yml:12:18: error: front.preface:" in err and "tiny.yml:13:15: error: back.about:" in err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- 3: YAML alias bombs

BOMB = "".join(f'{chr(98 + i)}: &{chr(98 + i)} [{", ".join([f"*{chr(97 + i)}"] * 9)}]\n' for i in range(9))


def test_3_alias_bomb_in_the_manuscript_fails_fast(project):
    m = manuscript(project, text='a: &a ["lol"]\n' + BOMB + "date: *j\n" + (TINY / "manuscripts" / "tiny.yml").read_text("utf-8"))
    start = time.monotonic()
    err = failed(run_cli("check", m), "tiny.yml:1:4: error: invalid YAML: anchors (&a) are not allowed", "[manifest.yaml]")
    assert time.monotonic() - start < 30  # generous: the point is that nothing is expanded (no timing claim)
    assert len(err) < 1000


def test_3_alias_bomb_in_front_matter_fails_fast(project):
    post(project, "bombe.md", '---\ntitle: Bombe\na: &a ["lol"]\n' + BOMB + "tags: *j\n---\n\nTexte.\n")
    err = failed(run_cli("check", use_post(project, "bombe")), "posts/bombe.md:3:4: error: invalid YAML in the front matter: anchors (&a) are not allowed")
    assert len(err) < 1000
    alias_only = post(project, "alias.md", "---\ntitle: Alias\ntags: *x\n---\n\nTexte.\n")
    failed(run_cli("check", use_post(project, "alias")), f"posts/{alias_only.name}:3:7: error: invalid YAML in the front matter")


# ---------------------------------------------------------------- 4, 12: fonts

def copy_style(project: Path, name: str, css: str, with_base: bool = True) -> Path:
    style = project / "styles" / name
    style.mkdir(parents=True)
    if with_base:
        shutil.copytree(REPO / "styles" / "base", project / "styles" / "base", dirs_exist_ok=True)
    (style / "print.css").write_text(css, "utf-8")
    return style


def test_4_a_style_that_lost_its_base_is_an_error(project, tmp_path):
    style = project / "styles" / "copie"
    shutil.copytree(REPO / "styles" / "medias-sociaux-101", style)  # without ../base
    m = manuscript(project, "style: copie\n")
    failed(
        run_cli("build", m, "-f", "pdf", "-o", tmp_path / "out"),
        "styles/copie/print.css:4: error: the print style sheet imports '../base/print.css', which does not exist",
        "[style.import-missing]",
    )
    (style / "print.css").write_text("body { color: black; }\n", "utf-8")  # no import, no faces at all
    failed(run_cli("check", m), "styles/copie/print.css:1: error: the style declares no @font-face", "[style.no-faces]")


def test_4_faces_only_from_the_font_packages(project, tmp_path, monkeypatch):
    from blog2book import fonts

    m = manuscript(project, "style: maison\n")
    style = copy_style(project, "maison", '@import url("../base/print.css");\n@font-face { font-family: "X"; src: local("DejaVu Sans"); }\n')
    failed(run_cli("check", m), "styles/maison/print.css:2: error: a @font-face must take its face from a fontpkg: URL only", "[style.face-source]")
    (style / "print.css").write_text('@import url("../base/print.css");\n@font-face { font-family: "X";\n  src: url("fontpkg:source-serif-4/Absente.ttf?wght=400"); }\n', "utf-8")
    failed(run_cli("build", m, "-f", "pdf", "-o", tmp_path / "out"), "styles/maison/print.css:2: error: no font file for fontpkg:source-serif-4/Absente.ttf", "[style.font-missing]")
    (style / "print.css").write_text('@import url("../base/print.css");\n@font-face { font-family: "X";\n  src: url("fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght=401&opsz=9"); }\n', "utf-8")

    def damaged(path, axes):
        from fontTools.ttLib import TTLibError

        raise TTLibError("bad sfntVersion")

    monkeypatch.setattr(fonts, "make_instance", damaged)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    failed(run_cli("build", m, "-f", "pdf", "-o", tmp_path / "out"), "styles/maison/print.css:2: error: cannot make the face SourceSerif4[opsz,wght].ttf {'opsz': 9.0, 'wght': 401.0}: TTLibError: bad sfntVersion", "[style.font-unreadable]")
    assert not (tmp_path / "out" / "tiny.pdf").exists()


@pytest.mark.slow
def test_4_a_family_the_style_does_not_declare_is_an_error(project, tmp_path):
    copy_style(
        project,
        "machine",
        '@font-face { font-family: "Book Serif"; font-style: normal; font-weight: 400;\n'
        '  src: url("fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght=400&opsz=11"); }\n'
        'html { font-family: "Book Serif"; }\nh1, h2, h3 { font-family: "DejaVu Sans", sans-serif; }\n',
        with_base=False,
    )
    m = manuscript(project, "style: machine\n")
    failed(run_cli("build", m, "-f", "pdf", "-o", tmp_path / "out"), "the PDF engine set text in fonts the style does not declare", "[pdf.machine-font]")
    assert not (tmp_path / "out" / "tiny.pdf").exists()


@pytest.mark.slow
def test_4_12_unwritable_font_cache_and_pdf_identical_between_caches(project, tmp_path, monkeypatch):
    """A cache that cannot be written: a temporary one for the run, the book's own faces; two fresh
    caches give the same PDF bytes (instances do not store their creation time).

    The three builds run at once, each a ``python -m blog2book build`` of its own (the cache is
    chosen by the environment, one per process): a cold font cache is ~30 s of mostly one core
    (instancing the faces, subsetting the EPUB's), 140 s for the three one after the other."""
    import subprocess
    import sys

    from pypdf import PdfReader

    from conftest import PDFS

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.delenv("BLOG2BOOK_FONT_CACHE", raising=False)  # a temporary cache an earlier build of this process made
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    builds = []
    for n, cache in enumerate((blocker / "cache", tmp_path / "cache-a", tmp_path / "cache-b")):
        command = [sys.executable, "-m", "blog2book", "build", project / "manuscripts" / "tiny.yml", "-f", "pdf", "-f", "epub", "-o", tmp_path / f"out{n}"]
        builds.append(subprocess.Popen(command, env={**os.environ, "XDG_CACHE_HOME": str(cache)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    pdfs = []
    for n, build in enumerate(builds):
        output, _ = build.communicate(timeout=600)
        assert build.returncode == 0, output
        PDFS.written([tmp_path / f"out{n}" / "tiny.pdf"])  # checked by gs, qpdf and pdfium as an in-process build's are
        pdfs.append((tmp_path / f"out{n}" / "tiny.pdf").read_bytes())
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(tmp_path / "out0" / "tiny.pdf").pages for f in page["/Resources"].get("/Font", {}).values()}
    assert fonts and all(f.split("+")[1].startswith(("Book-Serif", "MS101-Display")) for f in fonts), fonts
    assert not (tmp_path / "cache-a" / "blog2book" / "fonts").is_dir() or any((tmp_path / "cache-a" / "blog2book" / "fonts").glob("*.ttf"))
    assert pdfs[0] == pdfs[1] == pdfs[2]


def general_instance(path: Path, axes: dict[str, float]) -> bytes:
    """The instance made by fontTools' general instancer (the reference of the fast one)."""
    import io

    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    reference = instancer.instantiateVariableFont(TTFont(path, recalcTimestamp=False), axes, updateFontNames=False)
    buf = io.BytesIO()
    reference.save(buf)
    return buf.getvalue()


@pytest.mark.slow
def test_12_instances_are_reproducible_and_keep_the_kerning():
    """fontTools' fast instancing (the path without HarfBuzz) gives the same bytes twice and the same
    kerning and mark anchors as fontTools' general instancer. (The three instances are made at
    once, in processes of their own: ~9 s each on one core.)"""
    import io
    import itertools
    from concurrent.futures import ProcessPoolExecutor

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables as ot

    from blog2book import fonts
    from blog2book.fontinstance import fonttools_instance

    path, axes = fonts.parse_url("fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght=680&opsz=11")
    with ProcessPoolExecutor(3) as pool:
        fast, again, general = pool.submit(fonttools_instance, path, axes), pool.submit(fonttools_instance, path, axes), pool.submit(general_instance, path, axes)
        fast, again, general = fast.result(), again.result(), general.result()
    assert fast == again
    a, b = TTFont(io.BytesIO(fast)), TTFont(io.BytesIO(general))

    def lookups(font):
        for lk in font["GPOS"].table.LookupList.Lookup:
            yield [st.ExtSubTable if lk.LookupType == 9 else st for st in lk.SubTable]

    def pair(subtables, g1, g2):
        for st in subtables:
            if not isinstance(st, ot.PairPos) or g1 not in st.Coverage.glyphs:
                continue
            if st.Format == 1:
                for r in st.PairSet[st.Coverage.glyphs.index(g1)].PairValueRecord:
                    if r.SecondGlyph == g2:
                        return getattr(r.Value1, "XAdvance", 0)
                continue
            rec = st.Class1Record[st.ClassDef1.classDefs.get(g1, 0)].Class2Record[st.ClassDef2.classDefs.get(g2, 0)]
            return getattr(rec.Value1, "XAdvance", 0) if rec.Value1 else 0
        return 0

    def marks(subtables, g):
        out = []
        for st in subtables:
            if isinstance(st, ot.MarkBasePos):
                if g in st.BaseCoverage.glyphs:
                    out += [(x.XCoordinate, x.YCoordinate) for x in st.BaseArray.BaseRecord[st.BaseCoverage.glyphs.index(g)].BaseAnchor if x]
                if g in st.MarkCoverage.glyphs:
                    anchor = st.MarkArray.MarkRecord[st.MarkCoverage.glyphs.index(g)].MarkAnchor
                    out.append((anchor.XCoordinate, anchor.YCoordinate))
        return out

    cmap = a.getBestCmap()
    glyphs = sorted({cmap[ord(c)] for c in "AVTWYLPFaeovwy.,«»’-éèàçôœ\u0301\u0300" if ord(c) in cmap})
    kerned = 0
    for la, lb in zip(lookups(a), lookups(b)):
        for g1, g2 in itertools.product(glyphs, glyphs):
            assert pair(la, g1, g2) == pair(lb, g1, g2), (g1, g2)
            kerned += pair(la, g1, g2) != 0
        for g in glyphs:
            assert marks(la, g) == marks(lb, g), g
    assert kerned > 20  # the comparison saw real kerning
    for tag in ("glyf", "hmtx", "cmap", "OS/2", "hhea"):
        assert a.getTableData(tag) == b.getTableData(tag), tag


# ---------------------------------------------------------------- 5: SVG and style sheets

EVIL_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" onload="alert(1)">
<script>alert("{SECRET}")</script>
<style>@import url("http://example.org/x.css"); rect {{ fill: url(file:///etc/passwd); }}</style>
<image href="file://{{secret}}" width="10" height="10"/>
<image xlink:href="http://example.org/pixel.png" width="10" height="10"/>
<a xlink:href="javascript:alert(1)"><rect width="40" height="20" fill="#336" onclick="x()"/></a>
</svg>"""


def test_5_svg_images_are_cleaned_before_the_epub_and_the_pdf(project, tmp_path):
    svg_path = project / "posts" / "images" / "piege.svg"
    svg_path.write_text(EVIL_SVG.replace("{secret}", str(tmp_path / "secret.png")), "utf-8")
    post(project, "svg.md", "---\ntitle: Une image vectorielle\n---\n\nAvant.\n\n![Un schéma](images/piege.svg)\n")
    m = use_post(project, "svg")
    result = run_cli("build", m, "-f", "epub", "-f", "md", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "posts/svg.md:7: warning: SVG image 'images/piege.svg': removed onload attribute, <script>, external url() or @import in <style>, reference to file:" in result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "tiny.epub") as z:
        svgs = [z.read(n).decode() for n in z.namelist() if n.endswith(".svg")]
    assert len(svgs) == 1
    for bad in ("<script", "onload", "onclick", "file:", "http://example.org", "javascript:", "@import"):
        assert bad not in svgs[0], bad
    outputs_hold_no_secret(tmp_path / "out")
    if java_available():
        valid, messages = epubcheck_messages(tmp_path / "out" / "tiny.epub")
        assert valid, messages


def test_5_svg_with_entities_is_refused(project, tmp_path):
    (project / "posts" / "images" / "rire.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>\n<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>\n', "utf-8"
    )
    post(project, "rire.md", "---\ntitle: Rire\n---\n\n![Rire](images/rire.svg)\n")
    failed(run_cli("build", use_post(project, "rire"), "-f", "md", "-o", tmp_path / "out"), "posts/rire.md:5: error: SVG image 'images/rire.svg' is refused: it declares a DOCTYPE or entities", "[image.svg-refused]")


def test_5_style_sheets_may_not_import_remote_files(project, tmp_path):
    style = copy_style(project, "distante", '@import url("../base/print.css");\n@import url("https://example.org/fonts.css");\n')
    m = manuscript(project, "style: distante\n")
    failed(run_cli("check", m), "styles/distante/print.css:2: error: the print style sheet imports 'https://example.org/fonts.css'", "[style.remote]")
    (style / "print.css").write_text('@import url("../base/print.css");\n', "utf-8")
    (style / "epub.css").write_text('p { margin: 0; }\n@import url("https://example.org/x.css");\nh1 { background: url(http://example.org/p.png); }\n', "utf-8")
    err = failed(run_cli("build", m, "-f", "epub", "-o", tmp_path / "out"), "styles/distante/epub.css:2: error: the EPUB style sheet imports", "[style.epub-import]")
    assert "styles/distante/epub.css:3: error: the EPUB style sheet refers to 'http://example.org/p.png'" in err


# ---------------------------------------------------------------- 6: nesting

@pytest.mark.parametrize(
    "body, line",
    [
        ("Avant.\n\n" + "> " * 600 + "Citation.\n", 7),
        ("Avant.\n\n" + "".join("  " * i + "- niveau\n" for i in range(2000)), 47),
        ("Avant.\n\n" + "- " * 700 + "liste\n", 7),
    ],
    ids=["quotes", "indented-list", "list-markers"],
)
def test_6_deep_nesting_is_refused_at_its_line(project, tmp_path, body, line):
    post(project, "profond.md", "---\ntitle: Profond\n---\n\n" + body)
    m = use_post(project, "profond")
    start = time.monotonic()
    failed(run_cli("build", m, "-f", "md", "-o", tmp_path / "out"), f"posts/profond.md:{line}: error: block quotes or lists are nested more than 40 levels deep", "[post.too-deep]")
    assert time.monotonic() - start < 60


def test_6_deep_html_and_emphasis_are_refused_and_reasonable_depth_builds(project, tmp_path):
    post(project, "divs.md", "---\ntitle: Divs\n---\n\nAvant.\n\n" + "<div>" * 400 + "x" + "</div>" * 400 + "\n")
    failed(run_cli("build", use_post(project, "divs"), "-f", "md", "-o", tmp_path / "out"), "posts/divs.md:", "more than 150 levels deep", "[pandoc.too-deep]")
    (project / "posts" / "divs.md").unlink()
    m = manuscript(project, text=(TINY / "manuscripts" / "tiny.yml").read_text("utf-8"))
    post(project, "ok.md", "---\ntitle: Assez profond\n---\n\n" + "> " * 12 + "Citation.\n\n" + "".join("  " * i + "- niveau\n" for i in range(10)))
    result = run_cli("build", use_post(project, "ok"), "-f", "md", "-f", "epub", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    del m


# ---------------------------------------------------------------- 7: control characters

def test_7_control_characters_are_refused_at_their_line(project, tmp_path):
    post(project, "titre.md", '---\ntitle: "Un \\e[31mtitre\\x07"\n"cl\\e[2J": 1\n---\n\nTexte.\n')
    err = failed(run_cli("check", use_post(project, "titre")), "posts/titre.md:2: error: 'title' contains the control character \\x1b", "[post.control-char]")
    assert "posts/titre.md:3: error: a front matter key contains the control character \\x1b" in err
    post(project, "brut.md", "---\ntitle: Un titre\x1b[31m brut\n---\n\nTexte.\n")
    failed(run_cli("check", use_post(project, "brut")), "posts/brut.md:2: error: invalid YAML in the front matter: the control character \\x1b is not allowed")


def test_7_control_characters_in_the_manuscript_and_slugs(project):
    text = (TINY / "manuscripts" / "tiny.yml").read_text("utf-8")
    text = text.replace("title: Un petit livre", 'title: "Un petit \\e]0;pwned\\x07livre"').replace("posts: [premier-billet]", 'posts: ["premier\\e[2J-billet"]')
    err = failed(run_cli("check", manuscript(project, text=text)), "tiny.yml:1:8: error: title: contains the control character \\x1b", "[manifest.control-char]")
    assert "tiny.yml:7:13: error: chapters[0].posts[0]: contains the control character \\x1b" in err


def test_7_control_characters_in_a_body_are_removed_with_a_warning(project, tmp_path):
    post(project, "corps.md", "---\ntitle: Corps\n---\n\nUn texte\x07 avec\x1b une cloche.\n")
    result = run_cli("build", use_post(project, "corps"), "-f", "md", "-f", "epub", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "posts/corps.md:5: warning: control characters removed from this line" in result.stderr
    assert "Un texte avec une cloche." in (tmp_path / "out" / "tiny.md").read_text("utf-8")


# ---------------------------------------------------------------- 8: dates

def test_8_impossible_dates_are_located_and_all_listed(project):
    post(project, "mois.md", "---\ntitle: Mois\ndate: 2014-13-05\n---\n\nTexte.\n")
    post(project, "jour.md", "---\ntitle: Jour\ndate: 2014-02-30\n---\n\nTexte.\n")
    chapters = (TINY / "manuscripts" / "tiny.yml").read_text("utf-8").replace("posts: [premier-billet]", "posts: [premier-billet, mois, jour]")
    chapters += "  - title: Choisis\n    posts:\n      - select: {from: 2014-13-05, to: 2014-02-30}\n"
    text = chapters + "date: 2014-02-30\nmodified: 2014-13-40T00:00:00Z\n"
    err = failed(run_cli("check", manuscript(project, text=text)), "tiny.yml:15:7: error: date: 2014-02-30: month 2 of 2014 has no day 30", "[manifest.date]")
    assert "tiny.yml:16:11: error: modified: '2014-13-40T00:00:00Z' is not a timestamp" in err
    assert "tiny.yml:14:24: error: chapters[2].posts[0].select.from: 2014-13-05: month 13 does not exist" in err
    assert "tiny.yml:14:40: error: chapters[2].posts[0].select.to: 2014-02-30: month 2 of 2014 has no day 30" in err
    assert err.count("[manifest.date]") == 4  # every one listed, none hidden
    text = chapters.replace("2014-13-05", "2014-01-05").replace("to: 2014-02-30", "to: 2014-02-28")
    err = failed(run_cli("check", manuscript(project, text=text)), "posts/mois.md:3: error: 2014-13-05: month 13 does not exist [post.date]")
    assert "posts/jour.md:3: error: 2014-02-30: month 2 of 2014 has no day 30 [post.date]" in err


# ---------------------------------------------------------------- 9: --compare and the review profile

def test_9_compare_takes_only_the_markdown_of_a_build(project, tmp_path):
    m = project / "manuscripts" / "tiny.yml"
    pdf = project / "ancien.pdf"
    pdf.write_bytes(b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n1 0 obj\n")
    failed(run_cli("build", m, "--profile", "review", "--compare", pdf, "-o", project / "out"), "ancien.pdf:2:1: error: cannot read the earlier build to compare with: the file is not valid UTF-8", "give the .md file of an earlier build")
    notes = project / "notes.md"
    notes.write_text("# Mes notes\n\nRien à voir.\n", "utf-8")
    failed(run_cli("build", m, "--profile", "review", "--compare", notes, "-o", project / "out"), "notes.md:1: error: this file is not the Markdown edition of a blog2book build", "[review.compare-not-a-book]")
    outside = tmp_path / "secret.md"
    failed(run_cli("build", m, "--profile", "review", "--compare", outside, "-o", project / "out"), "is outside the project folder", "[review.compare-outside-project]")
    usage = run_cli("build", m, "--profile", "review", "-f", "epub", "-o", project / "out")
    assert usage.exit_code == 2 and "--profile review makes no epub" in usage.stderr


# ---------------------------------------------------------------- 10, 13: broken and draft posts

def test_10_broken_posts_the_book_does_not_use_are_warnings(project, tmp_path):
    post(project, "NOTES.md", "Mes notes de travail, sans front matter.\n")
    post(project, "brouillon.md", "---\ntitle: Brouillon\ndate: 2014-13-05\n---\n\nPas fini.\n")
    (project / "posts" / "secret.md").symlink_to(tmp_path / "secret.md")
    m = project / "manuscripts" / "tiny.yml"
    checked = run_cli("check", m)
    assert checked.exit_code == 0, checked.output
    for text in (
        "posts/NOTES.md:1: warning: the post has no front matter (this post is not in the book, so it is left out)",
        "posts/brouillon.md:3: warning: 2014-13-05: month 13 does not exist",
        "posts/secret.md: warning: this post leads to",
    ):
        assert text in checked.stderr, checked.stderr
    assert SECRET not in checked.output
    strict = run_cli("check", "--strict", m)
    assert strict.exit_code == 1
    built = run_cli("build", m, "-f", "md", "-f", "epub", "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    outputs_hold_no_secret(tmp_path / "out")
    # the same posts used by the book are errors
    failed(run_cli("check", use_post(project, "brouillon")), "posts/brouillon.md:3: error: 2014-13-05: month 13 does not exist [post.date]")
    failed(run_cli("build", use_post(project, "secret"), "-f", "md", "-o", tmp_path / "out2"), "posts/secret.md: error: this post leads to", "[post.outside-project]")
    outputs_hold_no_secret(tmp_path / "out2")


def test_13_draft_posts_are_left_out_unless_asked(project, tmp_path):
    post(project, "ebauche.md", "---\ntitle: Une ébauche\ndraft: true\n---\n\nTexte pas encore relu.\n")
    m = use_post(project, "ebauche")
    result = run_cli("build", m, "-f", "md", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "tiny.yml:7:29: warning: post 'ebauche' is a draft (draft: true): left out of the book" in result.stderr
    assert "Texte pas encore relu" not in (tmp_path / "out" / "tiny.md").read_text("utf-8")
    result = run_cli("build", m, "--drafts", "-f", "md", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Texte pas encore relu" in (tmp_path / "out" / "tiny.md").read_text("utf-8")


def test_13_ctrl_c_exits_130(project, tmp_path, monkeypatch):
    from blog2book import transform

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(transform, "transform_post", interrupted)
    result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "md", "-o", tmp_path / "out")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr and not (tmp_path / "out" / "tiny.md").exists()


# ---------------------------------------------------------------- 11: outputs together, caches bounded

def test_11_outputs_change_together_or_not_at_all(project, tmp_path, monkeypatch):
    from blog2book import outputs

    out = tmp_path / "out"
    m = project / "manuscripts" / "tiny.yml"
    assert run_cli("build", m, "-f", "md", "-f", "epub", "-o", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    post(project, "premier-billet.md", (TINY / "posts" / "premier-billet.md").read_text("utf-8").replace("Un premier paragraphe", "Un paragraphe changé"))
    calls = []

    def disk_full(fd):
        calls.append(fd)
        if len(calls) == 2:  # the second output finds the disk full
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", disk_full)
    failed(run_cli("build", m, "-f", "md", "-f", "epub", "-o", out), "cannot write the outputs: No space left on device; the previous outputs are unchanged", "[output.write]")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # no new .md beside the old .epub
    assert not list(out.glob(".*.tmp"))


def test_11_stale_temporaries_of_killed_builds_are_removed(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = out / ".tiny.md.999999999.abcd.tmp"  # no such process
    old = out / ".tiny.md.k2j4h5.tmp"  # the old naming, from long ago
    live = out / f".tiny.md.{os.getppid()}.efgh.tmp"  # a build still running beside this one
    for p in (dead, old, live):
        p.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "md", "-o", out)
    assert result.exit_code == 0, result.output
    assert not dead.exists() and not old.exists() and live.exists()


def test_11_the_parse_cache_never_takes_the_last_of_the_disk(project, tmp_path, monkeypatch):
    import shutil as shutil_mod
    from collections import namedtuple

    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(shutil_mod, "disk_usage", lambda path: Usage(10**9, 10**9 - 1024, 1024))
    out = tmp_path / "out"
    result = run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "md", "-o", out)
    assert result.exit_code == 0, result.output
    cache = out / ".cache"
    assert not [p for p in cache.rglob("*") if p.is_file()]  # nothing cached, no 0-byte or .tmp file


# ---------------------------------------------------------------- limits

def test_text_files_have_a_size_limit(project, tmp_path):
    from blog2book.diagnostics import MAX_TEXT_BYTES

    post(project, "enorme.md", "---\ntitle: Énorme\n---\n\n" + "a" * (MAX_TEXT_BYTES + 10))
    failed(run_cli("check", use_post(project, "enorme")), "posts/enorme.md: error: the file is 4.0 MB; blog2book reads text files up to 4 MB", "[post.too-large]")


def test_long_values_are_cut_in_messages(project):
    text = (TINY / "manuscripts" / "tiny.yml").read_text("utf-8") + "links: " + "x" * 5000 + "\n"
    err = failed(run_cli("check", manuscript(project, text=text)), "links: 'xxxxxxxx", "…' (5000 characters) is not one of footnote, endnote, inline")
    assert len(err) < 1000


def test_3_deeply_nested_yaml_is_refused_not_a_recursion_error(project):
    m = manuscript(project, "subjects: " + "[" * 3000 + "]" * 3000 + "\n")
    failed(run_cli("check", m), "tiny.yml:12:50: error: invalid YAML: lists and mappings are nested more than 40 levels deep", "[manifest.yaml]")
    post(project, "imbrique.md", "---\ntitle: Imbriqué\ntags: " + "[" * 3000 + "]" * 3000 + "\n---\n\nTexte.\n")
    failed(run_cli("check", use_post(project, "imbrique")), "posts/imbrique.md:3:46: error: invalid YAML in the front matter: lists and mappings are nested more than 40 levels deep")


def test_6_a_pandoc_call_has_a_time_limit(project, tmp_path, monkeypatch):
    from blog2book import pandoc

    pandoc.api_version()  # known before the limit (cached per process)
    monkeypatch.setattr(pandoc, "TIME_LIMIT", 0.0001)
    err = failed(run_cli("build", project / "manuscripts" / "tiny.yml", "-f", "md", "-o", tmp_path / "out"), "posts/premier-billet.md:7: error: pandoc took more than 0.0001 s and was stopped", "[pandoc.timeout]")
    assert "posts/deuxieme-billet.md" in err  # every post reported, not only the first


def test_1_a_posts_folder_cannot_widen_the_project_to_the_whole_machine(project, tmp_path):
    m = manuscript(project, "posts: /\ncover: /etc/passwd\n")
    failed(run_cli("check", m), "tiny.yml:12:8: error: posts: '/' is outside the project folder", "tiny.yml:13:8: error: cover: '/etc/passwd' is outside the project folder")


def test_2_images_of_matter_files_follow_the_path_rule(project, tmp_path):
    (project / "manuscripts" / "preface.md").write_text("---\ntitle: Préface\n---\n\nUn mot.\n\n![Volé](../../secret.png)\n", "utf-8")
    m = manuscript(project, "front: {preface: preface.md}\n")
    failed(run_cli("build", m, "-f", "epub", "-o", tmp_path / "out"), "manuscripts/preface.md:7: error: image '../../secret.png' is outside the project folder", "[image.outside]")
    (project / "manuscripts" / "preface.md").write_text("Un mot.\n\n![Un schéma](../posts/images/schema.png)\n", "utf-8")
    result = run_cli("build", m, "-f", "epub", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "tiny.epub") as z:
        assert sum(n.endswith(".png") for n in z.namelist()) >= 2  # the cover and the preface's image
    outputs_hold_no_secret(tmp_path / "out")


def test_6_deep_indentation_that_nests_nothing_is_accepted(project, tmp_path):
    code = "```html\n" + "".join(" " * (4 * i) + "<div>\n" for i in range(30)) + "```\n\n" + " " * 120 + "indented code\n"
    post(project, "code.md", "---\ntitle: Du code\n---\n\nAvant.\n\n" + code)
    result = run_cli("build", use_post(project, "code"), "-f", "md", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_2_images_of_matter_files_reach_the_pdf(project, tmp_path):
    (project / "manuscripts" / "figures").mkdir()
    shutil.copy(TINY / "posts" / "images" / "schema.png", project / "manuscripts" / "figures" / "plan.png")  # a folder no post uses
    (project / "manuscripts" / "preface.md").write_text("Un mot.\n\n![Un plan](figures/plan.png)\n", "utf-8")
    m = manuscript(project, "front: {preface: preface.md}\n")
    result = run_cli("build", m, "-f", "pdf", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "may not read" not in result.stderr
