"""Cross-references, unit level: URL normalisation, classification of every link shape, diagnostics.

The index is built from hand-made posts of a blog at https://www.exemple-blogue.com/ ; each row of
the tables below is one shape of link that blogs really contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blog2book import pandoc, tree
from blog2book.diagnostics import Level
from blog2book.model import Heading, Post
from blog2book.sources import SourcePost
from blog2book.xref import build_index, classify, resolve_post, url_keys

SITE = "https://www.exemple-blogue.com/"
S = "https://www.exemple-blogue.com"


def source(slug, url=None, aliases=(), wp_id=None, body=""):
    return SourcePost(
        path=Path(f"/blogue/posts/{slug}.md"), slug=slug, title=slug, body=body, body_line=7,
        url=url, aliases=tuple(aliases), wp_id=wp_id,
    )


def post(slug, headings=(), blocks=()):
    return Post(
        slug=slug, id=f"id-{slug}", title=slug, source=Path(f"/blogue/posts/{slug}.md"), blocks=tuple(blocks),
        headings=tuple(Heading(f"id-{slug}--{h}", h, h) for h in headings),
    )


SOURCES = {
    "pourquoi-bloguer": source("pourquoi-bloguer", f"{S}/2010/10/29/pourquoi-bloguer/", ["http://exemple-blogue.com/blogue/2010/pourquoi-bloguer.html"], 101),
    "strategie": source("strategie", f"{S}/2010/11/strategie-medias-sociaux/", wp_id=102),
    "reputation": source("reputation", f"{S}/2011/01/12/réputation-en-ligne/", wp_id=103),
    "influence": source("influence", "https://exemple-blogue.com/2011/02/03/influence-et-portee/", wp_id=104),
    "conference": source("conference", f"{S}/2011/03/conference-montreal/", wp_id=105),
    "sans-url": source("sans-url", wp_id=106),
    "relatif": source("relatif", "/2012/01/05/adresse-relative/"),
    "ancien": source("ancien", "http://www.exemple-blogue.com/2009/05/24/%C3%A9t%C3%A9-montr%C3%A9al/"),
}
IN_BOOK = {
    "pourquoi-bloguer": post("pourquoi-bloguer"),
    "strategie": post("strategie", ["sous-titre"]),
    "reputation": post("reputation", ["résumé"]),
    "influence": post("influence"),
    "relatif": post("relatif"),
    "ancien": post("ancien"),
}


@pytest.fixture(scope="module")
def index():
    idx, diags = build_index(SOURCES, IN_BOOK, SITE)
    assert diags == []
    return idx


# ---------------------------------------------------------------- url_keys

SAME = [  # (written in a post, canonical URL of the post): must share a key
    (f"{S}/2010/10/29/pourquoi-bloguer/", "http://exemple-blogue.com/2010/10/29/pourquoi-bloguer"),
    ("HTTPS://WWW.Exemple-Blogue.COM/2010/10/29/Pourquoi-Bloguer/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2011/01/12/r%C3%A9putation-en-ligne/", f"{S}/2011/01/12/réputation-en-ligne/"),
    (f"{S}/2011/01/12/r%c3%a9putation-en-ligne/", f"{S}/2011/01/12/réputation-en-ligne/"),
    (f"{S}/2011/01/12/re\u0301putation-en-ligne/", f"{S}/2011/01/12/réputation-en-ligne/"),  # NFD accent
    (f"{S}/2011/01/12/r%E9putation-en-ligne/", f"{S}/2011/01/12/réputation-en-ligne/"),  # Latin-1 encoding
    (f"{S}/2010/10/29/pourquoi-bloguer/print/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/amp", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/feed/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/comment-page-2/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/index.php/2010/10/29/pourquoi-bloguer/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/10/pourquoi-bloguer/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/11/15/strategie/", f"{S}/2010/11/strategie/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/?utm_source=infolettre", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/#sous-titre", f"{S}/2010/10/29/pourquoi-bloguer/"),
    ("//exemple-blogue.com/2010/10/29/pourquoi-bloguer/", f"{S}/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/pourquoi-bloguer/", f"{S}/2010/10/29/pourquoi-bloguer/"),
]

DIFFERENT = [
    (f"{S}/2010/10/29/pourquoi-bloguer/", f"{S}/2010/10/29/pourquoi-bloguer-encore/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/", "https://www.exemple-blogue.ca/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2010/10/29/pourquoi-bloguer/", "https://www.exemple-blogue.com.example.org/2010/10/29/pourquoi-bloguer/"),
    (f"{S}/2011/01/12/réputation-en-ligne/", f"{S}/2011/01/12/reputation-en-ligne/"),
    (f"{S}/?p=101", f"{S}/?p=102"),
    (f"{S}/blogue/a.html", f"{S}/blogue/b.html"),
]


@pytest.mark.parametrize("written, canonical", SAME)
def test_url_shapes_share_a_key(written, canonical):
    assert set(url_keys(written)) & set(url_keys(canonical)), (url_keys(written), url_keys(canonical))


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_different_urls_share_no_key(a, b):
    assert not set(url_keys(a)) & set(url_keys(b)), (url_keys(a), url_keys(b))


def test_wordpress_id_key_comes_first():
    assert url_keys(f"{S}/?p=104")[0] == "exemple-blogue.com?p=104"
    assert url_keys("http://exemple-blogue.com/index.php?page_id=0104")[0] == "exemple-blogue.com?p=104"
    assert url_keys(f"{S}/?p=abc")[0] == "exemple-blogue.com/"


# ---------------------------------------------------------------- classify

CASES = [  # (link as written, kind, href)
    ("http://www.exemple-blogue.com/2010/11/strategie-medias-sociaux/", "internal", "#id-strategie"),
    ("https://exemple-blogue.com/2010/10/29/pourquoi-bloguer/", "internal", "#id-pourquoi-bloguer"),
    ("https://www.exemple-blogue.com/2011/02/03/influence-et-portee/", "internal", "#id-influence"),
    ("https://www.exemple-blogue.com/2010/11/strategie-medias-sociaux", "internal", "#id-strategie"),
    ("https://www.exemple-blogue.com/2011/01/12/r%C3%A9putation-en-ligne/", "internal", "#id-reputation"),
    ("https://www.exemple-blogue.com/2011/01/12/réputation-en-ligne/", "internal", "#id-reputation"),
    ("https://www.exemple-blogue.com/2009/05/24/été-montréal/", "internal", "#id-ancien"),
    ("https://www.exemple-blogue.com/2010/10/29/pourquoi-bloguer/print/", "internal", "#id-pourquoi-bloguer"),
    ("https://exemple-blogue.com/2011/02/03/influence-et-portee/amp/", "internal", "#id-influence"),
    ("https://www.exemple-blogue.com/2010/11/strategie-medias-sociaux/#sous-titre", "internal", "#id-strategie--sous-titre"),
    ("https://www.exemple-blogue.com/2011/01/12/réputation-en-ligne/#r%C3%A9sum%C3%A9", "internal", "#id-reputation--résumé"),
    ("https://www.exemple-blogue.com/2011/01/12/réputation-en-ligne/#resume", "internal", "#id-reputation--résumé"),
    ("https://www.exemple-blogue.com/2011/02/03/influence-et-portee/#comments", "internal", "#id-influence"),
    ("https://www.exemple-blogue.com/2011/02/03/influence-et-portee/#more-412", "internal", "#id-influence"),
    ("https://www.exemple-blogue.com/2010/11/strategie-medias-sociaux/#nulle-part", "missing-heading", "#id-strategie"),
    ("https://www.exemple-blogue.com/2010/10/pourquoi-bloguer/", "internal", "#id-pourquoi-bloguer"),
    ("https://www.exemple-blogue.com/2010/11/15/strategie-medias-sociaux/", "internal", "#id-strategie"),
    ("https://www.exemple-blogue.com/?p=104", "internal", "#id-influence"),
    ("http://exemple-blogue.com/?p=103", "internal", "#id-reputation"),
    ("?p=101", "internal", "#id-pourquoi-bloguer"),
    ("/2010/10/29/pourquoi-bloguer/", "internal", "#id-pourquoi-bloguer"),
    ("/2012/01/05/adresse-relative", "internal", "#id-relatif"),
    ("https://exemple-blogue.com/2012/01/05/adresse-relative/", "internal", "#id-relatif"),
    ("www.exemple-blogue.com/2010/10/29/pourquoi-bloguer/", "internal", "#id-pourquoi-bloguer"),
    ("//www.exemple-blogue.com/2010/10/29/pourquoi-bloguer/", "internal", "#id-pourquoi-bloguer"),
    ("http://exemple-blogue.com/blogue/2010/pourquoi-bloguer.html", "internal", "#id-pourquoi-bloguer"),
    ("https://www.exemple-blogue.com/pourquoi-bloguer/", "internal", "#id-pourquoi-bloguer"),
    ("post:strategie", "internal", "#id-strategie"),
    ("post:strategie#sous-titre", "internal", "#id-strategie--sous-titre"),
    ("post:inconnu", "unknown-slug", "post:inconnu"),
    ("#sous-titre", "internal", "#id-strategie--sous-titre"),  # classified from inside 'strategie'
    ("#ancre-maison", "local", "#ancre-maison"),
    ("https://www.exemple-blogue.com/2011/03/conference-montreal/", "excluded", f"{S}/2011/03/conference-montreal/"),
    ("http://exemple-blogue.com/?p=105", "excluded", f"{S}/2011/03/conference-montreal/"),
    ("post:conference", "excluded", f"{S}/2011/03/conference-montreal/"),
    ("https://www.exemple-blogue.com/?p=106", "excluded", f"{S}/?p=106"),  # a post without url: the link's own
    ("post:sans-url", "excluded", ""),
    ("https://www.exemple-blogue.com/2010/10/29/pourqoi-bloguer/", "unknown", f"{S}/2010/10/29/pourqoi-bloguer/"),
    ("/2010/10/29/pourqoi-bloguer/", "unknown", f"{S}/2010/10/29/pourqoi-bloguer/"),
    ("https://www.exemple-blogue.com/", "external", "https://www.exemple-blogue.com/"),
    ("https://www.exemple-blogue.com/category/strategie/", "external", "https://www.exemple-blogue.com/category/strategie/"),
    ("https://www.exemple-blogue.com/2010/10/", "external", "https://www.exemple-blogue.com/2010/10/"),
    ("https://fr.wikipedia.org/wiki/Blog", "external", "https://fr.wikipedia.org/wiki/Blog"),
    ("https://www.exemple-blogue.ca/2010/10/29/pourquoi-bloguer/", "external", "https://www.exemple-blogue.ca/2010/10/29/pourquoi-bloguer/"),
    ("//fr.wikipedia.org/wiki/Blog", "external", "https://fr.wikipedia.org/wiki/Blog"),
    ("mailto:autrice@exemple-blogue.com", "other", "mailto:autrice@exemple-blogue.com"),
]


@pytest.mark.parametrize("url, kind, href", CASES)
def test_classify(index, url, kind, href):
    res = classify(url, index, "strategie")
    assert (res.kind, res.href) == (kind, href)


def test_classify_relative_without_site():
    idx, _ = build_index({"a": source("a", "/2010/10/29/a/")}, {"a": post("a")}, None)
    res = classify("/2010/10/29/a/", idx, "a")
    assert res.kind == "relative"


def test_site_inferred_from_the_posts_when_the_manifest_has_none():
    idx, diags = build_index(SOURCES, IN_BOOK, None)
    assert diags == []
    assert classify("/2010/10/29/pourquoi-bloguer/", idx, "x").href == "#id-pourquoi-bloguer"
    assert classify("?p=104", idx, "x").href == "#id-influence"
    assert classify("/2010/10/29/pourqoi-bloguer/", idx, "x").kind == "unknown"


def test_order_does_not_matter():
    """Collect then resolve: the same index whatever the order of the posts."""
    forward, _ = build_index(SOURCES, IN_BOOK, SITE)
    backward, _ = build_index(dict(reversed(list(SOURCES.items()))), IN_BOOK, SITE)
    for url, _kind, _href in CASES:
        assert classify(url, forward, "strategie") == classify(url, backward, "strategie")


def test_url_and_wp_id_clashes_are_reported_at_their_front_matter_line(tmp_path):
    from blog2book.sources import read_post

    posts = {
        "a": "---\ntitle: A\nurl: https://www.exemple-blogue.com/2010/10/29/meme-adresse/\nwp_id: 7\n---\n\nTexte.\n",
        "b": "---\ntitle: B\nwp_id: 7\naliases:\n  - /ancien/\n  - http://exemple-blogue.com/2010/10/meme-adresse\n---\n\nTexte.\n",
    }
    sources = {}
    for slug, text in posts.items():
        (tmp_path / f"{slug}.md").write_text(text, "utf-8")
        sources[slug], _ = read_post(tmp_path / f"{slug}.md")
    _, diags = build_index(sources, {}, SITE)
    assert [(d.code, d.location.path.name, d.location.line) for d in diags] == [
        ("xref.wp-id-clash", "b.md", 3),
        ("xref.url-clash", "b.md", 6),
    ]


# ---------------------------------------------------------------- closest match

def test_closest_match_for_a_typo(index):
    assert index.closest(f"{S}/2010/10/29/pourqoi-bloguer/") == f"{S}/2010/10/29/pourquoi-bloguer/"
    assert index.closest("/2011/01/12/reputation-en-ligne/".join([S, ""])) == f"{S}/2011/01/12/réputation-en-ligne/"


def test_no_closest_match_for_something_else(index):
    assert index.closest(f"{S}/2015/07/01/rien-a-voir-avec-quoi-que-ce-soit/") is None


# ---------------------------------------------------------------- resolve_post: links and diagnostics

BODY = """\
Un [renvoi](https://exemple-blogue.com/2010/10/29/pourquoi-bloguer/) et [une section](#sous-titre).

Une [faute](https://www.exemple-blogue.com/2010/10/29/pourqoi-bloguer/) et [un absent](https://www.exemple-blogue.com/2011/03/conference-montreal/).

Une adresse <https://www.exemple-blogue.com/2011/03/conference-montreal/> et <https://www.w3.org/>.

Un [lien web](https://fr.wikipedia.org/wiki/Blog) et un [slug inconnu](post:strategi).

Une [ancre perdue](#nulle-part) et un [courriel](mailto:a@b.c).

# Sous-titre {#sous-titre}
"""


def _resolved(xrefs="page", body=BODY, site=SITE):
    blocks = pandoc.to_ast(body)["blocks"]
    src = source("strategie", f"{S}/2010/11/strategie-medias-sociaux/", wp_id=102, body=body)
    p = post("strategie", ["sous-titre"], blocks)
    sources = dict(SOURCES, strategie=src)
    idx, _ = build_index(sources, dict(IN_BOOK, strategie=p), site)
    new, diags = resolve_post(p, src, idx, xrefs)
    links = {}

    def grab(el):
        if el["t"] == "Link":
            attr, inl, (url, _) = el["c"]
            links[tree.stringify(inl)] = (url, attr[1], dict(attr[2]))
        return None

    tree.walk(list(new.blocks), grab)
    return links, diags, new


def test_resolve_post_links():
    links, _, new = _resolved()
    assert links["renvoi"] == ("#id-pourquoi-bloguer", ["xref"], {})
    assert links["une section"] == ("#id-strategie--sous-titre", ["xref"], {})
    assert links["faute"] == (f"{S}/2010/10/29/pourqoi-bloguer/", ["external"], {})
    assert links["un absent"] == (f"{S}/2011/03/conference-montreal/", ["external", "blog"], {})
    assert links[f"{S}/2011/03/conference-montreal/"][1] == ["uri", "external", "blog", "bare"]
    assert links["https://www.w3.org/"][1] == ["uri", "external", "bare"]
    assert links["lien web"] == ("https://fr.wikipedia.org/wiki/Blog", ["external"], {})
    assert links["courriel"] == ("mailto:a@b.c", [], {})
    assert "slug inconnu" not in links and "ancre perdue" not in links  # text only
    text = tree.stringify(list(new.blocks))
    assert "slug inconnu" in text and "ancre perdue" in text


def test_resolve_post_chapter_style():
    links, _, _ = _resolved("chapter")
    assert links["renvoi"][2] == {"data-xref": "chapter"}
    assert links["une section"][2] == {"data-xref": "chapter"}
    assert links["lien web"][2] == {}


def test_resolve_post_diagnostics():
    _, diags, _ = _resolved()
    by_code = {}
    for d in diags:
        by_code.setdefault(d.code, []).append(d)
    unknown = by_code["xref.unknown-url"]
    assert len(unknown) == 1 and unknown[0].level == Level.WARNING
    assert unknown[0].location.line == 7 + 2  # body line 3, the body starts at line 7
    assert unknown[0].hint == f"did you mean '{S}/2010/10/29/pourquoi-bloguer/'?"
    excluded = by_code["xref.not-in-book"]
    assert [d.level for d in excluded] == [Level.INFO, Level.INFO]
    assert [d.location.line for d in excluded] == [9, 11]
    slug = by_code["xref.unknown-slug"]
    assert len(slug) == 1 and slug[0].level == Level.ERROR and slug[0].location.line == 13
    assert slug[0].hint == "did you mean 'post:strategie'?"
    assert by_code["xref.missing-anchor"][0].location.line == 15
    assert set(by_code) == {"xref.unknown-url", "xref.not-in-book", "xref.unknown-slug", "xref.missing-anchor"}


def test_relative_link_without_site_is_reported_and_kept_as_text():
    body = "Voir [ceci](/2010/10/29/a/).\n"
    blocks = pandoc.to_ast(body)["blocks"]
    src = source("a", "/2010/10/29/a/", body=body)
    p = post("a", blocks=blocks)
    idx, diags = build_index({"a": src}, {"a": p}, None)
    assert [d.code for d in diags] == ["xref.relative-url"]
    new, diags = resolve_post(p, src, idx, "page")
    assert [d.code for d in diags] == ["xref.relative-link"]
    assert "Link" not in str(new.blocks)


# ---------------------------------------------------------------- print: a note stays on the page of its call

NOTE_PAGE = """<!DOCTYPE html><html><head><style>
@page { size: 100px 100px; margin: 0; @footnote { margin: 0; padding: 0 } }
html { font-size: 8px; line-height: 10px; } body { margin: 0; }
p { margin: 0; orphans: 2; widows: 2; } h2 { margin: 0; font-size: 8px; break-after: avoid; }
.fn { float: footnote; footnote-policy: line; } ::footnote-call { content: counter(footnote); } ::footnote-marker { content: none; }
</style></head><body>
%s
</body></html>"""


@pytest.mark.parametrize(
    "body, before, after",
    [
        (  # 7 lines and a note, then a paragraph whose first line is the 9th of the 10-line page
            "<p>a<span class='fn'>note</span><br>b<br>c<br>d<br>e<br>f<br>g</p><p>h<br>i<br>j<br>k</p>",
            ["a1bcdefghi", "jknote"],
            ["a1bcdefgnote", "hijk"],
        ),
        (  # the same with a heading before that paragraph: the heading goes with it
            "<p>a<span class='fn'>note</span><br>b<br>c<br>d<br>e<br>f</p><div><h2>T</h2><p>h<br>i<br>j<br>k</p></div>",
            ["a1bcdefThi", "jknote"],
            ["a1bcdefnote", "Thijk"],
        ),
    ],
)
def test_note_is_laid_out_again_on_the_page_of_its_call(body, before, after):
    """To keep two lines of the last paragraph (orphans: 2), WeasyPrint moves the page's note to
    the next page; blog2book sends that paragraph (with its heading) to the next page instead."""
    weasyprint = pytest.importorskip("weasyprint")
    from blog2book.render.pdf.corrections import keep_notes_with_calls
    from blog2book.render.pdf.engine.notes import misplaced_notes

    def render(html):
        return weasyprint.HTML(string=html).render()

    html = NOTE_PAGE % body
    plain = render(html)
    if not misplaced_notes(plain):
        pytest.skip("this WeasyPrint keeps the note on its page by itself")
    assert page_texts(plain) == before
    document, fixed = keep_notes_with_calls(html, render)
    assert misplaced_notes(document) == []
    assert page_texts(document) == after
    assert fixed.count("break-before: page") == 1


def test_note_is_kept_on_the_page_of_its_call_during_the_layout():
    """The same correction made page by page inside WeasyPrint's layout (render/pagefix.py): the
    paragraph alone goes to the next page, the paragraphs after it (of the same computed style,
    which WeasyPrint shares between them) follow it on that page."""
    weasyprint = pytest.importorskip("weasyprint")
    from blog2book.render.pdf.engine import corrector as pagefix
    from blog2book.render.pdf.engine.notes import misplaced_notes

    html = NOTE_PAGE % "<p>a<span class='fn'>note</span><br>b<br>c<br>d<br>e<br>f<br>g</p><p>h<br>i<br>j<br>k</p><p>l</p><p>m</p>"
    plain = weasyprint.HTML(string=html).render()
    if not misplaced_notes(plain):
        pytest.skip("this WeasyPrint keeps the note on its page by itself")
    with pagefix.corrections() as corrector:
        fixed = weasyprint.HTML(string=html).render()
    assert misplaced_notes(fixed) == []
    assert corrector.breaks == 1
    assert page_texts(fixed) == ["a1bcdefgnote", "hijklm"]


def page_texts(document) -> list[str]:
    """The text of each laid-out page, flow and notes."""
    from weasyprint.formatting_structure import boxes

    def texts(box):
        for c in box.all_children() if hasattr(box, "all_children") else ():
            if isinstance(c, boxes.TextBox):
                yield c.text
            yield from texts(c)

    return ["".join(texts(p._page_box)) for p in document.pages]


# ---------------------------------------------------------------- print: link policies

def _print_blocks(policy):
    from blog2book.render.pdf.html import notes_for_print

    body = (
        "Un [renvoi](https://exemple-blogue.com/2010/10/29/pourquoi-bloguer/), un [lien](https://fr.wikipedia.org/wiki/Blog), "
        "une adresse <https://www.w3.org/> et une note.[^1]\n\n[^1]: Avec un [lien](https://archive.org/).\n"
    )
    links, _, new = _resolved(body=body)
    blocks, tail = notes_for_print(list(new.blocks), policy, "chapitre-1")
    html = pandoc.from_ast(pandoc.document(blocks + tail), "html5", "--wrap=none")
    return html


def test_footnote_policy():
    html = _print_blocks("footnote")
    assert '<a href="#id-pourquoi-bloguer" class="xref">renvoi</a>,' in html  # no note for a cross-reference
    assert '<a href="https://fr.wikipedia.org/wiki/Blog" class="external">lien</a><span class="fn"><a href="https://fr.wikipedia.org/wiki/Blog" class="url">https://fr.wikipedia.org/wiki/Blog</a></span>' in html
    assert html.count("https://www.w3.org/") == 2 and 'class="fn"><a href="https://www.w3.org/"' not in html  # bare: href and text only
    # the author's note is a footnote; the link in it gets its URL in parentheses, not a note in a note
    assert '<span class="fn">Avec un <a href="https://archive.org/" class="external">lien</a> (<a href="https://archive.org/" class="url">https://archive.org/</a>).</span>' in html


def test_endnote_policy():
    html = _print_blocks("endnote")
    assert 'class="fn"' not in html
    assert html.count('class="endnote-call"') == 2
    assert '<div class="endnotes">' in html
    assert html.index('id="chapitre-1-note-1"') > html.index('id="chapitre-1-call-2"')  # the list comes after the text


def test_inline_policy():
    html = _print_blocks("inline")
    assert 'class="endnote-call"' not in html
    assert '<a href="https://fr.wikipedia.org/wiki/Blog" class="external">lien</a> (<a href="https://fr.wikipedia.org/wiki/Blog" class="url">https://fr.wikipedia.org/wiki/Blog</a>)' in html
