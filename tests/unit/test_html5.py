"""blog2book.html5 writes pandoc's HTML5 (``-f json -t html5 --wrap=none``) byte for byte, or says
it cannot (None) and pandoc is asked. pandoc itself is the oracle: every case here is written both
ways and compared, on constructs one at a time, on random documents, and on Markdown read by pandoc."""

from __future__ import annotations

import json
import random
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from blog2book import html5, pandoc


def pandoc_html(blocks: list) -> str:
    doc = json.dumps(pandoc.document(blocks), ensure_ascii=False)
    return subprocess.run(
        [pandoc.pandoc_path(), "-f", "json", "-t", "html5", "--wrap=none"], input=doc.encode(), capture_output=True, check=True
    ).stdout.decode()


def S(text):
    return {"t": "Str", "c": text}


SP = {"t": "Space"}


def P(*inlines):
    return {"t": "Para", "c": list(inlines)}


def Pl(*inlines):
    return {"t": "Plain", "c": list(inlines)}


def H(level, ident, classes, pairs, *inlines):
    return {"t": "Header", "c": [level, [ident, classes, pairs], list(inlines)]}


def Div(ident, classes, pairs, *blocks):
    return {"t": "Div", "c": [[ident, classes, pairs], list(blocks)]}


def Span(ident, classes, pairs, *inlines):
    return {"t": "Span", "c": [[ident, classes, pairs], list(inlines)]}


def Link(attr, inlines, url, title=""):
    return {"t": "Link", "c": [attr, inlines, [url, title]]}


def Img(attr, inlines, url, title=""):
    return {"t": "Image", "c": [attr, inlines, [url, title]]}


def Note(*blocks):
    return {"t": "Note", "c": list(blocks)}


NO = ["", [], []]

