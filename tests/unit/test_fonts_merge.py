"""Joining the font subsets of PDF pieces (render/fonts_merge.py): every glyph a piece draws is in
the joined program with the outline of the full font, accented letters (composites) included."""

from __future__ import annotations

import io

import pytest

from blog2book.render.pdf.fontmerge import join_subsets

TTFont = pytest.importorskip("fontTools.ttLib").TTFont


def _face():
    from blog2book.styles import font_file

    path = font_file("fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght=600&opsz=20")
    assert path is not None
    return path


def _subset(path, text: str) -> tuple[bytes, set[int]]:
    """A subset as WeasyPrint makes it (fontTools, the drawn glyphs' ids retained) and those ids."""
    from fontTools import subset

    full = TTFont(path)
    cmap = full.getBestCmap()
    order = full.getGlyphOrder()
    gids = {order.index(cmap[ord(c)]) for c in text if ord(c) in cmap}
    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True, desubroutinize=True)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    sub = subset.Subsetter(options)
    sub.populate(gids=gids)
    sub.subset(full)
    out = io.BytesIO()
    full.save(out)
    return out.getvalue(), gids


def _outline(font, gid: int):
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    glyph_set = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[font.getGlyphOrder()[gid]].draw(pen)
    return pen.value


def test_every_drawn_glyph_has_the_full_fonts_outline():
    path = _face()
    full = TTFont(path)
    # « é » in one piece and « è » in another: the parts of the two composites sit at different ids
    a, used_a = _subset(path, "Un billet commenté, des cafés")
    b, used_b = _subset(path, "Table des matières")
    joined = TTFont(io.BytesIO(join_subsets([a, b], [used_a, used_b])))
    for gid in used_a | used_b:
        assert _outline(joined, gid) == _outline(full, gid), gid


def test_programs_of_two_fonts_are_not_joined():
    from blog2book.styles import font_file

    serif, used = _subset(_face(), "abc")
    sans, used2 = _subset(font_file("fontpkg:source-sans-3/SourceSans3[wght].ttf?wght=400"), "abc")
    with pytest.raises(ValueError):
        join_subsets([serif, sans], [used, used2])


def test_programs_that_cannot_be_joined_get_subset_names_of_their_own():
    """Two pieces' programs under one subset name (not joinable here: not fonts at all): the first
    keeps the name, the other gets a tag of its own, on its descriptor and both font dictionaries."""
    import pikepdf

    from blog2book.render.pdf.fontmerge import one_program_per_name

    pdf = pikepdf.new()
    for program in (b"first program", b"second program"):
        descriptor = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/ZUFEMT+Book-Serif"), FontFile2=pdf.make_stream(program)))
        cid = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/ZUFEMT+Book-Serif"), FontDescriptor=descriptor, W=[1, [500]]))
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/ZUFEMT+Book-Serif"), DescendantFonts=[cid]))
        pdf.add_blank_page()
        pdf.pages[-1].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(one_program_per_name(out.getvalue()))) as result:
        names = []
        for page in result.pages:
            font = page.Resources.Font.F1
            cid = font.DescendantFonts[0]
            assert str(font.BaseFont) == str(cid.BaseFont) == str(cid.FontDescriptor.FontName)
            names.append((str(font.BaseFont), cid.FontDescriptor.FontFile2.read_bytes()))
    assert names[0] == ("/ZUFEMT+Book-Serif", b"first program")
    assert names[1][0].endswith("+Book-Serif") and names[1][0] != names[0][0] and names[1][1] == b"second program"
