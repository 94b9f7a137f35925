"""The design's corrections made page by page, inside WeasyPrint's layout.

A book designer corrects a laid-out page for:

* a note WeasyPrint moved to a later page than its call: the paragraph goes to the next page
  (``engine.notes``'s rule);
* a word hyphenated at the foot of a recto, across the page turn;
* a ladder of more than two hyphenated lines in a row (WeasyPrint has neither
  ``hyphenate-limit-last`` nor ``hyphenate-limit-lines``): the word ending the third is set whole;
* a cross-reference on its target's page: it prints « (ci-dessous) » or « (plus haut) », not the
  page (found after the layout, it cost a layout of the whole piece: at 300 posts, 3 pieces of 39).

A line looser than the word-space budget is made again (``engine.spacing``); the shorter page of
a full spread is stretched to its facing page's last baseline once the pages are made (``engine.spreads``).
What a finished page is checked for, and how it is corrected, is ``engine.pagecheck``.

Ladders are prevented as the lines are made, which costs no page: after two hyphenated lines in a
row, a paragraph's next line is broken without hyphenation (what setting its cut word whole gives:
lines break greedily). The page check still looks for them.

Done after a layout (``corrections``), each correction costs a layout of the whole document, and
it moves the lines after it, so the next layout shows new ones. Done here, a page is checked as
soon as WeasyPrint has made it; what it shows is corrected in the document's box tree (that one
occurrence of the word set unbreakable, ``hyphens: manual``; the paragraph given
``break-before: page``), and that page alone is made again from the state it started from. Lines
break greedily, so the lines before a protected word are unchanged; the pages after are made once,
with the correction in place. A page is made at most ``1 + ATTEMPTS`` times.

This uses WeasyPrint's internals (``layout.make_all_pages``, ``layout.page.remake_page``,
``layout.inline.split_text_box``, ``layout.block.iter_line_boxes``, its layout context and its page
and text boxes), as ``engine.notes`` and ``engine.lines`` read them; ``corrections`` still reads the
finished layout for what is left (a page given up on, references on their target's page). The
wrappers are installed only when ``engine.problems()`` finds every internal they use. A layout
during which they fail is made again without them (the after-the-fact corrections take over), and
the failure is kept for the build to report (``take_failures``): never a crash.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from blog2book.render.pdf.engine import spacing, spreads
from blog2book.render.pdf.engine.lines import cut_in_word, is_stub, last_text
from blog2book.render.pdf.engine.pagecheck import LADDER, PageCorrector, PageState

ATTEMPTS = 4  # corrections of one page before it is left as it is
FORESEE = True  # a recto's last line made without its cut word before the page is made (else: the page check)

_local = threading.local()  # the corrector of the layout this thread is making (Dask may run several)
_originals: dict = {}  # WeasyPrint's functions this module wraps
_installed: bool | None = None  # None: not tried yet
_lock = threading.Lock()
_failures: list[str] = []  # what made a layout of this process run without the corrector


def _active() -> "PageCorrector | None":
    return getattr(_local, "corrector", None)


@contextmanager
def corrections():
    """Within this block, documents WeasyPrint lays out are corrected page by page."""
    before = _active()
    corrector = PageCorrector()
    if _install():
        _local.corrector = corrector
    try:
        yield corrector
    finally:
        _local.corrector = before


def corrected(render):
    """``render`` (html -> WeasyPrint document) with the page-by-page corrections. A layout that
    fails while they are in place is made again without them: a failure of theirs (WeasyPrint's
    internals changed under them) costs a layout and is kept for the build's report, never the
    build; a failure of WeasyPrint's own fails the second layout too, and is raised from there."""

    def run(html):
        try:
            with corrections() as corrector:
                document = render(html)
                document.b2b_same_page = dict(corrector.marks)  # references marked as the pages were made (``same_page_marks``)
                return document
        except Exception as exc:  # noqa: BLE001 - see above
            if not _installed:
                raise
            document = render(html)
            _failures.append(f"{type(exc).__name__}: {exc}")
            return document

    return run


def same_page_marks(document) -> dict[str, str]:
    """The references the corrector marked « below » / « above » while laying ``document`` out
    (id -> rule): what it printed besides the marks its HTML asked for."""
    return dict(getattr(document, "b2b_same_page", None) or {})


def take_failures() -> tuple[str, ...]:
    """What made layouts of this process run without the corrector since the last call."""
    found = tuple(dict.fromkeys(_failures))
    _failures.clear()
    return found


