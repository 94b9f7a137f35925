"""What a PDF's objects say: one font program per subset name, and the tags an accessible PDF has
(a structure tree, ``/MarkInfo /Marked true``, the language)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path


def subsets_with_two_programs(path: Path) -> dict[str, int]:
    """Font name -> how many different programs carry it, for the names carried by more than one
    (a RIP may draw a page's glyphs from the wrong one)."""
    import pikepdf

    programs: dict[str, set[str]] = defaultdict(set)
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontName" in obj:
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        programs[str(obj.FontName).lstrip("/")].add(hashlib.sha256(obj[key].read_bytes()).hexdigest())
    return {name: len(found) for name, found in sorted(programs.items()) if len(found) > 1}


def missing_tags(path: Path) -> list[str]:
    """What an accessible (tagged) PDF has and this one lacks: empty when it is tagged."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        root = pdf.Root
        lacks = []
        if "/StructTreeRoot" not in root:
            lacks.append("no structure tree (/StructTreeRoot)")
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            lacks.append("not marked (/MarkInfo /Marked true)")
        if "/Lang" not in root:
            lacks.append("no language (/Lang)")
    return lacks
