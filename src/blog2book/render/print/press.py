"""Print profiles: what a printer gets instead of the screen PDF.

Three steps, each testable alone, so that they work whether the book is laid out in one document or
in pieces merged afterwards:

(a) ``print_css(profile)``: CSS added before layout (bleed, crop marks);
(b) ``write_options(profile)``: WeasyPrint ``write_pdf`` options (PDF/X variant, no tags, no forms);
(c) ``finish_for_print(pdf_bytes, profile, ...)``: works on ANY PDF WeasyPrint wrote, merged or not:
    DeviceRGB colours and images -> CMYK (text and rules in pure K), the output intent, PDF/X
    metadata (Info and XMP), TrimBox/BleedBox on every page, no annotations, no bookmarks unless
    asked.

Profiles: ``screen`` (today's PDF, untouched), ``press`` (offset: PDF/X-4, or PDF/X-1a:2003 on
request; 3 mm bleed; optional crop marks), ``kdp`` and ``ingram`` (print on demand, see
``styles/base/README.md`` for the figures and their sources).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from blog2book.render.print.cmyk import CMYK_PROFILE, output_condition
from blog2book.render.print.colours import Converter, device_cmyk, hex_to_cmyk, rgb_to_cmyk

__all__ = ["device_cmyk", "hex_to_cmyk", "rgb_to_cmyk"]  # the colours' conversions, for the backends

MM = 72 / 25.4  # points per millimetre
INCH = 72.0

PROFILES = ("screen", "press", "kdp", "ingram")
PDFX = {"x-4": ("pdf/x-4", "PDF/X-4"), "x-1a": ("pdf/x-1a", "PDF/X-1a:2003")}

# The CMYK profile is the PDF/X output intent and converts RGB colours and images: one shipped in
# the package for the paper (coated by default), or the printer's own (render/print/cmyk.py).


@dataclass(frozen=True)
class PrintProfile:
    name: str  # screen | press | kdp | ingram
    pdfx: str = "x-4"  # x-4 | x-1a
    bleed: float = 3 * MM  # points, on every side of the trim
    crop_marks: bool = False
    bookmarks: bool = False
    signature: int = 2  # the page count is padded to a multiple of this
    icc: Path = CMYK_PROFILE
    colour: str = "cmyk"  # black: every colour on the K plate (a one-colour interior) | cmyk | spot NAME
    accent: str | None = None  # the style's accent (#rrggbb): with ``spot NAME``, what prints in the spot ink

    @property
    def is_print(self) -> bool:
        return self.name != "screen"

    @property
    def media_bleed(self) -> float:
        """What the page is enlarged by on each side: the bleed, plus room for crop marks."""
        return self.bleed + (9 * MM if self.crop_marks else 0)

    @property
    def conformance(self) -> str:
        return PDFX[self.pdfx][1]

    @property
    def spot(self) -> str | None:
        """The spot ink's name (``colour: spot NAME``), or None."""
        return self.colour[5:] if self.colour.startswith("spot ") else None

    @property
    def suffix(self) -> str:
        return "" if self.name == "screen" else f"-{self.name}"


def make_profile(name: str, pdfx: str | None = None, crop_marks: bool | None = None, bookmarks: bool = False, signature: int = 2, icc: Path | None = None, colour: str | None = None) -> PrintProfile:
    """The profile named ``name`` with the author's options; the printers' own rules win:
    KDP takes no crop marks and, for a text interior, no bleed; IngramSpark takes PDF/X-1a. Offset
    (``press``) has crop marks and a black-only interior unless asked otherwise."""
    icc = icc or CMYK_PROFILE
    if name == "screen":
        return PrintProfile("screen", signature=signature)
    if name == "press":
        return PrintProfile("press", pdfx or "x-4", 3 * MM, crop_marks is not False, bookmarks, signature, icc, colour or "black")
    if name == "kdp":
        return PrintProfile("kdp", pdfx or "x-1a", 0.0, False, bookmarks, signature, icc, colour or "cmyk")
    if name == "ingram":
        return PrintProfile("ingram", "x-1a", 0.125 * INCH, False, bookmarks, signature, icc, colour or "cmyk")
    raise ValueError(f"unknown print profile {name!r}")


