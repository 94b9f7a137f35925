"""One font program per face in a PDF merged from pieces.

Each WeasyPrint piece embeds its own subset of every face it uses. The glyphs a piece draws keep
their ids of the full font in every subset (WeasyPrint subsets with ``retain_gids``), so the subsets
of one face can be joined into one program that serves every piece: each glyph a piece draws (the
CIDs of its width array) is copied in at its id. The parts of an accented letter (a composite
glyph) may sit at other ids in each subset, so composites are decomposed into plain outlines as
they are copied. If two pieces draw different glyphs at one id, or the programs are not subsets of
one font, the face is left as it was (each piece keeps its subset). Width arrays and ToUnicode maps
stay with each piece's font dictionary; only the program is shared.
"""

from __future__ import annotations

import io
import struct
from decimal import Decimal
from collections import defaultdict



def _font_dicts(pdf):
    """(face name, descendant font dictionary, its font descriptor) for every embedded TrueType
    program of a pikepdf ``Pdf``."""
    seen = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for font in fonts.values():
            for desc_font in font.get("/DescendantFonts") or [font]:
                descriptor = desc_font.get("/FontDescriptor")
                key = desc_font.objgen if desc_font.is_indirect else id(desc_font)
                if descriptor is None or key in seen:
                    continue
                seen.add(key)
                if "/FontFile2" not in descriptor:
                    continue
                # the tag before « + » is WeasyPrint's hash of the face's description: the same face in every piece
                yield str(descriptor.get("/FontName", "")), desc_font, descriptor


def used_glyphs(desc_font) -> set[int]:
    """The glyph ids a CID font draws: the CIDs of its /W array (CIDToGIDMap is Identity)."""
    return set(glyph_widths(desc_font.get("/W")))


def _direct(obj):
    """A pypdf object's target (pikepdf resolves references itself)."""
    return obj.get_object() if hasattr(type(obj), "get_object") else obj


def glyph_widths(array) -> dict[int, float]:
    """A CID font's /W array as glyph id -> width (thousandths of the font size)."""
    out: dict[int, float] = {}
    if array is None:
        return out
    items = list(_direct(array))
    i = 0
    while i < len(items):
        first = int(items[i])
        nxt = _direct(items[i + 1]) if i + 1 < len(items) else None
        if isinstance(nxt, list) or (not isinstance(nxt, (int, float, Decimal)) and nxt is not None and hasattr(nxt, "__len__")):
            for k, width in enumerate(nxt):
                out[first + k] = float(width)
            i += 2
        else:
            width = float(items[i + 2])
            for gid in range(first, int(items[i + 1]) + 1):
                out[gid] = width
            i += 3
    return out


def share_font_programs(pdf) -> int:
    """Join the subsets of each face of a pikepdf ``Pdf`` into one program; returns the number of
    programs saved."""
    groups: dict[str, list] = defaultdict(list)
    for name, desc_font, descriptor in _font_dicts(pdf):
        groups[name].append((desc_font, descriptor))
    saved = 0
    for name, members in groups.items():
        programs: dict = {}
        for desc_font, descriptor in members:
            if str(desc_font.get("/CIDToGIDMap", "/Identity")) != "/Identity":
                break
            stream = descriptor.FontFile2
            key = stream.objgen if stream.is_indirect else id(stream)
            data, used = programs.get(key, (None, set()))
            programs[key] = (data if data is not None else stream.read_bytes(), used | used_glyphs(desc_font))
        else:
            if len(programs) < 2:
                continue
            try:
                joined = join_subsets([data for data, _ in programs.values()], [used for _, used in programs.values()])
            except Exception:  # glyphs that disagree, an unexpected structure: each piece keeps its subset
                continue
            shared = pdf.make_stream(joined)  # compressed when the PDF is written
            shared.Length1 = len(joined)
            for _, descriptor in members:
                descriptor.FontFile2 = shared
            saved += len(programs) - 1
    return saved


