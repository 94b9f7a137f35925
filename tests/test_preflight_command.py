"""`blog2book check --preflight` (issue 23, item 5) through the CLI: on the files a build wrote
(the sample's press build, a tiny book), on a press file spoiled on purpose (RGB image, ink at 400 %,
text beyond the trim, a wrong TrimBox, two programs under one subset name, a page Ghostscript
cannot draw, an untagged trade PDF, Ace's findings), without Ghostscript; and the same checks in
`build --print press`, where a failure keeps the previous files."""

import re
import shutil
import sys

import pytest

from conftest import REPO, SAMPLE, run_cli

pytestmark = pytest.mark.slow
TINY = REPO / "tests" / "roots" / "tiny"
NO_ACE = "/nonexistent/ace"  # BLOG2BOOK_ACE naming no program: Ace is "not installed"


def tiny_book(tmp_path, settings: str = "print: {profile: press}"):
    root = tmp_path / "book"
    shutil.copytree(TINY, root)
    path = root / "manuscripts" / "tiny.yml"
    path.write_text(path.read_text("utf-8").replace("\nchapters:", f"\n{settings}\nchapters:", 1), "utf-8")
    return path


def findings(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith(f"[{code}]")]


def errors(output: str) -> list[str]:
    """The preflight's error lines (neither a warning nor an information)."""
    return [line for line in output.splitlines() if "[preflight." in line and ": warning: " not in line and ": info: " not in line]


@pytest.fixture(scope="module")
def tiny_checked(tmp_path_factory):
    """The tiny book (press profile), its output folder empty: check --preflight builds it first."""
    manuscript = tiny_book(tmp_path_factory.mktemp("tiny"))
    out = manuscript.parent.parent / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLOG2BOOK_ACE", NO_ACE)
        result = run_cli("check", "--preflight", manuscript, "-o", out)
    return manuscript, out, result


def image_sizes_on(path, page: int) -> list[tuple[int, int]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [obj.get_px_size() for obj in pdf[page - 1].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8)]
    finally:
        pdf.close()


def test_the_sample_press_build_passes(press):
    """The sample's trade, press and cover PDFs: no error (the trade PDF's tags are another item)."""
    result = run_cli("check", "--preflight", SAMPLE, "-o", press)
    assert result.exit_code == 0, result.output
    assert "preflight: medias-sociaux.pdf, medias-sociaux-press.pdf, medias-sociaux-cover.pdf" in result.output
    assert "building" not in result.output  # the files were there
    assert errors(result.output) == []
    assert findings(result.output, "preflight.ink") == findings(result.output, "preflight.overflow") == []
    assert findings(result.output, "preflight.image-resolution") == []


def test_absent_files_are_built_first_and_a_small_image_is_located(tiny_checked):
    manuscript, out, result = tiny_checked
    assert result.exit_code == 0, result.output
    assert f"no tiny-press.pdf in {out}: building pdf, epub with --print press first" in result.output
    assert {p.name for p in out.iterdir() if p.is_file()} >= {"tiny.pdf", "tiny-press.pdf", "tiny.epub"}
    (line,) = findings(result.output, "preflight.image-resolution")
    found = re.search(r"premier-billet\.md: warning: tiny-press\.pdf page (\d+): image schema\.png \(320 × 200 px\) prints at 96 ppi; printers want 300", line)
    assert found, line
    assert (320, 200) in image_sizes_on(out / "tiny-press.pdf", int(found.group(1)))
    assert "tiny.epub: info: ace not installed, skipped" in result.output and "[preflight.ace]" in result.output
    assert errors(result.output) == []


def test_warnings_fail_with_strict(tiny_checked):
    manuscript, out, _ = tiny_checked
    result = run_cli("check", "--preflight", "--strict", manuscript, "-o", out)
    assert result.exit_code == 1
    assert "building" not in result.output and "failed: warnings are errors with --strict" in result.output


FAKE_ACE = """import json, sys
report = {"@type": "earl:report", "assertions": [{"@type": "earl:assertion", "earl:testSubject": {"url": "EPUB/text/ch001.xhtml"},
  "assertions": [
    {"earl:test": {"earl:impact": "serious", "dct:title": "color-contrast", "dct:description": "Elements must have sufficient color contrast"},
     "earl:result": {"earl:outcome": "fail"}},
    {"earl:test": {"earl:impact": "minor", "dct:title": "landmark-unique", "dct:description": "Landmarks should be unique"},
     "earl:result": {"earl:outcome": "pass"}}]}]}
assert sys.argv[1] == "--silent" and sys.argv[2].endswith(".epub")
print(json.dumps(report))
"""