# what the book's files hold: written here, and exactly as pandoc writes it
WRITTEN = {
    "escapes": [P(S('a<b>&"c\' \u00a0\u202f\u2009 é ]]> -- \x01'))],
    "arrows get pandoc's text presentation selector": [P(S("↩ ↔↩\ufe0e ↩↩"))],
    "a post's div is a section": [Div("", ["post"], [["data-slug", "x"]], H(2, "t1", ["post-title"], [], S("Titre")), P(S("p")), H(3, "s1", [], [], S("Sub")))],
    "section attributes merged": [Div("", ["d"], [["data-a", "1"]], H(2, "h", ["hc"], [["data-b", "2"]], S("x")), P(S("p")))],
    "section without id": [Div("", ["post"], [], H(2, "", ["t"], [], S("noid")), P(S("p")))],
    "sections inside sections": [Div("", ["post"], [], H(2, "h", [], [], S("x")), Div("", ["inner"], [], H(3, "h3", [], [], S("y")), P(S("z"))))],
    "a heading not first": [Div("", ["post"], [], P(S("x")), H(2, "nf", [], [], S("notfirst")))],
    "a div in a quote is not a section": [{"t": "BlockQuote", "c": [Div("", ["post"], [], H(2, "h", ["c"], [["data-k", "v"]], S("x")), P(S("p")))]}],
    "heading attribute orders": [H(2, "i", ["c1", "c2"], [["data-k", "v"], ["lang", "en"]], S("h")), {"t": "BlockQuote", "c": [H(3, "j", ["c"], [["data-k", "v"]], S("q"))]}],
    "inlines": [P(
        {"t": "Emph", "c": [S("e")]}, {"t": "Strong", "c": [S("s")]}, {"t": "Superscript", "c": [S("er")]}, {"t": "Subscript", "c": [S("2")]},
        {"t": "Strikeout", "c": [S("d")]}, {"t": "Underline", "c": [S("u")]}, {"t": "SmallCaps", "c": [S("sc")]}, {"t": "LineBreak"},
        {"t": "SoftBreak"}, {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [S("dq"), {"t": "Quoted", "c": [{"t": "SingleQuote"}, [S("sq")]]}]]},
        {"t": "Code", "c": [NO, "a<b & c"]}, {"t": "RawInline", "c": ["html", "<b>"]}, S("z"), {"t": "RawInline", "c": ["html", "</b>"]},
        Span("", [], [], S("plain")), Span("a", ["b", "c"], [["lang", "en"], ["data-x", "1'\"<&>"], ["dir", "rtl"]], S("k")),
    )],
    "links": [P(
        Link(NO, [S("x")], "http://a.b/c?d=1&e=2 \"'<>é", 'ti"tle <&> it\'s'),
        Link(["lid", ["a'b"], [["data-x", "1"]]], [S("x")], "#frag", "T"), Link(["", ["uri", "external", "bare"], []], [S("u")], "https://u.v"),
    )],
    "images": [P(Img(NO, [S("a'b "), {"t": "Emph", "c": [S("e")]}, {"t": "LineBreak"}, {"t": "Code", "c": [NO, "co"]}, Note(P(S("n")))], "a b.png", "tt")), P(Img(["i", ["c"], []], [], "x.png"))],
    "figures": [
        {"t": "Figure", "c": [NO, [None, [Pl(S("Un"), SP, S("schéma"))]], [Pl(Img(NO, [S("Un"), SP, S("schéma")], "images/a.png"))]]},
        {"t": "Figure", "c": [NO, [None, [Pl(S("cap"))]], [Pl(Img(NO, [S("alt")], "x.png"))]]},
        {"t": "Figure", "c": [["fid", ["c"], []], [None, []], [Pl(Img(NO, [S("alt")], "x.png"))]]},
    ],
    "notes": [P(S("n"), Note(Pl(S("plain"))), S("m"), Note(P(S("a")), P(S("b")))), H(2, "h", [], [], S("t"), Note(P(S("in a heading"))))],
    "a note ending with a list": [P(S("n"), Note(P(S("a")), {"t": "BulletList", "c": [[Pl(S("li"))]]}))],
    "lists": [
        {"t": "BulletList", "c": [[Pl(S("a")), {"t": "BulletList", "c": [[Pl(S("b"))]]}], [P(S("c")), P(S("d"))], [], [{"t": "BulletList", "c": [[Pl(S("e"))]]}]]},
        *[{"t": "OrderedList", "c": [[start, {"t": style}, {"t": delim}], [[Pl(S("a"))], [P(S("b"))]]]}
          for start in (1, 3, 0) for style in html5._OL_TYPES for delim in ("Period", "OneParen")],
    ],
    "definitions": [{"t": "DefinitionList", "c": [[[S("t1")], [[P(S("d1"))], [Pl(S("d2"))]]], [[S("t2")], [[P(S("x")), P(S("y"))]]]]}],
    "empty and raw blocks": [
        {"t": "HorizontalRule"}, Div("", ["x"], []), P(), Pl(), {"t": "BlockQuote", "c": []}, Div("", ["y"], [], Pl(S("pl"))),
        {"t": "RawBlock", "c": ["html", "<div>raw</div>"]}, {"t": "CodeBlock", "c": [NO, "a<b\n  & c\n"]}, P(S("end")),
    ],
    "nothing": [],
}