def _install() -> bool:
    """Wrap WeasyPrint's functions, once. False when this WeasyPrint lacks an internal they use
    (``engine.problems()``): the layout is then corrected after the fact only (``corrections``),
    and the PDF back end says so (``engine.fallback_notice()``)."""
    global _installed
    with _lock:
        if _installed is not None:
            return _installed
        from blog2book.render.pdf.engine import problems

        if problems():
            _installed = False
            return False
        import weasyprint.layout as layout
        from weasyprint.layout import block, inline, page

        _originals.update(split_text_box=inline.split_text_box, remake_page=page.remake_page, make_all_pages=layout.make_all_pages,
                          iter_line_boxes=block.iter_line_boxes)
        for wrapper, name in ((_split_text_box, "split_text_box"), (_remake_page, "remake_page"),
                              (_make_all_pages, "make_all_pages"), (_iter_line_boxes, "iter_line_boxes")):
            wrapper.__wrapped__ = _originals[name]  # what engine.problems() inspects (inspect.signature follows it)
        inline.split_text_box = _split_text_box
        page.remake_page = _remake_page
        layout.make_all_pages = _make_all_pages
        block.iter_line_boxes = _iter_line_boxes
        _installed = True
        return True


def _split_text_box(context, box, available_width, skip, is_line_start=True):
    """WeasyPrint's, with where each line's text came from kept on it: the source box's text and
    the UTF-8 offset where the next line resumes. A line that would make a ladder is broken
    without hyphenation."""
    if _active() is None:
        return _originals["split_text_box"](context, box, available_width, skip, is_line_start)
    paragraphs = getattr(_local, "paragraphs", None)
    made = box
    if paragraphs and paragraphs[-1][0] >= LADDER and box.style["hyphens"] == "auto":
        made = box.copy()
        made.style = _unhyphenated(box.style)
    adjust = getattr(_local, "adjust", None)  # a line made again for its word spaces (engine.spacing)
    if adjust is not None:
        made = box.copy() if made is box else made
        made.style = adjust.style(made.style, box)
    new_box, resume, preserved = _originals["split_text_box"](context, made, available_width, skip, is_line_start)
    if new_box is not None and resume is not None:
        new_box._b2b_cut = (box.text, resume)
    return new_box, resume, preserved


def _unhyphenated(style):
    """``style`` with ``hyphens: manual`` (a copy, kept for the next line with the same style)."""
    cache = _active().unhyphenated  # this layout's (``PageCorrector``): they hold its fonts
    found = cache.get(id(style))
    if found is None or found[0] is not style:
        copy = style.copy()
        copy["hyphens"] = "manual"
        found = cache[id(style)] = (style, copy)
    return found[1]


