"""The PDF checker of the tests (tests/pdfcheck.py) and the merge's blank versos it caught: a
content stream declared /FlateDecode with no bytes (qpdf writes an empty stream so), which stops
Ghostscript while ``qpdf --check`` sees nothing wrong."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pikepdf
import pytest

from blog2book.render.pdf.merge import BLANK_CONTENT, merge
import pdfcheck
from pdfcheck import Watch, assert_valid_pdf, empty_filtered_streams, pdf_problems, require_tools

SIZE = (300.0, 400.0)


def pages_pdf(contents: list[bytes]) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    for data in contents:
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=pikepdf.Array([0, 0, *SIZE]), Resources=pikepdf.Dictionary(),
                                  Contents=pdf.make_stream(data))
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))
    return pdf


def test_an_empty_flate_content_stream_is_caught_on_its_page(tmp_path):
    require_tools()
    path = tmp_path / "empty-stream.pdf"
    pages_pdf([b"0 0 m 100 100 l S\n", b""]).save(path)  # qpdf compresses the empty stream into nothing
    assert empty_filtered_streams(path)
    problems = pdf_problems(path)
    assert len(problems) == 1 and problems[0].startswith("gs (exit 1) on page 2:"), problems


def test_the_merges_blank_verso_is_drawn_silently(tmp_path):
    """Two one-page pieces: a blank verso goes between them (the second starts on a recto)."""
    require_tools()

    def piece(stroke: bytes):
        out = io.BytesIO()
        pages_pdf([stroke, b"BT ET\n"]).save(out)  # its page, then its calibration page (not merged)
        return SimpleNamespace(pdf_data=out.getvalue, pages=1, size=SIZE, positions=(), bookmarks=())

    merged = merge(SimpleNamespace(pieces=(piece(b"0 0 m 10 10 l S\n"), piece(b"0 0 m 20 20 l S\n")), recto=True))
    path = tmp_path / "merged.pdf"
    path.write_bytes(merged.pdf)
    assert merged.pages == 3
    with pikepdf.open(path) as pdf:
        assert pdf.pages[1].obj.Contents.read_bytes() == BLANK_CONTENT
    assert empty_filtered_streams(path) == []
    assert_valid_pdf(path)


def test_missing_tools_fail_in_ci_and_where_make_test_installs_them(monkeypatch):
    monkeypatch.setattr(pdfcheck.shutil, "which", lambda tool: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="make test"):
        require_tools()
    monkeypatch.delenv("CI")
    monkeypatch.setattr(pdfcheck.os, "geteuid", lambda: 1000, raising=False)
    with pytest.raises(pytest.skip.Exception, match="make test"):
        require_tools()
    monkeypatch.setattr(pdfcheck.os, "geteuid", lambda: 0, raising=False)  # root, but no apt-get either
    with pytest.raises(pytest.skip.Exception):
        require_tools()
    monkeypatch.setattr(pdfcheck.shutil, "which", lambda tool: "/usr/bin/apt-get" if tool == "apt-get" else None)
    with pytest.raises(pytest.fail.Exception, match="make test"):
        require_tools()


def test_the_watch_checks_each_content_once_and_hands_failures_over_once(tmp_path):
    require_tools()
    bad = tmp_path / "bad.pdf"
    pages_pdf([b""]).save(bad)
    good = tmp_path / "good.pdf"
    pages_pdf([b"0 0 m 10 10 l S\n"]).save(good)
    watch = Watch()
    watch.written([good, bad, tmp_path / "not-a-pdf.epub"])
    failures = watch.failures()
    assert len(failures) == 1 and str(bad) in failures[0] and "gs" in failures[0]
    assert watch.failures() == [] and watch.checked == 2
    watch.written([bad])  # the same bytes again: not checked again
    assert watch.checked == 2 and watch.failures() == []
