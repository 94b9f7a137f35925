"""The page numbers pieces depend on (render/numbers.py), and the first pass's order
(render/layout.py): a piece whose guessed numbers may have the wrong count of digits is laid out
last, with the numbers the layouts before it gave, so its layout is the final one (a target after
it still moves with its own length, which is guessed)."""

from __future__ import annotations

import re

from blog2book.render.pdf import layout
from blog2book.render.pdf.numbers import CHARS_PER_PAGE, Numbers, estimate, numbers_so_far, uncertain
from blog2book.render.pdf.pieces import LayoutCache, PieceLayout


def link(target: str) -> str:
    return f'<p><a class="xref" href="#{target}">voir</a></p>'


def test_a_guess_near_a_power_of_ten_is_uncertain():
    numbers = Numbers((1,), {"a": 9, "b": 5, "c": 93, "d": 60, "e": 1004, "f": 1200, "g": 9990, "h": 10_020, "i": 5000})
    assert [t for t in "abcdefghi" if uncertain(link(t), numbers)] == ["a", "c", "e", "g", "h"]
    assert not uncertain(link("unknown"), numbers)
    assert not uncertain("<p>no link</p>", numbers)


def body(ident: str, pages: int, actual: int, links: str = "") -> str:
    """A piece of about ``pages`` guessed pages that the fake layout makes ``actual`` pages long."""
    return f'<div class="chapter" id="{ident}" data-fake="{actual}">{links}<p>{"x" * (pages * CHARS_PER_PAGE)}</p></div>'


def test_the_numbers_so_far_are_the_layouts_where_there_are_some():
    bodies = [body("a", 10, 12), body("b", 10, 11), body("c", 10, 10)]
    numbers, guesses = estimate(bodies)
    assert numbers.starts[1] == 1 + guesses[0].pages + (guesses[0].pages % 2)
    laid = PieceLayout("k", 12, (("a",),) + ((),) * 11, (), (), (1, 1))
    so_far = numbers_so_far([laid, None, None], guesses)
    assert so_far.starts[1] == 13 and so_far.pages["b"] == 13 + guesses[1].anchors["b"]  # after 12 pages, a recto: 13
    assert so_far.starts[2] == 13 + guesses[1].pages + ((13 + guesses[1].pages) % 2 == 0)


def test_a_piece_with_an_uncertain_number_is_laid_out_last_with_the_numbers_then_known(monkeypatch):
    # the contents (longest), then chapters; "far" starts near page 100: guessed before it, after it in fact
    bodies = [
        body("contents", 36, 36, link("far")),
        body("one", 20, 27),
        body("two", 20, 21, link("far")),  # its own length well guessed
        body("three", 10, 15),
        body("far", 10, 10),
    ]
    numbers, _ = estimate(bodies)
    assert numbers.pages["far"] < 100
    seen = []

    def fake(job):
        actual = int(re.search(r'data-fake="(\d+)"', job.html).group(1))
        ident = re.search(r'id="([^"]+)" data-fake', job.html).group(1)
        seen.append((ident, re.findall(r'href="b2b:far" data-page="(\d+)"', job.html)))
        return PieceLayout(job.key, actual, ((ident,),) + ((),) * (actual - 1), (), (), (1, 1), pdf=b"%PDF")

    monkeypatch.setattr(layout, "lay_out_piece", fake)
    pieces = [layout.Piece(i, b, 0) for i, b in enumerate(bodies)]
    result = layout.lay_out(pieces, "<html><head><style></style></head>", {}, "", [], "style", LayoutCache(None), None)
    final = result.numbers.pages["far"]
    assert final >= 100 and result.converged
    first_pass = seen[: len(bodies)]
    assert [i for i, _ in first_pass][-1] == "two", "the uncertain chapter is laid out last"
    assert dict(first_pass)["two"] == [str(final)], "with the number the layouts before it gave"
    assert dict(first_pass)["contents"] != [str(final)], "the contents are laid out first, with the guess"