def _iter_line_boxes(context, box, *args, **kwargs):
    """WeasyPrint's lines of a paragraph on a page, counting the hyphenated lines in a row: while
    a line is made, the count of its paragraph (the innermost: a note's paragraphs are made inside
    a line) is on top of this thread's stack, for ``_split_text_box``.

    On a recto, a hyphenated line after which the next line no longer fits is made again without
    hyphenation before WeasyPrint places it: what the page check would correct by making the page
    again. Whatever WeasyPrint then does with the page's last lines (widows), the
    line is either the page's last or made again on the next page."""
    original = _originals["iter_line_boxes"]
    lines = original(context, box, *args, **kwargs)
    corrector = _active()
    if corrector is None:
        yield from lines
        return
    stack = _local.__dict__.setdefault("paragraphs", [])
    run, prior = [0], [0]

    def make():
        prior[0] = run[0]
        stack.append(run)
        try:
            item = next(lines, None)
        finally:
            stack.pop()
        if item is not None:
            run[0] = run[0] + 1 if cut_in_word(last_text(item[0])) else 0
        return item

    remakable = not kwargs and len(args) == 8 and not context.in_column
    if remakable:
        position_y, bottom_space, skip_stack, block, absolute_boxes, fixed_boxes = args[:6]
        remakable = block.style["max_lines"] == "none"
    foresee = FORESEE and remakable and getattr(_local, "recto", False)

    def remake_unhyphenated(made: list, adjust=None, runs=LADDER):
        """The lines from ``line`` on made again, ``line`` without hyphenation (``runs``: the
        hyphenated lines in a row before it), its text set as ``adjust`` says (engine.spacing)."""
        nonlocal lines
        _discard(context, made, absolute_boxes, fixed_boxes)
        lines = original(context, box, position_y, bottom_space, skip_stack, block, absolute_boxes, fixed_boxes, None, None)
        run[0] = runs  # LADDER: the next line is broken without hyphenation (_split_text_box)
        _local.adjust = adjust
        try:
            return make()
        finally:
            _local.adjust = None

    given, ahead = 0, None
    while True:
        item, ahead = ahead or make(), None
        if item is None:
            return
        line, resume_at = item
        line_run = run[0]  # hyphenated lines in a row, this one included (``make`` of a line ahead changes run)
        line_prior = prior[0]  # and before it
        if foresee and given >= max(1, block.style["orphans"] - 1) and resume_at is not None and run[0] and not _has_note_call(line):
            before = run[0] - 1
            ahead = make()
            if ahead is not None and context.overflows_page(bottom_space, ahead[0].position_y + ahead[0].height):
                item, ahead = remake_unhyphenated([line, ahead[0]]), None
                if item is None:  # pragma: no cover - the same text makes at least one line
                    return
                line, resume_at = item
                run[0] = line_run = before + 1 if cut_in_word(last_text(line)) else 0
                line_prior = LADDER
                corrector.foreseen += 1
        if remakable and resume_at is not None and line_run and not _has_note_call(line):
            # a cut word whose end would be most of the paragraph's last line (« sui-/vants : »)
            before = line_run - 1
            ahead = ahead or make()
            if ahead is not None and ahead[1] is None and is_stub(ahead[0]) \
                    and not context.overflows_page(bottom_space, ahead[0].position_y + ahead[0].height):
                item, ahead = remake_unhyphenated([line, ahead[0]]), None
                if item is None:  # pragma: no cover - the same text makes at least one line
                    return
                line, resume_at = item
                run[0] = before + 1 if cut_in_word(last_text(line)) else 0
                line_prior = LADDER
                corrector.stubs += 1
        if remakable and resume_at is not None and not _has_note_call(line) and spacing.too_loose(context, line):
            made_ahead = [ahead[0]] if ahead is not None else []  # made again after the line, if it changes

            def remake_spaced(made, adjust):
                lines_made = made + made_ahead
                made_ahead.clear()
                return remake_unhyphenated(lines_made, adjust, line_prior)

            fitted = spacing.fit(context, item, remake_spaced)
            if fitted is not item:
                item, ahead = fitted, None
                line, resume_at = item
        yield item
        given += 1
        position_y, skip_stack = line.position_y + line.height, resume_at


def _has_note_call(line) -> bool:
    """Whether a footnote is called on the line (its note changes where the page ends)."""
    return any(getattr(b, "footnote", None) is not None for b in line.descendants())


def _discard(context, lines, absolute_boxes, fixed_boxes) -> None:
    """Lines made and not given to WeasyPrint: what they placed for later (positioned boxes) is
    taken back, as WeasyPrint 70 does for the lines it reads past (68 and 69 leave those; taking
    back what these lines placed is right on all three)."""
    from weasyprint.layout.block import remove_placeholders

    for line in lines:
        remove_placeholders(context, line.children, absolute_boxes, fixed_boxes)


def _make_all_pages(context, root_box, html, pages):
    """WeasyPrint's loop over the pages. When it runs again (page-based ``target-counter``s
    resolved: a whole book in one flow), the corrections the last run made are taken back and
    every page is made again, so the last run is the layout of the document with its final numbers
    from nothing — what a piece with those numbers written in gets — not one that keeps corrections
    found with the numbers of the run before."""
    corrector = _active()
    if corrector is None:
        return _originals["make_all_pages"](context, root_box, html, pages)
    spreads.undo(corrector.moved)  # the pages WeasyPrint keeps are as it made them
    if corrector.root is root_box and corrector.undo:
        corrector.take_back()
        for item in context.page_maker:
            item[-1]["content_changed"] = True
    made = list(_originals["make_all_pages"](context, root_box, html, pages))
    corrector.stretched = spreads.justify(made, corrector.moved)  # facing pages end on one baseline
    return made


def _remake_page(index, context, root_box, html):
    corrector = _active()
    make = _originals["remake_page"]
    if corrector is None:
        return make(index, context, root_box, html)
    corrector.attach(root_box)
    saved = PageState(context, index)
    _local.recto = bool(context.page_maker[index][2])  # the page's side (lines foreseen at a recto's foot)
    for attempt in range(ATTEMPTS + 1):
        page, resume_at = make(index, context, root_box, html)
        if attempt == ATTEMPTS or page.page_type.blank or not corrector.correct(page, index):
            return page, resume_at
        saved.restore(context)
        corrector.remade += 1
