"""A typographic cover drawn from the book's metadata, for EPUBs whose manifest names no image.

1600 x 2560 px (the 1:1.6 ratio stores ask for), the style's face and colours: title, subtitle,
author. Drawn with Pillow from the same static font instances as the PDF, so it is reproducible.
"""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from blog2book.model import Book
from blog2book.styles import font_file

WIDTH, HEIGHT = 1600, 2560
SERIF = "fontpkg:source-serif-4/SourceSerif4[opsz,wght].ttf?wght={w}&opsz={o}"
ITALIC = "fontpkg:source-serif-4/SourceSerif4-Italic[opsz,wght].ttf?wght={w}&opsz={o}"


DESIGN_DEFAULTS = {
    "background": "#1f3a5f",
    "text": "#ffffff",
    "accent": "#e8b04b",
    "title-font": SERIF.format(w=600, o=20),
    "text-font": SERIF.format(w=400, o=11),
    "italic-font": ITALIC.format(w=400, o=11),
}


def cover_design(book: Book) -> dict[str, str]:
    """The style's cover design, shared by the EPUB cover and the print cover: colours and faces
    (``fontpkg:`` URLs) from ``cover.txt`` (key=value lines), the defaults otherwise."""
    design = dict(DESIGN_DEFAULTS)
    spec = book.style / "cover.txt" if book.style else None
    if spec is not None and spec.is_file():
        for line in spec.read_text("utf-8").splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                if key.strip() in design:
                    design[key.strip()] = value.strip()
    return design


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
    title_font = _design_font(design["title-font"], 150)
    subtitle_font = _design_font(design["italic-font"], 80)
    _draw_lines(draw, [", ".join(m.author)], author_font, 360, text)
    draw.rectangle([WIDTH / 2 - 180, 560, WIDTH / 2 + 180, 572], fill=accent)
    y = _draw_lines(draw, textwrap.wrap(m.title, 16), title_font, 760, text, 1.15)
    if m.subtitle:
        _draw_lines(draw, textwrap.wrap(m.subtitle, 30), subtitle_font, y + 120, text)
    if m.publisher:
        _draw_lines(draw, [m.publisher], _design_font(design["text-font"], 60), HEIGHT - 300, text)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cover_faces() -> list[str]:
    """The fontpkg URLs the cover draws with (prepared with the style's faces)."""
    return [SERIF.format(w=400, o=11), SERIF.format(w=600, o=20), ITALIC.format(w=400, o=11)]
