"""The CMYK output profile of a print file: which one, what its output intent says, and whether an
author's own can serve.

Three profiles ship inside the package (``render/print/icc/``, their origin and licence in the
README.md there), one per paper of ISO 12647-2 sheetfed offset: coated (FOGRA39, the default, for
``paper: white`` or ``coated``), uncoated white (FOGRA29, ``paper: uncoated``) and uncoated yellowish
(FOGRA30, ``paper: cream``). A manuscript may name the printer's own instead (``print: {icc: …}``):
an ICC output profile for CMYK, called ``Custom`` in the intent. No operating-system file is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ICC_DIR = Path(__file__).with_name("icc")
REGISTRY = "http://www.color.org"


@dataclass(frozen=True)
class Condition:
    """A characterised printing condition: its profile and how the PDF/X output intent names it."""

    file: str
    identifier: str  # OutputConditionIdentifier, as the ICC's registry has it
    name: str  # OutputCondition, for people

    @property
    def path(self) -> Path:
        return ICC_DIR / self.file


COATED = Condition("FOGRA39L_coated.icc", "FOGRA39", "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, paper type 1 or 2)")
UNCOATED = Condition("FOGRA29L_uncoated.icc", "FOGRA29", "Offset printing, uncoated white paper (ISO 12647-2:2004, paper type 4)")
YELLOWISH = Condition("FOGRA30L_uncoated_yellowish.icc", "FOGRA30", "Offset printing, uncoated yellowish paper (ISO 12647-2:2004, paper type 5)")
BY_PAPER = {"white": COATED, "coated": COATED, "uncoated": UNCOATED, "cream": YELLOWISH}
CMYK_PROFILE = COATED.path  # the default


def paper_profile(paper: str) -> Path:
    """The shipped profile for the manuscript's ``paper:`` (coated unless it says otherwise)."""
    return BY_PAPER.get(paper, COATED).path


def output_condition(icc: Path) -> tuple[str, str, str | None]:
    """(OutputConditionIdentifier, OutputCondition, RegistryName) for the intent of ``icc``."""
    for condition in (COATED, UNCOATED, YELLOWISH):
        if icc == condition.path:
            return condition.identifier, condition.name, REGISTRY
    from PIL import ImageCms

    description = ImageCms.getOpenProfile(str(icc)).profile.profile_description.strip()
    return "Custom", description or icc.name, None


def problem(icc: Path) -> str | None:
    """Why ``icc`` cannot be a print file's output profile, or None."""
    from PIL import ImageCms

    if not icc.is_file():
        return "is missing"
    try:
        profile = ImageCms.getOpenProfile(str(icc)).profile
    except (OSError, ImageCms.PyCMSError):
        return "is not an ICC profile"
    if profile.xcolor_space.strip() != "CMYK" or profile.device_class != "prtr":
        return f"is a {profile.xcolor_space.strip()} {profile.device_class} profile, not a CMYK output (printer) profile"
    try:
        rgb_transform(str(icc))
    except (OSError, ImageCms.PyCMSError):
        return "cannot convert RGB to CMYK (its tables are broken)"
    return None


@lru_cache(maxsize=4)
def rgb_transform(icc: str):
    """sRGB to the profile's CMYK, relative colorimetric."""
    from PIL import ImageCms

    srgb = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(srgb, ImageCms.getOpenProfile(icc), "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
