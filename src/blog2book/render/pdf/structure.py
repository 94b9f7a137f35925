"""The trade PDF's tags (PDF/UA-1): each piece is written tagged by WeasyPrint (``TAGGED``), its
running heads and folios made artifacts and its notes ``Note`` in the worker (``finish_tags``), and the merge joins
the pieces' structure trees into the book's one (``StructureMerge``).

WeasyPrint tags a page's content in reading order: the page's text (headings ``H1``..``H6``,
paragraphs, lists ``L``/``LI``/``LBody``, tables, ``Figure`` with the image's ``alt``, ``Link``
with its annotation as an ``OBJR``), then the notes of the page (its footnote area), so a note is
read after the text of the page that calls it (blog2book keeps every note on its call's page),
tagged ``Note`` with an ``/ID`` (``finish_tags``, ``_identify``). What its margin boxes draw
(running heads, folios) it marks as content whose structure elements are outside the tree:
``finish_tags`` turns that content into ``/Artifact`` (pagination) and takes it out of the parent
tree, as PDF/UA asks. The merge's blank versos draw nothing, so hold no content to tag.

The book's tree: one ``Document`` element whose kids are the pieces' in order (reading order),
the calibration page of each piece left out (``renumber.py``), one ``ParentTree`` (a number
tree) whose keys are the book's pages' ``/StructParents`` and its annotations' ``/StructParent``,
renumbered from 0; ``/MarkInfo``, ``/ViewerPreferences /DisplayDocTitle``, the ``/Lang`` and the
XMP metadata (``dc:title``, ``pdfuaid:part 1``) of the first piece.
"""

from __future__ import annotations

import io
import re

TAGGED = {"pdf_variant": "pdf/ua-1"}  # the trade PDF's write_pdf options (PDF 1.7, tagged, XMP with pdfuaid:part 1)
_MARKED = re.compile(rb"/(\w+)\n<</MCID (\d+)>>\nBDC")
ARTIFACT = b"/Artifact\n<</Type /Pagination>>\nBDC"


def is_tagged(options) -> bool:
    """Whether a piece's ``write_pdf`` options (a dict or (name, value) pairs) make a tagged PDF."""
    options = dict(options or ())
    return bool(options.get("pdf_tags")) or str(options.get("pdf_variant", "")).startswith("pdf/ua")


def reachable(root) -> set[tuple[int, int]]:
    """The structure elements (their object ids) in the tree under ``root`` (a StructTreeRoot)."""
    from pikepdf import Array, Dictionary

    seen: set[tuple[int, int]] = set()
    stack = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if node.get("/Type") != "/OBJR":
                stack.append(node.get("/K"))
    return seen


