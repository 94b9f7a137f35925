"""What a layout is corrected for before it is final, in one loop of layouts.

A book designer corrects:

* a note WeasyPrint moved to a later page than its call (``engine.notes``): the paragraph goes to the
  next page;
* a ladder of more than two hyphenated lines, a word split across a recto's turn (``engine.lines``):
  that word is set unbreakable;
* a cross-reference on its target's own page: « (ci-dessous) » / « (plus haut) » (``xreftext``).

All three are made page by page during the layout itself (``engine.corrector``, when the render
function is wrapped in ``engine.corrector.corrected``): a page is made again as soon as it shows one, and
the pages after it are laid out once, with the correction in place; the references it marked are
added to the fixes (``_printed``), so that the HTML they write is laid out as that layout was. What
is left for this loop is whatever a page gave up on (``engine.corrector.ATTEMPTS``), a reference
whose mark the HTML had and its target left, and any layout made without the corrector: the
layout is read, its corrections applied to the HTML, and the document laid out again. Rounds are counted **per
chapter**: chapters start on a recto, so correcting one never moves the lines of another, and a
book laid out in pieces gets exactly the corrections of the same book laid out in one flow. Note
rules are found for up to ``NOTE_ROUNDS`` rounds, the others for ``FINAL_ROUNDS`` per chapter.

What was corrected here is kept (``Fixes``, with the rounds each chapter has had) and given to the
next layout of the same piece — the next pass, the next build — which starts where this one ended
instead of finding it all again when its document has the same ``shape`` (the same text, page
numbers of the same lengths): that is the layout it would reach from nothing, so a book's pages
never depend on the builds before it. A layout that starts from the fixes another one ended with
is that same layout: ``lay_out`` caches it under both names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

NOTE_ROUNDS = 8
FINAL_ROUNDS = 2

_SCOPE_START = re.compile(r'<div class="(?:chapter|matter|part)\b')
_XREF_TAG = re.compile(r'<a\b[^>]*\bclass="[^"]*\bxref\b[^"]*"[^>]*>')


@dataclass(frozen=True)
class Fixes:
    """The corrections of one document, in a form the next layout of it can start from."""

    rules: tuple[str, ...] = ()  # CSS rules (a paragraph sent to the next page with its note)
    words: tuple[tuple[str, str], ...] = ()  # (chapter, word): set unbreakable in that chapter
    marks: tuple[tuple[str, str], ...] = ()  # (reference id, "below" | "above"): on its target's page
    rounds: tuple[tuple[str, int], ...] = ()  # (chapter, rounds of words and marks it has had)
    shape: str = ""  # ``shape()`` of the document they were found for

    def __bool__(self) -> bool:
        return bool(self.rules or self.words or self.marks)

    def apply(self, html: str) -> str:
        """``html`` (as the piece or book is written, before any correction) with these corrections."""
        if self.marks:
            html = set_marks(html, dict(self.marks))
        by_scope: dict[str, set[str]] = {}
        for scope, word in self.words:
            by_scope.setdefault(scope, set()).add(word)
        for scope, words in by_scope.items():
            start, end = scope_region(html, scope)
            if start < end:
                html = html[:start] + protect_text(html[start:end], words) + html[end:]
        if self.rules:
            html = html.replace("</style></head>", "\n" + "\n".join(self.rules) + "</style></head>", 1)
        return html

    def to_json(self) -> list:
        return [list(self.rules), [list(w) for w in self.words], [list(m) for m in self.marks], [list(r) for r in self.rounds], self.shape]

    @classmethod
    def from_json(cls, data) -> "Fixes | None":
        """None for anything but a record this version wrote (an older cache: found again)."""
        try:
            rules, words, marks, rounds, shape = data
            return cls(
                tuple(str(r) for r in rules), tuple((str(s), str(w)) for s, w in words),
                tuple((str(i), str(r)) for i, r in marks), tuple((str(s), int(n)) for s, n in rounds), str(shape),
            )
        except (TypeError, ValueError):
            return None


def scope_region(html: str, scope: str) -> tuple[int, int]:
    """Where the chapter (or matter section) whose first id is ``scope`` runs in ``html``."""
    at = html.find(f'id="{scope}"')
    if at < 0:
        return 0, 0
    starts = [m.start() for m in _SCOPE_START.finditer(html, 0, at)]
    if not starts:
        return 0, 0
    nxt = _SCOPE_START.search(html, at)
    end = nxt.start() if nxt else html.find("</body>", at)
    return starts[-1], end if end >= 0 else len(html)


def set_marks(html: str, marks: dict[str, str]) -> str:
    """``data-same-page`` on the references ``marks`` names, and on no other."""

    def fix(m: re.Match) -> str:
        tag = m.group(0)
        if "data-xref=" in tag:
            return tag
        tag = re.sub(r'\sdata-same-page="[^"]*"', "", tag)
        ident = re.search(r'\bid="([^"]+)"', tag)
        rule = marks.get(ident.group(1)) if ident else None
        return tag[:-1] + f' data-same-page="{rule}">' if rule else tag

    return _XREF_TAG.sub(fix, html)


# ---------------------------------------------------------------- reading a layout


def _found(document, laid: str, fixes: Fixes, final: bool) -> Fixes:
    """``fixes`` with what this layout of ``laid`` (the document with ``fixes`` applied) shows still
    to correct."""
    from blog2book.render.pdf.engine.lines import hyphenated_words
    from blog2book.render.pdf.engine.notes import note_rules
    from blog2book.render.pdf.xreftext import positions, same_page_rule

    from blog2book.render.pdf.engine.pages import page_scopes

    scopes = page_scopes(document)
    rules = list(fixes.rules) + [rule for rule in note_rules(document) if rule not in fixes.rules]
    if not final:
        return Fixes(tuple(rules), fixes.words, fixes.marks, fixes.rounds, fixes.shape)
    words: dict[str, set[str]] = {}
    for index, word in hyphenated_words(document, laid):
        scope = scopes[index]
        if scope is not None and (scope, word) not in fixes.words:
            words.setdefault(scope, set()).add(word)
    where = positions(document)
    marks = dict(fixes.marks)
    changed: dict[str, dict[str, str | None]] = {}
    for m in _XREF_TAG.finditer(laid):
        tag = m.group(0)
        ident = re.search(r'\bid="([^"]+)"', tag)
        href = re.search(r'\bhref="(?:#|b2b:)([^"]+)"', tag)
        if "data-xref=" in tag or not ident or not href or ident.group(1) not in where:
            continue
        ref = ident.group(1)
        rule = same_page_rule(where[ref], where[href.group(1)]) if href.group(1) in where else None
        scope = scopes[where[ref][0] - 1]
        if rule != marks.get(ref) and scope is not None:
            changed.setdefault(scope, {})[ref] = rule
    new_words = list(fixes.words)
    used = Counter(dict(fixes.rounds))
    for scope in sorted(set(words) | set(changed)):
        if used[scope] >= FINAL_ROUNDS:
            continue
        used[scope] += 1
        new_words += [(scope, w) for w in sorted(words.get(scope, ()))]
        for ref, rule in changed.get(scope, {}).items():
            if rule is None:
                marks.pop(ref, None)
            else:
                marks[ref] = rule
    return Fixes(tuple(rules), tuple(new_words), tuple(sorted(marks.items())), tuple(sorted(used.items())), fixes.shape)


_NUMBER = re.compile(r'(data-page=")(\d+)')
_FOLIO = re.compile(r"counter-reset: page \d+")  # the first folio: margin boxes only (a piece opens on a recto)


def shape(html: str) -> str:
    """What a layout of ``html`` depends on: the document with each page number it prints in the
    text (« voir p. N », contents) reduced to its count of digits, and the first folio (printed in
    the margins only) left out. Two documents of one shape are laid
    out alike, line for line, when digits have one width (the series' faces have tabular figures
    by default, and the style asks for them): the fixes found for one are those of the other."""
    import hashlib

    form = _FOLIO.sub("counter-reset: page #", _NUMBER.sub(lambda m: m.group(1) + "#" * len(m.group(2)), html))
    return hashlib.sha256(form.encode("utf-8")).hexdigest()


def correct(html: str, fixes: Fixes, render, final: bool = True):
    """Lay ``html`` out with ``fixes`` (render: html -> WeasyPrint document), and again while the
    layout shows something to correct. Returns the document and the fixes it was laid out with.
    ``fixes`` found for a document of another shape are not used: the result depends on ``html``
    alone, never on the passes or builds before. ``final=False`` corrects notes only."""
    form = shape(html)
    if fixes.shape != form:
        fixes = Fixes(shape=form)
    laid = fixes.apply(html)
    document = render(laid)
    for _ in range(NOTE_ROUNDS):
        fixes = _printed(document, fixes)
        found = _found(document, laid, fixes, final)
        if found == fixes:
            break
        fixes = found
        laid = fixes.apply(html)
        document = render(laid)
    return document, _printed(document, fixes)


def _printed(document, fixes: Fixes) -> Fixes:
    """``fixes`` with the references the layout marked on their target's page as it made the pages
    (``engine.corrector``): the document ``fixes.apply`` then writes is laid out as this one was."""
    from blog2book.render.pdf.engine.corrector import same_page_marks

    marks = same_page_marks(document)
    if not marks:
        return fixes
    return replace(fixes, marks=tuple(sorted((dict(fixes.marks) | marks).items())))


def keep_notes_with_calls(html: str, render):
    """Lay ``html`` out with ``render`` (html -> WeasyPrint document) and again while a note sits on
    a later page than its call (``corrections.correct`` with the notes only). Returns the document
    and the HTML it was laid out from."""
    document, fixes = correct(html, Fixes(), render, final=False)
    return document, fixes.apply(html)


_TAG = re.compile(r"(<[^>]+>)")


def protect_text(fragment: str, words: set[str]) -> str:
    """Every occurrence of ``words`` in the text (not the tags) of an HTML fragment wrapped in ``span.nohyph``."""
    if not words:
        return fragment
    rx = re.compile(r"(?<![\w>])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")
    parts = _TAG.split(fragment)
    for i in range(0, len(parts), 2):  # even indexes are text, odd ones tags
        parts[i] = rx.sub(r'<span class="nohyph">\1</span>', parts[i])
    return "".join(parts)
