"""What a cross-reference prints after its text: « (voir p. 18) », « (p. 18) », « (ci-dessous) ».

The PDF back end learns, from a layout, the page and position of every reference (``a.xref``, each
given an id ``xref-N`` here) and of every target; ``same_page_rule`` turns those into nothing
special (another page: « (voir p. 18) ») or « below » / « above » (same page), which
``corrections`` writes on the link as ``data-same-page``; the CSS of ``xref_css`` prints the
words. A reference inside the author's own « Voir … » / « voir … » (the word within the few words
before the link, or opening the link text) gets ``data-see="author"``: « (p. 18) », no second
« voir ». « voir » and « p. » and the number never part (U+00A0).
"""

from __future__ import annotations

import re

from blog2book import lang as lang_mod
from blog2book import tree

_SENTENCE_END = re.compile(r"[.!?…]$")
LOOKBACK_WORDS = 4  # « Voir aussi le billet sur [x] » : « voir » within this many words before


def same_page_rule(reference: tuple[int, float], target: tuple[int, float]) -> str | None:
    """(page, y from the top) of a reference and of its target -> None (other pages: print the
    page), "below" or "above" (same page: the target is further down, or higher up)."""
    if reference[0] != target[0]:
        return None
    return "below" if target[1] >= reference[1] else "above"


def _words_before(inlines: list, i: int) -> list[str]:
    """The words before inlines[i], back to the start of the sentence (at most LOOKBACK_WORDS)."""
    words: list[str] = []
    for el in reversed(inlines[:i]):
        if el["t"] in ("Space", "SoftBreak"):
            continue
        text = tree.stringify(el) if el["t"] != "Note" else ""
        if not text:
            continue
        if _SENTENCE_END.search(text.strip()) and words:
            break
        words.extend(reversed(text.split()))
        if len(words) >= LOOKBACK_WORDS or _SENTENCE_END.search(text.strip()):
            break
    return [w.strip("«»()“”,;:\u00a0\u202f").lower() for w in words[:LOOKBACK_WORDS]]


def prepare_xrefs(blocks: list, lang: str, prefix: str = "xref") -> list:
    """Number the cross-references (id ``PREFIX-N``: one prefix per part of the book, so ids stay
    unique when parts are laid out apart) and mark those the author introduced with « voir »
    (``data-see="author"``)."""
    see = lang_mod.strings(lang)["see_word"]
    count = 0

    def visit(node):
        # copy on change: what holds no cross-reference is the book's own, shared, not copied
        nonlocal count
        if isinstance(node, list):
            out = tree.map_items(node, visit, skip_leaves=True)
            if node and type(node[0]) is dict and "t" in node[0]:  # a list of elements (pandoc's lists hold one kind)
                for i, el in enumerate(out):  # not every list opening with an element is one: Math's and Quoted's hold a kind, then text
                    if type(el) is dict and el.get("t") == "Link" and "xref" in el["c"][0][1]:
                        count += 1
                        ident, classes, kv = el["c"][0]
                        kv = [list(a) for a in kv if a[0] != "data-see"]
                        own = tree.stringify(el["c"][1]).split()[:1]
                        if see in _words_before(out, i) or [w.lower() for w in own] == [see]:
                            kv.append(["data-see", "author"])
                        if out is node:
                            out = list(node)
                        out[i] = {"t": "Link", "c": [[ident or f"{prefix}-{count}", classes, kv], el["c"][1], el["c"][2]]}
            return out
        if isinstance(node, dict):
            return tree.map_values(node, visit)
        return node

    return visit(blocks)


def same_page_text(lang: str, rule: str) -> str:
    """What a reference on its target's page prints after its text: ``rule`` "below" or "above"."""
    return " (" + lang_mod.strings(lang)[rule] + ")"


def xref_css(lang: str, css_string) -> str:
    """The generated words of cross-references in print."""
    words = lang_mod.strings(lang)
    see_page = css_string(" (" + words["see_page"] + "\u00a0")
    page_only = css_string(" (" + words["page_abbr"] + "\u00a0")
    see_chapter = css_string(" (" + words["see_chapter"] + "\u00a0")
    below = css_string(same_page_text(lang, "below"))
    above = css_string(same_page_text(lang, "above"))
    return "\n".join([
        # page numbers in figures of one width: a number's value never moves the lines (corrections.shape)
        "a.xref::after { font-variant-numeric: tabular-nums; }",
        f"a.xref::after {{ content: {see_page} target-counter(attr(href), page) \")\"; }}",
        f"a.xref[data-see=author]::after {{ content: {page_only} target-counter(attr(href), page) \")\"; }}",
        f"a.xref[data-same-page=below]::after {{ content: {below}; }}",
        f"a.xref[data-same-page=above]::after {{ content: {above}; }}",
        f"a.xref[data-xref=chapter]::after {{ content: {see_chapter} target-counter(attr(href), chapter) \")\"; }}",
    ])


def positions(document) -> dict[str, tuple[int, float]]:
    """Every anchor of a laid-out WeasyPrint document -> (page number from 1, y from the top)."""
    out: dict[str, tuple[int, float]] = {}
    for n, page in enumerate(document.pages, start=1):
        for name, (_x, y, *_rest) in page.anchors.items():
            out.setdefault(name, (n, y))
    return out
