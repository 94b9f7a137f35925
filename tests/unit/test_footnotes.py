"""footnotes.py: hand-written footnotes made notes, on the forms blogs write (each case: the input,
and the Markdown that comes out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from blog2book import footnotes, pandoc, wphtml
from blog2book.wpcontent import MARKDOWN_OUT, wp_to_markdown

HTML_CASES = [
    (  # WordPress 6.3+'s footnotes block, rendered
        '<p>Texte<sup data-fn="a1b2" class="fn"><a href="#a1b2" id="a1b2-link">1</a></sup>.</p>'
        '<ol class="wp-block-footnotes"><li id="a1b2">La note. <a href="#a1b2-link" aria-label="Aller à la référence de la note de bas de page 1">↩︎</a></li></ol>',
        "Texte[^1].\n\n[^1]: La note.\n",
    ),
    (  # a paragraph note with screen-reader words and « Retour »
        '<p>Texte<sup><a href="#fn1" id="r1"><span class="screen-reader-text">Note de bas de page </span>1</a></sup> suite.</p>'
        '<hr/><p id="fn1">1. La note. <a href="#r1"><span class="screen-reader-text">Retour à la note de bas de page 1</span> referrer</a></p>',
        "Texte[^1] suite.\n\n[^1]: La note.\n",
    ),
    (  # a link [1] not in <sup>, an anchor as the target
        '<p>Texte <a href="#note-1">[1]</a>.</p><h3>Notes</h3><ol><li><a id="note-1"></a>La note.</li></ol>',
        "Texte[^1].\n\n[^1]: La note.\n",
    ),
    (  # shortcodes
        "<p>Un[efn_note]Note <em>un</em>.[/efn_note] deux[ref]Note deux.[/ref] trois[footnote]Trois.[/footnote].</p>",
        "Un[^1] deux[^2] trois[^3].\n\n[^1]: Note *un*.\n\n[^2]: Note deux.\n\n[^3]: Trois.\n",
    ),
    (  # a numbered link to a section is not a note
        '<p>Voir la <a href="#partie-2">2</a>.</p><h2 id="partie-2">Deux</h2>',
        "Voir la [2](#partie-2).\n\n## Deux {#partie-2}\n",
    ),
]


@pytest.mark.parametrize("html,expected", HTML_CASES)
def test_wordpress_html(html, expected):
    text, diags = wp_to_markdown(html, path=Path("x.xml"))
    assert text == expected
    assert not [d for d in diags if d.code == "footnote.missing"]


def markdown(body: str) -> str:
    blocks = pandoc.to_ast(footnotes.mark(body, markdown=True), reader=wphtml.POST_READER)["blocks"]
    blocks, lost = footnotes.resolve(blocks)
    assert not lost
    return pandoc.from_ast(pandoc.document(blocks), MARKDOWN_OUT, "--wrap=none")


def test_markdown_references_and_list():
    out = markdown("Un [[1]](#fn1) et deux[[2]](#fn2).\n\n1. []{#fn1}Note un. [↩](#r1)\n2. <a id=\"fn2\"></a>Note deux.\n")
    assert out == "Un[^1] et deux[^2].\n\n[^1]: Note un.\n\n[^2]: Note deux.\n"


def test_code_is_never_rewritten():
    body = "`[[1]](#fn1)` et `[ref]x[/ref]`\n\n```\n<sup><a href=\"#fn1\">1</a></sup>\n[ref]y[/ref]\n```\n\n<p id=\"fn1\">Note.</p>\n"
    assert footnotes.mark(body, markdown=True) == body


def test_missing_note_is_named():
    assert footnotes.missing('<p>a<sup><a href="#fn7">7</a></sup></p>') == [('<sup><a href="#fn7">7</a></sup>', "7")]
    assert footnotes.missing("Voir [2](#partie-2).", markdown=True) == []


def test_wordpress_block_from_the_meta():
    content = '<p>a<sup data-fn="u1" class="fn"><a href="#u1" id="u1-link">1</a></sup></p>\n<!-- wp:footnotes /-->'
    out = footnotes.wordpress_block(content, '[{"content":"La note.","id":"u1"}]')
    assert '<ol class="wp-block-footnotes"><li id="u1">La note.</li></ol>' in out and "wp:footnotes" not in out
    assert footnotes.wordpress_block(content, "not json") == content
