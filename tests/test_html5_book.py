"""The book's HTML written by blog2book.html5 instead of pandoc, through the CLI: every output of
the sample book (Markdown, PDF, EPUB, web edition) is the same, byte for byte, as when pandoc
writes all of it, and the EPUB passes EPUBCheck."""

from __future__ import annotations

import pytest

from conftest import SAMPLE, epubcheck_messages, java_available, run_cli

pytestmark = pytest.mark.slow


def test_the_sample_book_is_the_same_whoever_writes_its_html(tmp_path, monkeypatch):
    from blog2book import html5

    written = []
    real = html5.write
    def spy(blocks):  # the PDF's pieces are written by a pool of threads: return this call's own result
        result = real(blocks)
        written.append(result)
        return result

    monkeypatch.setattr(html5, "write", spy)
    outputs = {}
    for who in ("html5", "pandoc"):
        out = tmp_path / who
        result = run_cli("build", SAMPLE, "-f", "md", "-f", "pdf", "-f", "epub", "-f", "html", "-o", out, "-j", "1")
        assert result.exit_code == 0, result.output
        outputs[who] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
        if who == "html5":
            assert written and all(w is not None for w in written), "the sample's HTML is all written here"
            monkeypatch.setattr(html5, "write", lambda blocks: None)  # pandoc writes everything
    assert sorted(outputs["html5"]) == sorted(outputs["pandoc"])
    different = [str(name) for name in outputs["html5"] if outputs["html5"][name] != outputs["pandoc"][name]]
    assert not different
    if java_available():
        valid, messages = epubcheck_messages(tmp_path / "html5" / "medias-sociaux.epub")
        assert valid, messages
