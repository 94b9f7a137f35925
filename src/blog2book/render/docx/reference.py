"""The reference document pandoc's DOCX writer takes its styles from: pandoc's own ``reference.docx``
with its ``word/styles.xml`` edited in the book style's spirit (a serif text face, French paragraphs
indented with no space between them, sober headings, smaller quotes and notes). Made once per process.
"""

from __future__ import annotations

import functools
import io
import zipfile

from lxml import etree

from blog2book import pandoc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FACE = "Source Serif 4"  # the style's text face (styles.SERIF); Word and LibreOffice substitute a serif when it is missing
# style id -> (size in half-points, bold, italic, space before, after (twips), first-line indent, left/right indent)
_STYLES = {
    "Title": (40, True, False, 0, 240, None, None),
    "Subtitle": (28, False, True, 0, 240, None, None),
    "Heading1": (36, True, False, 480, 240, None, None),
    "Heading2": (30, True, False, 360, 180, None, None),
    "Heading3": (26, True, False, 240, 120, None, None),
    "Heading4": (23, True, True, 200, 100, None, None),
    "BodyText": (None, None, None, 0, 0, 340, None),
    "FirstParagraph": (None, None, None, 0, 0, 0, None),
    "Compact": (None, None, None, 0, 0, 0, None),
    "BlockText": (20, None, None, 120, 120, 0, 567),
    "FootnoteText": (18, None, None, 0, 60, None, None),
}


_RPR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish "
        "webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang").split()
_PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs suppressAutoHyphens "
        "kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId").split()


def _order(parent, names: list[str]) -> None:
    """``parent``'s children in the schema's order (unknown ones last, as they were)."""
    rank = {_w(n): i for i, n in enumerate(names)}
    children = sorted(parent, key=lambda c: rank.get(c.tag, len(rank)))
    for c in children:
        parent.append(c)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _child(parent, tag: str, first: bool = False):
    node = parent.find(_w(tag))
    if node is None:
        node = etree.Element(_w(tag))
        parent.insert(0, node) if first else parent.append(node)
    return node


def _fonts(rpr) -> None:
    fonts = _child(rpr, "rFonts", first=True)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for side in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(_w(side), FACE)


def styles_xml(data: bytes, lang: str) -> bytes:
    """pandoc's styles.xml with the book's faces, sizes and spacing, in the book's language."""
    root = etree.fromstring(data)
    defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    _fonts(defaults)
    for tag, value in (("sz", "22"), ("szCs", "22")):
        _child(defaults, tag).set(_w("val"), value)
    _child(defaults, "lang").set(_w("val"), lang)
    spacing = _child(_child(root.find(f"{_w('docDefaults')}/{_w('pPrDefault')}"), "pPr"), "spacing")
    spacing.set(_w("line"), "330")
    spacing.set(_w("lineRule"), "auto")
    spacing.set(_w("after"), "0")
    for style in root.findall(_w("style")):
        spec = _STYLES.get(style.get(_w("styleId")))
        if spec is None:
            continue
        size, bold, italic, before, after, first, side = spec
        ppr = _child(style, "pPr")
        sp = _child(ppr, "spacing")
        sp.set(_w("before"), str(before))
        sp.set(_w("after"), str(after))
        if first is not None or side is not None:
            ind = _child(ppr, "ind")
            ind.set(_w("firstLine"), str(first or 0))
            if side is not None:
                ind.set(_w("left"), str(side))
                ind.set(_w("right"), str(side))
        rpr = _child(style, "rPr")
        _fonts(rpr)
        color = rpr.find(_w("color"))
        if color is not None:
            rpr.remove(color)
        for flag, tag in ((bold, "b"), (italic, "i")):
            if flag:
                _child(rpr, tag)
        if size:
            for tag in ("sz", "szCs"):
                _child(rpr, tag).set(_w("val"), str(size))
        # the order Word's schema wants in a style: pPr before rPr, and in each its own order
        style.remove(rpr)
        style.append(rpr)
        _order(ppr, _PPR)
        _order(rpr, _RPR)
    _order(defaults, _RPR)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_table(data: bytes) -> bytes:
    """The font table with the text face declared a serif (``roman``): a word processor without it
    substitutes a serif, not its default sans."""
    root = etree.fromstring(data)
    for font in root.findall(_w("font")):
        if font.get(_w("name")) == FACE:
            root.remove(font)
    font = etree.SubElement(root, _w("font"), {_w("name"): FACE})
    etree.SubElement(font, _w("altName"), {_w("val"): "Source Serif Pro"})
    etree.SubElement(font, _w("family"), {_w("val"): "roman"})
    etree.SubElement(font, _w("pitch"), {_w("val"): "variable"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@functools.cache
def reference_docx(lang: str) -> bytes:
    """The reference document for a book in ``lang`` (``fr-FR``)."""
    original = pandoc.run_bytes(["--print-default-data-file", "reference.docx"], "")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                data = styles_xml(data, lang)
            elif item.filename == "word/fontTable.xml":
                data = font_table(data)
            dst.writestr(item, data)
    return out.getvalue()
