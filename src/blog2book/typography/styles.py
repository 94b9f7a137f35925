"""The typography styles, and the style a book's language takes."""

from __future__ import annotations

from dataclasses import dataclass

STYLES = ("fr-CA", "quebec-office", "fr-FR", "en", "off")
# How a French book sets numbers of four digits (OQLF allows both; a book uses one): "solid" (« 2829 »,
# an author's « 2 829 » joined) or "grouped" (« 2 829 » with U+202F; years stay solid).
FOUR_DIGITS = ("solid", "grouped")
FRENCH_STYLES = ("fr-CA", "quebec-office", "fr-FR")

NBSP = "\u00a0"
NNBSP = "\u202f"
THIN = "\u2009"

# Regions whose French follows France's rules (U+202F inside « »).
_EUROPEAN_FRENCH = {"fr", "be", "ch", "lu", "mc"}


@dataclass(frozen=True)
class Typography:
    style: str
    four_digits: str = "solid"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown typography style {self.style!r}; expected one of {', '.join(STYLES)}")
        if self.four_digits not in FOUR_DIGITS:
            raise ValueError(f"unknown four_digits setting {self.four_digits!r}; expected one of {', '.join(FOUR_DIGITS)}")

    @property
    def french(self) -> bool:
        return self.style in FRENCH_STYLES

    @property
    def space_before_high(self) -> str:
        """The space before ; ! ? ("" = none)."""
        return "" if self.style == "quebec-office" else NNBSP

    @property
    def quote_space(self) -> str:
        """The space inside « »."""
        return NNBSP if self.style == "fr-FR" else NBSP


def typography_for(lang: str, setting: str | None = None, four_digits: str | None = None) -> Typography:
    """The typography for ``lang`` (see ``_style_for``), numbers of four digits set as ``four_digits``."""
    style = _style_for(lang, setting)
    return Typography(style, four_digits or "solid")


def _style_for(lang: str, setting: str | None) -> str:
    """The typography for a book language (BCP 47), or the explicit ``setting`` (one of STYLES).

    ``fr``, ``fr-CA`` and any other ``fr-*`` -> "fr-CA" (book style), except France, Belgium,
    Switzerland, Luxembourg and Monaco (``fr-FR``, ``fr-BE``, ``fr-CH``, ``fr-LU``, ``fr-MC``) ->
    "fr-FR"; ``en*`` -> "en"; anything else -> "off". ``setting`` "auto" or "" means None.
    """
    if setting not in (None, "", "auto"):
        if setting not in STYLES:
            raise ValueError(f"unknown typography setting {setting!r}; expected one of {', '.join(STYLES)}")
        return setting
    tag = (lang or "").strip().replace("_", "-").lower()
    subtags = [s for s in tag.split("-") if s]
    primary = subtags[0] if subtags else ""
    if primary == "fr":
        region = next((s for s in subtags[1:] if (len(s) == 2 and s.isalpha()) or (len(s) == 3 and s.isdigit())), None)
        return "fr-FR" if region in _EUROPEAN_FRENCH else "fr-CA"
    if primary == "en":
        return "en"
    return "off"
