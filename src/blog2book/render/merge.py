"""Laid-out pieces -> one PDF (pypdf): blank versos where a piece must start on a recto, links
between pieces turned into page destinations, one outline for the book, the book's metadata, and
each face's font program embedded once for the whole book.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

from blog2book.render.fonts_merge import share_font_programs
from blog2book.render.layout import LINK_SCHEME, BookLayout


@dataclass(frozen=True)
class Merged:
    pdf: bytes
    pages: int  # blank versos included (where they go: ``blanks_before``)


APART_PAGES = 2000  # a book of more pages is merged in a process of its own


def merge_apart(layout: BookLayout) -> Merged:
    """``merge`` in a fresh process when the book is long: the merge's memory (pypdf holds every
    page) then never adds to the build's (which holds the book), and each stays within what one
    process of a long book needs. What the merge does not read (paragraph marks, print facts) is
    not sent."""
    if sum(p.pages for p in layout.pieces) <= APART_PAGES:
        return merge(layout)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from dataclasses import replace

    light = replace(layout, pieces=tuple(replace(p, marks=(), images=(), slots=()) for p in layout.pieces))
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(merge, light).result()


def blanks_before(pages: list[int]) -> tuple[bool, ...]:
    """For pieces of these page counts, whether a blank verso goes before each: a piece starts on
    a recto (known before the merge: the book's page map is made from it)."""
    out, count = [], 0
    for n in pages:
        blank = count % 2 == 1  # the next page would be a verso
        out.append(blank)
        count += blank + n
    return tuple(out)


def merge(layout: BookLayout) -> Merged:
    writer = PdfWriter()
    first_page: list[int] = []
    blanks = blanks_before([piece.pages for piece in layout.pieces])
    catalog_from = None
    for piece, blank in zip(layout.pieces, blanks):
        if blank:
            _blank_page(writer, piece.size)
        first_page.append(len(writer.pages))
        reader = PdfReader(io.BytesIO(piece.pdf_data()))
        if catalog_from is None:
            catalog_from = reader
        _drop_named_destinations(reader)
        # a piece's PDF ends with its calibration page (render/renumber.py), which is not the book's
        writer.append(reader, pages=(0, piece.pages), import_outline=False)

    # where every anchor is in the book (the first of each name): its named destination, the
    # target of the links to it
    where: dict[str, tuple[int, float, float]] = {}
    for piece, start in zip(layout.pieces, first_page):
        for name, page, x, y in piece.positions:
            where.setdefault(name, (start + page, x, y))
    set_named_destinations(writer, {name: _xyz(writer, target) for name, target in where.items()})
    _resolve_links(writer, where)
    _outline(writer, layout, first_page)
    if catalog_from is not None:
        lang = catalog_from.trailer["/Root"].get("/Lang")
        if lang is not None:
            writer._root_object[NameObject("/Lang")] = lang
        if catalog_from.metadata:
            writer.add_metadata({k: v for k, v in catalog_from.metadata.items() if isinstance(v, str)})
    share_font_programs(writer)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return Merged(out.getvalue(), len(writer.pages))


NAMES_PER_NODE = 512  # names in a leaf of the destinations' name tree, kids in a node above it


def set_named_destinations(writer: PdfWriter, named: dict) -> None:
    """The PDF's named destinations (title -> destination array), sorted. Up to ``NAMES_PER_NODE``
    in one array, as pypdf writes them; more in a balanced name tree (leaves with their
    ``/Limits``, nodes of ``/Kids``): one array of a long book's 60 000 names would be more
    elements than a PDF reader is bound to read (pypdf stops at 100 000)."""
    if not named:
        return
    items = [(title, named[title]) for title in sorted(named)]
    if len(items) <= NAMES_PER_NODE:
        writer.get_named_dest_root().extend(x for title, dest in items for x in (TextStringObject(title), dest))
        return

    def node(first: str, last: str, key: str, values) -> tuple[str, str, object]:
        made = DictionaryObject({NameObject("/Limits"): ArrayObject([TextStringObject(first), TextStringObject(last)]), NameObject(key): ArrayObject(values)})
        return first, last, writer._add_object(made)

    level = [
        node(chunk[0][0], chunk[-1][0], "/Names", [x for title, dest in chunk for x in (TextStringObject(title), dest)])
        for chunk in (items[i:i + NAMES_PER_NODE] for i in range(0, len(items), NAMES_PER_NODE))
    ]
    while len(level) > NAMES_PER_NODE:
        level = [
            node(group[0][0], group[-1][1], "/Kids", [ref for _, _, ref in group])
            for group in (level[i:i + NAMES_PER_NODE] for i in range(0, len(level), NAMES_PER_NODE))
        ]
    root = writer._root_object
    if "/Names" not in root:
        root[NameObject("/Names")] = DictionaryObject()
    names = root["/Names"].get_object()
    names[NameObject("/Dests")] = writer._add_object(DictionaryObject({NameObject("/Kids"): ArrayObject(ref for _, _, ref in level)}))


def _drop_named_destinations(reader: PdfReader) -> None:
    """The piece's named destinations taken out of its catalog: pypdf would merge each piece's into
    the book's sorted array, sorting it again for every piece (a 2829-post book: 60 000 names, 285
    pieces, about a third of the merge). The book's are set once, from the pieces' anchors."""
    root = reader.root_object
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        names.pop(NameObject("/Dests"), None)
        if not names:
            root.pop(NameObject("/Names"), None)
    root.pop(NameObject("/Dests"), None)


def _xyz(writer: PdfWriter, target: tuple[int, float, float]) -> ArrayObject:
    """A destination: the point (x, y) of the book's page."""
    page, x, y = target
    return ArrayObject([writer.pages[page].indirect_reference, NameObject("/XYZ"), FloatObject(x), FloatObject(y), NumberObject(0)])


def _blank_page(writer: PdfWriter, size: tuple[float, float]) -> None:
    """A blank verso like WeasyPrint's (``@page :blank``): the page size, an empty content stream,
    and the boxes of the page before it."""
    from pypdf.generic import StreamObject

    previous = writer.pages[-1]
    page = writer.add_blank_page(*size)
    for box in ("/MediaBox", "/TrimBox", "/BleedBox", "/CropBox", "/ArtBox"):
        if box in previous:
            page[NameObject(box)] = ArrayObject(previous[box])
    empty = StreamObject()
    empty.set_data(b"")
    page[NameObject("/Contents")] = writer._add_object(empty)


def _resolve_links(writer: PdfWriter, where: dict[str, tuple[int, float, float]]) -> None:
    """``b2b:ANCHOR`` URI links (written by the pieces) -> destinations in the merged book."""
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        keep = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is None or not str(uri).startswith(LINK_SCHEME):
                keep.append(ref)
                continue
            target = where.get(str(uri)[len(LINK_SCHEME):])
            if target is None:
                continue  # a link to an anchor the book does not have: dropped, as WeasyPrint does
            del annot[NameObject("/A")]
            annot[NameObject("/Dest")] = _xyz(writer, target)
            keep.append(ref)
        page[NameObject("/Annots")] = keep


def _outline(writer: PdfWriter, layout: BookLayout, first_page: list[int]) -> None:
    """The book's outline from every piece's bookmarks, nested by their levels."""
    from pypdf.generic import Fit

    stack: list[tuple[int, object]] = []  # (level, outline item)
    for piece, start in zip(layout.pieces, first_page):
        for b in piece.bookmarks:
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            item = writer.add_outline_item(title=b.label, page_number=start + b.page, parent=parent, fit=Fit.xyz(b.x, b.y, 0))
            stack.append((b.level, item))

