"""The design's corrections made page by page inside WeasyPrint's layout (render/pagefix.py): words.
(A note kept on its call's page: tests/test_xref.py, beside the same correction made after the layout.)

Each test first shows the defect in the plain layout (so it cannot pass by luck), then checks that
the corrected layout has none, that no text is lost or doubled, that the pages before the first
correction are the plain layout's, and that the corrected layout is the same every time.
"""

from __future__ import annotations

import re

import pytest

from blog2book.render.pdf.engine import corrector as pagefix
from blog2book.render.pdf.engine.lines import STUB
from blog2book.render.pdf.engine.lines import hyphenated_words

weasyprint = pytest.importorskip("weasyprint")

CSS = ("@page { size: 60mm 45mm; margin: 4mm; } body { margin: 0; font-size: 9pt; line-height: 1.2; hyphens: auto;"
       " hyphenate-limit-chars: 6 3 3; hyphenate-character: '-'; text-align: justify; font-family: serif; }"
       " p { margin: 0; orphans: 2; widows: 2; } .nohyph { hyphens: manual; }")
LONG = ("extraordinairement institutionnellement communication développement constitutionnellement "
        "professionnellement gouvernementales interprétation transformation particulièrement").split()


def doc(paragraphs: int, seed: int) -> str:
    words = []
    for i in range(paragraphs * 40):
        words.append(LONG[(i * 7 + seed) % len(LONG)] if i % 3 else "le")
    paras = [" ".join(words[k : k + 40]) for k in range(0, len(words), 40)]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f'<html lang="fr"><head><style>{CSS}</style></head><body>{body}</body></html>'


def render(html):
    return weasyprint.HTML(string=html).render()


def lines(document) -> list[list[str]]:
    from blog2book.render.pdf.engine.lines import _lines

    return [_lines(page._page_box, []) for page in document.pages]


def words(document) -> list[str]:
    """The document's words in order, hyphenated words joined again."""
    text = "\n".join(line for page in lines(document) for line in page)
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text).split()


@pytest.fixture(scope="module")
def ladder_case():
    for seed in range(12):
        html = doc(6, seed)
        plain = render(html)
        found = hyphenated_words(plain, html)
        recto = [p for p, _ in found if p % 2 == 0]
        if len(found) >= 2 and recto:
            return html, plain
    pytest.fail("no test document with a ladder and a word cut at a recto's foot")


def test_ladders_and_recto_turns_are_corrected_page_by_page(ladder_case, monkeypatch):
    from blog2book.render.pdf.engine import spacing

    monkeypatch.setattr(spacing, "BUDGET", 99.0)  # the word-spacing budget remakes lines too: ladders alone here
    from blog2book.render.pdf.engine import lines as engine_lines

    monkeypatch.setattr(engine_lines, "STUB", 0)  # and the stub rule
    html, plain = ladder_case
    with pagefix.corrections() as corrector:
        fixed = render(html)
    assert hyphenated_words(fixed, html) == []
    assert corrector.words + corrector.foreseen >= 1
    assert words(fixed) == words(plain)  # nothing lost, nothing doubled
    # the pages before the first page that needed a correction are the plain layout's
    first = min(p for p, _ in hyphenated_words(plain, html))
    assert lines(fixed)[:first] == lines(plain)[:first]


def test_a_cut_word_at_a_rectos_foot_is_foreseen_as_the_line_is_made(ladder_case, monkeypatch):
    """The line that would end a recto with a cut word is made again without it before WeasyPrint
    places it: no page made twice for it, and the lines are the page check's (which makes the page
    again with the word kept whole)."""
    html, plain = ladder_case
    recto_cuts = [p for p, _ in hyphenated_words(plain, html) if p % 2 == 0]
    assert recto_cuts  # the plain layout has the defect
    with pagefix.corrections() as corrector:
        foreseen = render(html)
    monkeypatch.setattr(pagefix, "FORESEE", False)
    with pagefix.corrections() as checked:
        remade = render(html)
    assert corrector.foreseen >= 1 and corrector.remade < checked.remade
    assert hyphenated_words(foreseen, html) == [] == hyphenated_words(remade, html)
    assert lines(foreseen) == lines(remade)
    assert words(foreseen) == words(plain)


def longest_run(document) -> int:
    """The most hyphenated lines in a row."""
    best = run = 0
    for page in lines(document):
        run = 0
        for line in page:
            run = run + 1 if re.search(r"\w-$", line) else 0
            best = max(best, run)
    return best


def test_ladders_are_prevented_as_the_lines_are_made_without_making_a_page_again(monkeypatch):
    """On a page tall enough for the whole text (no recto's foot, no note), the ladders of the
    plain layout are prevented while the lines are made: no page is made twice."""
    from blog2book.render.pdf.engine import lines as engine_lines, spacing

    monkeypatch.setattr(spacing, "BUDGET", 99.0)  # the word-spacing budget and the stub rule remake lines
    monkeypatch.setattr(engine_lines, "STUB", 0)  # too: the ladders alone here
    html = doc(3, 1).replace("size: 60mm 45mm", "size: 60mm 400mm")
    plain = render(html)
    assert len(plain.pages) == 1 and longest_run(plain) > pagefix.LADDER
    with pagefix.corrections() as corrector:
        fixed = render(html)
    assert longest_run(fixed) <= pagefix.LADDER
    assert corrector.remade == 0 and corrector.words == 0
    assert words(fixed) == words(plain)
    # the lines before the first ladder's third line are the plain layout's
    plain_lines, fixed_lines = lines(plain)[0], lines(fixed)[0]
    third = next(i for i in range(2, len(plain_lines)) if all(re.search(r"\w-$", plain_lines[k]) for k in (i - 2, i - 1, i)))
    assert fixed_lines[:third] == plain_lines[:third] and fixed_lines[third] != plain_lines[third]


