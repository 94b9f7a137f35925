"""A press file that passes a printer's preflight (issue 23, item 2), on the sample built with
``--print press``: one font program per subset name, a black-only interior unless the manuscript
asks for colour, total ink at most 300 % and small cover text on the black plate, crop marks."""

import hashlib
import shutil
import subprocess
from collections import defaultdict

import pytest

from conftest import REPO, run_cli

pytestmark = pytest.mark.slow
TINY = REPO / "tests" / "roots" / "tiny"


def programs_by_name(path) -> dict[str, set[str]]:
    """BaseFont -> the digests of the font programs it names."""
    import pikepdf

    found: dict[str, set[str]] = defaultdict(set)
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        found[str(obj.FontName)].add(hashlib.sha256(obj[key].read_bytes()).hexdigest())
    return found


@pytest.mark.parametrize("name", ["medias-sociaux-press.pdf", "medias-sociaux.pdf", "medias-sociaux-cover.pdf"])
def test_one_font_program_per_subset_name(press, name):
    programs = programs_by_name(press / name)
    assert programs
    assert {n: len(d) for n, d in programs.items() if len(d) > 1} == {}


def ink_coverage(path) -> list[tuple[float, float, float, float]]:
    """C, M, Y, K coverage of every page (Ghostscript's inkcov device)."""
    out = subprocess.run(["gs", "-q", "-dSAFER", "-o", "-", "-sDEVICE=inkcov", str(path)], check=True, capture_output=True, text=True).stdout
    return [tuple(float(v) for v in line.split()[:4]) for line in out.splitlines() if line.strip().endswith("OK")]


def rasters(path, tmp_path, dpi: int = 100):
    """Every page as a CMYK Pillow image (no anti-aliasing: the inks as they are laid)."""
    from PIL import Image

    subprocess.run(["gs", "-q", "-dSAFER", "-o", str(tmp_path / "p%03d.tif"), "-sDEVICE=tiff32nc", f"-r{dpi}", str(path)], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("p*.tif"))]


def max_ink(image) -> float:
    """The highest C + M + Y + K of any pixel, in per cent."""
    return max(sum(colour) for _, colour in image.getcolors(1 << 24)) / 255 * 100


@pytest.fixture(scope="module")
def tiny_cmyk(tmp_path_factory):
    """The tiny book asking for a four-colour interior and no crop marks."""
    root = tmp_path_factory.mktemp("tiny") / "book"
    shutil.copytree(TINY, root)
    path = root / "manuscripts" / "tiny.yml"
    text = path.read_text("utf-8").replace("\nchapters:", "\nprint: {profile: press, colour: cmyk, crop_marks: false}\nchapters:", 1)
    path.write_text(text, "utf-8")
    result = run_cli("build", path, "-f", "pdf", "-o", root / "out")
    assert result.exit_code == 0, result.output
    return root / "out" / "tiny-press.pdf"


def test_the_press_interior_is_black_only_by_default(press):
    pages = ink_coverage(press / "medias-sociaux-press.pdf")
    assert len(pages) == 48
    assert [i for i, (c, m, y, _) in enumerate(pages, 1) if c or m or y] == []
    assert all(k > 0 for *_, k in pages[:3])


def test_a_four_colour_interior_on_request(tiny_cmyk):
    assert any(c or m or y for c, m, y, _ in ink_coverage(tiny_cmyk))


def test_a_bad_colour_setting_is_a_located_error(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(TINY, root)
    path = root / "manuscripts" / "tiny.yml"
    path.write_text(path.read_text("utf-8").replace("\nchapters:", "\nprint:\n  colour: blakc\nchapters:", 1), "utf-8")
    result = run_cli("check", path)
    assert result.exit_code == 1
    assert "tiny.yml:6:11: error: print.colour: 'blakc' is not one of black, cmyk (did you mean 'black'?)" in result.output


@pytest.mark.parametrize("name", ["medias-sociaux-press.pdf", "medias-sociaux-cover.pdf"])
def test_total_ink_at_most_300_percent(press, tmp_path, name):
    assert max(max_ink(page) for page in rasters(press / name, tmp_path, dpi=50)) <= 300


def test_small_cover_text_on_the_black_plate(press, tmp_path):
    """The back cover (10.5 pt text, the imprint, the barcode): the background, or K alone."""
    (cover,) = rasters(press / "medias-sociaux-cover.pdf", tmp_path)
    width, height = cover.size
    back = cover.crop((int(width * 0.05), int(height * 0.05), int(width * 0.45), int(height * 0.95)))
    colours = [colour for _, colour in sorted(back.getcolors(1 << 24), reverse=True)]
    background, inks = colours[0], colours[1:]
    assert background[:3] != (0, 0, 0)  # the design's paper colour, in CMY
    assert [c for c in inks if c[:3] != (0, 0, 0)] == []
    assert any(c[3] > 128 for c in inks)  # the text is there


def test_crop_marks_by_default_for_press_and_off_on_request(press, tiny_cmyk):
    from pypdf import PdfReader

    from blog2book.render.print.press import MM

    for path, room in ((press / "medias-sociaux-press.pdf", 9 * MM), (tiny_cmyk, 0.0)):
        for page in PdfReader(path).pages:
            media, bleed = page.mediabox, page.bleedbox
            assert float(bleed.left) - float(media.left) == pytest.approx(room, abs=0.01)
            assert float(media.top) - float(bleed.top) == pytest.approx(room, abs=0.01)
