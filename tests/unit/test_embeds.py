"""Blog artefacts -> book text: tweets, embeds, share buttons, hostile HTML, unsafe links, captions.

Each row: (Markdown in, language, expected text out, expected findings as (level, code, needle)).
The text out shows the block structure (``::: classes {key=value}`` for Divs, ``> `` for block
quotes, ``[text](target){classes}`` for links). Every row also checks that the input is not
mutated, that no raw HTML survives, that every needle occurs in the source, and that ``convert``
is idempotent. One pandoc call per row (~30 ms).
"""

from __future__ import annotations

import copy
import functools
import json

import pytest

import astshow
from blog2book import pandoc
from blog2book.embeds import Finding, convert

NB = "\u00a0"


def show(blocks: list) -> str:
    return astshow.show(blocks, link_classes=True)


def tweet_source(text: str) -> str:
    return f"::: tweet-source\n{text}\n:::"


def tweet(url: str, quote: str | None, source: str) -> str:
    body = (f"> {quote}\n\n" if quote is not None else "") + tweet_source(source)
    return f"::: tweet {{data-url={url}}}\n{body}\n:::"


def link(url: str) -> str:
    return f"[{url}]({url}){{uri}}"


def embed(kind: str, url: str, word: str) -> str:
    return f"::: embed {kind} {{data-url={url}}}\n{word}{NB}: {link(url)}\n:::"


MB = "https://twitter.com/MichelleBlanc/status/123456"
WP_OLD = (
    '<blockquote class="twitter-tweet" lang="fr"><p>Les médias sociaux, c\'est <a href="http://t.co/x">ici</a></p>'
    "&mdash; Michelle Blanc (@MichelleBlanc) "
    '<a href="https://twitter.com/MichelleBlanc/status/123">November 24, 2010</a></blockquote>\n'
    '<script async src="//platform.twitter.com/widgets.js" charset="utf-8"></script>'
)
WP_NEW = (
    '<blockquote class="twitter-tweet" data-width="550"><p lang="fr" dir="ltr">Texte du gazouillis '
    '<a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Michelle Blanc (@MichelleBlanc) '
    '<a href="https://twitter.com/MichelleBlanc/status/987?ref_src=twsrc%5Etfw">1 mars 2011</a></blockquote> '
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
)

