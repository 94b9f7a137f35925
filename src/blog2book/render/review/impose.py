"""The review proof's sheets: where each book page goes, and the PDF that places it there.

A book page is placed on its sheet untouched: its content stream and resources become a form
XObject (the same bytes), drawn at its place on the sheet under the overlay that WeasyPrint made
for the sheet (stamp, sources, paragraph numbers, change bars). Nothing is laid out again.

Sheets (``--sheet``):

* ``letter`` (default) and ``a4``: one book page per sheet, the wide margin on its outer side
  (right of a recto, left of a verso), where the paragraph numbers and bars go;
* ``tabloid-half``: a tabloid sheet turned landscape (17 × 11 in), one book page on each half,
  facing pages side by side as the reader sees them (page 1 alone on the right half).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from blog2book.render.pdf.proofmap import book_facts

SHEETS: dict[str, tuple[float, float, bool]] = {  # name -> (width, height in pt, facing pages)
    "letter": (612.0, 792.0, False),
    "a4": (595.28, 841.89, False),
    "tabloid-half": (1224.0, 792.0, True),
}
SHEET_NAMES = tuple(SHEETS)

# the least room the marks need around a page (pt): outer side, inner side, head, foot
MIN_OUTER, MIN_INNER, MIN_HEAD, MIN_FOOT = 108.0, 18.0, 72.0, 36.0


@dataclass(frozen=True)
class Slot:
    """One book page on a sheet: ``page`` is 0-based; ``x`` and ``top`` are the page's left edge
    and top edge on the sheet, in pt from the sheet's left and top."""

    page: int
    x: float
    top: float
    recto: bool

    @property
    def number(self) -> int:  # the page's number in the book (one arabic sequence from the half-title)
        return self.page + 1


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float
    slots: tuple[Slot, ...]


def plan(name: str, trim: tuple[float, float], count: int) -> tuple[tuple[Sheet, ...], bool]:
    """The sheets for ``count`` book pages of size ``trim`` (pt); and whether the named sheet was
    too small for the page and its marks (the sheet then grows to fit)."""
    width, height, facing = SHEETS[name]
    w, h = trim
    half = width / 2 if facing else width
    grown = False
    if half - w < MIN_OUTER + MIN_INNER or height - h < MIN_HEAD + MIN_FOOT:
        grown = True
        half = max(half, w + MIN_OUTER + MIN_INNER)
        width = 2 * half if facing else half
        height = max(height, h + MIN_HEAD + MIN_FOOT)
    spare = height - h
    top = round(max(MIN_HEAD, spare * 0.6), 2)
    if facing:
        groups = [[0]] + [list(range(i, min(i + 2, count))) for i in range(1, count, 2)] if count else []
        sheets = []
        for group in groups:
            slots = tuple(Slot(p, half if _is_recto(p) else half - w, top, _is_recto(p)) for p in group)
            sheets.append(Sheet(width, height, slots))
        return tuple(sheets), grown
    inner = round(min(36.0, (half - w) * 0.2), 2)
    sheets = tuple(
        Sheet(width, height, (Slot(p, inner if _is_recto(p) else width - w - inner, top, _is_recto(p)),))
        for p in range(count)
    )
    return sheets, grown


def _is_recto(page: int) -> bool:
    return page % 2 == 0  # page 1 (index 0) is a recto


def pages_id(book_pdf: bytes) -> str:
    """A short id of the book's pages: a hash of what they draw (content streams and sizes), the
    same for every build of the same pages (the PDF's own bytes are not: WeasyPrint varies them)."""
    return book_facts(book_pdf)[2]


