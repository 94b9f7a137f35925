"""SVG images made safe before they reach a book.

An SVG is a document: it may hold scripts, event handlers (``onload``), and references to other
files or to the network (``<image href="file:///etc/passwd">``, ``xlink:href="http://…"``,
``url(http://…)`` in styles, ``@import``). ``sanitise`` removes all of them and says what it removed;
an SVG that is not well-formed XML, or declares a DOCTYPE (entities can expand without bound), is
refused.
"""

from __future__ import annotations

import re

from lxml import etree

MAX_SVG_BYTES = 5 * 1024 * 1024
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_REMOVED_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "set", "animate"}
_URL_IN_CSS = re.compile(r"url\(\s*(['\"]?)(?!#)([^'\")]*)\1\s*\)", re.I)
_IMPORT_IN_CSS = re.compile(r"@import[^;]*;?", re.I)


class SvgRefused(ValueError):
    pass


def sanitised_file(path) -> bytes:
    """The bytes of an SVG file, sanitised (what the EPUB and the PDF engine get)."""
    from pathlib import Path

    return sanitise(Path(path).read_bytes())[0]


def sanitise(data: bytes) -> tuple[bytes, list[str]]:
    """(the SVG without active or external content, what was removed); SvgRefused if unusable."""
    if len(data) > MAX_SVG_BYTES:
        raise SvgRefused(f"it is larger than {MAX_SVG_BYTES // 1048576} MB")
    if re.search(rb"<!DOCTYPE|<!ENTITY", data, re.I):
        raise SvgRefused("it declares a DOCTYPE or entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgRefused(f"it is not well-formed XML ({exc})") from None
    if etree.QName(root).localname != "svg":
        raise SvgRefused("its root element is not <svg>")
    removed: list[str] = []
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments
            continue
        name = etree.QName(el).localname
        if name in _REMOVED_ELEMENTS:
            removed.append(f"<{name}>")
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            local = etree.QName(attr).localname if attr.startswith("{") else attr
            value = el.attrib[attr]
            if local.lower().startswith("on"):
                removed.append(f"{local} attribute")
                del el.attrib[attr]
            elif attr == _XLINK or local == "href":
                if not value.strip().startswith("#"):
                    removed.append(f"reference to {value[:60]}")
                    del el.attrib[attr]
            elif local == "style" or "url(" in value:
                clean = _URL_IN_CSS.sub("none", value)
                if clean != value:
                    removed.append(f"external url() in {local}")
                    el.attrib[attr] = clean
        if name == "style" and el.text:
            clean = _URL_IN_CSS.sub("none", _IMPORT_IN_CSS.sub("", el.text))
            if clean != el.text:
                removed.append("external url() or @import in <style>")
                el.text = clean
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), list(dict.fromkeys(removed))


def check_image(path, target: str, location):
    """A located diagnostic for an SVG image a post uses, or None: refused (error) or cleaned
    (warning: what was removed). Every other check of an image file is ``images.examine``'s."""
    from pathlib import Path

    from blog2book.diagnostics import error, warning
    from blog2book.guard import shown

    if Path(path).suffix.lower() != ".svg":
        return None
    try:
        _, removed = sanitise(Path(path).read_bytes())
    except SvgRefused as exc:
        return error("image.svg-refused", f"SVG image {shown(target)} is refused: {exc}", location, "export it again as a plain SVG, or as PNG")
    if removed:
        return warning("image.svg-cleaned", f"SVG image {shown(target)}: removed {', '.join(removed[:5])}" + (" …" if len(removed) > 5 else ""), location, "books carry no scripts and no external references; clean the file to silence this")
    return None