# ---------------------------------------------------------------- (a) before layout

def print_css(profile: PrintProfile) -> str:
    """CSS added to the book's for ``profile``: the page grows by the bleed (and the crop marks'
    room); WeasyPrint draws the marks in the outer half of that area, outside the 3 mm bleed."""
    if not profile.is_print:
        return ""
    css = [f"@page {{ bleed: {profile.media_bleed:.3f}pt; marks: {'crop' if profile.crop_marks else 'none'}; }}"]
    # Links look like text on paper.
    css.append("a, a:visited { color: inherit; }")
    # What only a printed book says (the copyright page's « Imprimé au Canada »: copyright.py).
    css.append(".printed-only { display: block; }")
    return "\n".join(css)


# ---------------------------------------------------------------- (b) layout options

def write_options(profile: PrintProfile) -> dict:
    """``document.write_pdf(**options)`` for ``profile``."""
    if not profile.is_print:
        return {"pdf_tags": False}
    return {"pdf_variant": PDFX[profile.pdfx][0], "pdf_tags": False, "pdf_forms": False, "uncompressed_pdf": False}


# ---------------------------------------------------------------- (c) after layout

@dataclass(frozen=True)
class PrintInfo:
    """What the finished file says about itself."""

    title: str
    author: str = ""
    date: dt.datetime | None = None  # creation and modification date (reproducible builds)


