"""What a manuscript says, checked: the frozen records ``load_manifest`` returns, and the values
their keys allow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from blog2book import guard
from blog2book.diagnostics import Location
from blog2book.typography.styles import FOUR_DIGITS  # numbers of four digits: « 2829 » or « 2 829 »

TYPOGRAPHY_CHOICES = ("fr-CA", "quebec-office", "fr-FR", "en", "off")
LINK_POLICIES = ("footnote", "endnote", "inline")
XREF_STYLES = ("page", "chapter")
FRONT_KINDS = ("dedication", "preface", "acknowledgements")
BACK_KINDS = ("acknowledgements", "glossary", "about")
COVER_TYPES = (".png", ".jpg", ".jpeg")
PRINT_PROFILES = ("screen", "press", "kdp", "ingram")
PRINT_KEYS = ("profile", "pdfx", "signature", "paper", "icc", "ppi", "printer", "place", "date", "crop_marks", "bookmarks", "price", "colour")
PAPERS = ("white", "cream", "coated", "uncoated")
PDFX_CHOICES = ("x-4", "x-1a")
PRINT_COLOURS = ("black", "cmyk")  # the interior's inks: the black plate alone, or four colours (or "spot NAME": black and the accent's ink)
SIGNATURES = (2, 4, 8, 16, 32)
WORK_KEYS = ("title", "subtitle", "kind", "publisher", "year")
COPYRIGHT_KEYS = ("file", "address", "edition", "revision", "correction", "design", "cover_design", "grants", "printed_in", "cip")


@dataclass(frozen=True)
class Work:
    """A book of the author's (``also_by:`` as a list): « De la même auteure » is made from these,
    and the matter files' mentions of them are checked against them."""

    title: str
    subtitle: str | None = None
    kind: str | None = None  # « essai », « roman »…
    publisher: str | None = None
    year: int | None = None
    location: Location | None = None


@dataclass(frozen=True)
class CommentPick:
    """The comments of a post the book prints: ``ids`` None for all of them."""

    location: Location
    ids: tuple[int, ...] | None = None
    id_locations: tuple[Location, ...] = ()


@dataclass(frozen=True)
class PostRef:
    slug: str
    location: Location
    comments: CommentPick | None = None


@dataclass(frozen=True)
class SelectRef:
    """Posts picked by their front matter, ordered by date."""

    location: Location
    category: str | None = None
    tag: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class IndexSpec:
    """The manuscript's ``index:``: terms to find in the text, the posts' tags as terms, cross-references.

    A term may name a sub-entry after ``!`` (``Twitter!politique``); ``see`` maps a term to the
    terms it sends the reader to (« voir », or « voir aussi » when the term has pages itself)."""

    location: Location
    terms: tuple[tuple[str, Location], ...] = ()
    from_tags: bool = False
    see: tuple[tuple[str, tuple[str, ...], Location], ...] = ()
    people: tuple[tuple[str, Location], ...] = ()  # names filed by surname (« Gladwell, Malcolm »)
    titles: tuple[tuple[str, Location], ...] = ()  # titles of works: in italics, filed without their article


@dataclass(frozen=True)
class ChapterSpec:
    title: str | None  # None: a bare post reference; the chapter takes the post's title
    items: tuple[PostRef | SelectRef, ...]
    location: Location
    short_title: str | None = None  # for the running heads (``short_title:``)


@dataclass(frozen=True)
class PartSpec:
    title: str
    chapters: tuple[ChapterSpec, ...]
    location: Location


@dataclass(frozen=True)
class PrintSpec:
    """``print:``: the printer's file (profile), the page count it wants and the achevé d'imprimer."""

    profile: str = "screen"  # screen | press | kdp | ingram
    pdfx: str | None = None  # x-4 | x-1a (press); the profile's own otherwise
    signature: int = 2  # pages padded to a multiple of this
    paper: str = "white"  # white | cream | coated | uncoated: the CMYK profile, and KDP's spine width (cream's or white's)
    icc: Path | None = None  # the printer's CMYK output profile, instead of the one shipped for the paper
    ppi: int | None = None  # pages per inch of the paper (offset, IngramSpark): spine width
    printer: str | None = None  # achevé d'imprimer
    place: str | None = None
    date: dt.date | None = None  # month and year of the achevé d'imprimer; default: the book's date
    crop_marks: bool | None = None  # default: the profile's (press: on)
    bookmarks: bool = False
    colour: str | None = None  # black | cmyk | spot NAME: the interior's inks; default: the profile's (press: black)
    price: str | None = None  # EAN-5 add-on of the barcode: 5 digits (5xxxx US$, 6xxxx CA$)
    location: Location | None = None
    icc_location: Location | None = None  # where icc: was written


@dataclass(frozen=True)
class CopyrightSpec:
    """``copyright:``: a Markdown file with placeholders, or what the default page says."""

    file: Path | None = None
    address: str | None = None
    edition: str | None = None
    revision: str | None = None
    correction: str | None = None
    design: str | None = None
    cover_design: str | None = None
    grants: bool = False
    printed_in: str | None = None  # default: « Imprimé au Canada »
    cip: str | None = None  # the cataloguing in publication record BAnQ and LAC sent (its lines)
    location: Location | None = None


@dataclass(frozen=True)
class ManifestSpec:
    path: Path
    title: str
    authors: tuple[str, ...]
    divisions: tuple[PartSpec | ChapterSpec, ...]
    posts_dir: Path
    style: str = "medias-sociaux-101"
    lang: str = "fr-CA"
    subtitle: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    description: str | None = None
    subjects: tuple[str, ...] = ()
    isbn_print: str | None = None
    isbn_epub: str | None = None
    isbn_pdf: str | None = None
    rights: str | None = None
    identifier: str | None = None
    modified: dt.datetime | None = None
    site: str | None = None
    cover: Path | None = None
    trim: str | None = None
    typography: str | None = None
    four_digits: str = "solid"
    links: str = "footnote"
    xrefs: str = "page"
    front: tuple[tuple[str, Path, Location], ...] = ()
    back: tuple[tuple[str, Path, Location], ...] = ()
    uploads: Path | None = None  # a copy of the blog's wp-content/uploads: /wp-content/uploads/… images
    index: IndexSpec | None = None
    print: PrintSpec = PrintSpec()
    copyright: CopyrightSpec = CopyrightSpec()
    back_cover: Path | None = None  # Markdown: the back cover's text
    also_by: Path | None = None  # Markdown: « De la même auteure »
    works: tuple[Work, ...] = ()  # or the author's books, listed in the manuscript (also_by: as a list)
    also_by_title: str | None = None  # that page's title (default: the language's « Du même auteur »)
    locations: Mapping[str, Location] = field(default_factory=dict)  # where each top-level key was written
    allowed: tuple[Path, ...] = ()  # folders outside the project the user allowed (--allow-outside)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def root(self) -> Path:
        """The project folder (the one holding manuscripts/): every file the manuscript names must be
        inside it, or inside a folder of ``allowed``."""
        return guard.project_root(self.path)

    @property
    def roots(self) -> tuple[Path, ...]:
        """The folders a build may read the author's files from: the project, then ``allowed``."""
        return (self.root, *self.allowed)

    def chapter_specs(self) -> tuple[ChapterSpec, ...]:
        out: list[ChapterSpec] = []
        for div in self.divisions:
            out.extend(div.chapters if isinstance(div, PartSpec) else [div])
        return tuple(out)
