"""The preflight's pieces that need no build (blog2book.checks): which files of a build folder are
the book's, Ace's report read back, RGB colour spaces recognised, a tool's report on one line."""

import sys

from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from blog2book import checks
from blog2book.checks import ace
from blog2book.checks.pdfx import is_rgb_space


def test_the_books_files_in_a_build_folder(tmp_path):
    for name in ("livre.pdf", "livre-press.pdf", "livre-cover.pdf", "livre.epub", "livre-review.pdf", "livre-kdp.pdf", "autre.pdf", "livre-index.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.7")
    files = checks.find_files(tmp_path, "livre", "press")
    assert (files.trade.name, files.press.name, files.cover.name, files.epub.name) == ("livre.pdf", "livre-press.pdf", "livre-cover.pdf", "livre.epub")
    assert [p.name for p in files.others] == ["livre-review.pdf"]  # another profile's file and another book's are not this build's
    assert checks.find_files(tmp_path, "livre", "ingram").press is None
    (tmp_path / "vide").mkdir()
    assert not checks.find_files(tmp_path / "vide", "livre", "press").any()


REPORT = {
    "assertions": [
        {
            "earl:testSubject": {"url": "EPUB/text/ch002.xhtml"},
            "assertions": [
                {"earl:test": {"earl:impact": "critical", "dct:title": "image-alt", "dct:description": "Images must have alternate text"}, "earl:result": {"earl:outcome": "fail"}},
                {"earl:test": {"earl:impact": "moderate", "dct:title": "heading-order", "dct:description": "Heading levels should only increase by one"}, "earl:result": {"earl:outcome": "fail"}},
                {"earl:test": {"earl:impact": "serious", "dct:title": "color-contrast", "dct:description": "Contrast"}, "earl:result": {"earl:outcome": "pass"}},
            ],
        },
        {"earl:testSubject": {"url": "EPUB/package.opf"}, "assertions": [{"earl:test": {"earl:impact": "serious", "dct:title": "metadata-accessmode"}, "earl:result": {"earl:outcome": "fail"}}]},
    ]
}


def test_aces_failed_assertions_with_their_impact_and_document():
    assert ace.violations(REPORT) == [
        ace.Violation("critical", "image-alt", "Images must have alternate text", "EPUB/text/ch002.xhtml"),
        ace.Violation("moderate", "heading-order", "Heading levels should only increase by one", "EPUB/text/ch002.xhtml"),
        ace.Violation("serious", "metadata-accessmode", "", "EPUB/package.opf"),
    ]
    assert ace.violations({}) == []


def test_ace_is_found_through_the_environment_or_not_at_all(monkeypatch):
    monkeypatch.setenv(ace.ENV, "/nonexistent/ace --flag")
    assert ace.command() is None
    monkeypatch.setenv(ace.ENV, f"{sys.executable} -m ace_cli")
    assert ace.command() == [sys.executable, "-m", "ace_cli"]
    monkeypatch.delenv(ace.ENV)
    monkeypatch.setattr(ace.shutil, "which", lambda name: None)
    assert ace.command() is None


def test_rgb_colour_spaces():
    icc = DictionaryObject({NameObject("/N"): NumberObject(3)})
    icc_cmyk = DictionaryObject({NameObject("/N"): NumberObject(4)})
    assert is_rgb_space(NameObject("/DeviceRGB")) and is_rgb_space(NameObject("/CalRGB"))
    assert is_rgb_space(ArrayObject([NameObject("/ICCBased"), icc]))
    assert is_rgb_space(ArrayObject([NameObject("/Indexed"), NameObject("/DeviceRGB"), NumberObject(255), NameObject("/x")]))
    assert not is_rgb_space(ArrayObject([NameObject("/ICCBased"), icc_cmyk]))
    assert not is_rgb_space(NameObject("/DeviceCMYK")) and not is_rgb_space(NameObject("/DeviceGray")) and not is_rgb_space(None)
    assert not is_rgb_space(ArrayObject([NameObject("/Separation"), NameObject("/PANTONE 7621 C"), NameObject("/DeviceCMYK"), NameObject("/f")]))


def test_a_tools_report_on_one_line():
    said = "gs (exit 1): Error: /ioerror in --runpdf--\nOperand stack:\n   --nostringval--\nGPL Ghostscript 10.00.0: Unrecoverable error, exit code 1"
    assert checks.one_line(said) == "gs (exit 1): Error: /ioerror in --runpdf-- | GPL Ghostscript 10.00.0: Unrecoverable error, exit code 1"
