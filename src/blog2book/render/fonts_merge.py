"""One font program per face in a PDF merged from pieces.

Each WeasyPrint piece embeds its own subset of every face it uses. WeasyPrint subsets with
``retain_gids``: a glyph keeps its id in every subset, and unused ids are empty. So the subsets of
one face can be joined glyph by glyph into one program that serves every piece: the longest subset
is the base, and each glyph another subset has (and the base lacks) is copied in at the same id.
The join works on the raw ``glyf``/``loca`` tables (no outline is decoded). Width arrays and
ToUnicode maps stay with each piece's font dictionary; only the program is shared.
"""

from __future__ import annotations

import io
import struct
from collections import defaultdict

from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject



def _descriptors(writer: PdfWriter):
    """(face name, font descriptor) for every embedded TrueType program."""
    seen = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        fonts = resources.get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for desc_font in font.get("/DescendantFonts", []) or [font]:
                desc_font = desc_font.get_object()
                descriptor = desc_font.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if id(descriptor) in seen or "/FontFile2" not in descriptor:
                    continue
                seen.add(id(descriptor))
                # the tag before « + » is WeasyPrint's hash of the face's description: the same face in every piece
                yield str(descriptor.get("/FontName", "")), descriptor


def share_font_programs(writer: PdfWriter) -> int:
    """Join the subsets of each face into one program; returns the number of programs saved."""
    groups: dict[str, list] = defaultdict(list)
    for name, descriptor in _descriptors(writer):
        groups[name].append(descriptor)
    saved = 0
    for name, descriptors in groups.items():
        programs = {}
        for d in descriptors:
            stream = d["/FontFile2"].get_object()
            programs.setdefault(stream.indirect_reference.idnum if stream.indirect_reference else id(stream), (stream, d))
        if len(programs) < 2:
            continue
        try:
            joined = join_subsets([s.get_data() for s, _ in programs.values()])
        except Exception:  # an unexpected font structure: the pieces keep their own subsets
            continue
        plain = StreamObject()
        plain.set_data(joined)
        shared = plain.flate_encode()
        shared[NameObject("/Length1")] = _int(len(joined))
        ref = writer._add_object(shared)
        for d in descriptors:
            d[NameObject("/FontFile2")] = ref
        saved += len(programs) - 1
    return saved


def _int(n: int):
    from pypdf.generic import NumberObject

    return NumberObject(n)


def join_subsets(programs: list[bytes]) -> bytes:
    """Join TrueType subsets of one font made with retained glyph ids."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    fonts = [TTFont(io.BytesIO(p), lazy=True) for p in programs]
    # subsets of one font (same names, same design grid), or nothing to join
    if len({(f.reader["name"] if "name" in f.reader else b"", f["head"].unitsPerEm) for f in fonts}) > 1:
        raise ValueError("the programs are not subsets of one font")
    counts = [f["maxp"].numGlyphs for f in fonts]
    base_i = max(range(len(fonts)), key=lambda i: counts[i])
    base = fonts[base_i]
    n = counts[base_i]
    glyphs: list[bytes] = [b""] * n
    for f, count in sorted(zip(fonts, counts), key=lambda fc: fc[1]):
        raw = f.reader["glyf"]
        offsets = _loca(f, count)
        for gid in range(count):
            start, end = offsets[gid], offsets[gid + 1]
            if end > start and not glyphs[gid]:
                glyphs[gid] = raw[start:end]
    data = bytearray()
    loca = []
    for g in glyphs:
        loca.append(len(data))
        data += g
        if len(data) % 4:
            data += b"\0" * (4 - len(data) % 4)
    loca.append(len(data))
    glyf = DefaultTable("glyf")
    glyf.data = bytes(data)
    loca_t = DefaultTable("loca")
    loca_t.data = struct.pack(f">{len(loca)}I", *loca)
    out = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    out.setGlyphOrder(base.getGlyphOrder())
    for tag in base.reader.keys():
        if tag in ("glyf", "loca", "head", "maxp"):
            continue
        table = DefaultTable(tag)
        table.data = base.reader[tag]
        out[tag] = table
    head = base["head"]
    head.indexToLocFormat = 1
    head.xMin = min(f["head"].xMin for f in fonts)
    head.yMin = min(f["head"].yMin for f in fonts)
    head.xMax = max(f["head"].xMax for f in fonts)
    head.yMax = max(f["head"].yMax for f in fonts)
    out["head"] = head
    maxp = base["maxp"]  # the limits a renderer checks (points, contours, component depth): the largest of any subset
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxZones", "maxTwilightPoints",
                 "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxComponentDepth"):
        if hasattr(maxp, attr):
            setattr(maxp, attr, max(getattr(f["maxp"], attr, 0) for f in fonts))
    maxp.numGlyphs = n
    out["maxp"] = maxp
    out["glyf"] = glyf
    out["loca"] = loca_t
    buf = io.BytesIO()
    out.save(buf, reorderTables=False)
    return buf.getvalue()


def _loca(font, count: int) -> list[int]:
    raw = font.reader["loca"]
    if font["head"].indexToLocFormat == 0:
        return [2 * v for v in struct.unpack(f">{count + 1}H", raw[: 2 * (count + 1)])]
    return list(struct.unpack(f">{count + 1}I", raw[: 4 * (count + 1)]))
