"""The EAN-13 of the ISBN and its price add-on: check digits verified, bars decoded by a reader."""

import pytest

from blog2book.render.print.barcode import BarcodeError, ean13_check_digit, ean13_modules, ean5_modules, isbn_barcode_svg


def decode(svg: str, add_on: bool) -> list[str]:
    """Lay the SVG out in a PDF (as the cover does), rasterise it, read it back."""
    import pypdfium2
    import weasyprint
    import zxingcpp

    pdf = weasyprint.HTML(string=f"<style>@page {{ size: 90mm 50mm; margin: 5mm }}</style>{svg}").write_pdf()
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=400 / 72).to_pil()
    mode = zxingcpp.EanAddOnSymbol.Require if add_on else zxingcpp.EanAddOnSymbol.Ignore
    return [r.text for r in zxingcpp.read_barcodes(image, ean_add_on_symbol=mode)]


def test_check_digits():
    assert ean13_check_digit("978292421501") == 2
    assert ean13_check_digit("978289644001") == 6
    with pytest.raises(BarcodeError, match="check digit"):
        ean13_modules("978-2-924215-01-3")
    with pytest.raises(BarcodeError):
        ean5_modules("2495")


def test_module_counts():
    assert len(ean13_modules("9782924215012")) == 95
    assert len(ean5_modules("62495")) == 47


def test_the_barcode_decodes_to_the_isbn():
    svg, width, _ = isbn_barcode_svg("978-2-924215-01-2")
    assert decode(svg, add_on=False) == ["9782924215012"]
    assert width == pytest.approx((11 + 95 + 7) * 0.33)


def test_the_price_add_on_decodes_too():
    svg, _, _ = isbn_barcode_svg("978-2-924215-01-2", "62495")
    assert decode(svg, add_on=True) == ["978292421501262495"]
    assert "<image" not in svg and svg.count("<rect") > 40  # vector bars, no bitmap