def test_the_corrected_layout_depends_on_the_document_alone(ladder_case):
    html, _ = ladder_case
    with pagefix.corrections():
        a = render(html)
    with pagefix.corrections():
        b = render(html)
    assert lines(a) == lines(b)
    plain_again = render(html)  # outside the block, WeasyPrint is left as it is
    assert hyphenated_words(plain_again, html) != []


def test_a_corrected_layout_keeps_nothing_of_its_document_once_done():
    """The styles the corrector copies for a layout (a ladder's next line set without hyphenation)
    hold the document's fonts (WeasyPrint's font configuration, a Pango font map): kept on the
    thread past the document, a worker process grew by some 6 MB a piece it laid out."""
    import gc
    import weakref

    from weasyprint.text.fonts import FontConfiguration

    html = doc(3, 1)
    assert longest_run(render(html)) > pagefix.LADDER  # the corrector has a line to set without hyphenation
    fonts = FontConfiguration()
    with pagefix.corrections():
        document = weasyprint.HTML(string=html).render(font_config=fonts)
    assert longest_run(document) <= pagefix.LADDER
    gone = weakref.ref(fonts)
    del document, fonts
    gc.collect()
    assert gone() is None, [type(r).__name__ for r in gc.get_referrers(gone())]


@pytest.mark.parametrize("foresee", [False, True], ids=["page-check", "foreseen"])
def test_when_weasyprint_lays_the_pages_out_again_the_corrections_start_over(foresee, monkeypatch):
    """``counter(pages)`` makes WeasyPrint run over its pages again once the page count is known.
    The corrections found in the run before are taken back: the result is the layout of the
    document with that number written in, corrected from nothing. (With a recto's foot left to the
    page check, the words it kept whole in the box tree are what is taken back.)"""
    import weasyprint.layout as wl

    monkeypatch.setattr(pagefix, "FORESEE", foresee)

    body = doc(6, 3).split("<body>", 1)[1].split("</body>", 1)[0]
    css = CSS + " a.r::after { content: ' sur ' counter(pages); }"
    counts = " ".join(['<a class="r" href="#t">pages</a>'] * 60)  # their width moves every line after them
    looped = f'<html lang="fr"><head><style>{css}</style></head><body><p>{counts} du texte.</p>{body}</body></html>'
    runs = []
    real = wl.make_all_pages

    def count(*args):
        runs.append(1)
        return real(*args)

    wl.make_all_pages = count
    try:
        with pagefix.corrections() as corrector:
            fixed = render(looped)
    finally:
        wl.make_all_pages = real
    assert len(runs) >= 2 and (corrector.words if not foresee else corrector.words + corrector.foreseen) >= 1  # WeasyPrint ran again; there was something to correct
    total = len(fixed.pages)
    assert f"pages sur {total}" in lines(fixed)[0][0]
    written = looped.replace(css, CSS + f" a.r::after {{ content: ' sur {total}'; }}")
    with pagefix.corrections():
        fresh = render(written)
    assert lines(fixed) == lines(fresh)
    assert hyphenated_words(fixed, looped) == []


def test_a_weasyprint_this_does_not_know_is_corrected_after_the_layout(ladder_case, monkeypatch):
    """WeasyPrint's functions are not the ones pagefix wraps (another version): the layout is left
    as WeasyPrint makes it, and the loop after the layout (corrections) corrects it as before."""
    from blog2book.render.pdf.corrections import Fixes, correct

    monkeypatch.setattr(pagefix, "_install", lambda: False)
    html = ladder_case[0].replace("<body>", '<body><div class="chapter"><p id="ch">Chapitre</p>').replace("</body>", "</div></body>")
    with pagefix.corrections() as corrector:
        plain = render(html)
    assert corrector.remade == 0 and hyphenated_words(plain, html) != []
    document, fixes = correct(html, Fixes(), pagefix.corrected(render))
    assert fixes.words and len(hyphenated_words(document, fixes.apply(html))) < len(hyphenated_words(plain, html))


def stub_doc(seed: int) -> str:
    """Paragraphs of long words of varied lengths, each ending with a period (the only one)."""
    paras = []
    for k in range(14):
        n = 9 + (seed * 5 + k * 3) % 11
        paras.append(" ".join(LONG[(seed + k * 3 + i * 5) % len(LONG)] for i in range(n)) + ".")
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f'<html lang="fr"><head><style>{CSS}</style></head><body>{body}</body></html>'


def stubs(document) -> list[str]:
    """Paragraph ends whose second-to-last line is hyphenated inside a word and whose last line is
    that word's end and fewer than six more characters (issue 25, item 2)."""
    found = []
    for page in lines(document):
        for before, last in zip(page, page[1:]):
            if last.rstrip().endswith(".") and re.search(r"\w-$", before.rstrip()):
                tail = re.match(r"\w*", last.strip()).group(0)
                if len(last.strip()) < len(tail) + STUB:
                    found.append(before.rstrip()[-12:] + "/" + last.strip())
    return found


def test_a_cut_word_never_leaves_a_stub_as_a_paragraphs_last_line():
    case = next(((html, plain) for seed in range(40) for html in [stub_doc(seed)] for plain in [render(html)] if stubs(plain)), None)
    assert case is not None, "no test document with a stub"
    html, plain = case
    with pagefix.corrections() as corrector:
        fixed = render(html)
    assert stubs(fixed) == [] and corrector.stubs >= 1, stubs(fixed)
    assert words(fixed) == words(plain)  # nothing lost, nothing doubled
    assert hyphenated_words(fixed, html) == []  # and no ladder or cut word at a recto's foot made by it
