"""A tagged PDF's structure read back (pikepdf), and the problems a PDF/UA checker would see in it:
the tests of the accessible PDF (tests/test_pdf_tags.py) use it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_MCID = re.compile(rb"<<\s*/MCID (\d+)\s*>>\s*BDC")


@dataclass
class Tags:
    lang: str | None = None
    marked: bool = False
    display_title: bool = False
    xmp: str = ""
    headings: list[tuple[str, int]] = field(default_factory=list)  # (H1..H6, its page from 0), in the tree's order
    roles: dict[str, int] = field(default_factory=dict)  # structure type -> count
    figures: list[str | None] = field(default_factory=list)  # each Figure's /Alt
    ids: dict[str, str] = field(default_factory=dict)  # element identifier -> its structure type
    problems: list[str] = field(default_factory=list)


def read_tags(path: Path) -> Tags:
    import pikepdf

    out = Tags()
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        out.lang = str(root.Lang) if "/Lang" in root else None
        out.marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
        out.display_title = bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
        out.xmp = root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in root else ""
        tree = root.get("/StructTreeRoot")
        if tree is None:
            out.problems.append("no StructTreeRoot")
            return out
        page_of = {page.objgen: n for n, page in enumerate(pdf.pages)}
        # the tree walked in order: elements, and the (page, MCID) each holds
        in_tree: set = set()
        held: set[tuple[int, int]] = set()
        texts: dict = {}

        def walk(element, page):
            if element.objgen in in_tree:
                out.problems.append(f"element {element.objgen} twice in the tree")
                return
            in_tree.add(element.objgen)
            kind = str(element.get("/S", ""))[1:]
            out.roles[kind] = out.roles.get(kind, 0) + 1
            if "/Pg" in element:
                page = page_of.get(element.Pg.objgen)
                if page is None:
                    out.problems.append(f"{kind} on a page that is not the book's")
            if kind in ("H1", "H2", "H3", "H4", "H5", "H6"):
                out.headings.append((kind, page))
            if kind == "Figure":
                out.figures.append(str(element.Alt) if "/Alt" in element else None)
            if "/ID" in element:
                if str(element.ID) in out.ids:
                    out.problems.append(f"identifier {element.ID} twice")
                out.ids[str(element.ID)] = kind
            elif kind == "Note":
                out.problems.append("a Note without /ID")
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
            for kid in kids:
                if isinstance(kid, int):
                    held.add((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary):
                    if kid.get("/Type") == "/MCR":
                        held.add((page_of.get(kid.Pg.objgen, page) if "/Pg" in kid else page, int(kid.MCID)))
                    elif kid.get("/Type") == "/OBJR":
                        on_page = {a.objgen for a in pdf.pages[page].get("/Annots", ())} if page is not None else set()
                        if kid.Obj.objgen not in on_page:
                            out.problems.append(f"{kind}: an annotation that is not on its page")
                    else:
                        if kid.get("/P") is None or kid.P.objgen != element.objgen:
                            out.problems.append(f"{kid.get('/S')} has a wrong /P")
                        walk(kid, page)

        top = tree.K
        for element in (list(top) if isinstance(top, pikepdf.Array) else [top]):
            walk(element, None)
        # every marked content of every page is in the tree and in the parent tree
        parents = {}
        stack = [tree.ParentTree]
        while stack:
            node = stack.pop()
            nums = node.get("/Nums")
            if nums is not None:
                for i in range(0, len(nums), 2):
                    parents[int(nums[i])] = nums[i + 1]
            stack.extend(node.get("/Kids", ()))
        for n, page in enumerate(pdf.pages):
            data = b"".join(c.read_bytes() for c in ([page.Contents] if isinstance(page.Contents, pikepdf.Stream) else page.Contents))
            mcids = [int(m) for m in _MCID.findall(data)]
            if not mcids:
                continue
            key = page.obj.get("/StructParents")
            if key is None or int(key) not in parents:
                out.problems.append(f"page {n + 1}: marked content but no parent tree entry")
                continue
            array = parents[int(key)]
            for mcid in mcids:
                if mcid >= len(array) or array[mcid] is None:
                    out.problems.append(f"page {n + 1}: MCID {mcid} not in the parent tree")
                elif array[mcid].objgen not in in_tree:
                    out.problems.append(f"page {n + 1}: MCID {mcid}'s element is outside the structure tree")
                elif (n, mcid) not in held:
                    out.problems.append(f"page {n + 1}: MCID {mcid} not held by its element")
            for annot in page.get("/Annots", ()):
                if annot.get("/Subtype") == "/Link":
                    if not str(annot.get("/Contents", "")) or str(annot.Contents).startswith("b2b:"):
                        out.problems.append(f"page {n + 1}: a link without a description")
                    key = annot.get("/StructParent")
                    if key is None or int(key) not in parents or parents[int(key)].objgen not in in_tree:
                        out.problems.append(f"page {n + 1}: a link outside the structure tree")
        named = set()
        stack = [tree.get("/IDTree")] if "/IDTree" in tree else []
        while stack:
            node = stack.pop()
            names = node.get("/Names")
            if names is not None:
                named |= {str(names[i]) for i in range(0, len(names), 2)}
            stack.extend(node.get("/Kids", ()))
        if named != set(out.ids):
            out.problems.append(f"IDTree names {sorted(named ^ set(out.ids))[:5]} wrongly")
        if int(tree.get("/ParentTreeNextKey", -1)) != (max(parents) + 1 if parents else 0):
            out.problems.append("ParentTreeNextKey is not the next key")
    return out