def compose(book_pdf: bytes, overlay_pdf: bytes, sheets: tuple[Sheet, ...], placed: dict | None = None) -> bytes:
    """The proof: the overlay's pages in order; its last ``len(sheets)`` pages are the sheets, each
    with its book pages drawn under the overlay. The leaves before them (the ``--compare`` summary)
    are kept as they are. ``placed`` (if given) is filled: book page -> (proof page, dx, dy)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    from blog2book.render.shared.pdfobjects import add_object

    book = PdfReader(io.BytesIO(book_pdf))
    overlay = PdfReader(io.BytesIO(overlay_pdf))
    leading = len(overlay.pages) - len(sheets)
    if leading < 0:
        raise ValueError(f"the proof overlay has {len(overlay.pages)} pages for {len(sheets)} sheets")
    writer = PdfWriter()
    forms: dict[int, object] = {}
    moved: dict[int, tuple[int, float, float]] = {}  # book page -> (proof page, dx, dy)
    pending: list = []  # links to book pages, pointed at the sheets once all exist
    for index, source in enumerate(overlay.pages):
        page = writer.add_page(source)
        if index < leading:
            continue
        sheet = sheets[index - leading]
        # the sheet's own resources (WeasyPrint shares one dictionary between its pages)
        resources = DictionaryObject(page[NameObject("/Resources")].get_object())
        xobjects = DictionaryObject(resources["/XObject"].get_object()) if "/XObject" in resources else DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        ops = []
        for slot in sheet.slots:
            if slot.page not in forms:
                forms[slot.page] = _page_as_form(writer, book.pages[slot.page])
            name = f"/BookPage{slot.number}"
            xobjects[NameObject(name)] = forms[slot.page]
            h = float(book.pages[slot.page].mediabox.height)
            x0 = float(book.pages[slot.page].mediabox.left)
            y0 = float(book.pages[slot.page].mediabox.bottom)
            dx, dy = slot.x - x0, sheet.height - slot.top - h - y0
            ops.append(f"q 1 0 0 1 {dx:.3f} {dy:.3f} cm {name} Do Q")
            moved[slot.page] = (index, dx, dy)
            _carry_links(writer, page, book.pages[slot.page], dx, dy, pending)
        placing = DecodedStreamObject()
        placing.set_data(("\n".join(ops) + "\n").encode("ascii"))
        contents = page.get("/Contents")
        existing = [] if contents is None else list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([add_object(writer, placing), *existing])
    if placed is not None:
        placed.update(moved)
    _point_links(book, writer, pending, moved)
    _carry_destinations(book, writer, moved)
    writer.add_metadata({k: v for k, v in (book.metadata or {}).items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _carry_links(writer, sheet_page, book_page, dx: float, dy: float, pending: list) -> None:
    """The book page's links (its TOC, cross-references, web links), moved with the page. A link to
    a page of the book (an explicit destination) is added to ``pending``, to be pointed at that
    page's sheet once every sheet exists (``_point_links``)."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    from blog2book.render.shared.pdfobjects import add_object

    links = [a.get_object() for a in book_page.get("/Annots", None) or () if a.get_object().get("/Subtype") == "/Link"]
    if not links:
        return
    annots = sheet_page.get("/Annots")
    if annots is None:
        annots = ArrayObject()
        sheet_page[NameObject("/Annots")] = annots
    annots = annots.get_object()
    for link in links:
        copy = link.clone(writer, force_duplicate=True, ignore_fields=("/P", "/Dest", "/A"))
        copy = add_object(writer, copy).get_object()  # a direct annotation made indirect: /Annots wants it so
        x0, y0, x1, y1 = (float(v) for v in link["/Rect"])
        copy[NameObject("/Rect")] = ArrayObject(FloatObject(round(v, 3)) for v in (x0 + dx, y0 + dy, x1 + dx, y1 + dy))
        copy[NameObject("/P")] = sheet_page.indirect_reference
        dest = link.get("/Dest")
        action = link.get("/A")
        if dest is not None:
            if isinstance(dest.get_object(), ArrayObject):
                pending.append((copy, None, dest.get_object()))
            else:
                copy[NameObject("/Dest")] = dest.clone(writer)  # a name: see _carry_destinations
        if action is not None:
            action = action.get_object()
            target = action.get("/D")
            if action.get("/S") == "/GoTo" and target is not None and isinstance(target.get_object(), ArrayObject):
                goto = DictionaryObject({k: v for k, v in action.items() if k != "/D"})
                copy[NameObject("/A")] = goto
                pending.append((copy, goto, target.get_object()))
            else:
                copy[NameObject("/A")] = action.clone(writer)
        annots.append(copy.indirect_reference)