def _parent_tree(root) -> dict[int, object]:
    """A parent tree's key -> value (its ``/Nums``, and its ``/Kids`` when it has them)."""
    found: dict[int, object] = {}
    stack = [root.get("/ParentTree")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                found[int(nums[i])] = nums[i + 1]
        stack.extend(node.get("/Kids", ()))
    return found


def finish_tags(pdf: bytes, note_pages: tuple[int, ...] = ()) -> bytes:
    """A tagged piece as the book's tags want it: the content of its margin boxes (running heads,
    folios) as artifacts — the marked content whose structure element is not in the tree becomes
    ``/Artifact`` and leaves the parent tree; only the ``BDC`` operator's line changes (``renumber``
    still finds the folios' text) — and the notes at the foot of ``note_pages`` (0-based) tagged
    ``Note``: WeasyPrint gives the footnote area the page's last element, one kid per note."""
    from pikepdf import Array, Name, Pdf

    with Pdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        inside = reachable(root)
        parents = _parent_tree(root)
        changed = False
        for page in doc.pages:
            key = page.obj.get("/StructParents")
            mcids = parents.get(int(key)) if key is not None else None
            if not isinstance(mcids, Array):
                continue
            outside = {i for i, element in enumerate(mcids) if element is not None and element.is_indirect and element.objgen not in inside}
            if not outside:
                continue
            contents = page.obj.get("/Contents")
            if not hasattr(contents, "read_bytes"):  # WeasyPrint writes one stream a page
                continue
            data = _MARKED.sub(lambda m: ARTIFACT if int(m.group(2)) in outside else m.group(0), contents.read_bytes())
            contents.write(data)
            for i in outside:
                mcids[i] = None
            changed = True
        if note_pages:
            pages = {doc.pages[n].objgen for n in note_pages if n < len(doc.pages)}
            last: dict = {}  # page -> its last top-level element
            for top in _kids(root):
                for kid in _kids(top) if top.get("/S") == "/Document" else [top]:
                    if "/Pg" in kid and kid.Pg.objgen in pages:
                        last[kid.Pg.objgen] = kid
            for area in last.values():
                for note in _kids(area):
                    note.S = Name.Note
                    changed = True
        if not changed:
            return pdf
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


def _identify(elements: list, piece: int, ids: dict, annots: set) -> None:
    """Element identifiers unique in the book: a piece's own (WeasyPrint's table headers, named by
    object numbers of the piece) prefixed with the piece, each ``Note`` given one (PDF/UA), the
    cells' ``/Headers`` following; ``ids`` (identifier -> element) gets them, for the ``IDTree``.
    A link's annotation the merge dropped (its target is not in the book; not in ``annots``, the
    pages' annotations) leaves its element."""
    from pikepdf import Array, Dictionary, String

    seen: set = set()
    stack = list(elements)
    while stack:
        element = stack.pop()
        if element.objgen in seen:
            continue
        seen.add(element.objgen)
        if "/ID" in element:
            element.ID = String(f"p{piece}-{element.ID}")
        elif element.get("/S") == "/Note":
            element.ID = String(f"p{piece}-note-{len(ids) + 1}")
        if "/ID" in element:
            ids[str(element.ID)] = element
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and isinstance(attributes.get("/Headers"), Array):
            attributes.Headers = Array([String(f"p{piece}-{h}") for h in attributes.Headers])
        kids = element.get("/K")
        if isinstance(kids, Array) and any(isinstance(k, Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen not in annots for k in kids):
            element.K = Array([k for k in kids if not (isinstance(k, Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen not in annots)])
        stack.extend(k for k in _kids(element) if k.get("/Type") != "/OBJR")


class StructureMerge:
    """The book's one structure tree from its tagged pieces, given one at a time (``add``: the
    piece's source PDF, its pages as copied into ``book``, its count of pages; the ones after
    it, the calibration page, are left out), so that each source can be closed before the next
    is opened; ``finish`` writes the tree. A book with an untagged piece is not tagged (never
    half): what was added is taken back. ``name_tree`` makes the parent tree's nodes (``merge.name_tree``)."""

    def __init__(self, book, name_tree):
        from pikepdf import Array, Dictionary, Name

        self.book, self.name_tree = book, name_tree
        self.root = book.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = book.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root, K=Array()))
        self.nums: list[tuple[int, object]] = []
        self.roles: dict[str, object] = {}
        self.ids: dict[str, object] = {}
        self.marked: list = []  # the book's pages and annotations given a key of the parent tree
        self.pieces = 0
        self.untagged = False
        self.metadata = None

    def add(self, source, copied: list, count: int, annots: set) -> None:
        """The piece's structure elements copied into the book; ``annots``: its copied pages'
        annotations the book keeps (the merge drops the links to anchors it has not)."""
        from pikepdf import Array

        piece = self.pieces
        self.pieces += 1
        if self.untagged or source.Root.get("/StructTreeRoot") is None:
            self.untagged = True
            return
        book = self.book
        if piece == 0 and "/Metadata" in source.Root:
            self.metadata = book.copy_foreign(source.Root.Metadata)
        sroot = source.Root.StructTreeRoot
        parents = _parent_tree(sroot)
        own = {page.objgen for page in source.pages[:count]}
        kids = []
        for top in _kids(sroot):
            for kid in _kids(top) if top.get("/S") == "/Document" else [top]:
                page = kid.get("/Pg")
                if page is not None and page.objgen not in own:
                    continue  # the calibration page's
                if "/P" in kid:
                    del kid["/P"]  # not copied: the piece's Document and root stay behind
                kids.append(kid)
        elements = [book.copy_foreign(kid) for kid in kids]
        for element in elements:
            element.P = self.document
            self.document.K.append(element)
        _identify(elements, piece, self.ids, annots)
        for page, mine in zip(source.pages[:count], copied):
            key = page.obj.get("/StructParents")
            mcids = parents.get(int(key)) if key is not None else None
            if mcids is not None:
                mine.StructParents = len(self.nums)
                self.marked.append((mine, "/StructParents"))
                self.nums.append((len(self.nums), Array([book.copy_foreign(e) if getattr(e, "is_indirect", False) else e for e in mcids])))
            for annot in mine.get("/Annots", ()):
                if annot.objgen not in annots:
                    continue
                key = annot.get("/StructParent")
                element = parents.get(int(key)) if key is not None else None
                if not getattr(element, "is_indirect", False):
                    continue
                annot.StructParent = len(self.nums)
                self.marked.append((annot, "/StructParent"))
                self.nums.append((len(self.nums), book.copy_foreign(element)))
        for role, value in (sroot.get("/RoleMap") or {}).items():
            self.roles.setdefault(role, value)

    def finish(self) -> bool:
        """The tree written into the book; whether the book is tagged."""
        from pikepdf import Array, Dictionary, String

        book, root = self.book, self.root
        if self.untagged or not self.pieces:
            for holder, key in self.marked:  # a piece had no tags: neither has the book
                del holder[key]
            return False

        def node(first: int, last: int, key: str, values: list):
            return book.make_indirect(Dictionary({"/Limits": Array([first, last]), key: Array(values)}))

        key, values = self.name_tree(self.nums, node, lambda n: n, leaf="/Nums")
        root.ParentTree = book.make_indirect(Dictionary({key: Array(values)}))
        root.ParentTreeNextKey = len(self.nums)
        root.K = Array([self.document])
        if self.ids:
            def id_node(first: str, last: str, key: str, values: list):
                return book.make_indirect(Dictionary({"/Limits": Array([String(first), String(last)]), key: Array(values)}))

            key, values = self.name_tree(sorted(self.ids.items()), id_node, String)
            root.IDTree = book.make_indirect(Dictionary({key: Array(values)}))
        if self.roles:
            root.RoleMap = Dictionary(self.roles)
        book.Root.StructTreeRoot = root
        book.Root.MarkInfo = Dictionary(Marked=True)
        book.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if self.metadata is not None:
            book.Root.Metadata = self.metadata
        return True


def _kids(element) -> list:
    from pikepdf import Array, Dictionary

    k = element.get("/K")
    if isinstance(k, Array):
        return [x for x in k if isinstance(x, Dictionary)]
    return [k] if isinstance(k, Dictionary) else []
