"""Print files through the CLI: `build -f pdf -f cover --print press|kdp|ingram`, every file read back.

The interior: PDF/X key and output intent, no DeviceRGB, fonts embedded, trim and bleed boxes on every
page, no annotations (checks/pdfx.py, the same check the build runs, asserted here on the file
written); the page count padded to the signature with the achevé d'imprimer on the last verso; the
copyright page's words. The cover: its width for the page count and the paper, its barcode decoded.
The CMYK profile: the one shipped for the paper, with the operating system's profiles out of reach;
the printer's own (``print: {icc: …}``); a broken one stops the build at its line.
"""

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from blog2book.render.print import cmyk
from blog2book.render.print.press import INCH, MM
from blog2book.checks.pdfx import preflight
from conftest import REPO, run_cli
from pdfcheck import assert_valid_pdf, empty_filtered_streams

pytestmark = pytest.mark.slow
TRIM = (6 * INCH, 9 * INCH)
TINY = REPO / "tests" / "roots" / "tiny"


def text_of(page) -> str:
    return " ".join(page.extract_text().split()).replace("\u00a0", " ").replace("\u202f", " ")


def decode_cover(path, add_on: bool) -> list[str]:
    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(str(path))[0].render(scale=300 / 72).to_pil()
    mode = zxingcpp.EanAddOnSymbol.Require if add_on else zxingcpp.EanAddOnSymbol.Ignore
    return sorted({r.text for r in zxingcpp.read_barcodes(image, ean_add_on_symbol=mode)})


def intent(data: bytes):
    return PdfReader(io.BytesIO(data)).trailer["/Root"]["/OutputIntents"][0].get_object()


def test_the_print_files_carry_the_profile_shipped_for_the_paper(press):
    """The operating system's profiles hidden, the interior and the cover are written, both with the
    profile that ships in the package for the sample's cream paper (FOGRA30, uncoated yellowish)."""
    shipped = cmyk.paper_profile("cream")
    assert shipped == cmyk.YELLOWISH.path and shipped.is_relative_to(Path(cmyk.__file__).parent)
    for name in ("medias-sociaux-press.pdf", "medias-sociaux-cover.pdf"):
        found = intent((press / name).read_bytes())
        assert found["/DestOutputProfile"].get_object().get_data() == shipped.read_bytes(), name
        assert (found["/OutputConditionIdentifier"], found["/RegistryName"]) == ("FOGRA30", "http://www.color.org")


def test_press_interior_passes_the_read_back(press):
    data = (press / "medias-sociaux-press.pdf").read_bytes()
    assert preflight(data, "PDF/X-4", TRIM, 3 * MM) == []
    reader = PdfReader(io.BytesIO(data))
    assert data.startswith(b"%PDF-1.6")
    assert all(not page.get("/Annots") for page in reader.pages)
    # the screen PDF is still today's PDF, beside it
    screen = PdfReader(str(press / "medias-sociaux.pdf"))
    assert "/OutputIntents" not in screen.trailer["/Root"] and any(page.get("/Annots") for page in screen.pages)


def test_press_files_are_drawn_silently(press):
    """Ghostscript, qpdf and pdfium accept the printer's file, the screen PDF beside it and the cover."""
    for name in ("medias-sociaux-press.pdf", "medias-sociaux.pdf", "medias-sociaux-cover.pdf"):
        assert_valid_pdf(press / name)
        assert empty_filtered_streams(press / name) == []


def test_page_count_padded_to_the_signature_with_the_acheve_dimprimer(press):
    reader = PdfReader(str(press / "medias-sociaux-press.pdf"))
    count = len(reader.pages)
    assert count % 16 == 0  # print: {signature: 16}
    last = text_of(reader.pages[-1])
    assert last == "Achevé d’imprimer en décembre 2026 sur les presses de l’Imprimerie d’exemple, à Montmagny (Québec)."
    screen = len(PdfReader(str(press / "medias-sociaux.pdf")).pages)
    assert count - 16 < screen + 1 <= count
    assert all(text_of(page) == "" for page in reader.pages[screen:-1])  # padding pages stay blank


