"""The manuscript file (YAML) -> a frozen ManifestSpec.

The spec is what the author wrote, checked: closed mappings, types, required keys. Every problem is
reported with ``FILE:LINE:COL`` taken from the YAML node marks, all of them at once. Slugs are
resolved against the posts later, in ``sources``; their locations travel in ``PostRef.location``.

The parts: ``spec`` (the frozen records and the values they allow), ``load`` (``load_manifest``:
the top-level keys), ``reader`` (a YAML node checked and located), ``sections`` (``index:``,
``print:``, ``copyright:``), ``chapters`` (the parts, chapters and post references).
"""

from __future__ import annotations

from blog2book.manifest.load import TOP_KEYS, isbn_digits, load_manifest
from blog2book.manifest.spec import (
    BACK_KINDS,
    COPYRIGHT_KEYS,
    COVER_TYPES,
    FRONT_KINDS,
    LINK_POLICIES,
    PAPERS,
    PDFX_CHOICES,
    PRINT_KEYS,
    PRINT_PROFILES,
    SIGNATURES,
    TYPOGRAPHY_CHOICES,
    XREF_STYLES,
    ChapterSpec,
    CommentPick,
    CopyrightSpec,
    IndexSpec,
    ManifestSpec,
    PartSpec,
    PostRef,
    PrintSpec,
    SelectRef,
)

__all__ = [
    "BACK_KINDS", "COPYRIGHT_KEYS", "COVER_TYPES", "FRONT_KINDS", "LINK_POLICIES", "PAPERS", "PDFX_CHOICES", "PRINT_KEYS",
    "PRINT_PROFILES", "SIGNATURES", "TOP_KEYS", "TYPOGRAPHY_CHOICES", "XREF_STYLES", "ChapterSpec", "CommentPick",
    "CopyrightSpec", "IndexSpec", "ManifestSpec", "PartSpec", "PostRef", "PrintSpec", "SelectRef", "isbn_digits",
    "load_manifest",
]
