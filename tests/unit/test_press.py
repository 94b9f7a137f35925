"""Print profiles step by step: (a) CSS, (b) write options, (c) finish_for_print on one WeasyPrint
PDF and on a pypdf merge of two, read back by the preflight; colours, barcode, spine, page count."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from blog2book.render.print import cmyk
from blog2book.render.print.press import INCH, MM, PrintInfo, finish_for_print, make_profile, print_css, rgb_to_cmyk, write_options
from blog2book.checks.pdfx import preflight

TRIM = (6 * INCH, 9 * INCH)


def weasy_pdf(tmp_path: Path, profile, title: str, extra: str = "") -> bytes:
    import weasyprint
    from PIL import Image

    image = tmp_path / "rouge.png"
    Image.new("RGBA", (60, 40), (200, 30, 30, 255)).save(image)
    html = f"""<html><head><style>@page {{ size: 6in 9in; margin: 20mm }} h1 {{ color: #a3321f; bookmark-level: 1 }}
      hr {{ border: 1px solid #777 }} {print_css(profile)} {extra}</style></head>
      <body><h1>{title}</h1><p>Du texte <a href="https://example.com">un lien</a></p><hr>
      <img src="rouge.png" style="width: 2cm"><svg width="50" height="20"><rect width="50" height="20" fill="#3366cc"/></svg>
      <h1 style="break-before: page">Deux</h1><p>Suite.</p></body></html>"""
    return weasyprint.HTML(string=html, base_url=str(tmp_path) + "/").write_pdf(**write_options(profile))


def merged(*pieces: bytes) -> bytes:
    from blog2book.render.print.backend import _merge

    return _merge(list(pieces))


def all_content(page) -> bytes:
    """The page's content and that of the forms it draws."""
    data = [page.get_contents().get_data()]
    for xobject in (page["/Resources"].get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            data.append(xobject.get_data())
    return b"\n".join(data)


def test_css_and_options_follow_the_profile():
    press, marks, kdp, ingram, screen = (make_profile("press", crop_marks=False), make_profile("press"), make_profile("kdp", crop_marks=True), make_profile("ingram"), make_profile("screen"))
    assert "bleed: 8.504pt" in print_css(press) and "marks: none" in print_css(press)
    # offset: crop marks unless turned off, outside the bleed; a black-only interior unless asked
    assert "marks: crop" in print_css(marks) and marks.media_bleed > marks.bleed
    assert marks.colour == "black" and make_profile("press", colour="cmyk").colour == "cmyk" and kdp.colour == "cmyk"
    assert not kdp.crop_marks and kdp.bleed == 0  # KDP: no crop marks, no bleed for a text interior
    assert ingram.pdfx == "x-1a" and ingram.bleed == pytest.approx(9.0)
    assert write_options(press)["pdf_variant"] == "pdf/x-4" and write_options(make_profile("press", "x-1a"))["pdf_variant"] == "pdf/x-1a"
    assert print_css(screen) == "" and "pdf_variant" not in write_options(screen)


def test_greys_go_to_the_black_plate_colours_through_the_profile():
    assert rgb_to_cmyk(0, 0, 0) == (0, 0, 0, 1)
    assert rgb_to_cmyk(0.5, 0.5, 0.5) == (0, 0, 0, 0.5)
    c, m, y, k = rgb_to_cmyk(0xA3 / 255, 0x32 / 255, 0x1F / 255)
    assert m > 0.6 and y > 0.6 and c < 0.4  # brick red


@pytest.mark.parametrize("name", ["press", "kdp", "ingram"])
@pytest.mark.parametrize("merge", [False, True])
def test_finish_for_print_on_one_pdf_and_on_a_merge(tmp_path, name, merge):
    profile = make_profile(name, crop_marks=name == "press")
    first = weasy_pdf(tmp_path, profile, "Un")
    data = merged(first, weasy_pdf(tmp_path, profile, "Autre")) if merge else first
    before = preflight(data, profile.conformance, TRIM, profile.bleed)
    assert any("output intent" in p for p in before) and any("annotation" in p for p in before)  # the check can fail
    out = finish_for_print(data, profile, PrintInfo("Titre", "Autrice"))
    assert preflight(out, profile.conformance, TRIM, profile.bleed) == []
    reader = PdfReader(io.BytesIO(out))
    assert len(reader.pages) == (4 if merge else 2)
    assert "/Outlines" not in reader.trailer["/Root"]
    page = reader.pages[0]
    assert float(page.trimbox.width) == pytest.approx(TRIM[0], abs=0.01)
    assert float(page.bleedbox.width) == pytest.approx(TRIM[0] + 2 * profile.bleed, abs=0.01)
    assert re.search(rb"(^|\s)0(\.0)? 0(\.0)? 0(\.0)? 1(\.0)? k\s+BT", all_content(page))  # text in pure K


def test_bookmarks_stay_when_asked(tmp_path):
    profile = make_profile("press", bookmarks=True)
    out = finish_for_print(weasy_pdf(tmp_path, profile, "Un"), profile)
    assert "/Outlines" in PdfReader(io.BytesIO(out)).trailer["/Root"]
    assert preflight(out, profile.conformance, TRIM, profile.bleed, bookmarks=True) == []


def test_pdfx1a_refuses_transparency(tmp_path):
    profile = make_profile("ingram")
    out = finish_for_print(weasy_pdf(tmp_path, profile, "Un", "p { opacity: 0.5 }"), profile)
    assert any("transparency" in p for p in preflight(out, profile.conformance, TRIM, profile.bleed))
    x4 = make_profile("press")
    assert preflight(finish_for_print(weasy_pdf(tmp_path, x4, "Un", "p { opacity: 0.5 }"), x4), x4.conformance, TRIM, x4.bleed) == []


def test_preflight_sees_rgb_and_wrong_boxes(tmp_path):
    profile = make_profile("press")
    out = finish_for_print(weasy_pdf(tmp_path, profile, "Un"), profile)
    assert any("TrimBox" in p for p in preflight(out, profile.conformance, (5 * INCH, 8 * INCH), profile.bleed))
    rgb = out.replace(b"/DeviceCMYK", b"/DeviceRGB", 1)
    assert any("DeviceRGB" in p for p in preflight(rgb, profile.conformance, TRIM, profile.bleed))


# ---------------------------------------------------------------- page count

def test_page_count_padded_to_the_signature():
    from blog2book.render.print.backend import target_pages

    assert target_pages(43, 2, False) == 44
    assert target_pages(44, 2, False) == 44
    assert target_pages(44, 2, True) == 46  # the achevé d'imprimer needs a last verso of its own
    assert target_pages(43, 16, True) == 48
    assert target_pages(48, 16, True) == 64
    assert target_pages(40, 32, False) == 64
    # IngramSpark: a blank last page (its barcode), the achevé d'imprimer on the verso before
    assert target_pages(43, 2, True, blank_last=True) == 46
    assert target_pages(44, 2, False, blank_last=True) == 46
    assert target_pages(43, 16, True, blank_last=True) == 48


# ---------------------------------------------------------------- cover geometry

def test_spine_width_by_printer_and_paper():
    from blog2book.render.print.cover import spine_width

    assert spine_width(200, "kdp", "white") == pytest.approx(200 * 0.002252 * 72)
    assert spine_width(200, "kdp", "cream") == pytest.approx(200 * 0.0025 * 72)
    assert spine_width(444, "press", ppi=444) == pytest.approx(72)
    with pytest.raises(ValueError):
        spine_width(100, "ingram")


def test_spine_text_only_where_the_printer_allows_it():
    from blog2book.diagnostics import BuildError, Location
    from blog2book.manifest import PrintSpec
    from blog2book.render.print.cover import cover_geometry

    kdp = PrintSpec(profile="kdp", paper="white")
    assert not cover_geometry(99, TRIM, kdp, Location()).spine_text
    assert cover_geometry(100, TRIM, kdp, Location()).spine_text
    g = cover_geometry(300, TRIM, PrintSpec(profile="press", ppi=400), Location())
    assert g.width == pytest.approx(2 * (TRIM[0] + 3 * MM) + 300 / 400 * 72) and g.spine_text
    with pytest.raises(BuildError) as info:
        cover_geometry(300, TRIM, PrintSpec(profile="ingram"), Location(Path("book.yml"), 3, 3))
    assert "ppi" in info.value.diagnostics[0].format()


# ---------------------------------------------------------------- CMYK profiles

def test_the_shipped_profiles_serve_each_paper_with_their_licence_beside_them():
    readme = (cmyk.ICC_DIR / "README.md").read_text("utf-8")
    assert "zlib" in readme and "Permission is granted to anyone to use this software" in readme
    assert sorted(p.name for p in cmyk.ICC_DIR.glob("*.icc")) == sorted({c.file for c in cmyk.BY_PAPER.values()})
    for paper, condition in cmyk.BY_PAPER.items():
        assert cmyk.paper_profile(paper) == condition.path and condition.file in readme
        assert cmyk.problem(condition.path) is None, paper
        assert cmyk.output_condition(condition.path) == (condition.identifier, condition.name, cmyk.REGISTRY)
    assert cmyk.paper_profile("white") == cmyk.paper_profile("coated") == cmyk.CMYK_PROFILE == cmyk.COATED.path
    assert [cmyk.BY_PAPER[p].identifier for p in ("coated", "uncoated", "cream")] == ["FOGRA39", "FOGRA29", "FOGRA30"]
    assert make_profile("press").icc == cmyk.COATED.path  # the default


def test_a_profile_that_cannot_serve_says_why(tmp_path):
    from PIL import ImageCms

    assert cmyk.problem(tmp_path / "absent.icc") == "is missing"
    (tmp_path / "text.icc").write_text("not a profile")
    assert cmyk.problem(tmp_path / "text.icc") == "is not an ICC profile"
    (tmp_path / "srgb.icc").write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert "not a CMYK output (printer) profile" in cmyk.problem(tmp_path / "srgb.icc")
    own = tmp_path / "own.icc"
    own.write_bytes(cmyk.UNCOATED.path.read_bytes())
    assert cmyk.problem(own) is None
    assert cmyk.output_condition(own) == ("Custom", "FOGRA29L Uncoated", None)


def test_colours_follow_the_paper():
    """The same brick red takes other inks on another paper; greys stay on the black plate."""
    red = (0xA3 / 255, 0x32 / 255, 0x1F / 255)
    inks = {p: rgb_to_cmyk(*red, icc=str(cmyk.paper_profile(p))) for p in ("coated", "uncoated", "cream")}
    assert len(set(inks.values())) == 3
    assert all(m > 0.6 and y > 0.6 and c < 0.4 for c, m, y, k in inks.values())  # brick red on every paper
    assert rgb_to_cmyk(0.5, 0.5, 0.5, icc=str(cmyk.paper_profile("cream"))) == (0, 0, 0, 0.5)


def test_black_only_colours_and_the_ink_limit():
    from PIL import Image

    from blog2book.render.print.colours import MAX_INK, cap_ink, capped, cmyk_to_black, rgb_to_black

    assert rgb_to_black(1, 1, 1) == (0, 0, 0, 0) and rgb_to_black(0, 0, 0) == (0, 0, 0, 1)
    c, m, y, k = rgb_to_black(0.6, 0.1, 0.1)  # a dark red accent: a dark grey on the K plate
    assert c == m == y == 0 and 0.5 < k < 0.8
    assert cmyk_to_black(0, 0, 0, 1) == (0, 0, 0, 1)
    assert MAX_INK - 0.001 < sum(capped(0.9, 0.9, 0.9, 1.0)) <= MAX_INK and capped(0.9, 0.9, 0.9, 1.0)[3] == 1.0
    assert capped(0.2, 0.3, 0.4, 0.5) == (0.2, 0.3, 0.4, 0.5)
    image = Image.new("CMYK", (2, 1), (250, 250, 250, 250))
    image.putpixel((1, 0), (10, 20, 30, 40))
    capped_image = cap_ink(image)
    assert sum(capped_image.getpixel((0, 0))) <= MAX_INK * 255 and capped_image.getpixel((0, 0))[3] == 250
    assert capped_image.getpixel((1, 0)) == (10, 20, 30, 40)
