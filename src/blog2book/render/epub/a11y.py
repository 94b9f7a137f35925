"""The EPUB's accessibility metadata (EPUB Accessibility 1.1), computed from what the files hold.

``features(documents, …)`` reads the XHTML the EPUB carries (notes, images and their ``alt``,
tables, MathML, page-break markers) and ``declare`` writes the schema.org properties and the
summary that say exactly that, in the book's language: a feature the book does not have is not
claimed (« notes liées » only when there are notes). ``dcterms:conformsTo`` « EPUB Accessibility
1.1 - WCAG 2.1 Level AA » is declared when nothing the EPUB holds goes against it (an image
without a text alternative does); ``a11y:certifiedBy`` is never written: nobody certified the file
(DAISY Ace runs in the tests, which is a check, not a certification). The package's ``xml:lang``
(``opf_lang``) is what Ace asks of the package document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from blog2book import lang as lang_mod

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_IMG = re.compile(r"<img\b[^>]*>", re.S)
_ALT = re.compile(r'\balt="([^"]*)"')


@dataclass(frozen=True)
class Features:
    notes: bool = False
    images: int = 0
    images_without_alt: int = 0
    tables: bool = False
    math: bool = False
    page_list: bool = False
    index: bool = False

    @property
    def conforms(self) -> bool:
        return self.images_without_alt == 0


def features(documents: list[str], page_list: bool, index: bool) -> Features:
    """What the EPUB's XHTML ``documents`` hold (the cover's image is one of them)."""
    images = without = 0
    notes = tables = math = False
    for text in documents:
        for tag in _IMG.findall(text):
            images += 1
            alt = _ALT.search(tag)
            without += alt is None  # alt="" marks an image as decorative: that is a text alternative
        notes = notes or 'epub:type="noteref"' in text or 'role="doc-noteref"' in text
        tables = tables or "<table" in text
        math = math or "<math" in text
    return Features(notes, images, without, tables, math, page_list, index)


def declare(eb, f: Features, lang: str, page_source: str | None = None) -> None:
    """The schema.org accessibility properties, the summary and the conformance of ``f`` on the
    ebooklib book ``eb``; with a page list, ``pageBreakSource``: the print edition it comes from
    (``page_source``: its ``urn:isbn:``, or its title)."""
    words = lang_mod.strings(lang)
    meta = lambda prop, value: eb.add_metadata(None, "meta", value, {"property": prop})  # noqa: E731
    meta("schema:accessMode", "textual")
    if f.images:
        meta("schema:accessMode", "visual")
    meta("schema:accessModeSufficient", "textual" if not f.images_without_alt else "textual,visual")
    found = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if f.page_list:
        found += ["pageNavigation", "pageBreakMarkers"]
    if f.images and not f.images_without_alt:
        found.append("alternativeText")
    if f.notes:
        found.append("annotations")
    if f.index:
        found.append("index")
    if f.math:
        found.append("MathML")
    for feature in found:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")  # no sound, video, animation or flashing: embeds become links
    meta("schema:accessibilitySummary", summary(f, words))
    if f.page_list and page_source:
        meta("pageBreakSource", page_source)
    if f.conforms:
        meta("dcterms:conformsTo", CONFORMS_TO)


def summary(f: Features, words) -> str:
    """The accessibility summary, in the book's language, of what ``f`` says the EPUB holds."""
    parts = [words["a11y_toc"], words["a11y_headings"]]
    if f.notes:
        parts.append(words["a11y_notes"])
    if f.index:
        parts.append(words["a11y_index"])
    if f.page_list:
        parts.append(words["a11y_pages"])
    if f.images:
        parts.append(words["a11y_alt"] if not f.images_without_alt else words["a11y_some_alt"].format(n=f.images_without_alt))
    text = words["a11y_summary"].format(features=", ".join(parts))
    if f.conforms:
        text += " " + words["a11y_conforms"]
    return text


def opf_lang(data: bytes, lang: str) -> bytes:
    """The package document with ``xml:lang`` (and ``dir``-free) on its root element."""
    text = data.decode("utf-8")
    if re.search(r"<package\b[^>]*\bxml:lang=", text):
        return data
    return re.sub(r"<package\b", f'<package xml:lang="{lang}"', text, count=1).encode("utf-8")