def _point_links(book, writer, pending: list, moved: dict[int, tuple[int, float, float]]) -> None:
    """Links to a page of the book now lead to that page's sheet, at the same place on the page."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject

    index_of = {page.indirect_reference.idnum: n for n, page in enumerate(book.pages)}
    for copy, action, dest in pending:
        ref = dest[0]
        number = index_of.get(getattr(ref, "idnum", None))
        if number is None or number not in moved:
            continue  # a page the proof does not show: the link goes nowhere rather than astray
        sheet, dx, dy = moved[number]
        new = ArrayObject([writer.pages[sheet].indirect_reference, *dest[1:]])
        if len(dest) >= 4 and dest[1] == "/XYZ":
            for i, shift in ((2, dx), (3, dy)):
                value = dest[i]
                new[i] = NullObject() if isinstance(value, NullObject) or value is None else FloatObject(round(float(value) + shift, 3))
        if action is not None:
            action[NameObject("/D")] = new
        else:
            copy[NameObject("/Dest")] = new


def _carry_destinations(book, writer, moved: dict[int, tuple[int, float, float]]) -> None:
    """The book's named destinations (targets of its links) and outline, onto the sheets."""
    from pypdf.generic import Destination, Fit, TextStringObject

    from blog2book.render.shared.pdfobjects import add_object

    def target(dest):
        number = book.get_destination_page_number(dest)
        if number is None or number not in moved:
            return None
        index, dx, dy = moved[number]
        left = None if dest.left is None else float(dest.left) + dx
        top = None if dest.top is None else float(dest.top) + dy
        return index, Fit.xyz(left, top)

    named = {}  # set at once: pypdf inserts names one by one into a sorted array (too slow for a long book's tens of thousands)
    for name, dest in book.named_destinations.items():
        found = target(dest)
        if found is not None:
            index, fit = found
            named[name] = add_object(writer, Destination(TextStringObject(name), writer.pages[index].indirect_reference, fit).dest_array)
    _set_names(writer, named)

    def outline(items, parent=None) -> None:
        last = parent
        for item in items:
            if isinstance(item, list):
                outline(item, last)
                continue
            found = target(item)
            if found is not None:
                last = writer.add_outline_item(title=str(item.title), page_number=found[0], parent=parent, fit=found[1])

    outline(book.outline)


def _page_as_form(writer, page):
    """The book page as a form XObject in ``writer``: its content stream (same bytes, same filter)
    and resources; returns the indirect reference."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject, StreamObject

    from blog2book.render.shared.pdfobjects import add_object

    contents = page.get("/Contents")
    single = contents is not None and isinstance(contents.get_object(), StreamObject)
    if single:
        form = contents.get_object().clone(writer, force_duplicate=True)
    else:
        form = DecodedStreamObject()
        data = page.get_contents()
        form.set_data(data.get_data() if data is not None else b"")
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(float(v)) for v in page.mediabox)
    if "/Resources" in page:
        form[NameObject("/Resources")] = page["/Resources"].clone(writer)
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    return add_object(writer, form)


def _set_names(writer, named: dict) -> None:
    """The sheets' named destinations (name -> destination), as a name tree (``merge.name_tree``)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    from blog2book.render.pdf.merge import name_tree
    from blog2book.render.shared.pdfobjects import add_object

    if not named:
        return

    def node(first: str, last: str, key: str, values: list):
        made = DictionaryObject({NameObject("/Limits"): ArrayObject([TextStringObject(first), TextStringObject(last)]), NameObject(key): ArrayObject(values)})
        return add_object(writer, made)

    key, values = name_tree(sorted(named.items()), node, TextStringObject)
    root = writer.root_object
    if "/Names" not in root:
        root[NameObject("/Names")] = DictionaryObject()
    root["/Names"].get_object()[NameObject("/Dests")] = add_object(writer, DictionaryObject({NameObject(key): ArrayObject(values)}))
