"""Joining the font subsets of PDF pieces (render/fonts_merge.py): every glyph a piece drew is in
the joined program, byte for byte, at its id."""

from __future__ import annotations

import io
import struct

import pytest

from blog2book.render.fonts_merge import join_subsets

TTFont = pytest.importorskip("fontTools.ttLib").TTFont


def _face():
    from blog2book.styles import font_file

    path = font_file("fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght=400&opsz=11")
    assert path is not None
    return path


def _subset(path, text: str) -> bytes:
    """A subset as WeasyPrint makes it (fontTools, glyph ids retained)."""
    from fontTools import subset

    font = TTFont(path)
    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True, notdef_outline=True)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in text])
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _glyphs(data: bytes) -> dict[int, bytes]:
    font = TTFont(io.BytesIO(data), lazy=True)
    n = font["maxp"].numGlyphs
    raw = font.reader["loca"]
    if font["head"].indexToLocFormat == 0:
        offsets = [2 * v for v in struct.unpack(f">{n + 1}H", raw[: 2 * (n + 1)])]
    else:
        offsets = list(struct.unpack(f">{n + 1}I", raw[: 4 * (n + 1)]))
    glyf = font.reader["glyf"]
    return {g: glyf[offsets[g]:offsets[g + 1]].rstrip(b"\0") for g in range(n) if offsets[g + 1] > offsets[g]}


def test_every_glyph_of_every_subset_is_in_the_joined_program():
    path = _face()
    a = _subset(path, "Le pâté chinois")
    b = _subset(path, "Élection, déçu, œuvre « ÉTÉ » — 2010")
    joined = join_subsets([a, b])
    got = _glyphs(joined)
    for part in (a, b):
        for gid, data in _glyphs(part).items():
            assert got.get(gid) == data, gid
    font = TTFont(io.BytesIO(joined))
    assert font["maxp"].numGlyphs == max(TTFont(io.BytesIO(p))["maxp"].numGlyphs for p in (a, b))
    font["glyf"]  # the joined program parses
    assert font["maxp"].maxComponentDepth >= TTFont(io.BytesIO(b))["maxp"].maxComponentDepth


def test_programs_of_two_fonts_are_not_joined():
    from blog2book.styles import font_file

    serif = _subset(_face(), "abc")
    sans = _subset(font_file("fontpkg:source-sans-3/SourceSans3[wght].ttf?wght=400"), "abc")
    with pytest.raises(ValueError):
        join_subsets([serif, sans])