def join_subsets(programs: list[bytes], used: list[set[int]] | None = None) -> bytes:
    """Join TrueType subsets of one font: the glyphs each one draws (``used``; default: all its
    glyphs), at their ids, composites decomposed."""
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
    base_order = base.getGlyphOrder()
    metrics = dict(base["hmtx"].metrics)  # advance and left side bearing, by glyph name
    decomposed: dict[tuple[int, bytes], tuple[bytes, int]] = {}  # the same composite in another subset: drawn once
    for i, (f, count) in enumerate(zip(fonts, counts)):
        raw = f.reader["glyf"]
        offsets = _loca(f, count)
        order = f.getGlyphOrder()
        wanted = sorted(g for g in (used[i] if used is not None else range(count)) if 0 < g < count)
        for gid in [0, *wanted]:
            start, end = offsets[gid], offsets[gid + 1]
            if end <= start:
                continue
            data = raw[start:end]
            advance, lsb = f["hmtx"].metrics[order[gid]]
            if struct.unpack(">h", data[:2])[0] < 0:  # a composite: its parts may be elsewhere in this subset
                # the same bytes name the same parts at the same ids (subsets keep the font's ids): the same outline
                known = decomposed.get((gid, data))
                if known is None:
                    known = decomposed[(gid, data)] = _decomposed(f, gid)
                data, lsb = known
            data = data.rstrip(b"\0")
            if glyphs[gid] and glyphs[gid] != data:
                if gid == 0:
                    continue
                raise ValueError(f"glyph {gid} differs between pieces")
            glyphs[gid] = data
            metrics[base_order[gid]] = (advance, lsb)
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
        if tag in ("glyf", "loca", "head", "maxp", "hmtx", "hhea"):
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
    maxp = base["maxp"]  # the limits a renderer checks: the largest of any subset
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxZones", "maxTwilightPoints",
                 "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxComponentDepth"):
        if hasattr(maxp, attr):
            setattr(maxp, attr, max(getattr(f["maxp"], attr, 0) for f in fonts))
    maxp.maxPoints = max(maxp.maxPoints, maxp.maxCompositePoints)  # decomposed composites are simple glyphs now
    maxp.maxContours = max(maxp.maxContours, maxp.maxCompositeContours)
    maxp.numGlyphs = n
    out["maxp"] = maxp
    out["glyf"] = glyf
    out["loca"] = loca_t
    out["hhea"] = base["hhea"]
    hmtx = base["hmtx"]
    hmtx.metrics = metrics
    out["hmtx"] = hmtx
    buf = io.BytesIO()
    out.save(buf, reorderTables=False)
    return buf.getvalue()


def _decomposed(font, gid: int) -> tuple[bytes, int]:
    """A composite glyph of ``font`` as one plain outline (its parts drawn in), and its left edge."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    name = font.getGlyphOrder()[gid]
    glyph_set = font.getGlyphSet()
    recording = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(recording)
    pen = TTGlyphPen(None)
    recording.replay(pen)
    glyph = pen.glyph()
    data = glyph.compile(font["glyf"])  # computes the bounds
    return data, getattr(glyph, "xMin", 0)


def _loca(font, count: int) -> list[int]:
    raw = font.reader["loca"]
    if font["head"].indexToLocFormat == 0:
        return [2 * v for v in struct.unpack(f">{count + 1}H", raw[: 2 * (count + 1)])]
    return list(struct.unpack(f">{count + 1}I", raw[: 4 * (count + 1)]))


def _subset_fonts(pdf):
    """(font dictionaries naming it, font descriptor) for every embedded program of a pikepdf ``Pdf``:
    the Type0 font and its descendant share one name."""
    found: dict = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        for font in (fonts.values() if fonts is not None else ()):
            for desc_font in font.get("/DescendantFonts") or [font]:
                descriptor = desc_font.get("/FontDescriptor")
                if descriptor is None or not descriptor.is_indirect:
                    continue
                names, _ = found.setdefault(descriptor.objgen, ({}, descriptor))
                names.update((f.objgen if f.is_indirect else id(f), f) for f in (font, desc_font))
    return [(list(names.values()), descriptor) for names, descriptor in found.values()]


def unique_subset_names(pdf) -> int:
    """Give each font program of a pikepdf ``Pdf`` a subset name of its own: pieces merged after
    their fonts were shared (or whose subsets could not be joined) may carry one tag (« ZUFEMT+ »,
    WeasyPrint's hash of the face) on two programs, and a RIP may draw one piece with the other's.
    The first program keeps the name; the others get a tag drawn from their bytes. Returns the
    number of renamed programs."""
    import hashlib

    from pikepdf import Name

    owner: dict[str, bytes] = {}
    renamed = 0
    for fonts, descriptor in _subset_fonts(pdf):
        key = next((k for k in ("/FontFile2", "/FontFile", "/FontFile3") if k in descriptor), None)
        if key is None:
            continue
        name = str(descriptor.get("/FontName", ""))
        program = descriptor[key].read_bytes()
        if owner.setdefault(name, program) == program:
            continue
        digest = hashlib.sha256(program).digest()
        tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
        new = f"/{tag}+{name.lstrip('/').split('+', 1)[-1]}"
        owner[new] = program
        descriptor.FontName = Name(new)
        for font in fonts:
            if "/BaseFont" in font:
                font.BaseFont = Name(new)
        renamed += 1
    return renamed


def one_program_per_name(data: bytes) -> bytes:
    """A merged PDF with the subsets of each face joined into one program where they can be, and
    every other program under a subset name of its own."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not share_font_programs(pdf) + unique_subset_names(pdf):
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
