"""The book as a printer's file: ``press``, ``kdp`` or ``ingram`` (see render/print/press.py).

Lays the book out with the profile's CSS, checks what a printer checks before printing (image
resolution at the printed size, KDP's trim range and gutter for the page count), pads the page count
to an even number or to the signature with the achevé d'imprimer on the last verso (a second small
document, merged with pypdf), finishes the file for print and reads it back (preflight).
"""

from __future__ import annotations

import datetime as dt
import io
from html import escape
from pathlib import Path

from blog2book import lang as lang_mod
from blog2book import tree
from blog2book.diagnostics import BuildError, Diagnostic, Location, error, warning
from blog2book.model import Book
from blog2book.render import Products, RenderContext, Rendered
from blog2book.render.pdf.fontmerge import one_program_per_name
from blog2book.render.print.cmyk import paper_profile, rgb_transform
from blog2book.render.print.cmyk import problem as cmyk_problem
from blog2book.render.print.press import INCH, PrintInfo, PrintProfile, finish_for_print, make_profile, print_css, rgb_to_cmyk, write_options
from blog2book.checks.pdfx import findings

MIN_DPI = 300
# KDP, paperback: custom trims from 4 × 6 in to 8.5 × 11.69 in; inside margin by page count; outside
# margin 0.25 in without bleed; 24 pages at least (figures and sources: styles/base/README.md).
KDP_TRIM = ((4.0, 8.5), (6.0, 11.69))
KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
KDP_OUTSIDE = 0.25
KDP_MIN_PAGES = 24
# IngramSpark: margins of 0.5 in at least on every side; the last page blank (its barcode goes there).
INGRAM_MARGIN = 0.5


def profile_for(spec) -> PrintProfile:
    """The manuscript's print settings as a profile: the printer's own CMYK profile when it names
    one, otherwise the one shipped for its paper (render/print/cmyk.py)."""
    return make_profile(spec.profile, spec.pdfx, spec.crop_marks, spec.bookmarks, spec.signature, spec.icc or paper_profile(spec.paper), spec.colour)


def icc_problem(spec, profile: PrintProfile, where: Location) -> Diagnostic | None:
    """An error at the manuscript's ``icc:`` (or its ``print:``) when the output profile cannot serve."""
    problem = cmyk_problem(profile.icc)
    if problem is None:
        return None
    hint = "give an ICC output profile for CMYK (the printer's), or leave icc: out for the one shipped for the paper"
    return error("print.icc", f"the CMYK output profile {profile.icc.name} {problem}", spec.icc_location or where, hint)


def with_accent(profile: PrintProfile, style: Path, where: Location) -> tuple[PrintProfile, Diagnostic | None]:
    """``colour: spot NAME``: the profile with the style's accent, which the spot ink prints; a
    warning when the style has none, or a grey one (the spot plate would stay empty)."""
    from dataclasses import replace

    from blog2book.styles import accent_colour

    accent = accent_colour(style)
    value = (accent or "").lstrip("#")
    value = "".join(ch * 2 for ch in value) if len(value) == 3 else value
    if accent is None or value[0:2] == value[2:4] == value[4:6]:
        message = f"the style sets no coloured --accent ({accent or 'none'}): nothing prints in the spot ink {profile.spot}, the interior is black only"
        return replace(profile, colour="black"), warning("print.spot", message, where, "set --accent in the style's print.css, or leave colour: out")
    return replace(profile, accent=accent), None


