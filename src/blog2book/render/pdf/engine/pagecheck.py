"""The page-level corrections of ``engine.corrector``: what a finished page shows and how it is
corrected in the document's box tree before the page is made again.

``PageCorrector`` reads a page WeasyPrint has just made: a note moved past its call's page (its
paragraph is sent to the next page), a ladder of more than ``LADDER`` hyphenated lines, a word cut
at a recto's foot (that one occurrence set unbreakable). Each correction is kept with how to take
it back (``take_back``). ``PageState`` is what making a page changes in WeasyPrint's layout context,
kept to make the page again from where it started. These read WeasyPrint's internal boxes and
context, as ``engine.corrector`` does (checked by ``engine.problems()``).
"""

from __future__ import annotations

from blog2book.render.pdf.engine.lines import hyphenated_at, page_last_texts, word_spans

LADDER = 2  # hyphenated lines in a row allowed


class PageState:
    """What making a page changes in WeasyPrint's layout context, as it was before the page."""

    def __init__(self, context, index):
        self.index = index
        self.footnotes = list(context.footnotes)
        self.reported = list(context.reported_footnotes)
        self.broken = dict(context.broken_out_of_flow)
        self.notes = len(getattr(context, "rendered_notes", ()))
        self.running = {name: list(pages.get(index + 1) or ()) for name, pages in context.running_elements.items()}

    def restore(self, context) -> None:
        context.footnotes = list(self.footnotes)
        context.reported_footnotes = list(self.reported)
        context.broken_out_of_flow = dict(self.broken)
        if hasattr(context, "rendered_notes"):
            del context.rendered_notes[self.notes :]
        for name, pages in context.running_elements.items():
            if self.running.get(name):
                pages[self.index + 1] = list(self.running[name])
            else:
                pages.pop(self.index + 1, None)
        state = context.page_maker[self.index][-1]
        state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])


class PageCorrector:
    def __init__(self):
        self.root = None
        self.remade = 0  # pages made again
        self.words = 0  # occurrences set unbreakable
        self.breaks = 0  # paragraphs sent to the next page with their note
        self.undo: list = []  # how to take each correction back, in order
        self.failed = 0  # pages that could not be read
        self.foreseen = 0  # lines made again before a recto's foot without their cut word
        self.moved: list = []  # (box, px) moved down by the last run's vertical justification (engine.spreads)
        self.stretched = 0  # pages stretched to their facing page's last baseline
        self.stubs = 0  # a paragraph's second-to-last line made again without its cut word (a stub after it)

    def take_back(self) -> None:
        for kind, *what in reversed(self.undo):
            if kind == "style":
                box, style = what
                box.style = style
            else:
                parent, pieces, source = what
                children = list(parent.children)
                i = next(k for k, c in enumerate(children) if c is pieces[0])
                parent.children = children[:i] + [source] + children[i + len(pieces) :]
        self.undo.clear()

    def attach(self, root_box) -> None:
        """Mark every box of the document's box tree as its own source (the boxes WeasyPrint lays
        out are shallow copies of them, and keep the mark), and every text box with its parent
        (once per document)."""
        if self.root is root_box:
            return
        self.root = root_box
        stack = [root_box]
        while stack:
            box = stack.pop()
            box._b2b_src = box
            for child in getattr(box, "children", ()):
                child._b2b_parent = box
                stack.append(child)

    def correct(self, page) -> bool:
        """Correct the document for what this page shows; True when the page must be made again.
        A page this cannot read is left as it is (``corrections`` reads the finished layout)."""
        try:
            return self._note(page) or self._words(page)
        except Exception:  # noqa: BLE001 - WeasyPrint's boxes are internal: never fail a layout for them
            self.failed += 1
            return False

    # ------------------------------------------------------------ notes

    def _note(self, page) -> bool:
        from blog2book.render.pdf.engine.notes import last_block, misplaced_on

        if not misplaced_on(page):
            return False
        block = last_block(page)
        source = getattr(block, "_b2b_src", None)
        if source is None or source.style["break_before"] == "page":
            return False
        # a style of its own (WeasyPrint shares computed styles between like elements)
        self.undo.append(("style", source, source.style))
        source.style = source.style.copy()
        source.style["break_before"] = "page"
        self.breaks += 1
        return True

    # ------------------------------------------------------------ words

    def _words(self, page) -> bool:
        lines = page_last_texts(page)
        targets = []
        run = 0
        for line in lines:
            cut = hyphenated_at(line)
            run = run + 1 if cut else 0
            if run > LADDER:
                targets.append(cut)
                run = 0
        if lines and page.page_type.side == "right":
            cut = hyphenated_at(lines[-1])
            if cut and cut not in targets:
                targets.append(cut)
        changed = False
        for source, spans in word_spans(targets):
            changed |= self._protect(source, spans)
        return changed

    def _protect(self, source, spans: list[tuple[int, int]]) -> bool:
        parent = getattr(source, "_b2b_parent", None)
        if parent is None or source not in parent.children:
            return False
        pieces, at = [], 0
        for start, end in spans:
            if at < start:
                pieces.append(source.copy_with_text(source.text[at:start]))
            word = source.copy_with_text(source.text[start:end])
            word.style = source.style.copy()
            word.style["hyphens"] = "manual"
            pieces.append(word)
            at = end
        if at < len(source.text):
            pieces.append(source.copy_with_text(source.text[at:]))
        for piece in pieces:
            piece._b2b_parent, piece._b2b_src = parent, piece
        i = parent.children.index(source)
        parent.children = list(parent.children[:i]) + pieces + list(parent.children[i + 1 :])
        self.undo.append(("split", parent, pieces, source))
        self.words += len(spans)
        return True