def spoil(press_pdf, trade_pdf) -> dict[str, int]:
    """A press file a printer would refuse, and an untagged trade PDF; the pages spoiled, by what."""
    import pikepdf

    pages = {"boxes": 2, "rgb": 3, "ink": 4, "overflow": 5, "pdf-error": 6}
    with pikepdf.open(press_pdf, allow_overwriting_input=True) as pdf:
        page = pdf.pages[pages["boxes"] - 1]
        x0, y0, x1, y1 = (float(v) for v in page.TrimBox)
        page.TrimBox = [x0 + 20, y0 + 20, x1 - 20, y1 - 20]
        page = pdf.pages[pages["rgb"] - 1]
        image = pikepdf.Stream(pdf, bytes([200, 40, 40]) * 100 * 100)
        image.Type, image.Subtype, image.Width, image.Height = pikepdf.Name.XObject, pikepdf.Name.Image, 100, 100
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        name = page.add_resource(image, pikepdf.Name.XObject)
        page.contents_add(pikepdf.Stream(pdf, f"q 100 0 0 100 60 200 cm {name} Do Q".encode()))
        pdf.pages[pages["ink"] - 1].contents_add(pikepdf.Stream(pdf, b"q 1 1 1 1 k 60 200 100 100 re f Q"))
        # the first words of the book, drawn again from the left edge of the sheet (beyond the trim)
        first = next(pdf.pages[i] for i in range(len(pdf.pages)) if b"Tj" in pdf.pages[i].Contents.read_bytes() or b"TJ" in pdf.pages[i].Contents.read_bytes())
        operators = pikepdf.parse_content_stream(first)
        font = next(ops for ops, op in operators if str(op) == "Tf")[0]
        shown = next(ops for ops, op in operators if str(op) in ("Tj", "TJ"))
        page = pdf.pages[pages["overflow"] - 1]
        page.add_resource(first.Resources.Font[font], pikepdf.Name.Font, font)
        left = float(page.TrimBox[0]) - 25  # in the bleed and the crop marks' room
        page.contents_add(pikepdf.Stream(pdf, pikepdf.unparse_content_stream([([], "BT"), ([font, 12], "Tf"), ([left, 300], "Td"), (shown, "TJ" if isinstance(shown[0], pikepdf.Array) else "Tj"), ([], "ET")])))
        broken = pikepdf.Stream(pdf, b"")
        broken.write(b"\x00\x01 not Flate data", filter=pikepdf.Name.FlateDecode)  # Ghostscript: /ioerror
        pdf.pages[pages["pdf-error"] - 1].contents_add(broken)
        descriptors = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor" and "/FontFile2" in o]
        descriptors[1].FontName = descriptors[0].FontName  # two programs, one subset name
        pdf.save(press_pdf, stream_decode_level=pikepdf.StreamDecodeLevel.none)  # the broken stream kept as it is
    with pikepdf.open(trade_pdf, allow_overwriting_input=True) as pdf:
        for key in ("/StructTreeRoot", "/MarkInfo"):
            if key in pdf.Root:
                del pdf.Root[key]
        pdf.save(trade_pdf)
    return pages


def test_a_spoiled_press_file_is_refused_with_codes_and_pages(tiny_checked, tmp_path, monkeypatch):
    manuscript, out, _ = tiny_checked
    bad = tmp_path / "bad"
    shutil.copytree(out, bad, ignore=shutil.ignore_patterns(".cache"))
    pages = spoil(bad / "tiny-press.pdf", bad / "tiny.pdf")
    script = tmp_path / "ace.py"
    script.write_text(FAKE_ACE, "utf-8")
    monkeypatch.setenv("BLOG2BOOK_ACE", f"{sys.executable} {script}")
    result = run_cli("check", "--preflight", manuscript, "-o", bad)
    out_text = result.output
    assert result.exit_code == 1, out_text
    assert "building" not in out_text and "Traceback" not in out_text
    press_file = f"{bad / 'tiny-press.pdf'}"

    def on(code: str, page: int) -> list[str]:
        return [line for line in findings(out_text, f"preflight.{code}") if f"page {page}:" in line]

    assert any(line.startswith(f"{press_file}: error: page {pages['pdf-error']}: gs (exit 1)") for line in on("pdf-error", pages["pdf-error"])), out_text
    assert any("TrimBox" in line and line.startswith(press_file) for line in on("boxes", pages["boxes"])), out_text
    assert any("DeviceRGB image (100 × 100 px)" in line for line in on("rgb", pages["rgb"])), out_text
    assert any("total ink 400 %" in line for line in on("ink", pages["ink"])), out_text
    assert [line for line in findings(out_text, "preflight.ink") if "page" in line] == on("ink", pages["ink"])  # the other pages are under 300 %
    assert any(": warning: " in line and "beyond the trim" in line for line in on("overflow", pages["overflow"])), out_text
    low = [line for line in findings(out_text, "preflight.image-resolution") if f"tiny-press.pdf page {pages['rgb']}:" in line]
    assert low and low[0].startswith(f"{press_file}: warning: ") and "an image (100 × 100 px) prints at 72 ppi" in low[0]
    (subset,) = findings(out_text, "preflight.subset")
    assert subset.startswith(press_file) and "has 2 different font programs" in subset
    (untagged,) = findings(out_text, "preflight.untagged")
    assert untagged.startswith(f"{bad / 'tiny.pdf'}: warning: the PDF edition is not accessible: no structure tree")
    ace = findings(out_text, "preflight.ace")
    assert ace == [f"{bad / 'tiny.epub'}: error: EPUB/text/ch001.xhtml: serious: color-contrast: Elements must have sufficient color contrast [preflight.ace]"]