def finish_for_print(pdf_bytes: bytes, profile: PrintProfile, info: PrintInfo | None = None) -> bytes:
    """Make any PDF written by WeasyPrint (one document or pieces merged by pypdf) a print file."""
    if not profile.is_print:
        return pdf_bytes
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    info = info or PrintInfo(title="")
    spot = _spot_space(writer, profile) if profile.spot and profile.accent else None
    converter = Converter(profile.icc, flatten=profile.pdfx == "x-1a", black=profile.colour == "black" or profile.spot is not None, spot=spot)
    for page in writer.pages:
        _set_boxes(page, profile)
        if "/Annots" in page:
            del page["/Annots"]
        converter.page(page)
    root = writer.root_object
    for key in ("/AcroForm", "/OpenAction", "/StructTreeRoot", "/MarkInfo"):
        if key in root:
            del root[key]
    if not profile.bookmarks:
        for key in ("/Outlines", "/PageMode"):
            if key in root:
                del root[key]
        writer.root_object.pop("/Names", None)
    _output_intent(writer, profile)
    _metadata(writer, profile, info)
    writer.pdf_header = "%PDF-1.6" if profile.pdfx == "x-4" else "%PDF-1.4"
    _file_id(writer, profile, info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _spot_space(writer, profile: PrintProfile):
    """(the /Separation colour space of the spot ink, an indirect object; the accent's r, g, b):
    the ink named as the manuscript names it, its alternate the accent in CMYK through the profile."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject

    from blog2book.render.shared.pdfobjects import add_object

    value = profile.accent.lstrip("#")
    value = "".join(ch * 2 for ch in value) if len(value) == 3 else value
    rgb = tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    tint = DictionaryObject({
        NameObject("/FunctionType"): NumberObject(2),
        NameObject("/Domain"): ArrayObject([FloatObject(0), FloatObject(1)]),
        NameObject("/C0"): ArrayObject([FloatObject(0)] * 4),
        NameObject("/C1"): ArrayObject(FloatObject(round(v, 4)) for v in hex_to_cmyk(profile.accent, profile.icc)),
        NameObject("/N"): FloatObject(1),
    })
    space = ArrayObject([NameObject("/Separation"), NameObject("/" + profile.spot), NameObject("/DeviceCMYK"), add_object(writer, tint)])
    return add_object(writer, space), rgb


def _file_id(writer, profile: PrintProfile, info: PrintInfo) -> None:
    """PDF/X wants a file identifier; a merge by pypdf may have none. Derived from the book, so a
    rebuild of the same book gives the same one."""
    import hashlib

    from pypdf.generic import ArrayObject, ByteStringObject

    digest = hashlib.md5(f"{info.title}|{info.author}|{profile.name}|{len(writer.pages)}".encode()).digest()
    # pypdf has no public setter for the identifier (generate_file_identifiers draws random bytes)
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def _set_boxes(page, profile: PrintProfile) -> None:
    from pypdf.generic import RectangleObject

    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    m, b = profile.media_bleed, profile.bleed
    trim = (x0 + m, y0 + m, x1 - m, y1 - m)
    page.trimbox = RectangleObject(trim)
    page.bleedbox = RectangleObject((trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b))
    page.cropbox = RectangleObject((x0, y0, x1, y1))


def _output_intent(writer, profile: PrintProfile) -> None:
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    from blog2book.render.shared.pdfobjects import add_object

    icc = DecodedStreamObject()
    icc.set_data(profile.icc.read_bytes())
    icc[NameObject("/N")] = NumberObject(4)
    icc = icc.flate_encode()
    identifier, condition, registry = output_condition(profile.icc)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFX"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(identifier),
            NameObject("/OutputCondition"): TextStringObject(condition),
            NameObject("/Info"): TextStringObject(condition),
            NameObject("/DestOutputProfile"): add_object(writer, icc),
        }
    )
    if registry:  # a registered condition; a printer's own profile is "Custom"
        intent[NameObject("/RegistryName")] = TextStringObject(registry)
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([add_object(writer, intent)])


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S") + ("Z" if not when.utcoffset() else when.strftime("%z")[:3] + "'" + when.strftime("%z")[3:] + "'")


def _metadata(writer, profile: PrintProfile, info: PrintInfo) -> None:
    from pypdf.generic import NameObject, StreamObject

    from blog2book.render.shared.pdfobjects import add_object

    when = info.date or dt.datetime.now(dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    meta = {
        "/Title": info.title,
        "/Author": info.author,
        "/Creator": "blog2book",
        "/Producer": "blog2book (WeasyPrint, pypdf)",
        "/CreationDate": _pdf_date(when),
        "/ModDate": _pdf_date(when),
        "/GTS_PDFXVersion": profile.conformance,
    }
    if profile.pdfx == "x-1a":
        meta["/GTS_PDFXConformance"] = profile.conformance
    writer.add_metadata(meta)
    # add_metadata writes strings, /Trapped is a name; pypdf gives no public access to the Info dictionary
    writer._info.get_object()[NameObject("/Trapped")] = NameObject("/False")
    if profile.pdfx == "x-4":  # ISO 15930-7 keeps the version in XMP only
        del writer._info.get_object()["/GTS_PDFXVersion"]
    seed = f"blog2book|{info.title}|{info.author}|{when.isoformat()}|{profile.name}"
    doc_id = uuid.uuid5(uuid.NAMESPACE_URL, seed)
    stream = StreamObject()
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    stream.set_data(_xmp(profile, info, when.isoformat(timespec="seconds"), doc_id).encode("utf-8"))
    writer.root_object[NameObject("/Metadata")] = add_object(writer, stream)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xmp(profile: PrintProfile, info: PrintInfo, when: str, doc_id) -> str:
    x1a = (
        f"<pdfx:GTS_PDFXVersion>{profile.conformance}</pdfx:GTS_PDFXVersion>"
        f"<pdfx:GTS_PDFXConformance>{profile.conformance}</pdfx:GTS_PDFXConformance>"
        if profile.pdfx == "x-1a"
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info.title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{_xml(info.author)}</rdf:li></rdf:Seq></dc:creator>"
        "<dc:format>application/pdf</dc:format>"
        f"<xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate><xmp:MetadataDate>{when}</xmp:MetadataDate>"
        "<xmp:CreatorTool>blog2book</xmp:CreatorTool>"
        "<pdf:Producer>blog2book (WeasyPrint, pypdf)</pdf:Producer><pdf:Trapped>False</pdf:Trapped>"
        f"<xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>"
        "<xmpMM:VersionID>1</xmpMM:VersionID><xmpMM:RenditionClass>default</xmpMM:RenditionClass>"
        f"<pdfxid:GTS_PDFXVersion>{profile.conformance}</pdfxid:GTS_PDFXVersion>{x1a}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        + " " * 2000
        + '<?xpacket end="w"?>'
    )