# what pandoc writes its own way: left to it
LEFT_TO_PANDOC = {
    "table": pandoc.to_ast("| a | b |\n|---|---|\n| 1 | 2 |\n")["blocks"],
    "math": [P({"t": "Math", "c": [{"t": "InlineMath"}, "x^2"]})],
    "highlighted code": [{"t": "CodeBlock", "c": [["", ["python"], []], "x = 1"]}],
    "code with classes": [P({"t": "Code", "c": [["", ["c"], []], "a<b"]})],
    "raw TeX": [P(S("a")), {"t": "RawBlock", "c": ["latex", "\\x"]}],
    "attributes pandoc renames": [P(Span("", [], [["foo", "b"]], S("k")))],
    "image sizes": [P(Img(["", [], [["width", "50%"], ["height", "20px"]]], [S("a")], "x.png"))],
    "underline span": [P(Span("", ["underline"], [], S("u")))],
    "a bare div around a heading": [Div("", [], [], H(2, "h", [], [], S("bare")), P(S("p")))],
    "a link in a link": [P(Link(NO, [S("a"), Link(NO, [S("b")], "#b")], "#a"))],
    "a div with an id around a heading": [Div("dv", ["post"], [], H(2, "t2", ["c2"], [], S("T2")), P(S("x")))],
    "headings that nest otherwise": [Div("", ["post"], [], H(2, "h", [], [], S("x")), Div("", ["x"], [], H(2, "a", [], [], S("a"))))],
    "heading level 7": [H(7, "x", [], [], S("lvl7"))],
    "a note in a note": [P(Note(P(S("a"), Note(P(S("b"))))))],
    "a term without definition": [{"t": "DefinitionList", "c": [[[S("t3")], []]]}],
    "line block": [{"t": "LineBlock", "c": [[S("a")], [S("b")]]}],
}


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_written_as_pandoc_writes_it(name):
    blocks = WRITTEN[name]
    written = html5.write(blocks)
    assert written is not None, name
    assert written == pandoc_html(blocks)


@pytest.mark.parametrize("name", sorted(LEFT_TO_PANDOC))
def test_left_to_pandoc(name):
    blocks = LEFT_TO_PANDOC[name]
    assert html5.write(blocks) is None
    assert html5.fragment(blocks) == pandoc_html(blocks)  # and pandoc writes it


def rare(rng: random.Random, usual, unusual, odds: float = 0.03):
    """Mostly what the book holds; now and then what pandoc is left to write."""
    return unusual if rng.random() < odds else usual


def random_inlines(rng: random.Random, depth: int, in_link: bool = False) -> list:
    words = ["mot", "l’été", "a&b", "<x>", '"q"', "it's", "↩", "95\u00a0%", "é", "«\u00a0c\u00a0»", ""]
    out = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.45 or depth > 2:
            out.append(S(rng.choice(words)))
            out.append(rng.choice([SP, SP, {"t": "SoftBreak"}, {"t": "LineBreak"}]))
        elif r < 0.6:
            out.append({"t": rng.choice(["Emph", "Strong", "Superscript", "Subscript", "Strikeout", "Underline", "SmallCaps"]), "c": random_inlines(rng, depth + 1)})
        elif r < 0.7:
            classes = rng.sample(["nohyph", "para-anchor", "x", rare(rng, "tie", "mark")], rng.randint(0, 2))
            pairs = rng.choice([[], [["lang", "en"]], [["data-see", "2"]], rare(rng, [], [["bad", "1"]])])
            out.append(Span(rng.choice(["", "a", "p__1"]), classes, pairs, *random_inlines(rng, depth + 1, in_link)))
        elif r < 0.8 and (not in_link or rng.random() < 0.01):
            out.append(Link([rng.choice(["", "l"]), rng.choice([[], ["xref"]]), []], random_inlines(rng, depth + 1, True), rng.choice(["#a", "https://x.y/?a=1&b=2", "é f"]), rng.choice(["", "t'"])))
        elif r < 0.85:
            alt = [S("une"), SP, {"t": "Emph", "c": [S("image")]}, rare(rng, SP, {"t": "Math", "c": [{"t": "InlineMath"}, "x"]})]
            out.append(Img(NO, alt[:rng.randint(0, 4)], "i.png", rng.choice(["", "t"])))
        elif r < 0.9 and depth == 0:
            out.append(Note(*random_blocks(rng, 2, sections=False)))
        elif r < 0.95:
            out.append({"t": "Quoted", "c": [{"t": rng.choice(["DoubleQuote", "SingleQuote"])}, random_inlines(rng, depth + 1, in_link)]})
        else:
            out.append(rng.choice([{"t": "Code", "c": [NO, "x<y"]}, {"t": "RawInline", "c": ["html", "<i>"]}, rare(rng, S("x"), {"t": "Math", "c": [{"t": "InlineMath"}, "x"]})]))
    return out


