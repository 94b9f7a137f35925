"""Read a print PDF back and list what a printer's preflight would refuse.

Run on every print file the build writes (a problem is a build error) and by the tests. Checks:
the PDF/X conformance key and the output intent, no DeviceRGB in any content stream, form, pattern
or image, every font embedded, TrimBox and BleedBox of the expected size on every page, no
annotations, no bookmarks unless asked.
"""

from __future__ import annotations

import io
import re


def preflight(pdf_bytes: bytes, conformance: str, trim: tuple[float, float], bleed: float, bookmarks: bool = False) -> list[str]:
    """Problems found (empty: the file passes). ``trim`` and ``bleed`` in points. PDF/X-1a also
    refuses transparency (alpha, soft masks, transparency groups)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    problems: list[str] = []
    root = reader.trailer["/Root"]
    xmp = root.get("/Metadata")
    xmp_text = xmp.get_object().get_data().decode("utf-8", "replace") if xmp is not None else ""
    if f"<pdfxid:GTS_PDFXVersion>{conformance}</pdfxid:GTS_PDFXVersion>" not in xmp_text:
        problems.append(f"no PDF/X conformance key {conformance!r} in the XMP metadata")
    if conformance.startswith("PDF/X-1a") and reader.trailer["/Info"].get("/GTS_PDFXVersion") != conformance:
        problems.append("no GTS_PDFXVersion in the document information")
    intents = root.get("/OutputIntents")
    if not intents or intents[0].get_object().get("/S") != "/GTS_PDFX" or "/DestOutputProfile" not in intents[0].get_object():
        problems.append("no PDF/X output intent with an ICC profile")
    if "/Outlines" in root and not bookmarks:
        problems.append("bookmarks left in the file")
    if "/ID" not in reader.trailer:
        problems.append("no file identifier (/ID)")
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, start=1):
        where = f"page {number}"
        if page.get("/Annots"):
            problems.append(f"{where}: {len(page['/Annots'])} annotation(s)")
        if "/TrimBox" not in page or "/BleedBox" not in page:
            problems.append(f"{where}: no TrimBox or BleedBox")
            continue
        tw, th = float(page.trimbox.width), float(page.trimbox.height)
        bw, bh = float(page.bleedbox.width), float(page.bleedbox.height)
        if abs(tw - trim[0]) > 0.5 or abs(th - trim[1]) > 0.5:
            problems.append(f"{where}: TrimBox {tw:.1f} × {th:.1f} pt, expected {trim[0]:.1f} × {trim[1]:.1f}")
        if abs(bw - trim[0] - 2 * bleed) > 0.5 or abs(bh - trim[1] - 2 * bleed) > 0.5:
            problems.append(f"{where}: BleedBox {bw:.1f} × {bh:.1f} pt, expected the trim plus {bleed:.2f} pt a side")
        if page.get_contents() is not None and _has_rgb(page.get_contents().get_data()):
            problems.append(f"{where}: DeviceRGB colour in the page's content")
        x1a = conformance.startswith("PDF/X-1a")
        if x1a and "/Group" in page:
            problems.append(f"{where}: transparency group (PDF/X-1a)")
        problems.extend(f"{where}: {p}" for p in _resources(page.get("/Resources"), seen, x1a))
    return problems


_RGB_OPS = re.compile(rb"(?:^|[\s\]])(?:[-+]?[\d.]+\s+){3}(?:rg|RG)\b|/DeviceRGB")


def _has_rgb(data: bytes) -> bool:
    return bool(_RGB_OPS.search(data))


def _resources(resources, seen: set[int], x1a: bool) -> list[str]:
    if resources is None:
        return []
    resources = resources.get_object()
    problems: list[str] = []
    for name, font in (resources.get("/Font") or {}).items():
        font = font.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        if not _embedded(font):
            problems.append(f"font {font.get('/BaseFont', name)} not embedded")
    for group in ("/XObject", "/Pattern"):
        for name, obj in (resources.get(group) or {}).items():
            obj = obj.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.get("/ColorSpace") == "/DeviceRGB" or "/DeviceRGB" in str(obj.get("/ColorSpace", "")):
                problems.append(f"{name}: DeviceRGB image")
            if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
                if _has_rgb(obj.get_data()):
                    problems.append(f"{name}: DeviceRGB colour in a form or pattern")
                grp = obj.get("/Group")
                if x1a and grp is not None:
                    problems.append(f"{name}: transparency group (PDF/X-1a)")
                if grp is not None and grp.get_object().get("/CS") == "/DeviceRGB":
                    problems.append(f"{name}: DeviceRGB transparency group")
                problems.extend(_resources(obj.get("/Resources"), seen, x1a))
            shading = obj.get("/Shading")
            if shading is not None and shading.get_object().get("/ColorSpace") == "/DeviceRGB":
                problems.append(f"{name}: DeviceRGB shading")
            if x1a and "/SMask" in obj:
                problems.append(f"{name}: image with a soft mask (PDF/X-1a)")
    if x1a:
        for name, state in (resources.get("/ExtGState") or {}).items():
            state = state.get_object()
            if float(state.get("/ca", 1)) < 1 or float(state.get("/CA", 1)) < 1 or state.get("/SMask", "/None") != "/None":
                problems.append(f"{name}: transparency (PDF/X-1a)")
    for name, shading in (resources.get("/Shading") or {}).items():
        if shading.get_object().get("/ColorSpace") == "/DeviceRGB":
            problems.append(f"{name}: DeviceRGB shading")
    for name, space in (resources.get("/ColorSpace") or {}).items():
        if "DeviceRGB" in str(space.get_object()):
            problems.append(f"{name}: DeviceRGB colour space")
    return problems


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