def test_without_ghostscript_and_qpdf_a_clear_message(tiny_checked, monkeypatch):
    from blog2book.checks import tools

    manuscript, out, _ = tiny_checked
    which = tools.shutil.which
    monkeypatch.setattr(tools.shutil, "which", lambda tool: None if tool in ("gs", "qpdf") else which(tool))
    monkeypatch.setenv("BLOG2BOOK_ACE", NO_ACE)
    result = run_cli("check", "--preflight", manuscript, "-o", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = findings(result.output, "preflight.tools")
    assert "the PDF checks need gs and qpdf (Debian: ghostscript, qpdf)" in line and "sudo apt-get install ghostscript qpdf" in line
    assert findings(result.output, "preflight.image-resolution")  # what needs neither still runs


def test_a_missing_or_broken_profile_and_preflight(tmp_path):
    """``print.icc`` missing: a manuscript error before anything is built; broken: the build that
    check --preflight starts stops at its line, nothing written."""
    manuscript = tiny_book(tmp_path, "print:\n  profile: press\n  icc: imprimeur.icc")
    result = run_cli("check", "--preflight", manuscript, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "tiny.yml:7:8: error: print.icc: file 'imprimeur.icc' does not exist" in result.output and "building" not in result.output
    (manuscript.parent / "imprimeur.icc").write_bytes(b"not a profile")
    result = run_cli("check", "--preflight", manuscript, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "tiny.yml:7:8: error: the CMYK output profile imprimeur.icc is not an ICC profile" in result.output and "[print.icc]" in result.output
    assert not (tmp_path / "out" / "tiny-press.pdf").exists() and "preflight: " not in result.output


def test_the_press_build_runs_the_preflight_and_keeps_the_previous_file(tmp_path):
    """A CMYK image goes to print as it is: at 400 % ink, the build's read-back stops the build,
    the press file of the build before kept."""
    from PIL import Image

    manuscript = tiny_book(tmp_path, "print: {profile: press, colour: cmyk}")
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    before = (out / "tiny-press.pdf").read_bytes()
    posts = manuscript.parent.parent / "posts"
    Image.new("CMYK", (1200, 600), (255, 255, 255, 255)).save(posts / "images" / "aplat.jpg", quality=90)
    with (posts / "deuxieme-billet.md").open("a", encoding="utf-8") as post:
        post.write("\n![Un aplat noir](images/aplat.jpg)\n")
    result = run_cli("build", manuscript, "-f", "pdf", "-o", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = findings(result.output, "preflight.ink")
    assert re.match(rf"{re.escape(str(out / 'tiny-press.pdf'))}: error: page \d+: total ink 400 % \(printers take 300 % at most\)", line), line
    assert "a CMYK image goes to print as it is" in line
    assert (out / "tiny-press.pdf").read_bytes() == before


# ---------------------------------------------------------------- spot colour, gradients

def separations(path, tmp_path, dpi: int = 30) -> dict[str, list[int]]:
    """Ink -> the darkest value of its plate on every page (Ghostscript's tiffsep: 255 is no ink)."""
    import subprocess

    from PIL import Image

    subprocess.run(["gs", "-q", "-dSAFER", "-o", str(tmp_path / "p%03d.tif"), "-sDEVICE=tiffsep", f"-r{dpi}", str(path)], check=True)
    plates: dict[str, list[int]] = {}
    for plate in sorted(tmp_path.glob("p*(*).tif")):
        ink = plate.name[plate.name.index("(") + 1 : plate.name.rindex(")")]
        with Image.open(plate) as image:
            plates.setdefault(ink, []).append(image.getextrema()[0])
    return plates


def test_the_accent_on_a_spot_plate(tmp_path):
    manuscript = tiny_book(tmp_path, "print: {profile: press, colour: spot PANTONE 7621 C}")
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    plates = separations(out / "tiny-press.pdf", tmp_path)
    assert {ink: min(values) for ink, values in plates.items() if ink in ("Cyan", "Magenta", "Yellow")} == {"Cyan": 255, "Magenta": 255, "Yellow": 255}
    assert min(plates["PANTONE 7621 C"]) == 0 and min(plates["Black"]) == 0  # the accent and the text, each on its plate
    import pikepdf

    with pikepdf.open(out / "tiny-press.pdf") as pdf:
        spaces = [o for o in pdf.objects if isinstance(o, pikepdf.Array) and len(o) == 4 and o[0] == "/Separation"]
        assert [(str(s[1]), str(s[2])) for s in spaces] == [("/PANTONE 7621 C", "/DeviceCMYK")]
        c, m, y, _ = (float(v) for v in spaces[0][3].C1)
        assert m > 0.7 and y > 0.7 and c < m  # the brick red of the style, in CMYK through the profile


def test_a_spot_colour_without_a_name_is_a_located_error(tmp_path):
    manuscript = tiny_book(tmp_path, "print:\n  colour: spot")
    result = run_cli("check", manuscript)
    assert result.exit_code == 1
    assert "tiny.yml:6:11: error: print.colour: 'spot' names no ink" in result.output and "PANTONE" in result.output


def test_gradients_are_converted_in_the_press_file(tmp_path):
    """A style with gradients (a heading's background, a rule with alpha): no RGB shading is left
    in the four-colour press file, whose read-back refused them before."""
    import pikepdf

    manuscript = tiny_book(tmp_path, "style: degrade\nprint: {profile: press, colour: cmyk}")
    styles = manuscript.parent.parent / "styles"
    shutil.copytree(REPO / "styles" / "base", styles / "base")
    (styles / "degrade").mkdir()
    (styles / "degrade" / "print.css").write_text(
        '@import url("../base/print.css");\n'
        "h1, h2 { background: linear-gradient(to right, #a3321f, #1d5a8c); }\n"
        "hr { height: 4mm; border: none; background: linear-gradient(#ff0000, rgba(0, 0, 255, 0.5), #00aa00); }\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    with pikepdf.open(out / "tiny-press.pdf") as pdf:
        shadings = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/ShadingType" in o]
        assert shadings and {str(s.ColorSpace) for s in shadings} <= {"/DeviceCMYK", "/DeviceGray"}
    result = run_cli("check", "--preflight", manuscript, "-o", out)
    assert errors(result.output) == [] and findings(result.output, "preflight.rgb") == []


def test_a_small_cover_image_is_a_warning(tmp_path):
    """The front of the cover is the manuscript's image: at 400 × 640 px over the 6 × 9 in front, it
    prints far under 300 ppi."""
    from PIL import Image

    manuscript = tiny_book(tmp_path, "cover: ../posts/images/couverture.png\nprint: {profile: press, ppi: 400}")
    Image.new("RGB", (400, 640), (40, 90, 140)).save(manuscript.parent.parent / "posts" / "images" / "couverture.png")
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLOG2BOOK_ACE", NO_ACE)
        result = run_cli("check", "--preflight", manuscript, "-o", out)
    assert result.exit_code == 0, result.output
    assert "building pdf, epub, cover with --print press first" in result.output
    cover = [line for line in findings(result.output, "preflight.image-resolution") if "tiny-cover.pdf page 1:" in line]
    assert len(cover) == 1 and cover[0].startswith(f"{out / 'tiny-cover.pdf'}: warning: tiny-cover.pdf page 1: an image (400 × 640 px) prints at ")
    assert errors(result.output) == []


def test_a_file_that_is_no_pdf_is_reported_not_a_crash(tiny_checked, tmp_path, monkeypatch):
    manuscript, out, _ = tiny_checked
    bad = tmp_path / "bad"
    shutil.copytree(out, bad, ignore=shutil.ignore_patterns(".cache"))
    (bad / "tiny-press.pdf").write_bytes(b"%PDF-1.6\n cut short")
    monkeypatch.setenv("BLOG2BOOK_ACE", NO_ACE)
    result = run_cli("check", "--preflight", manuscript, "-o", bad)
    assert result.exit_code == 1 and "unexpected failure" not in result.output and "Traceback" not in result.output
    lines = [line for line in findings(result.output, "preflight.pdf-error") if line.startswith(str(bad / "tiny-press.pdf"))]
    assert any("cannot be read as a PDF" in line for line in lines) and any("qpdf --check" in line for line in lines)
