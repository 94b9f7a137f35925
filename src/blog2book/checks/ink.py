"""Total ink coverage (TAC): the highest C + M + Y + K of any point of a page, what offset printers
cap (300 % on coated or uncoated paper). Ghostscript's ``inkcov`` device gives each page's average
only, so the pages are rasterised (``tiff32nc``: CMYK, no anti-aliasing, the inks as they are laid,
spot colours through their alternate) and their pixels read."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

MAX_TAC = 300.0  # per cent
DPI = 50  # a 3 pt rule is still two pixels wide; a 48-page interior in about a second


def total_ink(path: Path, dpi: int = DPI) -> list[float]:
    """Every page's highest total ink, in per cent (as many pages as Ghostscript drew)."""
    with tempfile.TemporaryDirectory(prefix="blog2book-ink-") as folder:
        # a page Ghostscript cannot draw is left out (preflight.pdf-error names it); the others are measured
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-o", str(Path(folder) / "p%05d.tif"), "-sDEVICE=tiff32nc", f"-r{dpi}", str(path)],
                       check=False, capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
        return measured(Path(folder))


def measured(folder: Path) -> list[float]:
    """The highest total ink of each page Ghostscript left in ``folder`` (p00001.tif…), in per cent."""
    from PIL import Image, ImageMath

    pages = []
    for raster in sorted(folder.glob("p*.tif")):
        with Image.open(raster) as image:
            c, m, y, k = image.split()
            total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"], c=c, m=m, y=y, k=k)
            pages.append(total.getextrema()[1] / 255 * 100)
    return pages
