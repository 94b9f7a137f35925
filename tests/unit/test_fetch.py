"""The PDF engine reads only the style, its fonts and the book's images: no network, no other file."""

from pathlib import Path

import pytest

from blog2book.render.pdf.engine.fetch import SafeFetcher

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fetcher():
    return SafeFetcher([REPO / "styles"])


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (REPO / "posts").as_uri() + "/plus-de-20-ans-ligne.md",
        (REPO / "styles").as_uri() + "/../pyproject.toml",
        "http://example.org/image.png",
        "https://example.org/style.css",
        "ftp://example.org/x",
        "data:text/plain,hello",
        "fontpkg:source-serif-4/../../../../etc/passwd",
        "fontpkg:source-serif-4/" + "../" * 20 + "etc/passwd",
        "fontpkg:source-serif-4/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "fontpkg:no-such-font/Font.ttf",
    ],
)
def test_refused(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_style_file_and_font_are_served(fetcher):
    css = fetcher.fetch((REPO / "styles" / "base" / "print.css").as_uri())
    assert css.read().startswith(b"/*")
    font = fetcher.fetch("fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf")
    assert font.read(4) in (b"\x00\x01\x00\x00", b"true")


def test_font_subsets_do_not_carry_the_build_time(monkeypatch):
    """The same book built at another time has the same bytes: a face's subset never carries the
    time of the build in its ``head.modified`` (fontTools stamps it where HarfBuzz-Subset is missing)."""
    import io
    import os
    import time

    import pikepdf
    import weasyprint
    from fontTools.misc.timeTools import epoch_diff
    from fontTools.ttLib import TTFont

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    url = "fontpkg:source-serif-4/SourceSerif4-Italic[opsz,wght].ttf?wght=400&opsz=11"
    html = f'<style>@font-face {{ font-family: X; src: url("{url}") }} p {{ font-family: X }}</style><p>Bonjour « ami »</p>'
    from blog2book.render.pdf.engine import write_pdf

    stamps = set()
    for _ in range(2):
        data = write_pdf(weasyprint.HTML(string=html, base_url=(REPO / "styles").as_uri() + "/", url_fetcher=SafeFetcher([REPO / "styles"])))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
                    stamps.add(TTFont(io.BytesIO(obj.FontFile2.read_bytes()))["head"].modified)
    assert len(stamps) == 1
    assert stamps.pop() + epoch_diff < time.time() - 86400  # the source's date or FONT_TIME, not now
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set for the writing alone: the EPUB's dates read it
