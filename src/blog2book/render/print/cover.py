"""The print cover: one spread (back cover, spine, front cover) with bleed, as a PDF for the printer.

Width = 2 × (trim width + bleed) + spine; height = trim height + 2 × bleed. The spine's width comes
from the page count of the print PDF built in the same run and the paper: KDP white 0.002252 in a
page, cream 0.0025 in; IngramSpark and offset: the printer's pages per inch (``print.ppi``). Spine
text only where the printer allows it (KDP: 100 pages or more; elsewhere a spine of 6 mm or more).
The front is the style's cover design (``cover.txt``: colours and faces, the same as the EPUB's
generated cover) or the author's image (``cover:``); the back carries the ``back_cover:`` text and the
EAN-13 of the print ISBN, drawn as vector bars (render/print/barcode.py), with the price add-on when given.
Laid out by WeasyPrint and finished like the interior (render/print/press.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from blog2book.diagnostics import BuildError, Location, error
from blog2book.model import Book
from blog2book.render import RenderContext, Rendered
from blog2book.render.shared.cover import LINE_WIDTH, cover_fonts, cover_lines
from blog2book.render.print.press import CMYK_PROFILE, INCH, MM, PrintInfo, PrintProfile, device_cmyk, finish_for_print, write_options

KDP_CALIPER = {"white": 0.002252, "cream": 0.0025}  # inches per page (coated and uncoated: white's)
KDP_SPINE_TEXT_PAGES = 100
MIN_SPINE_TEXT = 6 * MM  # points: below this a spine has no room for a line of text
SMALL_TEXT = 14.0  # points: text below this prints from the black plate alone (no misregistration; the back copy is 12.5 pt)
COVER_BLEED = {"press": 3 * MM, "kdp": 0.125 * INCH, "ingram": 0.125 * INCH}


@dataclass(frozen=True)
class CoverGeometry:
    """In points."""

    trim: tuple[float, float]
    bleed: float
    spine: float
    spine_text: bool

    @property
    def width(self) -> float:
        return 2 * (self.trim[0] + self.bleed) + self.spine

    @property
    def height(self) -> float:
        return self.trim[1] + 2 * self.bleed


def spine_width(pages: int, profile: str, paper: str = "white", ppi: int | None = None) -> float:
    """The spine in points for ``pages`` pages."""
    if profile == "kdp":
        return pages * KDP_CALIPER.get(paper, KDP_CALIPER["white"]) * INCH
    if not ppi:
        raise ValueError("ppi")
    return pages / ppi * INCH


def cover_geometry(pages: int, trim: tuple[float, float], press, where: Location) -> CoverGeometry:
    try:
        spine = spine_width(pages, press.profile, press.paper, press.ppi)
    except ValueError:
        raise BuildError([error("cover.ppi", f"the {press.profile} cover needs the paper's pages per inch for its spine", where, "add print: {ppi: …}: the pages per inch of the paper, from the printer's specification")]) from None
    text = pages >= KDP_SPINE_TEXT_PAGES if press.profile == "kdp" else spine >= MIN_SPINE_TEXT
    return CoverGeometry(trim, COVER_BLEED[press.profile], spine, text)


def _mm(points: float) -> str:
    return f"{points / MM:.3f}mm"


def cover_html(book: Book, geometry: CoverGeometry, price: str | None, icc: Path = CMYK_PROFILE) -> str:
    from blog2book.copyright import copyright_html
    from blog2book.render.print.barcode import isbn_barcode_svg
    from blog2book.styles import cover_design

    design = cover_design(book)
    m = book.meta
    b, (tw, th), s = geometry.bleed, geometry.trim, geometry.spine
    ink, accent, paper = (device_cmyk(design[k], icc) for k in ("text", "accent", "background"))
    black = device_cmyk(design["text"], icc, black=True)

    def text(size: float) -> str:  # the colour of text at ``size`` points
        return f"font-size: {size:.2f}pt; color: {black if size < SMALL_TEXT else ink};"

    front_x = b + tw + s  # the front panel's left edge (trim), from the sheet's left edge
    unit = tw / 1600  # the EPUB cover's layout (1600 × 2560 px) scaled to the front panel
    # the back's bold (the author's name): the text face in bold, not the display cut (thin when small)
    text_face = design["text-font"]
    bold = re.sub(r"wght=\d+", "wght=700", text_face) if "wght=" in text_face else design["title-font"]
    faces = "".join(
        f'@font-face {{ font-family: "Cover {name}"; src: url("{design[key]}"); }}'
        for name, key in (("Title", "title-font"), ("Text", "text-font"), ("Italic", "italic-font"))
    ) + f'@font-face {{ font-family: "Cover Text"; font-weight: bold; src: url("{bold}"); }}'
    css = f"""
    {faces}
    @page {{ size: {_mm(geometry.width)} {_mm(geometry.height)}; margin: 0; }}
    html {{ background: {paper}; color: {ink}; font-family: "Cover Text"; }}
    body {{ margin: 0; }}
    .panel {{ position: absolute; box-sizing: border-box; }}
    .front {{ left: {_mm(front_x)}; top: {_mm(b)}; width: {_mm(tw)}; height: {_mm(th)}; text-align: center; }}
    .front p {{ margin: 0; position: absolute; left: {_mm((1600 - LINE_WIDTH) / 2 * unit)}; width: {_mm(LINE_WIDTH * unit)}; }}
    .front .title {{ white-space: nowrap; }}  /* lines made by cover_lines, as on the EPUB cover */
    .author {{ top: {_mm(360 * unit)}; {text(84 * unit)} }}
    .rule {{ top: {_mm(560 * unit)}; left: {_mm(tw / 2 - 180 * unit)} !important; width: {_mm(360 * unit)} !important; height: {_mm(12 * unit)}; background: {accent}; }}
    .title {{ top: {_mm(760 * unit)}; font-family: "Cover Title"; {text(150 * unit)} line-height: 1.15; }}
    .subtitle {{ display: block; margin-top: {_mm(120 * unit)}; font-family: "Cover Italic"; font-style: italic; {text(80 * unit)} line-height: 1.25; }}
    .publisher {{ bottom: {_mm(300 * unit)}; {text(60 * unit)} }}
    .front img {{ position: absolute; left: 0; top: {_mm(-b)}; width: {_mm(tw + b)}; height: {_mm(th + 2 * b)}; object-fit: cover; }}
    .back {{ left: {_mm(b)}; top: {_mm(b)}; width: {_mm(tw)}; height: {_mm(th)}; padding: 38mm 20mm 0 20mm; {text(12.5)} line-height: 1.55; }}
    /* ragged, never hyphenated, spread down the panel above the barcode; the opening lines larger */
    .back p {{ margin: 0 0 1.6em; text-align: left; hyphens: manual; }}
    .back p:first-child {{ font-size: 1.2em; line-height: 1.4; margin-bottom: 1.8em; }}
    .back strong {{ font-weight: bold; }}
    .barcode {{ position: absolute; right: {_mm(geometry.width - b - tw + 12 * MM)}; bottom: {_mm(b + 12 * MM)}; padding: 2mm; background: device-cmyk(0 0 0 0); color: {black}; }}
    .barcode svg {{ display: block; }}
    .imprint {{ position: absolute; left: {_mm(b + 16 * MM)}; bottom: {_mm(b + 14 * MM)}; margin: 0; {text(9)} font-variant: small-caps; letter-spacing: 0.06em; }}
    .spine {{ left: {_mm(b + tw + s / 2 - th / 2)}; top: {_mm(b + th / 2 - s / 2)}; width: {_mm(th)}; height: {_mm(s)};
              transform: rotate(90deg); text-align: center; {text(min(10.0, s * 0.55))} line-height: {_mm(s)}; white-space: nowrap; }}
    """
    if m.cover is not None:
        front = f'<div class="panel front"><img src="{escape(m.cover.as_uri())}" alt=""></div>'
    else:
        title_font, subtitle_font = cover_fonts(book)
        title = "<br/>".join(escape(line) for line in cover_lines(m.title, title_font.getlength))
        subtitle = "<br/>".join(escape(line) for line in cover_lines(m.subtitle, subtitle_font.getlength)) if m.subtitle else ""
        subtitle = f'<span class="subtitle">{subtitle}</span>' if subtitle else ""
        front = (
            '<div class="panel front">'
            f'<p class="author">{escape(", ".join(m.author))}</p><p class="rule"></p>'
            f'<p class="title">{title}{subtitle}</p>'
            + (f'<p class="publisher">{escape(m.publisher)}</p>' if m.publisher else "")
            + "</div>"
        )
    back_text = copyright_html(book.back_cover) if book.back_cover is not None else ""
    barcode = ""
    if m.isbn_print:
        svg, _, _ = isbn_barcode_svg(m.isbn_print, price, font="'Cover Text'")
        barcode = f'<div class="barcode">{svg}</div>'
    imprint = f'<p class="imprint">{escape(m.publisher)}</p>' if m.publisher else ""
    spine = ""
    if geometry.spine_text:
        spine = f'<div class="panel spine">{escape(", ".join(m.author))}\u2003·\u2003{escape(m.title)}</div>'
    return (
        f'<!DOCTYPE html><html lang="{escape(m.lang)}"><head><meta charset="utf-8"><title>{escape(m.title)}</title>'
        f"<style>{css}</style></head><body>"
        f'<div class="panel back">{back_text}</div>{imprint}{barcode}{spine}{front}</body></html>'
    )


class CoverBackend:
    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        from blog2book.render.pdf.engine import html as engine_html
        from blog2book.render.pdf.engine import write_pdf
        from blog2book.render.pdf.engine.fetch import SafeFetcher

        press = ctx.press
        where = (press.location if press is not None else None) or Location(book.style)
        if press is None or ctx.print_pages is None or ctx.print_trim is None:
            raise BuildError([error("cover.pages", "the cover needs the page count of the print PDF built in the same run", where, "build it with -f pdf (the pipeline does when -f cover is given)")])
        geometry = cover_geometry(ctx.print_pages, ctx.print_trim, press, where)
        self.geometry = geometry
        roots = [book.style, book.style.parent] + ([book.meta.cover.parent] if book.meta.cover else [])
        fetcher = SafeFetcher(roots)
        from blog2book.render.print.backend import profile_for

        profile: PrintProfile = replace(profile_for(press), bleed=geometry.bleed)
        html = cover_html(book, geometry, press.price, profile.icc)
        pdf = write_pdf(engine_html(html, book.style.as_uri() + "/", fetcher), **write_options(profile))
        m = book.meta
        data = finish_for_print(pdf, replace(profile, crop_marks=False, colour="cmyk"), PrintInfo(m.title, ", ".join(m.author), m.modified))
        width, height = geometry.width / MM, geometry.height / MM
        return Rendered(data, summary=f"{width:.1f} × {height:.1f} mm, spine {geometry.spine / MM:.1f} mm")