class PrintBackend:
    """``<name>-<profile>.pdf``: the book laid out in pieces like the screen PDF (render/pdf/backend.py), with
    the profile's CSS and PDF/X options, padded, finished for print and read back."""

    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        from dataclasses import replace

        from blog2book.render.pdf.backend import render_book

        spec = ctx.press
        profile = profile_for(spec)
        where = spec.location or Location(book.style)
        rgb_to_cmyk.cache_clear()  # the printer's profile may have changed since a build in this process
        rgb_transform.cache_clear()
        unused = None  # a spot ink with no accent to print
        if profile.spot:
            profile, unused = with_accent(profile, book.style, where)
        bad_icc = icc_problem(spec, profile, where)
        if bad_icc is not None:  # before any layout; the cover, made after this file, stops with it
            raise BuildError([bad_icc])
        css = print_css(profile)
        result = render_book(book, replace(ctx, name=f"{ctx.name}-{profile.name}"), css, write_options(profile))
        layout = result.products.layout
        pages = result.products.pages
        trim = layout.pieces[0].size
        diags = ([unused] if unused else []) + list(result.diagnostics) + image_resolution(layout.pieces, book) + printer_rules(layout.pieces, pages, trim, profile, where)
        tail, tail_pages = _tail(book, spec, pages, css, profile)
        data = _merge([result.data, tail]) if tail else result.data
        m = book.meta
        data = finish_for_print(data, profile, PrintInfo(m.title, ", ".join(m.author), m.modified))
        for code, page, problem in findings(data, profile.conformance, trim, profile.bleed, profile.bookmarks):
            on = f" page {page}" if page else ""
            diags.append(error(f"preflight.{code}", f"the {profile.name} file{on}: {problem}", where, "convert the images it names to CMYK or greyscale yourself; otherwise report this"))
        total = pages + tail_pages
        return Rendered(data, tuple(diags), Products(print_pages=total, print_trim=trim), f"{total} pages, {profile.conformance}")