def test_copyright_page_and_also_by(press):
    reader = PdfReader(str(press / "medias-sociaux-press.pdf"))
    front = [text_of(page) for page in reader.pages[:6]]
    copyright_page = next(t for t in front if "Dépôt légal" in t)
    for words in (
        "Éditions d’exemple blog2book 1234, rue Saint-Denis, Montréal (Québec) H2X 3K1",
        "© Michelle Blanc, 2026", "Tous droits réservés", "Toute reproduction",
        "Révision : Anne Réviseure", "Correction : Luc Correcteur", "Conception graphique : Studio blog2book", "Couverture : Studio blog2book",
        "Première édition", "ISBN 978-2-924215-01-2 (imprimé)", "ISBN 978-2-924215-02-9 (PDF)", "ISBN 978-2-924215-03-6 (EPUB)",
        "Dépôt légal – Bibliothèque et Archives nationales du Québec, Bibliothèque et Archives Canada, 4e trimestre 2026",
        "SODEC", "Conseil des arts du Canada", "gouvernement du Canada", "Imprimé au Canada",
    ):
        assert words in copyright_page, words
    assert any(t.startswith("DE LA MÊME AUTEURE") or t.startswith("De la même auteure") for t in front)


def test_imprime_au_canada_only_in_the_printed_book(press, sample_build):
    """Issue 25, item 7: the press PDF says where the book was printed; the PDF and EPUB editions,
    which are not printed, do not (the rest of the copyright page is the same in all three)."""
    import zipfile

    trade = PdfReader(str(sample_build / "medias-sociaux.pdf"))
    copyright_page = next(t for t in (text_of(page) for page in trade.pages[:6]) if "Dépôt légal" in t)
    assert "Imprimé au Canada" not in copyright_page and "gouvernement du Canada" in copyright_page
    with zipfile.ZipFile(sample_build / "medias-sociaux.epub") as z:
        page = z.read("EPUB/copyright.xhtml").decode()
    assert "Imprimé au Canada" not in page and "Tous droits réservés" in page and "printed-only" not in page


def test_cover_spread_width_boxes_and_barcode(press):
    path = press / "medias-sociaux-cover.pdf"
    pages = len(PdfReader(str(press / "medias-sociaux-press.pdf")).pages)
    spine = pages / 444 * INCH  # print: {ppi: 444}
    data = path.read_bytes()
    assert preflight(data, "PDF/X-4", (2 * TRIM[0] + spine, TRIM[1]), 3 * MM) == []
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(2 * (TRIM[0] + 3 * MM) + spine, abs=0.05)
    assert float(page.mediabox.height) == pytest.approx(TRIM[1] + 6 * MM, abs=0.05)
    assert decode_cover(path, add_on=True) == ["978292421501262495"]  # the print ISBN and the price add-on
    assert "Le pâté chinois a-t-il sa place" in text_of(page)  # back_cover: text


def book_with(tmp_path, print_settings: str):
    root = tmp_path / "book"
    shutil.copytree(TINY, root)
    path = root / "manuscripts" / "tiny.yml"
    text = (TINY / "manuscripts" / "tiny.yml").read_text("utf-8")
    path.write_text(text.replace("\nchapters:", f"\nisbn: 978-2-89644-001-6\npublisher: Éditions Test\n{print_settings}\nchapters:", 1), "utf-8")
    return path


@pytest.mark.parametrize(
    "name, settings, conformance, bleed, spine",
    [
        ("kdp", "print: {profile: kdp, paper: cream}", "PDF/X-1a:2003", 0.0, lambda n: n * 0.0025 * INCH),
        ("ingram", "print: {profile: ingram, ppi: 400, printer: Imprimerie Test, place: Québec, date: 2026-11-01}", "PDF/X-1a:2003", 0.125 * INCH, lambda n: n / 400 * INCH),
    ],
)
def test_print_on_demand_profiles(tmp_path, name, settings, conformance, bleed, spine):
    manuscript = book_with(tmp_path, settings)
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "cover", "-o", out)
    assert result.exit_code == 0, result.output
    interior = (out / f"tiny-{name}.pdf").read_bytes()
    assert preflight(interior, conformance, TRIM, bleed) == []
    reader = PdfReader(io.BytesIO(interior))
    pages = len(reader.pages)
    assert pages % 2 == 0
    # a 320-px image printed wider than an inch is below 300 dpi: a warning naming post and image
    assert "premier-billet.md" in result.output and "schema.png" in result.output and "[print.image-resolution]" in result.output
    if name == "kdp":
        assert "[print.kdp-pages]" in result.output  # a tiny book is under KDP's 24 pages
    else:  # IngramSpark prints its barcode on a blank last page: the achevé d'imprimer is on the verso before
        assert "Achevé d’imprimer en novembre 2026 sur les presses de Imprimerie Test, à Québec." == text_of(reader.pages[-3])
        assert text_of(reader.pages[-1]) == text_of(reader.pages[-2]) == ""
    cover = (out / f"tiny-cover.pdf").read_bytes()
    cover_bleed = 0.125 * INCH
    assert preflight(cover, conformance, (2 * TRIM[0] + spine(pages), TRIM[1]), cover_bleed) == []
    assert float(PdfReader(io.BytesIO(cover)).pages[0].mediabox.width) == pytest.approx(2 * (TRIM[0] + cover_bleed) + spine(pages), abs=0.05)
    assert decode_cover(out / "tiny-cover.pdf", add_on=False) == ["9782896440016"]


