"""The page-level corrections of ``engine.corrector``: what a finished page shows and how it is
corrected in the document's box tree before the page is made again.

``PageCorrector`` reads a page WeasyPrint has just made: a note moved past its call's page (its
paragraph is sent to the next page), a ladder of more than ``LADDER`` hyphenated lines, a word cut
at a recto's foot (that one occurrence set unbreakable), a cross-reference on its target's page
(it prints « (ci-dessous) » or « (plus haut) »: ``xreftext``). Each correction is kept with how to
take it back (``take_back``). ``PageState`` is what making a page changes in WeasyPrint's layout context,
kept to make the page again from where it started. These read WeasyPrint's internal boxes and
context, as ``engine.corrector`` does (checked by ``engine.problems()``).
"""

from __future__ import annotations

from blog2book.render.pdf.engine.lines import hyphenated_at, page_last_texts, word_spans
from blog2book.render.pdf.xreftext import same_page_text

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
        self.refs: dict[str, tuple] = {}  # reference id -> (its source box, its target's id): ``attach``
        self.watched: set[str] = set()  # the anchors of references and of their targets
        self.anchor_pages: dict[str, int] = {}  # a watched anchor -> the page it was first made on
        self.marks: dict[str, str] = {}  # reference id -> "below" | "above", set here (``same_page_marks``)
        # styles copied without hyphenation (``corrector._unhyphenated``), for this layout only: each
        # holds its document's fonts (a Pango font map), which a worker kept piece after piece when
        # they lived on the thread
        self.unhyphenated: dict = {}
        self._marked: dict[str, tuple] = {}  # reference id -> its undo entry
        self.lang = ""

    def take_back(self) -> None:
        for kind, *what in reversed(self.undo):
            if kind == "style":
                box, style = what
                box.style = style
            else:
                _put_back(*what)
        self.undo.clear()
        self.marks.clear()
        self._marked.clear()

    def attach(self, root_box) -> None:
        """Mark every box of the document's box tree as its own source (the boxes WeasyPrint lays
        out are shallow copies of them, and keep the mark), and every text box with its parent
        (once per document)."""
        if self.root is root_box:
            return
        from weasyprint.formatting_structure import boxes

        self.root = root_box
        self.lang = (root_box.element.get("lang") if getattr(root_box, "element", None) is not None else "") or "fr"
        stack = [root_box]
        while stack:
            box = stack.pop()
            box._b2b_src = box
            element = getattr(box, "element", None)
            if element is not None and box.element_tag == "a" and isinstance(box, boxes.InlineBox):
                self._reference(box, element)
            for child in getattr(box, "children", ()):
                child._b2b_parent = box
                stack.append(child)

    def _reference(self, box, element) -> None:
        """A cross-reference whose page the layout may print (as ``corrections`` reads them)."""
        ident, href = element.get("id"), element.get("href") or ""
        if not ident or "xref" not in (element.get("class") or "").split() or element.get("data-xref") is not None:
            return
        target = href[1:] if href.startswith("#") else href[4:] if href.startswith("b2b:") else ""
        if target:
            self.refs[ident] = (box, target)
            self.watched.update((ident, target))

    def correct(self, page, index: int | None = None) -> bool:
        """Correct the document for what this page shows; True when the page must be made again.
        A page this cannot read is left as it is (``corrections`` reads the finished layout)."""
        try:
            return self._note(page) or self._words(page) or (index is not None and self._references(page, index))
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

    # ------------------------------------------------------------ references on their target's page

    def _references(self, page, index: int) -> bool:
        """A reference whose target is on its own page prints « (ci-dessous) » or « (plus haut) »
        instead of the page: set in the box tree as the page is made, what ``corrections`` would
        otherwise find after the layout and correct with a layout of the whole document. Where an
        anchor is, is read as WeasyPrint's ``Page.anchors`` reads it (the first box that holds it,
        on the first page it is on; its hit area's top), so that the finished layout agrees."""
        if not self.refs:
            return False
        for name in [n for n, at in self.anchor_pages.items() if at >= index]:  # this page made again
            del self.anchor_pages[name]
        here: dict[str, float] = {}
        stack = [page]
        while stack:
            box = stack.pop()
            anchor = box.style["anchor"]
            if anchor and anchor in self.watched and anchor not in here and anchor not in self.anchor_pages:
                here[anchor] = box.hit_area()[1]
            stack.extend(reversed(box.all_children()))
        for name in here:
            self.anchor_pages[name] = index
        changed = False
        for ref, y in here.items():
            found = self.refs.get(ref)
            if found is None:
                continue
            source, target = found
            rule = None if target not in here else "below" if here[target] >= y else "above"
            changed |= self._mark(ref, source, rule)
        return changed

    def _mark(self, ref: str, source, rule: str | None) -> bool:
        """Print ``rule``'s words after reference ``ref`` (its source box), or take back the words
        set here when its target is no longer on its page. False when nothing changes."""
        from weasyprint.formatting_structure import boxes

        if rule is None or self.marks.get(ref) == rule:
            if rule is None and ref in self._marked:  # set here, no longer true: as the document had it
                entry = self._marked.pop(ref)
                self.undo.remove(entry)
                _put_back(*entry[1:])
                del self.marks[ref]
                return True
            return False
        after = next((c for c in source.children if (getattr(c, "element_tag", "") or "").endswith("::after")), None)
        texts = [c for c in getattr(after, "children", ()) if isinstance(c, boxes.TextBox)]
        if after is None or len(texts) != 1 or "(" not in texts[0].text:
            return False
        old = texts[0]
        if ref in self._marked:  # the other rule, set here before: start from the document's text
            old = self._marked[ref][3]
        words = same_page_text(self.lang, rule)
        text = old.text[: old.text.index("(")] + words[words.index("(") :]
        current = texts[0]
        if current.text == text:
            return False
        made = current.copy_with_text(text)
        made._b2b_parent, made._b2b_src = after, made
        after.children = [made if c is current else c for c in after.children]
        if ref in self._marked:
            self.undo.remove(self._marked.pop(ref))
        entry = ("split", after, [made], old)
        self.undo.append(entry)
        self._marked[ref] = entry
        self.marks[ref] = rule
        return True


def _put_back(parent, pieces: list, source) -> None:
    """``source`` back in ``parent``'s children where ``pieces`` (made from it) took its place."""
    children = list(parent.children)
    i = next(k for k, c in enumerate(children) if c is pieces[0])
    parent.children = children[:i] + [source] + children[i + len(pieces) :]
