"""Footnotes on the page of their call: a correction applied after WeasyPrint's layout.

WeasyPrint moves the last notes of a page to the next one when that lets it keep a paragraph's
orphan or widow lines together; a book wants every note at the foot of the page of its call. These
functions read WeasyPrint's page boxes (internal API: ``page._page_box``), find such pages, send the
paragraph to the next page with a CSS rule and lay out again. ``render/pdf/engine/corrector.py`` makes the same
correction page by page during the layout, with ``misplaced_on`` and ``last_block``.
"""

from __future__ import annotations


def misplaced_notes(document) -> list[int]:
    """0-based indexes of the pages holding a footnote call whose note WeasyPrint put on a later page.

    WeasyPrint moves the last notes of a page to the next one when that lets it keep a paragraph's
    orphan or widow lines together (``layout/block.py``, "report" footnotes); a book wants each
    note at the foot of the page of its call.
    """
    return [n for n, page in enumerate(document.pages) if misplaced_on(page._page_box)]


def misplaced_on(page_box) -> bool:
    """Whether this laid-out page (a WeasyPrint page box) holds a note call whose note is not at its foot."""
    from weasyprint.formatting_structure import boxes

    children = list(page_box.children)
    areas = [c for c in children if isinstance(c, boxes.FootnoteAreaBox)]
    flows = [c for c in children if not isinstance(c, boxes.FootnoteAreaBox)]
    calls = {id(b.element) for f in flows for b in _boxes(f) if (getattr(b, "element_tag", None) or "").endswith("::footnote-call")}
    if not calls:
        return False
    notes = {id(b.element) for a in areas for b in _boxes(a) if getattr(b, "element", None) is not None}
    return bool(calls - notes)


def _boxes(box):
    for child in box.all_children() if hasattr(box, "all_children") else ():
        yield child
        yield from _boxes(child)


def _flow(page_box):
    """The page's box of the document's root element (not the footnote area, not margin boxes)."""
    from weasyprint.formatting_structure import boxes

    return next((c for c in page_box.children if isinstance(c, boxes.BlockBox) and not isinstance(c, boxes.FootnoteAreaBox)), None)


def last_block(page_box):
    """The block box to send to the next page so that the page's last paragraph goes with it, or None.

    That is the block holding the page's last line, or the heading (or dateline) kept with it by
    ``break-after: avoid``; it must start on this page, below other text."""
    from weasyprint.formatting_structure import boxes

    lines: list[tuple] = []  # for each line of the page, its chain of element blocks

    def visit(box, chain):
        for child in box.all_children() if hasattr(box, "all_children") else ():
            if isinstance(child, boxes.LineBox):
                lines.append(chain)
            elif isinstance(child, boxes.BlockBox) and child.element is not None and type(child.style).__name__ != "AnonymousStyle":
                visit(child, chain + (child,))
            elif isinstance(child, boxes.ParentBox):
                visit(child, chain)

    flow = _flow(page_box)
    if flow is None:
        return None
    visit(flow, ())
    if not lines or not lines[-1]:
        return None
    chain = lines[-1]
    block, level = chain[-1], len(chain) - 1
    while level > 0:  # go back over what must stay with the block: headings, datelines
        siblings = [c for c in chain[level - 1].children if isinstance(c, boxes.BlockBox)]
        if block not in siblings:
            break
        i = siblings.index(block)
        if i > 0 and str(siblings[i - 1].style["break_after"]).startswith("avoid"):
            block = siblings[i - 1]
        elif i == 0 and "top" not in chain[level - 1].remove_decoration_sides:
            level -= 1  # the first child: the parent starts here too, and goes with it
            block = chain[level]
        else:
            break
    starts_here = "top" not in block.remove_decoration_sides  # a box continued from the page before has no top
    text_before = any(block not in other for other in lines)
    return block if starts_here and text_before else None


def _selector(root, element) -> str | None:
    """A CSS selector for ``element`` alone: its path of :nth-child() from the root."""
    parents = {child: parent for parent in root.iter() for child in parent}
    steps = []
    while element is not root:
        parent = parents.get(element)
        if parent is None:
            return None
        siblings = [c for c in parent if isinstance(c.tag, str)]
        steps.append(f"*:nth-child({siblings.index(element) + 1})")
        element = parent
    return ":root > " + " > ".join(reversed(steps))


def note_rules(document) -> list[str]:
    """CSS rules that send to the next page the paragraph that made WeasyPrint move a note to a
    later page than its call: one page per chapter (chapters start on a new page, so a fix in one
    does not change the lines of another; a fix may change the pages after it in its chapter)."""
    rules, chapters = [], set()
    for n in misplaced_notes(document):
        page = document.pages[n]._page_box
        block = last_block(page)
        if block is None:
            continue
        element = block.element
        root = _flow(page).element
        chapter = _chapter_of(root, element)
        if chapter in chapters:
            continue
        chapters.add(chapter)
        selector = _selector(root, element)
        if selector:
            rules.append(f"{selector} {{ break-before: page; }}")
    return rules


def _chapter_of(root, element):
    parents = {child: parent for parent in root.iter() for child in parent}
    while element is not None:
        if "chapter" in (element.get("class") or "").split() or "matter" in (element.get("class") or "").split():
            return id(element)
        element = parents.get(element)
    return None


def note_pages(document) -> tuple[int, ...]:
    """0-based indexes of the laid-out pages whose foot holds notes (a footnote area with boxes):
    the tagged PDF tags them as notes (``render/pdf/structure.py``)."""
    from weasyprint.formatting_structure import boxes

    return tuple(
        n for n, page in enumerate(document.pages)
        if any(isinstance(c, boxes.FootnoteAreaBox) and c.children for c in page._page_box.children)
    )