def test_print_settings_are_checked_with_locations(tmp_path):
    manuscript = book_with(tmp_path, "print:\n  profile: presse\n  signature: 12\n  paper: blue\n  pricee: 62495\ncopyright: {grant: true}")
    result = run_cli("check", manuscript)
    assert result.exit_code == 1
    out = result.output
    assert "tiny.yml:8:12: error: print.profile: 'presse' is not one of screen, press, kdp, ingram (did you mean 'press'?)" in out
    assert "tiny.yml:9:14: error: print.signature: 12 is not one of 2, 4, 8, 16, 32" in out
    assert "tiny.yml:10:10: error: print.paper: 'blue' is not one of white, cream, coated, uncoated" in out
    assert "tiny.yml:11:3: error: print: unknown key 'pricee' (did you mean 'price'?)" in out
    assert "copyright: unknown key 'grant' (did you mean 'grants'?)" in out


def test_a_cover_without_ppi_for_offset_is_a_located_error(tmp_path):
    manuscript = book_with(tmp_path, "print: {profile: press}")
    result = run_cli("build", manuscript, "-f", "cover", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "tiny.yml:7:8: error: the press cover needs the paper's pages per inch for its spine" in result.output
    assert "[cover.ppi]" in result.output and "Traceback" not in result.output


def test_a_cover_asked_of_a_manuscript_without_print_settings_is_a_located_error(tmp_path):
    """No ``print:`` section at all: the cover takes the press profile and its error points at
    the manuscript (this once crashed while choosing the settings)."""
    manuscript = book_with(tmp_path, "")
    assert "print" not in manuscript.read_text("utf-8")
    result = run_cli("build", manuscript, "-f", "cover", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "tiny.yml: error: the press cover needs the paper's pages per inch for its spine" in result.output
    assert "Traceback" not in result.output and "NameError" not in result.output


def test_the_printers_own_profile_and_a_broken_one(tmp_path):
    """``icc:`` names the printer's profile: both files carry it, as a Custom condition. A profile
    that is no CMYK output profile stops the next build at its line, the files written before kept;
    a missing one is a manuscript error."""
    manuscript = book_with(tmp_path, "print:\n  profile: press\n  ppi: 400\n  icc: imprimeur.icc")
    own = manuscript.parent / "imprimeur.icc"
    shutil.copyfile(cmyk.UNCOATED.path, own)
    out = tmp_path / "out"
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "cover", "-o", out)
    assert result.exit_code == 0, result.output
    written = {name: (out / name).read_bytes() for name in ("tiny-press.pdf", "tiny-cover.pdf")}
    for data in written.values():
        found = intent(data)
        assert found["/DestOutputProfile"].get_object().get_data() == own.read_bytes()
        assert found["/OutputConditionIdentifier"] == "Custom" and found["/OutputCondition"] == "FOGRA29L Uncoated"
        assert "/RegistryName" not in found

    from PIL import ImageCms

    own.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())  # an RGB profile
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "cover", "-o", out)
    assert result.exit_code == 1
    assert "tiny.yml:10:8: error: the CMYK output profile imprimeur.icc is a RGB mntr profile, not a CMYK output (printer) profile" in result.output
    assert "[print.icc]" in result.output and "Traceback" not in result.output
    own.write_bytes(b"not a profile")
    result = run_cli("build", manuscript, "-f", "pdf", "-f", "cover", "-o", out)
    assert result.exit_code == 1 and "tiny.yml:10:8: error: the CMYK output profile imprimeur.icc is not an ICC profile" in result.output
    assert {name: (out / name).read_bytes() for name in written} == written  # the previous files kept

    own.unlink()
    result = run_cli("check", manuscript)
    assert result.exit_code == 1 and "tiny.yml:10:8: error: print.icc: file 'imprimeur.icc' does not exist" in result.output