def random_blocks(rng: random.Random, depth: int, sections: bool = True) -> list:
    out = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.35 or depth > 2:
            out.append(rng.choice([P, P, Pl])(*random_inlines(rng, 0 if sections else 1)))
        elif r < 0.5:
            out.append(H(rng.randint(1, 6), rng.choice(["", "h", "h-2"]), rng.sample(["post-title", "c"], rng.randint(0, 1)), rng.choice([[], [["data-k", "v"]]]), *random_inlines(rng, 1)))
        elif r < 0.65:
            head = [H(rng.randint(2, 4), rng.choice(["", "t"]), ["post-title"], [], S("T"))] if rng.random() < 0.6 else []
            classes = rng.sample(["post", "dateline", rare(rng, "tweet", "column")], rng.randint(0, 1)) or rare(rng, ["post"], [])
            out.append(Div(rare(rng, "", "d", 0.1), classes, rng.choice([[], [["data-slug", "s"]]]), *head, *random_blocks(rng, depth + 1, sections)))
        elif r < 0.72:
            out.append({"t": "BlockQuote", "c": random_blocks(rng, depth + 1, False)})
        elif r < 0.8:
            out.append({"t": "BulletList", "c": [random_blocks(rng, depth + 1, False) for _ in range(rng.randint(1, 3))]})
        elif r < 0.86:
            out.append({"t": "OrderedList", "c": [[rng.choice([1, 2]), {"t": rng.choice(list(html5._OL_TYPES))}, {"t": "Period"}], [random_blocks(rng, depth + 1, False) for _ in range(rng.randint(1, 3))]]})
        elif r < 0.9:
            out.append({"t": "DefinitionList", "c": [[random_inlines(rng, 1), [random_blocks(rng, depth + 1, False)]]]})
        elif r < 0.94:
            alt = [S("alt"), SP, S("texte")]
            out.append({"t": "Figure", "c": [NO, [None, [Pl(*rng.choice([alt, [S("autre")]]))]], [Pl(Img(NO, alt, "f.png"))]]})
        else:
            out.append(rng.choice([{"t": "HorizontalRule"}, {"t": "CodeBlock", "c": [NO, "a\n<b>"]}, {"t": "RawBlock", "c": ["html", "<hr/>"]}, rare(rng, {"t": "RawBlock", "c": ["html", ""]}, {"t": "RawBlock", "c": ["latex", "x"]}, 0.2)]))
    return out


def test_random_documents_are_written_as_pandoc_writes_them():
    rng = random.Random(20261130)
    docs = [random_blocks(rng, 0) for _ in range(160)]
    with ThreadPoolExecutor(4) as pool:
        expected = list(pool.map(pandoc_html, docs))
    written = 0
    for blocks, want in zip(docs, expected):
        got = html5.write(blocks)
        if got is not None:
            written += 1
            assert got == want, json.dumps(blocks, ensure_ascii=False)
    assert written >= len(docs) // 2, written  # most are written here: the comparison is not empty


MARKDOWN = """
::: {.post data-slug="x"}
### Un billet {#billet .post-title}

Un « paragraphe » avec *emphase*, **gras**, `code`, ^exposant^, ~indice~, ~~barré~~ et un lien
[vers ailleurs](https://exemple.org/?a=1&b=2 "Titre") ou [interne](#billet){.xref}.

#### Une section

> Une citation
>
> - avec une liste

1. un
2. deux

   suite

a) alpha
b) bêta

Terme
:   définition

* * *

    du code <brut>

![Une image](img.png)

Un appel[^1] et un autre[^2].

[^1]: La note.

[^2]: Une note

    en deux paragraphes.
:::
"""


def test_markdown_read_by_pandoc_is_written_as_pandoc_writes_it():
    blocks = pandoc.to_ast(MARKDOWN)["blocks"]
    written = html5.write(blocks)
    assert written is not None
    assert written == pandoc_html(blocks)
