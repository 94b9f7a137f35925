"""Laid-out pieces -> one PDF (pikepdf, qpdf): blank versos where a piece must start on a recto,
links between pieces turned into page destinations, the book's named destinations and outline,
its metadata, and each face's font program embedded once for the whole book.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from blog2book.render.pdf.fontmerge import share_font_programs, unique_subset_names
from blog2book.render.pdf.layout import LINK_SCHEME, BookLayout
from blog2book.render.pdf.structure import StructureMerge


@dataclass(frozen=True)
class Merged:
    pdf: bytes
    pages: int  # blank versos included (where they go: ``blanks_before``)


MERGE_VERSION = 5  # in the merged book's cache key: bump when the merge writes other bytes (2: blank versos drawable; 3, 4: tags; 5: pieces merged one at a time)
APART_PAGES = 2000  # a book of more pages is merged in a process of its own


def merge_apart(layout: BookLayout) -> Merged:
    """``merge`` in a fresh process when the book is long: the merge's memory (every page) then
    never adds to the build's (which holds the book), and each stays within what one process of a
    long book needs. What the merge does not read (paragraph marks, print facts) is not sent."""
    if sum(p.pages for p in layout.pieces) <= APART_PAGES:
        return merge(layout)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from dataclasses import replace

    light = replace(layout, pieces=tuple(replace(p, marks=(), images=(), slots=()) for p in layout.pieces))
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(merge, light).result()


def blanks_before(pages: list[int], recto: bool = True) -> tuple[bool, ...]:
    """For pieces of these page counts, whether a blank verso goes before each: a piece starts on
    a recto (known before the merge: the book's page map is made from it); with ``recto=False``
    (the style's ``--openers: any``) a piece starts on the next page, and no blank page is made."""
    out, count = [], 0
    for n in pages:
        blank = recto and count % 2 == 1  # the next page would be a verso
        out.append(blank)
        count += blank + n
    return tuple(out)


def merge(layout: BookLayout) -> Merged:
    """The pieces' PDFs as one book: each piece opened, its pages (and tags) copied with their
    streams' data, and closed before the next is opened (a long book's pieces held open at once
    took most of the merge's memory: 1.2 GB of 3.1 at 2829 posts)."""
    from pikepdf import Array, Name, ObjectStreamMode, Pdf

    book = Pdf.new()
    blanks = blanks_before([piece.pages for piece in layout.pieces], layout.recto)
    first_page: list[int] = []  # each piece's first page in the book (0-based)
    count = 0
    for piece, blank in zip(layout.pieces, blanks):
        count += blank
        first_page.append(count)
        count += piece.pages
    # where every anchor is in the book (the first of each name): its named destination, the
    # target of the links to it
    where: dict[str, tuple[int, float, float]] = {}
    for piece, start in zip(layout.pieces, first_page):
        for name, page, x, y in piece.positions:
            where.setdefault(name, (start + page, x, y))
    structure = StructureMerge(book, name_tree)  # the pieces' tags, when they have them (the trade PDF)
    pages: list = []  # the book's page objects, in order
    version = "1.4"
    for n, (piece, blank) in enumerate(zip(layout.pieces, blanks)):
        if blank:
            pages.append(_blank_page(book, pages[-1], piece.size))
        with Pdf.open(io.BytesIO(piece.pdf_data())) as source:
            if n == 0:
                version = source.pdf_version
                lang = source.Root.get("/Lang")
                if lang is not None:
                    book.Root[Name.Lang] = lang
                for key, value in source.docinfo.items():
                    if not isinstance(value, Name):
                        book.docinfo[key] = value
            # a piece's PDF ends with its calibration page (render/pdf/renumber.py), which is not the book's
            copied = _copied_pages(book, source, piece.pages)
            kept = {a.objgen for page in copied for a in page.get("/Annots", ()) if _kept(a, where)}
            structure.add(source, copied, piece.pages, kept)
            _own_streams([*copied, *([structure.metadata] if n == 0 and structure.metadata is not None else [])])
        pages.extend(copied)
    # the page tree made at once: qpdf's own page insertion (pages.extend) gets slower with every
    # page the book has, and would take most of a long book's copy
    tree = book.Root.Pages
    for page in pages:
        page[Name.Parent] = tree
    tree[Name.Kids] = Array(pages)
    tree[Name.Count] = len(pages)
    _named_destinations(book, {name: _xyz(pages, target) for name, target in where.items()})
    _resolve_links(pages, where)
    _outline(book, pages, layout, first_page)
    tags = structure.finish()
    share_font_programs(book)
    unique_subset_names(book)  # subsets that could not be joined: a name of their own
    out = io.BytesIO()
    # a tagged book's thousands of small structure elements go into object streams (PDF 1.5+: the
    # tagged book is 1.7): 2.6 times smaller than the same file without them
    streams = {"object_stream_mode": ObjectStreamMode.generate} if tags else {}
    book.save(out, min_version=version, deterministic_id=True, **streams)
    return Merged(out.getvalue(), len(pages))


def _anchor(annot) -> str | None:
    """The anchor a link of the pieces' own names (``b2b:ANCHOR``), or None for any other annotation."""
    action = annot.get("/A")
    uri = str(action.get("/URI", "")) if action is not None else ""
    return uri[len(LINK_SCHEME):] if uri.startswith(LINK_SCHEME) else None


def _kept(annot, where: dict) -> bool:
    """Whether ``_resolve_links`` keeps this annotation (a link to an anchor the book has, or not ours)."""
    name = _anchor(annot)
    return name is None or name in where


def _own_streams(roots: list) -> None:
    """The data of the streams under objects just copied into the book (a page's contents, fonts,
    images; the XMP metadata), read from their source now: qpdf reads a copied stream's data from
    its source only when the book is written, and the source is closed before that. Structure
    elements hold no stream (not walked); a page's parent and an annotation's page are not
    followed (the book's own)."""
    from pikepdf import Array, Dictionary, Stream

    seen: set = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if isinstance(obj, Stream):
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            obj.write(obj.read_raw_bytes(), filter=obj.get("/Filter"), decode_parms=obj.get("/DecodeParms"))
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, Dictionary):
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P", "/StructTreeRoot"))
        elif isinstance(obj, Array):
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            stack.extend(obj)


NAMES_PER_NODE = 512  # names in a leaf of the destinations' name tree, kids in a node above it


def name_tree(items: list[tuple[str, object]], node, string, leaf: str = "/Names") -> tuple[str, list]:
    """A name tree of sorted (name, value) ``items``, whatever the PDF library: its root's key and
    values. Up to ``NAMES_PER_NODE`` names, the root holds them (``/Names``); more make a balanced
    tree, leaves of ``NAMES_PER_NODE`` names and nodes of as many kids above them (``/Kids``): one
    array of a long book's 60 000 names would be more elements than a PDF reader is bound to read
    (pypdf stops at 100 000). ``node(first, last, key, values)`` makes a node with its ``/Limits``
    and returns a reference to it; ``string`` makes a PDF text string."""
    flat = lambda pairs: [x for name, value in pairs for x in (string(name), value)]  # noqa: E731
    if len(items) <= NAMES_PER_NODE:
        return leaf, flat(items)
    level = [
        (chunk[0][0], chunk[-1][0], node(chunk[0][0], chunk[-1][0], leaf, flat(chunk)))
        for chunk in (items[i:i + NAMES_PER_NODE] for i in range(0, len(items), NAMES_PER_NODE))
    ]
    while len(level) > NAMES_PER_NODE:
        level = [
            (group[0][0], group[-1][1], node(group[0][0], group[-1][1], "/Kids", [ref for _, _, ref in group]))
            for group in (level[i:i + NAMES_PER_NODE] for i in range(0, len(level), NAMES_PER_NODE))
        ]
    return "/Kids", [ref for _, _, ref in level]


def _named_destinations(book, named: dict) -> None:
    """The book's named destinations (name -> destination array), as a name tree."""
    from pikepdf import Array, Dictionary, Name, String

    if not named:
        return

    def node(first: str, last: str, key: str, values: list):
        return book.make_indirect(Dictionary({"/Limits": Array([String(first), String(last)]), key: Array(values)}))

    key, values = name_tree(sorted(named.items()), node, String)
    names = book.Root.get("/Names")
    if names is None:
        names = book.Root[Name.Names] = Dictionary()
    names[Name.Dests] = book.make_indirect(Dictionary({key: Array(values)}))


def _xyz(pages: list, target: tuple[int, float, float]):
    """A destination: the point (x, y) of the book's page."""
    from pikepdf import Array, Name

    page, x, y = target
    return Array([pages[page], Name.XYZ, x, y, 0])


def _copied_pages(book, source, count: int) -> list:
    """The first ``count`` pages of ``source`` copied into ``book`` (not yet in its page tree), with
    what they inherit from their page tree written on them."""
    from pikepdf import Name

    tree = source.Root.Pages
    inherited = [key for key in (Name.Resources, Name.MediaBox, Name.CropBox, Name.Rotate) if key in tree]
    copied = []
    for page in source.pages[:count]:
        page = page.obj
        for key in inherited:
            if key not in page:
                page[key] = tree[key]
        copied.append(book.copy_foreign(page))
    return copied


BLANK_CONTENT = b"q Q\n"  # draws nothing; not empty: qpdf writes an empty stream as /FlateDecode with no data


def _blank_page(book, previous, size: tuple[float, float]):
    """A blank verso like WeasyPrint's (``@page :blank``): the page size, a content stream that
    draws nothing, and the boxes of the page before it. Not an empty stream: ``book.save``
    compresses every unfiltered stream, and qpdf gives an empty one the Flate filter and no bytes,
    which is no Flate data (qpdf/qpdf#1426): Ghostscript stops on the page ("Page drawing error")."""
    from pikepdf import Array, Dictionary, Name

    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, *size]), Resources=Dictionary(), Contents=book.make_stream(BLANK_CONTENT))
    for box in ("/MediaBox", "/TrimBox", "/BleedBox", "/CropBox", "/ArtBox"):
        if box in previous:
            page[box] = Array(list(previous[box]))
    return book.make_indirect(page)


