"""The typography styles, and the style a book's language takes."""

from __future__ import annotations

from dataclasses import dataclass

STYLES = ("fr-CA", "quebec-office", "fr-FR", "en", "off")
FRENCH_STYLES = ("fr-CA", "quebec-office", "fr-FR")

NBSP = "\u00a0"
NNBSP = "\u202f"
THIN = "\u2009"

# Regions whose French follows France's rules (U+202F inside « »).
_EUROPEAN_FRENCH = {"fr", "be", "ch", "lu", "mc"}


@dataclass(frozen=True)
class Typography:
    style: str

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown typography style {self.style!r}; expected one of {', '.join(STYLES)}")

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


def typography_for(lang: str, setting: str | None = None) -> Typography:
    """The typography for a book language (BCP 47), or the explicit ``setting`` (one of STYLES).

    ``fr``, ``fr-CA`` and any other ``fr-*`` -> "fr-CA" (book style), except France, Belgium,
    Switzerland, Luxembourg and Monaco (``fr-FR``, ``fr-BE``, ``fr-CH``, ``fr-LU``, ``fr-MC``) ->
    "fr-FR"; ``en*`` -> "en"; anything else -> "off". ``setting`` "auto" or "" means None.
    """
    if setting not in (None, "", "auto"):
        if setting not in STYLES:
            raise ValueError(f"unknown typography setting {setting!r}; expected one of {', '.join(STYLES)}")
        return Typography(setting)
    tag = (lang or "").strip().replace("_", "-").lower()
    subtags = [s for s in tag.split("-") if s]
    primary = subtags[0] if subtags else ""
    if primary == "fr":
        region = next((s for s in subtags[1:] if (len(s) == 2 and s.isalpha()) or (len(s) == 3 and s.isdigit())), None)
        return Typography("fr-FR" if region in _EUROPEAN_FRENCH else "fr-CA")
    if primary == "en":
        return Typography("en")
    return Typography("off")
