"""WordPress content -> Pandoc Markdown: wpautop, block comments, shortcodes, safe HTML, structure.

Each row: (name, WordPress content, expected Markdown, expected diagnostics as (level, code, line)).
The content is given as written at line 10 of an export, so every line is checked. One pandoc
call per row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blog2book import pandoc
from blog2book.diagnostics import Level
from blog2book.embeds import convert
from blog2book.wpautop import wpautop
from blog2book.wpcontent import wp_to_blocks, wp_to_markdown, wp_to_markdown_batch

EXPORT = Path("export.xml")
W, I = "warning", "info"
UPLOADS = "https://blog.example.com/wp-content/uploads/"


def media(url: str) -> str | None:
    return "images/" + url[len(UPLOADS):] if url.startswith(UPLOADS) else None


ATTACHMENTS = {12: UPLOADS + "2010/03/g1.jpg", 13: UPLOADS + "2010/03/g2.jpg"}

ROWS: list[tuple[str, str, str, list[tuple[str, str, int]]]] = [
    # ---------------------------------------------------------------- classic editor: wpautop
    ("blank line is a paragraph, newline a line break", "Un\nDeux\n\nTrois", "Un\\\nDeux\n\nTrois\n", []),
    ("three blank lines are one paragraph break", "Un\n\n\n\nDeux", "Un\n\nDeux\n", []),
    ("double <br> is a paragraph break", "Un<br /><br />Deux", "Un\n\nDeux\n", []),
    (
        "no line breaks inside a list",
        "Avant\n<ul>\n\t<li>Un</li>\n\t<li>Deux\n<ul>\n\t<li>Deux point un</li>\n</ul>\n</li>\n</ul>\nAprès",
        "Avant\n\n- Un\n- Deux\n  - Deux point un\n\nAprès\n",
        [],
    ),
    (
        "ordered list",
        "<ol>\n<li>Premier</li>\n<li>Second</li>\n</ol>",
        "1.  Premier\n2.  Second\n",
        [],
    ),
    (
        "table keeps its cells",
        "<table>\n<tr><th>Ville</th><th>Neige (cm)</th></tr>\n<tr><td>Montréal</td><td>210</td></tr>\n"
        "<tr><td>Québec</td><td>316</td></tr>\n</table>",
        "  Ville      Neige (cm)\n  ---------- ------------\n  Montréal   210\n  Québec     316\n",
        [],
    ),
    ("heading keeps the author's id only", '<h2 id="neige">La neige</h2>\n<h3 class="x">Sans id</h3>', "## La neige {#neige}\n\n### Sans id\n", []),
    ("block quote gets its paragraph", "<blockquote>Une citation\nsur deux lignes</blockquote>", "> Une citation\\\n> sur deux lignes\n", []),
    ("nothing added inside pre", "<pre>a\n\nb\n  c</pre>", "    a\n\n    b\n      c\n", []),
    (
        "inline formatting and links",
        '<strong>Gras</strong>, <em>italique</em>, <b>b</b> <i>i</i> et <a href="https://ex.com/" title="T" class="x" target="_blank">un lien</a>.',
        '**Gras**, *italique*, **b** *i* et [un lien](https://ex.com/ "T").\n',
        [],
    ),
    (
        "an image alone keeps its alt text as alt text, the link around it goes",
        '<a href="' + UPLOADS + 'a.jpg"><img class="alignnone size-medium wp-image-9" src="' + UPLOADS + 'a-300x200.jpg" alt="IMG_1234" width="300" /></a>',
        '![](images/a-300x200.jpg){alt="IMG_1234"}\n',
        [],
    ),
    ("an image in a sentence stays inline", 'Voici <img src="https://ex.com/i.png" alt="icône"> ici.', "Voici ![icône](https://ex.com/i.png) ici.\n", []),
    ("empty paragraphs of &nbsp; vanish", "Un\n\n&nbsp;\n\nDeux", "Un\n\nDeux\n", []),
    ("entities decoded", "L&#8217;été &amp; l&rsquo;hiver", "L’été & l’hiver\n", []),
    # ---------------------------------------------------------------- block editor
    (
        "block comments dropped, no wpautop",
        "<!-- wp:paragraph -->\n<p>Un\nsuite</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:list -->\n<ul><li>A</li><li>B</li></ul>\n<!-- /wp:list -->",
        "Un suite\n\n- A\n- B\n",
        [],
    ),
    (
        "block image with caption and uploads URL",
        '<!-- wp:image {"id":5} -->\n<figure class="wp-block-image size-large"><img src="' + UPLOADS + '2010/03/a.jpg" alt="" class="wp-image-5"/>'
        "<figcaption>La légende</figcaption></figure>\n<!-- /wp:image -->",
        "![La légende](images/2010/03/a.jpg)\n",
        [],
    ),
    (
        "block gallery (WordPress 5.9+): its images",
        '<figure class="wp-block-gallery has-nested-images"><figure class="wp-block-image"><img src="' + UPLOADS + 'g1.jpg" alt="Un"/></figure>'
        '<figure class="wp-block-image"><img src="' + UPLOADS + 'g2.jpg" alt=""/><figcaption>Deux</figcaption></figure>'
        "<figcaption>La galerie</figcaption></figure>",
        '![](images/g1.jpg){alt="Un"}\n\n![Deux](images/g2.jpg)\n\nLa galerie\n',
        [],
    ),
    (
        "block gallery: its images",
        '<!-- wp:gallery -->\n<figure class="wp-block-gallery"><ul class="blocks-gallery-grid">'
        '<li class="blocks-gallery-item"><figure><img src="' + UPLOADS + 'g1.jpg" alt="Un"/></figure></li>'
        '<li class="blocks-gallery-item"><figure><img src="' + UPLOADS + 'g2.jpg" alt="Deux"/></figure></li></ul></figure>\n<!-- /wp:gallery -->',
        '![](images/g1.jpg){alt="Un"}\n\n![](images/g2.jpg){alt="Deux"}\n',
        [],
    ),
    (
        "block embed of a tweet: its status URL",
        '<!-- wp:embed {"url":"https://twitter.com/MichelleBlanc/status/123","type":"rich","providerNameSlug":"twitter"} -->\n'
        '<figure class="wp-block-embed is-provider-twitter"><div class="wp-block-embed__wrapper">\nhttps://twitter.com/MichelleBlanc/status/123\n</div></figure>\n<!-- /wp:embed -->',
        "<https://twitter.com/MichelleBlanc/status/123>\n",
        [(I, "embed.block", 10)],
    ),
    (
        "older core-embed block without JSON url",
        '<!-- wp:core-embed/youtube -->\n<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=abc\n</div></figure>\n<!-- /wp:core-embed/youtube -->',
        "<https://www.youtube.com/watch?v=abc>\n",
        [(I, "embed.block", 12)],
    ),
    (
        "block table: a table, not a figure",
        '<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody><tr><td>Montréal</td><td>210</td></tr>'
        "<tr><td>Québec</td><td>316</td></tr></tbody></table></figure>\n<!-- /wp:table -->",
        "  ---------- -----\n  Montréal   210\n  Québec     316\n  ---------- -----\n",
        [],
    ),
    (
        "block table with a caption: the table's caption",
        '<figure class="wp-block-table"><table><thead><tr><th>Ville</th><th>cm</th></tr></thead>'
        "<tbody><tr><td>Montréal</td><td>210</td></tr></tbody></table><figcaption>Neige en 2010</figcaption></figure>",
        "  Ville      cm\n  ---------- -----\n  Montréal   210\n\n  : Neige en 2010\n",
        [],
    ),
    (
        "block pull quote: the quotation, then its caption",
        '<!-- wp:pullquote -->\n<figure class="wp-block-pullquote"><blockquote><p>Bloguer, c’est converser.</p><cite>M. B.</cite></blockquote></figure>\n<!-- /wp:pullquote -->',
        "> Bloguer, c’est converser.\n>\n> M. B.\n",
        [],
    ),
    (
        "block image without a caption: an image with its alt text",
        '<!-- wp:image -->\n<figure class="wp-block-image"><img src="https://ex.com/a.jpg" alt="Un chat"/></figure>\n<!-- /wp:image -->',
        '![](https://ex.com/a.jpg){alt="Un chat"}\n',
        [],
    ),
    # ---------------------------------------------------------------- shortcodes
    (
        "[caption] with a linked image",
        'Avant\n\n[caption id="attachment_12" align="alignleft" width="300"]<a href="' + UPLOADS + 'a.jpg"><img class="size-medium" '
        'src="' + UPLOADS + 'a-300x200.jpg" alt="Une photo" width="300" height="200" /></a> La <em>légende</em>[/caption]\n\nAprès',
        'Avant\n\n![La *légende*](images/a-300x200.jpg){alt="Une photo"}\n\nAprès\n',
        [],
    ),
    (
        "[caption] with a caption attribute",
        '[caption caption="Légende en attribut"]<img src="https://ex.com/a.jpg" alt="" />[/caption]',
        "![Légende en attribut](https://ex.com/a.jpg)\n",
        [],
    ),
    ("[embed]", "Voyez :\n\n[embed]https://www.youtube.com/watch?v=abc[/embed]", "Voyez :\n\n<https://www.youtube.com/watch?v=abc>\n", []),
    ("[youtube URL]", "[youtube https://www.youtube.com/watch?v=xyz]", "<https://www.youtube.com/watch?v=xyz>\n", []),
    ("Jetpack [youtube=URL]", "[youtube=http://www.youtube.com/watch?v=xyz&w=640]", "<http://www.youtube.com/watch?v=xyz&w=640>\n", []),
    ("[vimeo ID]", "[vimeo 123456]", "<https://vimeo.com/123456>\n", []),
    ("[video mp4=…]", '[video width="640" height="360" mp4="' + UPLOADS + 'v.mp4"][/video]', f"<{UPLOADS}v.mp4>\n", []),
    ("[audio mp3=…]", '[audio mp3="https://ex.com/balado.mp3"]', "<https://ex.com/balado.mp3>\n", []),
    ("[video] without a source", "[video]", "", [(W, "shortcode.video", 10)]),
    (
        "[gallery ids] through the attachments",
        'Photos\n[gallery ids="12,13,99" columns="2"]',
        "Photos\n\n![](images/2010/03/g1.jpg)\n\n![](images/2010/03/g2.jpg)\n",
        [(W, "shortcode.gallery", 11), (I, "shortcode.gallery", 11)],
    ),
    ("[gallery] without ids", "Un\n\n[gallery]\n\nDeux", "Un\n\nDeux\n", [(W, "shortcode.gallery", 12)]),
    (
        "unknown shortcode kept as text, located",
        'Un\n\nDeux\n[contact-form-7 id="5" title="Contact"]',
        'Un\n\nDeux\\\n\\[contact-form-7 id="5" title="Contact"\\]\n',
        [(W, "shortcode.unknown", 13)],
    ),
    ("unknown enclosing shortcode", "[note]Texte[/note]", "\\[note\\]Texte\\[/note\\]\n", [(W, "shortcode.unknown", 10)]),
    ("brackets in prose are not shortcodes", "Il a dit [sic] et [1].", "Il a dit \\[sic\\] et \\[1\\].\n", []),
    ("[[gallery]] is WordPress's escape", "Écrivez [[gallery]] pour une galerie.", "Écrivez \\[gallery\\] pour une galerie.\n", []),
    # ---------------------------------------------------------------- tweets and embeds
    (
        "twitter-tweet blockquote: text and attribution kept, script removed",
        '<blockquote class="twitter-tweet" lang="fr"><p>Le texte du gazouillis</p>&mdash; Michelle Blanc (@MichelleBlanc) '
        '<a href="https://twitter.com/MichelleBlanc/status/123">5 mars 2010</a></blockquote>\n'
        '<script async src="//platform.twitter.com/widgets.js" charset="utf-8"></script>',
        "> Le texte du gazouillis\n>\n> — Michelle Blanc (@MichelleBlanc) [5 mars 2010](https://twitter.com/MichelleBlanc/status/123)\n",
        [(I, "html.removed", 11)],
    ),
    (
        "iframe: its public page",
        'Avant\n<iframe width="560" src="https://www.youtube.com/embed/xyz" frameborder="0" allowfullscreen></iframe>',
        "Avant\n\n<https://www.youtube.com/watch?v=xyz>\n",
        [(I, "embed.html", 11)],
    ),
    (
        "object/embed: the movie param",
        '<object width="425"><param name="movie" value="http://www.youtube.com/v/abc"></param>'
        '<embed src="http://www.youtube.com/v/abc" type="application/x-shockwave-flash"></embed></object>',
        "<https://www.youtube.com/watch?v=abc>\n",
        [(I, "embed.html", 10)],
    ),
    (
        "instagram blockquote: its permalink",
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/ABC/"><div>beaucoup de</div><p>bruit</p></blockquote>',
        "<https://www.instagram.com/p/ABC/>\n",
        [(I, "embed.html", 10)],
    ),
    # ---------------------------------------------------------------- hostile HTML
    (
        "script, style, iframe without source, event handlers, javascript: links",
        "Un<script>alert(1)</script>\n<style>p{color:red}</style>\nDeux <a href=\"javascript:alert(2)\">lien</a>"
        ' <b onclick="x()">gras</b>\n<iframe></iframe>\n<img src="https://ex.com/a.png" onerror="y()" alt="A">',
        'Un\n\nDeux lien **gras**\n\n![](https://ex.com/a.png){alt="A"}\n',
        [
            (W, "html.removed", 10),
            (W, "html.removed", 11),
            (W, "link.unsafe", 12),
            (W, "html.removed", 12),
            (W, "html.removed", 13),
            (W, "html.removed", 14),
        ],
    ),
    (
        "an iframe never closed does not swallow the post",
        'Avant\n<iframe src="https://www.youtube.com/embed/xyz">\nLa suite du billet.\n\nEncore.',
        "Avant\n\n<https://www.youtube.com/watch?v=xyz>\n\nLa suite du billet.\n\nEncore.\n",
        [(I, "embed.html", 11), (W, "html.unclosed", 11)],
    ),
    ("form controls", '<form action="/x"><input name="q"><button>OK</button></form>Texte', "OK\n\nTexte\n", [(W, "html.removed", 10)] * 3),
]


@pytest.mark.parametrize("name,html,expected,diags", ROWS, ids=[r[0] for r in ROWS])
def test_wp_to_markdown(name: str, html: str, expected: str, diags: list) -> None:
    md, found = wp_to_markdown(html, path=EXPORT, line=10, media=media, attachments=ATTACHMENTS)
    assert md == expected
    assert [(d.level.name.lower(), d.code, d.location.line) for d in found] == diags
    for d in found:
        assert d.location.path == EXPORT and d.message
        assert d.level == Level.INFO or d.hint, f"a warning says what to do: {d.format()}"
    for bad in ("<script", "<iframe", "<style", "<object", "javascript:", "onclick", "onerror", "alert("):
        assert bad not in md


def test_markdown_reads_back_to_the_same_structure() -> None:
    """The Markdown a post file holds parses back to the blocks the converter made."""
    html = ROWS[3][1] + "\n" + ROWS[5][1] + "\n" + ROWS[7][1]
    blocks, _ = wp_to_blocks(html, path=EXPORT)
    md, _ = wp_to_markdown(html, path=EXPORT)
    again = pandoc.to_ast(md)["blocks"]
    assert [b["t"] for b in again] == [b["t"] for b in blocks] == ["Para", "BulletList", "Para", "Table", "BlockQuote"]


def test_an_image_alone_reads_back_as_an_image_not_a_captioned_figure() -> None:
    md, _ = wp_to_markdown('<img src="https://ex.com/a.png" alt="IMG_1234">', path=EXPORT)
    (para,) = pandoc.to_ast(md)["blocks"]
    assert para["t"] == "Para" and para["c"][0]["t"] == "Image"
    assert para["c"][0]["c"][0][2] == [["alt", "IMG_1234"]]


def test_tweet_from_the_export_becomes_the_books_quotation() -> None:
    html = next(row[1] for row in ROWS if row[0].startswith("twitter-tweet"))
    md, _ = wp_to_markdown(html, path=EXPORT)
    out, found = convert(pandoc.to_ast(md)["blocks"], "fr-CA")
    assert out[0]["t"] == "Div" and out[0]["c"][0][1] == ["tweet"]
    assert out[0]["c"][0][2] == [["data-url", "https://twitter.com/MichelleBlanc/status/123"]]
    text = pandoc.from_ast(pandoc.document(out), "plain")
    assert "Le texte du gazouillis" in text and "Michelle Blanc (@MichelleBlanc), 5 mars 2010" in text
    assert [f.code for f in found] == ["embed.tweet"]


WPAUTOP = [
    ("", ""),
    ("Un", "<p>Un</p>\n"),
    ("Un\nDeux", "<p>Un<br />\nDeux</p>\n"),
    ("Un\n\nDeux", "<p>Un</p>\n<p>Deux</p>\n"),
    ("<div>Un</div>", "<div>Un</div>\n"),
    ("<ul>\n<li>a</li>\n</ul>", "<ul>\n<li>a</li>\n</ul>\n"),
    ("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n"),
    ("Un<br><br>Deux", "<p>Un</p>\n<p>Deux</p>\n"),
    ("<blockquote>Un\nDeux</blockquote>", "<blockquote><p>Un<br />\nDeux</p></blockquote>\n"),
    ('<a\nhref="x">lien</a>', '<p><a\nhref="x">lien</a></p>\n'),
    ("<figure><img src=x>\n<figcaption>L</figcaption></figure>", "<figure><img src=x><figcaption>L</figcaption></figure>\n"),
    ("<table>\n<tr>\n<td>a</td>\n</tr>\n</table>", "<table>\n<tr>\n<td>a</td>\n</tr>\n</table>\n"),
]


@pytest.mark.parametrize("text,expected", WPAUTOP)
def test_wpautop_matches_wordpress(text: str, expected: str) -> None:
    assert wpautop(text) == expected


def test_batch_gives_what_one_at_a_time_gives() -> None:
    items = [(row[1], Path(f"p{k}.xml"), 10 + k) for k, row in enumerate(ROWS)]
    items.append(("Un</div></div>Deux\n\n<ul><li>x", Path("stray.xml"), 1))  # breaks its wrapper
    one = [wp_to_markdown(h, path=p, line=n, media=media, attachments=ATTACHMENTS) for h, p, n in items]
    many = wp_to_markdown_batch(items, media=media, attachments=ATTACHMENTS)
    assert many == one
    assert [md for md, _ in many[: len(ROWS)]] == [row[2] for row in ROWS]


def test_batch_of_a_clean_chunk_uses_two_pandoc_calls(monkeypatch) -> None:
    calls = []
    real = pandoc.run
    monkeypatch.setattr(pandoc, "run", lambda args, text: calls.append(args) or real(args, text))
    items = [(f"Billet {k}\n\n<ul><li>a{k}</li></ul>", Path("x.xml"), 1) for k in range(10)]
    out = wp_to_markdown_batch(items)
    assert [md for md, _ in out] == [f"Billet {k}\n\n- a{k}\n" for k in range(10)]
    assert len(calls) == 2


def test_shortcodes_in_a_markdown_post_become_structure() -> None:
    from blog2book import wphtml
    from blog2book.sources import parse_post

    body = (
        "Texte avec une note.[^1] et [youtube https://youtu.be/x]\n\n[^1]: La note.\n\n"
        "[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n"
        "Les youtubers [youtubers] restent du texte.\n\n"
        "[gallery]\n"
    )
    src, _ = parse_post(Path("posts/p.md"), "---\ntitle: T\n---\n" + body)
    blocks = pandoc.to_ast(src.body, reader=wphtml.POST_READER)["blocks"]
    out, diags = wphtml.expand(blocks, src)
    assert [b["t"] for b in out] == ["Para", "Para", "Para"]
    assert out[0]["c"][-1]["t"] == "Str" and any(el["t"] == "Note" for el in out[0]["c"])  # the note is kept
    assert out[1]["c"][0]["t"] == "Link" and out[1]["c"][0]["c"][2][0] == "https://www.youtube.com/watch?v=abc"
    assert "[youtubers]" in pandoc.from_ast(pandoc.document([out[2]]), "plain")
    assert [(d.code, d.location.line) for d in diags] == [("shortcode.footnote", 4), ("shortcode.gallery", 12)]


PIECES = [
    "<p>", "</p>", "<ul>", "<li>", "</ul>", "<table>", "<tr>", "<td>", "</table>", "[caption]", "[/caption]",
    '[gallery ids="12"]', "[embed]", "[/embed]", '<img src="x.jpg">', '<a href="javascript:x()">', "</a>", "<script>",
    "</script>", '<iframe src="//youtube.com/embed/a">', "</iframe>", "<!-- wp:paragraph -->",
    '<!-- wp:embed {"url":"http://x.com"} -->', "<!-- /wp:embed -->", "\n", "\n\n", "texte ", "&amp;", "&bogus;",
    "<![CDATA[x]]>", "<?php echo 1; ?>", "</div>", "<div>", "<pre>", "</pre>", '<blockquote class="twitter-tweet">',
    "</blockquote>", "<h2>", "</h2>", "[foo a=1]", "[[x]]", "<b onclick=alert(1)>", "</b>", "<figure>", "<figcaption>",
    "</figure>", "<svg onload=alert(2)>", "<object>", '<param name=movie value="http://y.com/v">', "</object>",
    "<", ">", '"', "]", "[", "<style>", "</style>",
]


def test_garbage_in_never_crashes_and_no_html_comes_out() -> None:
    import random

    from blog2book import tree, wphtml

    rng = random.Random(20101029)
    items = [("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60))), EXPORT, 1) for _ in range(24)]
    for md, diags in wp_to_markdown_batch(items, attachments=ATTACHMENTS):
        kinds: list[str] = []
        targets: list[str] = []

        def visit(el: dict):
            kinds.append(el["t"])
            if el["t"] in ("Link", "Image"):
                targets.append(el["c"][2][0])

        tree.walk(pandoc.to_ast(md, reader=wphtml.POST_READER)["blocks"], visit)
        assert "RawInline" not in kinds and "RawBlock" not in kinds, md  # garbage may print as text, never as HTML
        assert not [t for t in targets if t.lower().startswith("javascript")]
        assert all(d.location.path == EXPORT and d.location.line >= 1 for d in diags)
