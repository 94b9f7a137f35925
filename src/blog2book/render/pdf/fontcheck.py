"""A written PDF read back for its fonts: never a book set in the machine's fonts.

Run by the pipeline on every PDF the build writes (the book, a review proof, the printer's file,
the cover: ``Format.check`` in ``render/__init__.py``).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from blog2book.diagnostics import Diagnostic, Location, error, warning
from blog2book.render.pdf.fontmerge import used_glyphs
from blog2book.styles import declared_families

FALLBACK_GLYPHS = 8  # glyphs from a machine font that are a warning (characters the faces lack), not an error


def machine_fonts(path: Path, data: bytes, style: Path) -> list[Diagnostic]:
    """What a PDF's fonts say (``path``: where it is written, for the messages): every font must be
    one of the style's declared faces (or the cover's own, ``Cover …``). A PDF set in none of its
    declared faces fell back to the machine's fonts altogether (a lost ``@import``, a face that
    could not be loaded): an error. A PDF whose text is in its faces but where a few characters
    came from a machine font (an emoji, a symbol the faces lack): a warning naming the font, so
    that it is never silent. Embedded fonts are named after the CSS family
    (``ABCDEF+Book-Serif-Italic``)."""
    families = [f.replace(" ", "-") for f in declared_families(style)] + ["Cover"]
    found: dict[str, set[int]] = {}  # font name -> the glyphs it draws
    seen: set = set()  # fonts shared by many pages (the merged book's) are read once
    for page in PdfReader(BytesIO(data)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else ()):
            if getattr(ref, "idnum", None) is not None:
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            font = ref.get_object()
            glyphs = found.setdefault(str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1], set())
            for descendant in font.get("/DescendantFonts", []):
                glyphs |= used_glyphs(descendant.get_object())
    strangers = sorted(f for f in found if not any(f == fam or f.startswith(fam + "-") for fam in families))
    if not strangers:
        return []
    where = Location(style / "print.css")
    # a few glyphs (an emoji, a symbol the faces lack) are a fallback; more is text set in an undeclared family
    if len(strangers) == len(found) or sum(len(found[f]) for f in strangers) > FALLBACK_GLYPHS:
        return [error("pdf.machine-font", f"{path.name}: the PDF engine set text in fonts the style does not declare: {', '.join(strangers)}",
                      where, "declare every font-family the style uses with @font-face and a fontpkg: URL")]
    return [warning("pdf.fallback-font", f"{path.name}: some characters are not in the book's faces and were set in {', '.join(strangers)} from this machine",
                    where, "replace those characters (emoji, symbols) in the posts, or add a face that has them to the style")]
