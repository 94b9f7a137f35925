"""Cross-references end to end: the test book tests/roots/xref built through the CLI.

The posts link to each other in every URL shape a blog contains (see the posts' front matter and
bodies). The expectations below are written by hand from the posts, not computed by blog2book:

* in the PDF, every internal link is followed by « (voir p. N) » and N is the page, read from the
  PDF with pypdf, on which the target post's title (or the target heading) really is;
* web links and links to the post left out of the book are numbered notes whose URL is printed at
  the foot of the same page as the call; bare URLs get no note;
* in the EPUB every internal href names an existing file and id, and the id is the target; the
  EPUB passes EPUBCheck without a message;
* ``check`` reports the unknown link to the site (with the closest post), the excluded post, and an
  unknown ``post:`` slug (an error: exit code 1).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from blog2book.cli import main

pypdf = pytest.importorskip("pypdf")
etree = pytest.importorskip("lxml.etree")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent / "roots" / "xref"
MANUSCRIPT = ROOT / "manuscripts" / "xref.yml"
BY_CHAPTER = ROOT / "manuscripts" / "xref-chapter.yml"
SITE = "https://www.exemple-blogue.com"

# slug -> (title, dateline as printed, chapter number in the manuscript)
POSTS = {
    "pourquoi-bloguer": ("Pourquoi bloguer encore", "29 octobre 2010", 1),
    "strategie-medias-sociaux": ("La stratégie avant les outils", "15 novembre 2010", 2),
    "reputation-en-ligne": ("Réputation en ligne : la première impression", "12 janvier 2011", 2),
    "influence-et-portee": ("Influence et portée", "3 février 2011", 3),
    "twitter-politique": ("Twitter en campagne électorale", "28 avril 2011", 4),
    "bilan-dix-ans": ("Dix ans de blogue, un bilan", "30 juin 2011", 4),
}
# heading id in the post -> (post, heading text, first words after it)
HEADINGS = {
    "sous-titre": ("strategie-medias-sociaux", "Mesurer ce qui compte", "Reste la mesure."),
    "les-chiffres": ("bilan-dix-ans", "Les chiffres", "En dix ans, le blogue"),
}

# link text -> (post, heading id or None); the shape each one tests is in the comment
INTERNAL = {
    # pourquoi-bloguer (chapter 1)
    "la stratégie passe avant le choix des plateformes": ("strategie-medias-sociaux", None),  # http:, later chapter
    "ce que l’on choisit de mesurer": ("strategie-medias-sociaux", "sous-titre"),  # #fragment
    "mon texte sur la portée réelle": ("influence-et-portee", None),  # www. added, part 2
    "la réputation qu’on se bâtit": ("reputation-en-ligne", None),  # post:slug inside an author note
    # strategie-medias-sociaux
    "mon premier billet sur la question": ("pourquoi-bloguer", None),  # www. dropped, earlier chapter
    "la gestion de la réputation": ("reputation-en-ligne", None),  # %C3%A9 for a literal é
    "la section sur la mesure": ("strategie-medias-sociaux", "sous-titre"),  # #id in the same post
    # reputation-en-ligne
    "l’importance d’une stratégie réfléchie": ("strategie-medias-sociaux", None),  # no trailing slash
    "la version imprimable de mon billet fondateur": ("pourquoi-bloguer", None),  # /print/
    "la version mobile du texte sur l’influence": ("influence-et-portee", None),  # /amp/
    "le billet numéro 104": ("influence-et-portee", None),  # ?p=104
    # influence-et-portee
    "pourquoi je tiens un carnet": ("pourquoi-bloguer", None),  # relative /2010/10/29/slug/
    "le billet d’octobre sur le même thème": ("pourquoi-bloguer", None),  # /yyyy/mm/slug for /yyyy/mm/dd/slug
    "mon texte sur la réputation, adresse accentuée": ("reputation-en-ligne", None),  # literal accent
    "le plan détaillé du mois de novembre": ("strategie-medias-sociaux", None),  # /yyyy/mm/dd/slug for /yyyy/mm/slug
    "mon bilan de fin de parcours": ("bilan-dix-ans", None),  # post:slug, later chapter
    # twitter-politique
    "mon vieux billet sur les raisons de bloguer": ("pourquoi-bloguer", None),  # alias (old address)
    "mesurer ce qui a réellement changé": ("strategie-medias-sociaux", "sous-titre"),  # post:slug#id
    "mon billet de janvier, par son numéro": ("reputation-en-ligne", None),  # http?p=103 without www.
    "la section chiffrée du bilan": ("bilan-dix-ans", "les-chiffres"),  # #fragment, automatic id
    # bilan-dix-ans
    "le tout premier texte de la série": ("pourquoi-bloguer", None),  # post:slug, earlier part
    "un plan en trois volets, lien du bulletin": ("strategie-medias-sociaux", None),  # ?utm_source=
    "la version en minuscules encodées": ("reputation-en-ligne", None),  # %c3%a9
    "l’influence, version imprimable": ("influence-et-portee", None),  # /print without slash
    "la campagne électorale, version mobile": ("twitter-politique", None),  # /amp without slash
    "la discussion qui a suivi ce texte": ("influence-et-portee", None),  # #comments
}

EXCLUDED = f"{SITE}/2011/03/conference-montreal/"
# link text -> (URL printed in the note, post holding the link)
NOTES = {
    "article de Wikipédia sur le blogue": ("https://fr.wikipedia.org/wiki/Blog", "pourquoi-bloguer"),
    "ma conférence à Montréal": (EXCLUDED, "strategie-medias-sociaux"),  # the post left out of the book
    "guide de mesure de l’AMEC": ("https://amecorg.com/amecframework/", "strategie-medias-sociaux"),
    "sur les raisons de bloguer, avec une faute": (f"{SITE}/2010/10/29/pourqoi-bloguer/", "influence-et-portee"),  # site, no post
    "les diapositives de la conférence": (EXCLUDED, "influence-et-portee"),  # ?p=105: the excluded post, by its full URL
    "Devoir": ("https://www.ledevoir.com/politique", "twitter-politique"),
    "Internet Archive": ("https://archive.org/", "bilan-dix-ans"),
}
# author notes: text just before the call -> (first words of the note, post); in French the call
# comes before the final period (« partager¹. », issue 12), so the text stops at the word
AUTHOR_NOTES = {
    "depuis les carnets des années quatre-vingt-dix": ("Les premiers carnets en ligne", "pourquoi-bloguer"),
    "que d’improviser une réplique": ("Le Barreau du Québec (https://www.barreau.qc.ca/)", "reputation-en-ligne"),
    "avec des images et des liens prêts à partager": ("Les commentaires en direct", "twitter-politique"),
}
BARE = ["https://www.w3.org/TR/html52/", EXCLUDED]


# ---------------------------------------------------------------- helpers

def norm(text: str) -> str:
    """Text as compared: no whitespace (pypdf splits « voir p. 12 » at U+202F/U+00A0), no hyphens
    (the layout hyphenates words, and the font maps '-' to U+2010)."""
    return re.sub(r"[\s\u2010\u2011\u00ad-]+", "", text)


def page_texts(pdf: Path) -> list[str]:
    return [norm(p.extract_text()) for p in pypdf.PdfReader(str(pdf)).pages]


def body_stream(pdf: Path) -> str:
    """The running text of all pages, in order, without notes, running heads or folios (text smaller
    than the body's), so a phrase broken across two pages reads as one."""
    out: list[str] = []
    for page in pypdf.PdfReader(str(pdf)).pages:
        def visit(text, cm, tm, font, size):
            if size * abs(tm[3]) * abs(cm[3]) >= 9.5:
                out.append(text)
        page.extract_text(visitor_text=visit)
    return norm("".join(out))


def find_page(pages: list[str], *needles: str, after: int = 0) -> int:
    """1-based number of the first page after ``after`` that holds the needles one after the other."""
    needle = norm("".join(needles))
    for n, text in enumerate(pages, start=1):
        if n > after and needle in text:
            return n
    raise AssertionError(f"{needles!r} is on no page after {after}")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def output(result) -> str:
    """What the command printed, stdout and stderr (Click 8.2 mixes them in ``output``)."""
    text = result.output
    try:
        stderr = result.stderr
    except (ValueError, AttributeError):
        stderr = ""
    return text if stderr in text else text + stderr


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


# ---------------------------------------------------------------- the builds (once per module)

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("xref-book")
    result = run("build", MANUSCRIPT, "-f", "pdf", "-f", "epub", "-o", out)
    assert result.exit_code == 0, output(result)
    return out / "xref.pdf", out / "xref.epub"


@pytest.fixture(scope="module")
def pages(built):
    return page_texts(built[0])


@pytest.fixture(scope="module")
def toc_page(pages):
    return find_page(pages, "Table des matières")


@pytest.fixture(scope="module")
def post_pages(pages, toc_page):
    """slug -> page where the post starts: its title followed by its dateline, after the contents."""
    return {slug: find_page(pages, title, date, after=toc_page) for slug, (title, date, _) in POSTS.items()}


@pytest.fixture(scope="module")
def heading_pages(pages, post_pages):
    return {hid: find_page(pages, text, following, after=post_pages[slug] - 1) for hid, (slug, text, following) in HEADINGS.items()}


# ---------------------------------------------------------------- PDF: « voir p. N »

def test_posts_start_where_the_test_expects(post_pages, toc_page):
    order = [post_pages[slug] for slug in POSTS]
    assert order == sorted(order) and order[0] > toc_page


@pytest.mark.parametrize("text", list(INTERNAL))
def test_internal_link_shows_the_real_page(built, pages, post_pages, heading_pages, text):
    slug, heading = INTERNAL[text]
    expected = heading_pages[heading] if heading else post_pages[slug]
    # « (voir p. N) », « (p. N) » after the author's own « Voir », or, on the target's own page,
    # « (ci-dessous) » / « (plus haut) » (issue 12)
    pattern = re.escape(norm(text)) + r"\((?:voir)?p\.(\d+)\)"
    found = [int(m.group(1)) for page in pages for m in re.finditer(pattern, page)]
    if not found:  # on its target's page
        here = re.escape(norm(text)) + r"\((?:cidessous|plushaut)\)"
        found = [n for n, page in enumerate(pages, start=1) if re.search(here, page)]
    if not found:  # the phrase runs over a page break
        found = [int(m.group(1)) for m in re.finditer(pattern, body_stream(built[0]))]
    assert found == [expected], f"{text!r}: expected « voir p. {expected} », found {found}"


def test_every_see_page_is_an_expected_link(pages):
    """No other link became a cross-reference (a web link, a note, the excluded post)."""
    count = sum(len(re.findall(r"\((?:(?:voir)?p\.\d+|cidessous|plushaut)\)", page)) for page in pages)
    assert count == len(INTERNAL)


def note_calls(pages: list[str], before: str) -> list[tuple[int, int]]:
    """(page, number) of each footnote call right after the text ``before``."""
    pattern = re.escape(norm(before)) + r"(\d+)"
    return [(n, int(m.group(1))) for n, page in enumerate(pages, start=1) for m in re.finditer(pattern, page)]


@pytest.mark.parametrize("text", list(NOTES))
def test_web_link_note_is_on_the_page_of_its_call(pages, text):
    url, _ = NOTES[text]
    calls = note_calls(pages, text)
    assert len(calls) == 1, f"{text!r}: calls found {calls}"
    page, number = calls[0]
    assert norm(f"{number}. {url}") in pages[page - 1], f"note {number} ({url}) is not on page {page}"


@pytest.mark.parametrize("before", list(AUTHOR_NOTES))
def test_author_note_is_a_footnote_on_the_page_of_its_call(pages, before):
    calls = note_calls(pages, before)
    assert len(calls) == 1, calls
    page, number = calls[0]
    assert norm(f"{number}. {AUTHOR_NOTES[before][0]}") in pages[page - 1]


def test_footnote_numbers_restart_with_each_chapter(pages):
    numbers: dict[int, list[int]] = {}
    for before, (_, slug) in [*NOTES.items(), *AUTHOR_NOTES.items()]:
        (_, number), = note_calls(pages, before)
        numbers.setdefault(POSTS[slug][2], []).append(number)
    assert {chapter: sorted(ns) for chapter, ns in numbers.items()} == {
        chapter: list(range(1, len(ns) + 1)) for chapter, ns in numbers.items()
    }


@pytest.mark.parametrize("url", BARE)
def test_bare_url_is_not_repeated_in_a_note(pages, url):
    holding = [page for page in pages if norm(url) in page]
    if url == EXCLUDED:  # also the URL of the notes of two links to it, on other pages
        holding = [page for page in holding if "Pourceuxquivoudraientrevoir" in page or "voudraientrevoirlesdiapositives" in page]
    assert len(holding) == 1
    assert holding[0].count(norm(url)) == 1
    assert not re.search(r"\d\." + re.escape(norm(url)), holding[0])


# ---------------------------------------------------------------- EPUB

@pytest.fixture(scope="module")
def epub_docs(built):
    docs = {}
    with zipfile.ZipFile(built[1]) as z:
        names = set(z.namelist())
        for name in names:
            if name.endswith(".xhtml"):
                docs[name] = etree.fromstring(z.read(name))
    return names, docs


XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _resolve(doc_name: str, href: str) -> tuple[str, str]:
    path, _, frag = href.partition("#")
    target = str(PurePosixPath(doc_name).parent / path) if path else doc_name
    return target, frag


def test_epub_every_internal_href_resolves(epub_docs):
    names, docs = epub_docs
    ids = {name: {el.get("id") for el in doc.iter() if el.get("id")} for name, doc in docs.items()}
    checked = 0
    for name, doc in docs.items():
        for a in doc.iter(f"{XHTML}a"):
            href = a.get("href")
            if href is None or re.match(r"^[a-z][a-z0-9+.-]*:", href):
                continue
            target, frag = _resolve(name, href)
            assert target in names, f"{name}: href {href!r} names no file"
            if frag:
                assert frag in ids.get(target, set()), f"{name}: href {href!r}: no id {frag!r} in {target}"
            checked += 1
    assert checked >= len(INTERNAL)


@pytest.mark.parametrize("text", list(INTERNAL))
def test_epub_internal_link_goes_to_its_target(epub_docs, text):
    names, docs = epub_docs
    links = [(name, a) for name, doc in docs.items() for a in doc.iter(f"{XHTML}a") if _text(a) == text]
    assert len(links) == 1, f"{text!r}: {len(links)} links"
    name, a = links[0]
    target, frag = _resolve(name, a.get("href"))
    assert frag, a.get("href")
    element = next(el for el in docs[target].iter() if el.get("id") == frag)
    slug, heading = INTERNAL[text]
    if heading:
        assert _text(element) == HEADINGS[heading][1]
    else:
        title = POSTS[slug][0]
        heads = [h for h in element.iter(f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3") if "post-title" in (h.get("class") or "")]
        assert heads and _text(heads[0]) == title, f"{text!r} -> {target}#{frag}"


@pytest.mark.parametrize("text", list(NOTES))
def test_epub_web_links_stay_hyperlinks(epub_docs, text):
    _, docs = epub_docs
    hrefs = [a.get("href") for doc in docs.values() for a in doc.iter(f"{XHTML}a") if _text(a) == text]
    assert hrefs == [NOTES[text][0]]


def test_epub_author_notes_are_linked_both_ways(epub_docs):
    _, docs = epub_docs
    count = 0
    for name, doc in docs.items():
        ids = {el.get("id"): el for el in doc.iter() if el.get("id")}
        for ref in doc.iter(f"{XHTML}a"):
            if ref.get(EPUB_TYPE) != "noteref":
                continue
            count += 1
            note = ids[ref.get("href").lstrip("#")]
            assert note.get(EPUB_TYPE) in ("footnote", "endnote")
            backs = [a.get("href") for a in note.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"]
            assert backs == ["#" + ref.get("id")]
    assert count == len(AUTHOR_NOTES)


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs java")
def test_epubcheck_clean(built):
    from epubcheck_jvm import check  # EPUBCheck, in the session's JVM

    valid, messages = check(built[1])
    assert valid and not messages, [str(m) for m in messages]


# ---------------------------------------------------------------- xrefs: chapter, links: endnote

@pytest.fixture(scope="module")
def chapter_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("xref-chapter")
    result = run("build", BY_CHAPTER, "-f", "pdf", "-o", out)
    assert result.exit_code == 0, output(result)
    return out / "xref-chapter.pdf"


@pytest.mark.parametrize("text", list(INTERNAL))
def test_chapter_style_names_the_chapter(chapter_book, text):
    pages = page_texts(chapter_book)
    slug, _ = INTERNAL[text]
    pattern = re.escape(norm(text)) + r"\(voirlechapitre(\d+)\)"
    found = [int(m.group(1)) for page in pages for m in re.finditer(pattern, page)]
    if not found:
        found = [int(m.group(1)) for m in re.finditer(pattern, body_stream(chapter_book))]
    assert found == [POSTS[slug][2]]


def test_endnotes_are_at_the_end_of_the_chapter(chapter_book):
    pages = page_texts(chapter_book)
    assert not any(re.search(r"\(voirp\.", page) for page in pages)
    for text, (url, _) in NOTES.items():
        call = find_page(pages, text)
        # the note is later in the same chapter: no chapter opener between the call and the note
        note = find_page(pages, url, after=call - 1)
        between = "".join(pages[call:note - 1])
        assert "Chapitre" not in between, text
        # under the heading of the chapter's notes, in the book's language
        assert "Notes" in "".join(pages[call - 1:note]), text


# ---------------------------------------------------------------- check: diagnostics

def test_check_reports_links_with_file_and_line():
    result = run("check", MANUSCRIPT)
    text = output(result)
    assert result.exit_code == 0, text
    influence = ROOT / "posts" / "influence-et-portee.md"
    line = line_of(influence, "pourqoi-bloguer")
    assert re.search(
        rf"influence-et-portee\.md:{line}: warning: link '{re.escape(SITE)}/2010/10/29/pourqoi-bloguer/' .*"
        rf"did you mean '{re.escape(SITE)}/2010/10/29/pourquoi-bloguer/'",
        text,
    ), text
    strategie = ROOT / "posts" / "strategie-medias-sociaux.md"
    line = line_of(strategie, "conference-montreal")
    assert re.search(rf"strategie-medias-sociaux\.md:{line}: info: link to post 'conference-montreal'", text), text
    assert "error" not in text.replace("0 error(s)", "")
    assert text.count("warning:") == 1, text  # WordPress fragments (#comments), bare URLs: no warning


@pytest.fixture
def broken_copy(tmp_path):
    root = tmp_path / "xref"
    shutil.copytree(ROOT, root)
    post = root / "posts" / "bilan-dix-ans.md"
    post.write_text(post.read_text("utf-8") + "\nVoir aussi [un billet disparu](post:pourquoi-blogue) et [un autre](post:inconnu).\n", "utf-8")
    return root


def test_unknown_post_slug_is_an_error(broken_copy):
    result = run("check", broken_copy / "manuscripts" / "xref.yml")
    text = output(result)
    assert result.exit_code == 1, text
    post = broken_copy / "posts" / "bilan-dix-ans.md"
    line = line_of(post, "post:inconnu")
    assert re.search(rf"bilan-dix-ans\.md:{line}: error: cross-reference 'post:inconnu' names no post", text), text
    assert re.search(rf"bilan-dix-ans\.md:{line}: error: cross-reference 'post:pourquoi-blogue' names no post \(did you mean 'post:pourquoi-bloguer'\?\)", text), text


def test_build_with_an_unknown_slug_writes_nothing(broken_copy, tmp_path):
    out = tmp_path / "out"
    result = run("build", broken_copy / "manuscripts" / "xref.yml", "-f", "pdf", "-o", out)
    assert result.exit_code == 1, output(result)
    assert not (out / "xref.pdf").exists()
