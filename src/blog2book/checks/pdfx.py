"""Read a print PDF back and list what a printer's preflight would refuse.

Run on every print file the build writes (a problem is a build error), by ``blog2book check
--preflight`` and by the tests. Checks: the PDF/X conformance key and the output intent, no RGB
(DeviceRGB, an RGB ICC space, an index over one) in any content stream, form, pattern, shading or
image, every font embedded, MediaBox ⊇ BleedBox ⊇ TrimBox of the expected size on every page, no
annotations, no bookmarks unless asked.

``findings`` gives (code, page, message): ``rgb``, ``boxes`` or ``pdfx`` (the rest), page None for
the file; ``preflight`` the same as lines ("page 3: …").
"""

from __future__ import annotations

import io
import re


def preflight(pdf_bytes: bytes, conformance: str, trim: tuple[float, float], bleed: float, bookmarks: bool = False) -> list[str]:
    """Problems found (empty: the file passes). ``trim`` and ``bleed`` in points. PDF/X-1a also
    refuses transparency (alpha, soft masks, transparency groups)."""
    return [f"page {page}: {message}" if page else message for _, page, message in findings(pdf_bytes, conformance, trim, bleed, bookmarks)]


def findings(pdf_bytes: bytes, conformance: str | None, trim: tuple[float, float] | None, bleed: float, bookmarks: bool = False) -> list[tuple[str, int | None, str]]:
    """(code, page or None, message) of every problem. ``conformance`` None: the one the file's XMP
    names (a file that names none is a problem); ``trim`` None: the first page's TrimBox, every
    page's compared with it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    found: list[tuple[str, int | None, str]] = []
    root = reader.trailer["/Root"]
    xmp = root.get("/Metadata")
    xmp_text = xmp.get_object().get_data().decode("utf-8", "replace") if xmp is not None else ""
    if conformance is None:
        named = re.search(r"<pdfxid:GTS_PDFXVersion>([^<]+)</pdfxid:GTS_PDFXVersion>", xmp_text)
        conformance = named.group(1) if named else ""
    if not conformance or f"<pdfxid:GTS_PDFXVersion>{conformance}</pdfxid:GTS_PDFXVersion>" not in xmp_text:
        found.append(("pdfx", None, f"no PDF/X conformance key {conformance!r} in the XMP metadata" if conformance else "no PDF/X conformance key in the XMP metadata"))
    if conformance.startswith("PDF/X-1a") and (reader.trailer.get("/Info") or {}).get("/GTS_PDFXVersion") != conformance:
        found.append(("pdfx", None, "no GTS_PDFXVersion in the document information"))
    intents = root.get("/OutputIntents")
    if not intents or intents[0].get_object().get("/S") != "/GTS_PDFX" or "/DestOutputProfile" not in intents[0].get_object():
        found.append(("pdfx", None, "no PDF/X output intent with an ICC profile"))
    if "/Outlines" in root and not bookmarks:
        found.append(("pdfx", None, "bookmarks left in the file"))
    if "/ID" not in reader.trailer:
        found.append(("pdfx", None, "no file identifier (/ID)"))
    seen: set[int] = set()
    x1a = conformance.startswith("PDF/X-1a")
    for number, page in enumerate(reader.pages, start=1):
        if page.get("/Annots"):
            found.append(("pdfx", number, f"{len(page['/Annots'])} annotation(s)"))
        if "/TrimBox" not in page or "/BleedBox" not in page:
            found.append(("boxes", number, "no TrimBox or BleedBox"))
        else:
            trim = trim or (float(page.trimbox.width), float(page.trimbox.height))
            found.extend(("boxes", number, p) for p in _boxes(page, trim, bleed))
        if page.get_contents() is not None and _has_rgb(page.get_contents().get_data()):
            found.append(("rgb", number, "DeviceRGB colour in the page's content"))
        if x1a and "/Group" in page:
            found.append(("pdfx", number, "transparency group (PDF/X-1a)"))
        content = page.get_contents().get_data() if page.get_contents() is not None else b""
        found.extend((("rgb" if "RGB" in p else "pdfx"), number, p) for p in _resources(page.get("/Resources"), seen, x1a, content))
    return found


def _boxes(page, trim: tuple[float, float], bleed: float) -> list[str]:
    """The trim of the expected size, the bleed ``bleed`` beyond it on every side, both inside the media."""
    problems = []
    tw, th = float(page.trimbox.width), float(page.trimbox.height)
    bw, bh = float(page.bleedbox.width), float(page.bleedbox.height)
    if abs(tw - trim[0]) > 0.5 or abs(th - trim[1]) > 0.5:
        problems.append(f"TrimBox {tw:.1f} × {th:.1f} pt, expected {trim[0]:.1f} × {trim[1]:.1f}")
    if abs(bw - trim[0] - 2 * bleed) > 0.5 or abs(bh - trim[1] - 2 * bleed) > 0.5:
        problems.append(f"BleedBox {bw:.1f} × {bh:.1f} pt, expected the trim plus {bleed:.2f} pt a side")
    t, b, m = ([float(v) for v in box] for box in (page.trimbox, page.bleedbox, page.mediabox))
    if not _inside(t, b) or not _inside(b, m):
        problems.append("the TrimBox is not inside the BleedBox, or the BleedBox not inside the MediaBox")
    return problems


def _inside(inner: list[float], outer: list[float], slack: float = 0.01) -> bool:
    return inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack


_RGB_OPS = re.compile(rb"(?:^|[\s\]])(?:[-+]?[\d.]+\s+){3}(?:rg|RG)\b|/DeviceRGB")


def _has_rgb(data: bytes) -> bool:
    return bool(_RGB_OPS.search(data))


def is_rgb_space(space) -> bool:
    """DeviceRGB, CalRGB, an ICC space of three components, or an Indexed or Separation space over one."""
    if space is None:
        return False
    space = space.get_object()
    if isinstance(space, str):
        return space in ("/DeviceRGB", "/CalRGB")
    try:
        family = space[0]
    except (IndexError, KeyError, TypeError):
        return False
    if family in ("/CalRGB", "/DeviceRGB"):
        return True
    if family == "/ICCBased":
        return int(space[1].get_object().get("/N", 0)) == 3
    if family == "/Indexed":
        return is_rgb_space(space[1])
    if family in ("/Separation", "/DeviceN"):
        return is_rgb_space(space[2])
    return False


def _drawn(name: str, content: bytes | None, operators: bytes) -> bool:
    """Whether ``content`` uses the resource ``name`` (``/Im1 Do``, ``/P1 scn``, ``/Sh1 sh``): pages
    share one resource dictionary, a finding belongs to the page that draws it (None: any)."""
    return content is None or re.search(re.escape(name.encode()) + rb"\s+(?:[\d.\s]*)(?:" + operators + rb")\b", content) is not None


def _resources(resources, seen: set[int], x1a: bool, content: bytes | None = None) -> list[str]:
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
            if id(obj) in seen or not _drawn(name, content, b"Do" if group == "/XObject" else b"scn|SCN"):
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Image" and is_rgb_space(obj.get("/ColorSpace")):
                problems.append(f"{name}: {_named(obj.get('/ColorSpace'))} image ({obj.get('/Width')} × {obj.get('/Height')} px)")
            if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
                if _has_rgb(obj.get_data()):
                    problems.append(f"{name}: DeviceRGB colour in a form or pattern")
                grp = obj.get("/Group")
                if x1a and grp is not None:
                    problems.append(f"{name}: transparency group (PDF/X-1a)")
                if grp is not None and grp.get_object().get("/CS") == "/DeviceRGB":
                    problems.append(f"{name}: DeviceRGB transparency group")
                problems.extend(_resources(obj.get("/Resources"), seen, x1a, obj.get_data()))
            shading = obj.get("/Shading")
            if shading is not None and is_rgb_space(shading.get_object().get("/ColorSpace")):
                problems.append(f"{name}: RGB shading (a gradient)")
            if x1a and "/SMask" in obj:
                problems.append(f"{name}: image with a soft mask (PDF/X-1a)")
    if x1a:
        for name, state in (resources.get("/ExtGState") or {}).items():
            state = state.get_object()
            if float(state.get("/ca", 1)) < 1 or float(state.get("/CA", 1)) < 1 or state.get("/SMask", "/None") != "/None":
                problems.append(f"{name}: transparency (PDF/X-1a)")
    for name, shading in (resources.get("/Shading") or {}).items():
        if _drawn(name, content, b"sh") and is_rgb_space(shading.get_object().get("/ColorSpace")):
            problems.append(f"{name}: RGB shading (a gradient)")
    for name, space in (resources.get("/ColorSpace") or {}).items():
        if is_rgb_space(space):
            problems.append(f"{name}: {_named(space)} colour space")
    return problems


def _named(space) -> str:
    """"DeviceRGB", "ICCBased RGB"…: how a message names an RGB space."""
    space = space.get_object()
    return str(space)[1:] if isinstance(space, str) else f"{str(space[0])[1:]} RGB"


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
