"""A typographic cover drawn from the book's metadata, for EPUBs whose manifest names no image.

1600 x 2560 px (the 1:1.6 ratio stores ask for), the style's face and colours: title, subtitle,
author. Drawn with Pillow from the same static font instances as the PDF, so it is reproducible.
"""

from __future__ import annotations

import io
from itertools import combinations
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

from blog2book.model import Book
from blog2book.render.shared.openers import display_lines
from blog2book.styles import cover_design, font_file

WIDTH, HEIGHT = 1600, 2560
LINE_WIDTH = 1360  # of the front's 1600 units: the title's and the subtitle's longest line
TITLE_SIZE, SUBTITLE_SIZE = 150, 80


def cover_lines(text: str, width_of: Callable[[str], float], max_width: float = LINE_WIDTH) -> list[str]:
    """The lines of a cover's title or subtitle, as the title page breaks them: the author's line
    breaks, else the fewest lines that fit ``max_width`` (``width_of``: a line's width in the
    cover's units), balanced, never between a short word and the next nor between the last two
    words (« Médisance, influence / et pâté chinois », no word alone on a line)."""
    out: list[str] = []
    for groups in display_lines(text, 10**6):
        for n in range(1, len(groups) + 1):
            splits = [[" ".join(groups[a:b]) for a, b in zip((0, *cut), (*cut, len(groups)))] for cut in combinations(range(1, len(groups)), n - 1)]
            best = min(splits, key=lambda lines: max(width_of(line) for line in lines))
            if max(width_of(line) for line in best) <= max_width or n == len(groups):
                out += best
                break
    return out


def cover_fonts(book: Book) -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]:
    """The title's and the subtitle's faces at their sizes in the cover's units."""
    design = cover_design(book)
    return _design_font(design["title-font"], TITLE_SIZE), _design_font(design["italic-font"], SUBTITLE_SIZE)


def _design_font(url: str, size: int) -> ImageFont.FreeTypeFont:
    path = font_file(url)
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


def _draw_lines(draw, lines, font, y, fill, spacing=1.25) -> int:
    for line in lines:
        box = draw.textbbox((0, 0), line, font=font)
        draw.text(((WIDTH - (box[2] - box[0])) / 2, y), line, font=font, fill=fill)
        y += int((font.size) * spacing)
    return y


def typographic_cover(book: Book) -> bytes:
    design = cover_design(book)
    background, text, accent = design["background"], design["text"], design["accent"]
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    m = book.meta
    author_font = _design_font(design["text-font"], 84)
    title_font, subtitle_font = cover_fonts(book)
    _draw_lines(draw, [", ".join(m.author)], author_font, 360, text)
    draw.rectangle([WIDTH / 2 - 180, 560, WIDTH / 2 + 180, 572], fill=accent)
    y = _draw_lines(draw, cover_lines(m.title, title_font.getlength), title_font, 760, text, 1.15)
    if m.subtitle:
        _draw_lines(draw, cover_lines(m.subtitle, subtitle_font.getlength), subtitle_font, y + 120, text)
    if m.publisher:
        _draw_lines(draw, [m.publisher], _design_font(design["text-font"], 60), HEIGHT - 300, text)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
