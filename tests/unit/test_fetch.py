"""The PDF engine reads only the style, its fonts and the book's images: no network, no other file."""

from pathlib import Path

import pytest

from blog2book.render.fetch import SafeFetcher

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