ROWS: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    # ---------------------------------------------------------------- tweets
    (
        "reply quoted without its status URL: a tweet all the same (issue 12)",
        "> \\@MichelleBlanc Alors il faut absolument goûter la recette.",
        "fr-CA",
        "::: tweet tweet-no-url\n> @MichelleBlanc Alors il faut absolument goûter la recette.\n:::",
        [],
    ),
    (
        "an ordinary quotation stays a quotation",
        "> Une critique citée, sans pseudonyme.",
        "fr-CA",
        "> Une critique citée, sans pseudonyme.",
        [],
    ),
    (
        "blockquote + status paragraph",
        f"> Le texte du tweet ici.\n>\n> {MB}",
        "fr-CA",
        tweet(MB, "Le texte du tweet ici.", f"—{NB}@MichelleBlanc, {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "blockquote + status on the next line",
        f"> Texte du tweet\n> {MB}",
        "fr-CA",
        tweet(MB, "Texte du tweet", f"—{NB}@MichelleBlanc, {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "blockquote of two paragraphs, statuses, http",
        "> Un.\n>\n> Deux.\n>\n> http://twitter.com/MFBazzo/statuses/10199909320",
        "fr-CA",
        tweet(
            "http://twitter.com/MFBazzo/statuses/10199909320",
            "Un.\n> \n> Deux.",
            f"—{NB}@MFBazzo, {link('http://twitter.com/MFBazzo/statuses/10199909320')}",
        ),
        [("info", "embed.tweet", "http://twitter.com/MFBazzo/statuses/10199909320")],
    ),
    (
        "blockquote tweet in English",
        f"> The text.\n>\n> <{MB}>",
        "en",
        tweet(MB, "The text.", f"—{NB}@MichelleBlanc, {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "status URL alone",
        MB,
        "fr-CA",
        tweet(MB, None, f"Gazouillis de @MichelleBlanc{NB}: {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "status autolink alone, x.com, English",
        "<https://x.com/MichelleBlanc/status/99>",
        "en",
        tweet(
            "https://x.com/MichelleBlanc/status/99",
            None,
            f"Tweet by @MichelleBlanc: {link('https://x.com/MichelleBlanc/status/99')}",
        ),
        [("info", "embed.tweet", "https://x.com/MichelleBlanc/status/99")],
    ),
    (
        "mobile.twitter.com and #!/",
        "https://mobile.twitter.com/Nadia/status/5\n\nhttp://twitter.com/#!/MichelleBlanc/status/7",
        "fr-CA",
        tweet(
            "https://mobile.twitter.com/Nadia/status/5",
            None,
            f"Gazouillis de @Nadia{NB}: {link('https://mobile.twitter.com/Nadia/status/5')}",
        )
        + "\n\n"
        + tweet(
            "http://twitter.com/#!/MichelleBlanc/status/7",
            None,
            f"Gazouillis de @MichelleBlanc{NB}: {link('http://twitter.com/#!/MichelleBlanc/status/7')}",
        ),
        [
            ("info", "embed.tweet", "https://mobile.twitter.com/Nadia/status/5"),
            ("info", "embed.tweet", "http://twitter.com/#!/MichelleBlanc/status/7"),
        ],
    ),
    (
        "text then status URL in one paragraph",
        f"Les médias sociaux, c'est pas un fad. {MB}",
        "fr-CA",
        tweet(MB, "Les médias sociaux, c'est pas un fad.", f"—{NB}@MichelleBlanc, {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "text then status URL after a soft break",
        f"Les médias sociaux\n{MB}.",
        "fr-CA",
        tweet(MB, "Les médias sociaux", f"—{NB}@MichelleBlanc, {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "text ending with a colon introduces the tweet",
        f"J'ai écrit ceci :\n{MB}",
        "fr-CA",
        "J'ai écrit ceci :\n\n" + tweet(MB, None, f"Gazouillis de @MichelleBlanc{NB}: {link(MB)}"),
        [("info", "embed.tweet", MB)],
    ),
    (
        "status URL inside a sentence stays",
        f"Voir {MB} pour la suite.",
        "fr-CA",
        f"Voir {MB} pour la suite.",
        [],
    ),
    (
        "a link with its own text to a status stays",
        f"Elle a [répondu]({MB})",
        "fr-CA",
        f"Elle a [répondu]({MB})",
        [],
    ),
    (
        "one block quote holding two tweets, with the author's own attribution line",
        f"> Un.\n>\n> — @MichelleBlanc {MB}\n>\n> Deux.\n>\n> https://twitter.com/Nadia/status/5",
        "fr-CA",
        tweet(MB, "Un.", f"—{NB}@MichelleBlanc, {link(MB)}")
        + "\n\n"
        + tweet(
            "https://twitter.com/Nadia/status/5",
            "Deux.",
            f"—{NB}@Nadia, {link('https://twitter.com/Nadia/status/5')}",
        ),
        [("info", "embed.tweet", MB), ("info", "embed.tweet", "https://twitter.com/Nadia/status/5")],
    ),
    (
        "a block quote without a status stays",
        "> Une citation.\n>\n> http://example.com/",
        "fr-CA",
        "> Une citation.\n> \n> http://example.com/",
        [],
    ),
    (
        "WordPress embedded tweet (old markup) and its script",
        WP_OLD,
        "fr-CA",
        tweet(
            "https://twitter.com/MichelleBlanc/status/123",
            "Les médias sociaux, c'est [ici](http://t.co/x)",
            f"—{NB}Michelle Blanc (@MichelleBlanc), 24 novembre 2010, "
            + link("https://twitter.com/MichelleBlanc/status/123"),
        ),
        [
            ("info", "embed.tweet", "twitter.com/MichelleBlanc/status/123"),
            ("info", "html.removed", '<script async src="//platform.twitter.com/widgets.js" charset="utf-8">'),
        ],
    ),
    (
        "WordPress embedded tweet (new markup), English",
        WP_NEW,
        "en",
        tweet(
            "https://twitter.com/MichelleBlanc/status/987",
            "Texte du gazouillis [pic.twitter.com/x](https://t.co/x)",
            f"—{NB}Michelle Blanc (@MichelleBlanc), March 1, 2011, "
            + link("https://twitter.com/MichelleBlanc/status/987"),
        ),
        [
            ("info", "embed.tweet", "twitter.com/MichelleBlanc/status/987"),
            ("info", "html.removed", '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8">'),
        ],
    ),
    (
        "WordPress tweet in French with a French date",
        WP_NEW,
        "fr-CA",
        tweet(
            "https://twitter.com/MichelleBlanc/status/987",
            "Texte du gazouillis [pic.twitter.com/x](https://t.co/x)",
            f"—{NB}Michelle Blanc (@MichelleBlanc), 1er mars 2011, "
            + link("https://twitter.com/MichelleBlanc/status/987"),
        ),
        [
            ("info", "embed.tweet", "twitter.com/MichelleBlanc/status/987"),
            ("info", "html.removed", '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8">'),
        ],
    ),
    (
        "block quote ending with WordPress's attribution line (an imported tweet)",
        "> Texte du gazouillis\n>\n> — Michelle Blanc (@MichelleBlanc) "
        "[November 24, 2010](https://twitter.com/MichelleBlanc/status/123?ref_src=twsrc)",
        "fr-CA",
        tweet(
            "https://twitter.com/MichelleBlanc/status/123",
            "Texte du gazouillis",
            f"—{NB}Michelle Blanc (@MichelleBlanc), 24 novembre 2010, " + link("https://twitter.com/MichelleBlanc/status/123"),
        ),
        [("info", "embed.tweet", "twitter.com/MichelleBlanc/status/123")],
    ),
    (
        "a block quote with a dash line but no status link stays a quotation",
        "> Une citation.\n>\n> — Victor Hugo",
        "fr-CA",
        "> Une citation.\n> \n> — Victor Hugo",
        [],
    ),
    # ---------------------------------------------------------------- videos and other embeds
    (
        "a video file and a sound file alone (WordPress [video]/[audio])",
        "<https://blog.example.com/wp-content/uploads/2010/03/entrevue.mp4>\n\n<https://ex.com/balado.MP3?x=1>",
        "fr-CA",
        embed("video", "https://blog.example.com/wp-content/uploads/2010/03/entrevue.mp4", "Vidéo")
        + "\n\n"
        + embed("audio", "https://ex.com/balado.MP3?x=1", "Audio"),
        [
            ("info", "embed.video", "https://blog.example.com/wp-content/uploads/2010/03/entrevue.mp4"),
            ("info", "embed.audio", "https://ex.com/balado.MP3?x=1"),
        ],
    ),
    (
        "YouTube URL alone",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "fr-CA",
        embed("video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Vidéo"),
        [("info", "embed.video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")],
    ),
    (
        "youtu.be autolink, English",
        "<https://youtu.be/dQw4w9WgXcQ>",
        "en",
        embed("video", "https://youtu.be/dQw4w9WgXcQ", "Video").replace(f"{NB}:", ":"),
        [("info", "embed.video", "https://youtu.be/dQw4w9WgXcQ")],
    ),
    (
        "Vimeo, Dailymotion, Facebook video, Instagram reel",
        "http://vimeo.com/12345\n\nhttps://www.dailymotion.com/video/x7abc\n\n"
        "https://www.facebook.com/michelleblanc/videos/1234/\n\nhttps://www.instagram.com/reel/Cxyz/",
        "fr-CA",
        "\n\n".join(
            embed("video", u, "Vidéo")
            for u in (
                "http://vimeo.com/12345",
                "https://www.dailymotion.com/video/x7abc",
                "https://www.facebook.com/michelleblanc/videos/1234/",
                "https://www.instagram.com/reel/Cxyz/",
            )
        ),
        [
            ("info", "embed.video", "http://vimeo.com/12345"),
            ("info", "embed.video", "https://www.dailymotion.com/video/x7abc"),
            ("info", "embed.video", "https://www.facebook.com/michelleblanc/videos/1234/"),
            ("info", "embed.video", "https://www.instagram.com/reel/Cxyz/"),
        ],
    ),
    (
        "SlideShare and Instagram post are embedded content",
        "http://www.slideshare.net/michelleblanc/medias-sociaux-101\n\nhttps://www.instagram.com/p/Babc/",
        "fr-CA",
        embed("content", "http://www.slideshare.net/michelleblanc/medias-sociaux-101", "Contenu intégré")
        + "\n\n"
        + embed("content", "https://www.instagram.com/p/Babc/", "Contenu intégré"),
        [
            ("info", "embed.content", "http://www.slideshare.net/michelleblanc/medias-sociaux-101"),
            ("info", "embed.content", "https://www.instagram.com/p/Babc/"),
        ],
    ),
    (
        "an ordinary URL alone stays",
        "http://www.michelleblanc.com/",
        "fr-CA",
        "http://www.michelleblanc.com/",
        [],
    ),
    (
        "iframe block: the player URL becomes the public page",
        '<iframe width="560" height="315" src="//www.youtube.com/embed/dQw4w9WgXcQ?rel=0" frameborder="0" allowfullscreen></iframe>',
        "fr-CA",
        embed("video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Vidéo"),
        [("info", "embed.video", '<iframe width="560" height="315" src="//www.youtube.com/embed/dQw4w9WgXcQ?rel=0" frameborder="0" allowfullscreen>')],
    ),
    (
        "iframe inside a paragraph splits it",
        'Avant <iframe src="https://player.vimeo.com/video/123"></iframe> après.',
        "fr-CA",
        "Avant\n\n" + embed("video", "https://vimeo.com/123", "Vidéo") + "\n\naprès.",
        [("info", "embed.video", '<iframe src="https://player.vimeo.com/video/123">')],
    ),
    (
        "iframe from another site is embedded content",
        '<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>',
        "fr-CA",
        embed("content", "https://www.google.com/maps/embed?pb=1", "Contenu intégré"),
        [("info", "embed.content", '<iframe src="https://www.google.com/maps/embed?pb=1">')],
    ),
    (
        "object + embed (old YouTube markup)",
        '<object width="425"><param name="movie" value="http://www.youtube.com/v/abcDEF"></param>'
        '<embed src="http://www.youtube.com/v/abcDEF" type="application/x-shockwave-flash"></embed></object>',
        "fr-CA",
        embed("video", "https://www.youtube.com/watch?v=abcDEF", "Vidéo"),
        [("info", "embed.video", '<object width="425">')],
    ),
    (
        "video file without a web address is removed",
        'Texte.\n\n<video src="film.mp4" controls></video>',
        "fr-CA",
        "Texte.",
        [("warning", "html.removed", '<video src="film.mp4" controls>')],
    ),
    (
        "iframe without a usable source is removed",
        '<iframe src="javascript:alert(1)"></iframe>\n\n<iframe></iframe>',
        "fr-CA",
        "",
        [("warning", "html.removed", '<iframe src="javascript:alert(1)">'), ("warning", "html.removed", '<iframe>')],
    ),
    # ---------------------------------------------------------------- share buttons
    (
        "share-button paragraphs are dropped",
        "Texte.\n\nPin It\n\nPartager :\n\nShare this:\n\nTweet\n\nJ’aime\n\nLike this:\n\n"
        "J’aime chargement…\n\nImprimer\n\nPrint\n\nPartager : Facebook | Twitter",
        "fr-CA",
        "Texte.",
        [
            ("info", "share.removed", s)
            for s in (
                "Pin", "Partager", "Share", "Tweet", "J’aime", "Like",
                "J’aime", "Imprimer", "Print", "Partager",
            )
        ],
    ),
    (
        "trailing share text is cut",
        "La fin du billet. Pin It\n\nAutre fin.\nPartager :",
        "fr-CA",
        "La fin du billet.\n\nAutre fin.",
        [("info", "share.removed", "Pin It"), ("info", "share.removed", "Partager :")],
    ),
    (
        "words that only look like share buttons stay",
        "J’aime le pâté chinois.\n\nTwitter\n\nIl faut partager :",
        "fr-CA",
        "J’aime le pâté chinois.\n\nTwitter\n\nIl faut partager :",
        [],
    ),
    # ---------------------------------------------------------------- hostile raw HTML
    (
        "script block and its content",
        "Avant.\n\n<script>alert('x'); document.cookie</script>\n\nAprès.",
        "fr-CA",
        "Avant.\n\nAprès.",
        [("warning", "html.removed", '<script>')],
    ),
    (
        "script from another site",
        '<script src="https://evil.example/x.js"></script>',
        "fr-CA",
        "",
        [("warning", "html.removed", '<script src="https://evil.example/x.js">')],
    ),
    (
        "style, link, meta",
        '<style>p { background: url(http://evil.example/t.png) }</style>\n\n'
        '<link rel="stylesheet" href="http://evil.example/s.css">\n\n'
        '<meta http-equiv="refresh" content="0;url=http://evil.example/">\n\nTexte.',
        "fr-CA",
        "Texte.",
        [
            ("warning", "html.removed", '<style>'),
            ("warning", "html.removed", '<link rel="stylesheet" href="http://evil.example/s.css">'),
            ("warning", "html.removed", '<meta http-equiv="refresh" content="0;url=http://evil.example/">'),
        ],
    ),
    (
        "inline script inside a paragraph",
        'Un <span>mot</span> <script type="text/javascript">alert(1)</script> fin.',
        "fr-CA",
        "Un mot\n\nfin.",  # pandoc itself ends the paragraph at the <script> block
        [("warning", "html.removed", '<script type="text/javascript">')],
    ),
    (
        "form and input: the tags go, the text stays",
        '<form action="http://evil.example/"><input type="text" name="q"> Chercher</form>',
        "fr-CA",
        "Chercher",
        [("warning", "html.removed", '<form action="http://evil.example/">'), ("warning", "html.removed", '<input type="text" name="q">')],
    ),
    (
        "event handler on a div pandoc parsed",
        '<div onload="alert(1)" class="x">texte *ici*</div>',
        "fr-CA",
        "::: x\ntexte *ici*\n:::",
        [("warning", "html.removed", 'onload=')],
    ),
    (
        "event handler on a raw tag",
        'Un <b onmouseover="alert(1)">gras</b> mot.',
        "fr-CA",
        "Un gras mot.",
        [("warning", "html.removed", '<b onmouseover="alert(1)">')],
    ),
    (
        "javascript: link in raw HTML",
        'Un <a href="javascript:alert(1)">lien</a>.',
        "fr-CA",
        "Un lien.",
        [("warning", "html.removed", '<a href="javascript:alert(1)">')],
    ),
    (
        "unsafe Markdown links and images",
        "[clic](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        "[fichier](file:///etc/passwd) ![img](file:///etc/passwd) ![x](/etc/passwd) ![y](C:\\Windows\\a.png)",
        "fr-CA",
        "[clic]{link-removed} [data]{link-removed} [fichier]{link-removed} "
        "[img]{image-removed} [x]{image-removed} [y]{image-removed}",
        [
            ("warning", "link.unsafe", "javascript:alert(1)"),
            ("warning", "link.unsafe", "data:text/html;base64,PHNjcmlwdD4="),
            ("warning", "link.unsafe", "file:///etc/passwd"),
            ("warning", "image.unsafe", "file:///etc/passwd"),
            ("warning", "image.unsafe", "/etc/passwd"),
            ("warning", "image.unsafe", "C:\\Windows\\a.png"),
        ],
    ),
    (
        "a figure whose image is unsafe becomes its caption",
        "![Mot de passe](/etc/passwd)",
        "fr-CA",
        "Mot de passe",
        [("warning", "image.unsafe", "/etc/passwd")],
    ),
    (
        "raw img with an unsafe source keeps its alt text",
        'Voir <img src="file:///etc/passwd" alt="le fichier"> ici.',
        "fr-CA",
        "Voir [le fichier]{image-removed} ici.",
        [("warning", "image.unsafe", "file:///etc/passwd")],
    ),
    (
        "blog links and web images stay",
        "[billet](/2010/10/pis-apres/) [site](https://michelleblanc.com/) ![photo](images/a.jpg) fin",
        "fr-CA",
        "[billet](/2010/10/pis-apres/) [site](https://michelleblanc.com/) ![photo](images/a.jpg) fin",
        [],
    ),
    # ---------------------------------------------------------------- harmless raw HTML
    (
        "inline formatting tags become pandoc elements",
        'Un <em>mot</em>, <strong>fort</strong>, <i>i</i>, <b>b</b>, x<sup>e</sup>, H<sub>2</sub>O, '
        '<u>u</u>, <del>d</del>, <code>c</code><br>ligne <span style="color:red">rouge</span> '
        '<a href="http://ex.com/">lien</a> <font color="red">f</font>',
        "fr-CA",
        "Un *mot*, **fort**, *i*, **b**, x^e^, H~2~O, _u_, ~~d~~, `c`\\\nligne rouge [lien](http://ex.com/) f",
        [],
    ),
    (
        "raw paragraphs, block quotes, rules and comments",
        "<p>Un paragraphe.</p>\n\n<blockquote>Une citation.</blockquote>\n\n<hr>\n\n<!-- more -->\n\nFin.",
        "fr-CA",
        "Un paragraphe.\n\n> Une citation.\n\n---\n\nFin.",
        [],
    ),
    (
        "raw tables lose their layout",
        "<table><tr><td>a</td><td>b</td></tr></table>",
        "fr-CA",
        "a\n\nb",
        [("info", "html.dropped", '<table>')],
    ),
    (
        "a span whose only attribute was a style disappears",
        '<span style="background:url(http://evil.example/t.png)">texte</span>',
        "fr-CA",
        "texte",
        [],
    ),
    (
        "raw TeX keeps the author's text",
        "Dans C:\\dossier\\a.txt et \\newpage ici.",
        "fr-CA",
        "Dans C:\\dossier\\a.txt et \\newpage ici.",
        [],
    ),
    (
        "code is never touched",
        "```html\n<script>alert(1)</script>\n```\n\n`<iframe src=x>`",
        "fr-CA",
        "```\n<script>alert(1)</script>\n```\n\n`<iframe src=x>`",
        [],
    ),
    # ---------------------------------------------------------------- images
    (
        "pandoc figure kept with its alt text",
        "![Le pâté chinois](images/pate.jpg)",
        "fr-CA",
        "Figure[Le pâté chinois]{![Le pâté chinois](images/pate.jpg)}",
        [],
    ),
    (
        "WordPress caption shortcode",
        '[caption id="attachment_12" align="aligncenter" width="300"]'
        '<img src="images/a.jpg" alt="Texte alt" width="300" height="200" /> La légende ici[/caption]',
        "fr-CA",
        "Figure[La légende ici]{![Texte alt](images/a.jpg)}",
        [("info", "embed.caption", "[caption")],
    ),
    (
        "WordPress caption shortcode with a link around the image",
        '[caption id="attachment_9" align="alignnone" width="300"]<a href="http://ex.com/a.jpg">'
        '<img class="size-medium" title="t" src="images/b.jpg" alt="" /></a> Légende *ital*[/caption]',
        "fr-CA",
        "Figure[Légende *ital*]{![Légende *ital*](images/b.jpg)}",
        [("info", "embed.caption", "[caption")],
    ),
    (
        "WordPress caption attribute",
        '[caption id="a" align="alignleft" width="150" caption="Ma légende"]<img src="images/c.jpg" alt="Alt" />[/caption]',
        "fr-CA",
        "Figure[Ma légende]{![Alt](images/c.jpg)}",
        [("info", "embed.caption", "[caption")],
    ),
    # ---------------------------------------------------------------- nesting
    (
        "a list of share buttons goes, an author's list keeps its « partager »",
        "- Partager\n- Facebook\n- Twitter\n\nLes étapes :\n\n- écouter\n- partager",
        "fr-CA",
        "Les étapes :\n\n- écouter\n- partager",
        [("info", "share.removed", "Partager")],
    ),
    (
        "embeds inside lists and notes",
        "- https://www.youtube.com/watch?v=abc\n- Partager\n- item <script>x</script>\n\nTexte[^1].\n\n[^1]: Note [js](javascript:x).",
        "fr-CA",
        "- " + embed("video", "https://www.youtube.com/watch?v=abc", "Vidéo") + "\n- Partager\n- item\n\n"
        "Texte^[Note [js]{link-removed}.].",
        [
            ("info", "embed.video", "https://www.youtube.com/watch?v=abc"),
            ("warning", "html.removed", '<script>'),
            ("warning", "link.unsafe", "javascript:x"),
        ],
    ),
]


@functools.cache
def parse(md: str) -> list:
    """One pandoc call per row: raw HTML blocks cannot be batched safely inside fenced Divs."""
    return pandoc.to_ast(md)["blocks"]


def _raw_left(node) -> list:
    found = []
    if isinstance(node, list):
        for x in node:
            found.extend(_raw_left(x))
    elif isinstance(node, dict):
        if node.get("t") in ("RawInline", "RawBlock"):
            found.append(node)
        for v in node.values():
            found.extend(_raw_left(v))
    return found


@pytest.mark.parametrize("name,md,lang,expected,findings", ROWS, ids=[r[0] for r in ROWS])
def test_convert(name: str, md: str, lang: str, expected: str, findings: list) -> None:
    blocks = parse(md)
    before = copy.deepcopy(blocks)
    out, found = convert(blocks, lang)
    assert show(out) == expected
    assert [(f.level, f.code, f.needle) for f in found] == findings
    assert blocks == before, "convert mutated its input"
    assert _raw_left(out) == [], "raw HTML survived"
    for f in found:
        assert isinstance(f, Finding) and f.message
        assert f.needle in md, f"needle {f.needle!r} is not in the source"
    again, more = convert(out, lang)
    assert again == out and more == [], "convert is not idempotent"


def test_tweet_structure() -> None:
    out, _ = convert(parse(f"> Le texte du tweet ici.\n>\n> {MB}"), "fr-CA")
    assert out == [
        {
            "t": "Div",
            "c": [
                ["", ["tweet"], [["data-url", MB]]],
                [
                    {"t": "BlockQuote", "c": [{"t": "Para", "c": [
                        {"t": "Str", "c": "Le"}, {"t": "Space"}, {"t": "Str", "c": "texte"}, {"t": "Space"},
                        {"t": "Str", "c": "du"}, {"t": "Space"}, {"t": "Str", "c": "tweet"}, {"t": "Space"},
                        {"t": "Str", "c": "ici."},
                    ]}]},
                    {"t": "Div", "c": [["", ["tweet-source"], []], [{"t": "Para", "c": [
                        {"t": "Str", "c": "—\u00a0@MichelleBlanc,"},
                        {"t": "Space"},
                        {"t": "Link", "c": [["", ["uri"], []], [{"t": "Str", "c": MB}], [MB, ""]]},
                    ]}]]},
                ],
            ],
        }
    ]


def test_no_raw_html_survives_a_hostile_post() -> None:
    md = (
        '<script>a()</script><style>b{}</style><iframe src="x"></iframe>'
        '<object data="y"></object><embed src="z"><link href="q"><meta charset="u"><base href="/">'
        '<img src="x" onerror="alert(1)"><svg onload="alert(1)"><circle/></svg>'
        '<a href="vbscript:msgbox(1)">v</a><div style="x" onclick="y">d</div>'
    )
    out, found = convert(pandoc.to_ast(md)["blocks"], "fr-CA")
    assert _raw_left(out) == []
    text = json.dumps(out)
    for bad in ("a()", "b{}", "alert", "vbscript", "onclick", "onerror", "style"):
        assert bad not in text
    assert [(f.level, f.code, f.needle) for f in found] == [
        ("warning", "html.removed", needle)  # each start tag whole: two tags of one name are told apart
        for needle in (
            "<script>", "<style>", '<iframe src="x">', '<object data="y">', '<embed src="z">', '<link href="q">', '<meta charset="u">',
            '<base href="/">', '<img src="x" onerror="alert(1)">', '<svg onload="alert(1)">', '<a href="vbscript:msgbox(1)">', "onclick=",
        )
    ]
