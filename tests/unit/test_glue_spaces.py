"""The space before an inline element moved inside it in the print HTML (layout.glue_spaces).

WeasyPrint (70, with Pango 1.50) leaves a word or two alone on a justified line where a text ends
with a space and an inline element follows (a link, an emphasis, an index anchor). The test shows
the defect on the plain HTML first, then none with the spaces moved, and the same text.
"""

from __future__ import annotations

import re

import pytest

from blog2book.render.pdf.layout import glue_spaces

TEXT = (
    "Mais vous pouvez aussi payer l’un de ces nombreux <span id='x'></span>influenceurs pour qu’il parle "
    "<em>positivement</em> de vous. Encore une fois, le <span id='y'></span>monitorage « pro-actif » des "
    "<a href='#z'>mots-clés associés</a> à votre organisation sera déjà une source d’information pertinente."
)
CSS = ("@page { size: WIDTHmm 80mm; margin: 5mm; } body { margin: 0; font-size: 10pt; line-height: 1.3; text-align: justify;"
       " font-family: serif; hyphens: HYPHENS; hyphenate-character: '-'; hyphenate-limit-chars: 6 3 3; }")


def test_spaces_move_into_inline_elements_and_nothing_else_changes():
    html = ('<p>de ces <span id="x"></span>influenceurs, <a href="#a" class="xref">ici</a> et <span class="tie">8 h 12</span>'
            ' <em>x</em> mot <span class="fn">note</span> <a class="index-locator" href="#b">3</a></p>'
            '<pre><code>a <span>b</span></code></pre> <strong>z</strong>')
    out = glue_spaces(html)
    assert out == ('<p>de ces<span id="x"> </span>influenceurs,<a href="#a" class="xref"> ici</a> et <span class="tie">8 h 12</span>'
                   '<em> x</em> mot <span class="fn">note</span> <a class="index-locator" href="#b">3</a></p>'
                   '<pre><code>a <span>b</span></code></pre><strong> z</strong>')
    strip = lambda h: re.sub(r"<[^>]+>", "", h)  # noqa: E731
    assert strip(out) == strip(html)


def lines_left_short(html: str) -> list[str]:
    """Lines ended although the next line's first word would have fitted on them."""
    weasyprint = pytest.importorskip("weasyprint")
    from blog2book.render.pdf.engine.lines import _lines

    document = weasyprint.HTML(string=html).render()
    lines = [line.strip() for page in document.pages for line in _lines(page._page_box, [])]
    longest = max(len(line) for line in lines)
    return [a for a, b in zip(lines, lines[1:]) if len(a) + 1 + len(b.split()[0]) <= longest - 4]


@pytest.mark.parametrize("hyphens", ["auto", "manual"])
def test_no_word_is_left_alone_on_a_line_before_an_inline_element(hyphens):
    plain, glued = [], []
    for width in range(40, 112, 4):
        css = CSS.replace("WIDTH", str(width)).replace("HYPHENS", hyphens)
        html = f'<html lang="fr"><head><style>{css}</style></head><body><p>{TEXT}</p></body></html>'
        plain += lines_left_short(html)
        glued += lines_left_short(glue_spaces(html))
    if not plain:
        pytest.skip("this WeasyPrint breaks these lines well by itself")
    assert glued == []