def target_pages(pages: int, signature: int, acheve: bool, blank_last: bool = False) -> int:
    """The page count a printer wants: a multiple of the signature (2: even), with a last verso of
    its own for the achevé d'imprimer and, for IngramSpark, a blank last leaf (its barcode)."""
    needed = pages + (1 if acheve else 0) + (2 if blank_last and acheve else 1 if blank_last else 0)
    return -(-needed // signature) * signature


def acheve_page(total: int, blank_last: bool = False) -> int:
    """The achevé d'imprimer's page: the last verso, or the one before IngramSpark's blank leaf."""
    return total - 2 if blank_last else total


def acheve_text(book: Book, spec) -> str | None:
    """« Achevé d'imprimer en décembre 2026 sur les presses de …, à … » or None without a printer."""
    if not spec.printer:
        return None
    words = lang_mod.strings(book.meta.lang)
    when = spec.date or book.meta.date or dt.date.today()
    text = words["acheve"].format(date=f"{lang_mod.month_name(when.month, book.meta.lang)} {when.year}")
    text += " " + words["acheve_printer"].format(printer=spec.printer)
    if spec.place:
        text += ", " + words["acheve_place"].format(place=spec.place)
    return text + "."


def _tail(book: Book, spec, pages: int, css: str, profile: PrintProfile) -> tuple[bytes | None, int]:
    """Blank pages and the achevé d'imprimer, laid out with the book's style, as their own PDF."""
    from blog2book.render.pdf.engine import html as engine_html
    from blog2book.render.pdf.engine import write_pdf
    from blog2book.render.pdf.engine.fetch import SafeFetcher
    from blog2book.render.pdf.html import generated_css

    acheve = acheve_text(book, spec)
    blank_last = profile.name == "ingram"
    total = target_pages(pages, spec.signature, acheve is not None, blank_last)
    if total == pages:
        return None, 0
    # blank pages, the achevé d'imprimer on the last verso (IngramSpark: before the blank last leaf)
    items = ['<div class="pad-page"></div>'] * (total - pages)
    if acheve:
        items[acheve_page(total, blank_last) - pages - 1] = f'<section class="acheve"><p>{escape(acheve)}</p></section>'
    body = "".join(item.replace(">", ' style="break-after: page">', 1) if i < len(items) - 1 else item for i, item in enumerate(items))
    # the piece starts where the book stops: on a verso when the book ends on a recto
    first = "html { break-before: left; }" if pages % 2 else ""
    html = (
        f'<!DOCTYPE html><html lang="{escape(book.meta.lang)}"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{escape((book.style / "print.css").as_uri())}">'
        f"<style>{generated_css(book)}\n{css}\n{first}</style></head><body>{body}</body></html>"
    )
    fetcher = SafeFetcher([book.style, book.style.parent])
    document = engine_html(html, book.style.as_uri() + "/", fetcher).render()
    return write_pdf(document, **write_options(profile)), len(document.pages)


def _merge(pieces: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(io.BytesIO(piece)))
    out = io.BytesIO()
    writer.write(out)
    # the tail's subsets carry the book's subset names: one program per name
    return one_program_per_name(out.getvalue())


# ---------------------------------------------------------------- checks before printing

def _image_posts(book: Book) -> dict[str, object]:
    """Image target (as written into the HTML) -> the post that shows it."""
    found: dict[str, object] = {}
    for post in book.posts():

        def visit(el, post=post):
            if el["t"] == "Image":
                found.setdefault(el["c"][2][0], post)
            return None

        tree.walk(list(post.blocks), visit)
    return found


def image_resolution(pieces, book: Book) -> list[Diagnostic]:
    """A warning per image printed below 300 dpi, naming the post and the image."""
    owners = _image_posts(book)
    widest: dict[str, tuple[int, float]] = {}
    for piece in pieces:
        for src, pixels, inches in piece.images:
            if src not in widest or widest[src][1] < inches:
                widest[src] = (pixels, inches)
    diags: list[Diagnostic] = []
    for src, (pixels, inches) in widest.items():
        dpi = pixels / inches
        if dpi >= MIN_DPI:
            continue
        post = owners.get(src) or next((p for s, p in owners.items() if Path(s).name == Path(src).name), None)
        where = Location(post.source) if post is not None else Location(book.style)
        name = f"post '{post.slug}'" if post is not None else "the book"
        diags.append(
            warning(
                "print.image-resolution",
                f"{name}: image {Path(src).name} prints at {dpi:.0f} dpi ({pixels} px over {inches:.2f} in); printers want {MIN_DPI}",
                where,
                f"give a larger image (at least {round(inches * MIN_DPI)} px wide) or print it smaller",
            )
        )
    return diags


def printer_rules(pieces, pages: int, trim: tuple[float, float], profile: PrintProfile, where: Location) -> list[Diagnostic]:
    """KDP's published limits (trim range, gutter by page count, outside margin, fewest pages);
    IngramSpark's margins. Margins are the layout's smallest (render/pdf/layout.py ``print_facts``)."""
    margins = [p.margins for p in pieces if p.margins]
    inner, outer, top, bottom = (min(m[i] for m in margins) for i in range(4)) if margins else (1e9,) * 4
    if profile.name == "ingram":
        smallest = min(inner, outer, top, bottom)
        if smallest + 1e-3 < INGRAM_MARGIN:
            return [error("print.ingram-margins", f"IngramSpark wants margins of {INGRAM_MARGIN} in on every side; the style gives {smallest:.3f} in", where, "widen the style's @page margins")]
        return []
    if profile.name != "kdp":
        return []
    diags: list[Diagnostic] = []
    width, height = (v / INCH for v in trim)
    (wmin, wmax), (hmin, hmax) = KDP_TRIM
    if not (wmin <= width + 1e-3 and width <= wmax + 1e-3 and hmin <= height + 1e-3 and height <= hmax + 1e-3):
        diags.append(error("print.kdp-trim", f"KDP prints trims from {wmin} × {hmin} in to {wmax} × {hmax} in; this book is {width:.2f} × {height:.2f} in", where, "set trim: in the manuscript, e.g. '6in 9in'"))
    if pages < KDP_MIN_PAGES:
        diags.append(warning("print.kdp-pages", f"KDP prints paperbacks of {KDP_MIN_PAGES} pages or more; this book has {pages}", where, "a longer book, or another printer"))
    gutter = next((g for limit, g in KDP_GUTTER if pages <= limit), KDP_GUTTER[-1][1])
    if inner + 1e-3 < gutter:
        diags.append(error("print.kdp-gutter", f"KDP wants an inside margin of {gutter} in for {pages} pages; the style gives {inner:.3f} in", where, "widen the inner margin in the style's @page :left / :right rules"))
    if outer + 1e-3 < KDP_OUTSIDE:
        diags.append(error("print.kdp-outside", f"KDP wants an outside margin of {KDP_OUTSIDE} in at least; the style gives {outer:.3f} in", where, "widen the outer margin in the style's @page rules"))
    return diags