def _resolve_links(pages: list, where: dict[str, tuple[int, float, float]]) -> None:
    """``b2b:ANCHOR`` URI links (written by the pieces) -> destinations in the merged book."""
    from pikepdf import Array, String

    for page in pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        keep = []
        for annot in annots:
            name = _anchor(annot)
            if name is not None:
                if name not in where:
                    continue  # a link to an anchor the book does not have: dropped, as WeasyPrint does (``_kept``)
                target = where[name]
                del annot["/A"]
                annot["/Dest"] = _xyz(pages, target)
                if str(annot.get("/Contents", "")).startswith(LINK_SCHEME):  # a tagged link's description: not our scheme
                    annot["/Contents"] = String(f"p. {target[0] + 1}")
            keep.append(annot)
        page["/Annots"] = Array(keep)


def _outline(book, pages: list, layout: BookLayout, first_page: list[int]) -> None:
    """The book's outline from every piece's bookmarks, nested by their levels."""
    from pikepdf import OutlineItem

    with book.open_outline() as outline:
        stack: list[tuple[int, OutlineItem]] = []  # (level, outline item)
        for piece, start in zip(layout.pieces, first_page):
            for b in piece.bookmarks:
                while stack and stack[-1][0] >= b.level:
                    stack.pop()
                item = OutlineItem(b.label, _xyz(pages, (start + b.page, b.x, b.y)))
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((b.level, item))
