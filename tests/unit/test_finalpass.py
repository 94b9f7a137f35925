"""The print corrections made after a layout: no word hyphenated across a page turn after a recto."""

from __future__ import annotations

import pytest

from blog2book.render.pdf.corrections import protect_text
from blog2book.render.pdf.engine.lines import recto_foot_words

weasyprint = pytest.importorskip("weasyprint")

CSS = ("@page { size: 60mm 40mm; margin: 5mm; } body { font-size: 9pt; line-height: 1.2; hyphens: auto;"
       " hyphenate-limit-chars: 6 3 3; hyphenate-character: '-'; text-align: justify; font-family: serif; }")


def page(words: int) -> str:
    text = " ".join(["texte"] * words) + " extraordinairement continuellement institutionnellement"
    return f'<html lang="fr"><head><style>{CSS}</style></head><body><p>{text}</p></body></html>'


def render(html):
    return weasyprint.HTML(string=html).render()


def test_a_word_cut_at_the_foot_of_a_recto_is_set_whole():
    found = None
    for words in range(20, 90):
        html = page(words)
        document = render(html)
        cut = recto_foot_words(document, html)
        if cut:
            found = (html, cut)
            break
    assert found, "no layout put a hyphen at the foot of page 1"
    html, cut = found
    head, body = html.replace("</style>", " .nohyph { hyphens: manual; }</style>").split("<body>")
    fixed = head + "<body>" + protect_text(body, cut)
    assert '<span class="nohyph">' in fixed
    assert recto_foot_words(render(fixed), fixed) == set()


def test_protect_touches_text_only():
    out = protect_text('<p class="mot">un mot, motif</p>', {"mot"})
    assert out == '<p class="mot">un <span class="nohyph">mot</span>, motif</p>'
