"""Every word the book generates, per language, and dates in words.

Two tables: French (any ``fr``/``fr-*`` tag) and English (``en``/``en-*`` and every other
language, as the fallback). The French strings are already in book typography (U+2019 apostrophe,
U+00A0 before ``:`` and U+202F before ``;``); ordinals such as ``1er`` stay plain text here, the
typography pass of the post body superscripts them where it runs.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any, Mapping

_FR: dict[str, str] = {
    "toc_title": "Table des matières",
    "see_page": "voir\u00a0p.",  # never parted from its number (U+00A0 after « p. » in the CSS)
    "see_word": "voir",  # the author's own « Voir … » before a reference: no second « voir »
    "page_abbr": "p.",
    "below": "ci-dessous",
    "above": "plus haut",
    "see_chapter": "voir le chapitre",
    "published_on": "Publié le",
    "notes": "Notes",
    "part": "Partie",
    "chapter": "Chapitre",
    "cover": "Couverture",
    "image_left_out": "image absente\u00a0:",  # the placeholder of an image the book refuses (images.py)
    "title_page": "Page de titre",
    "start": "Début du texte",
    "copyright": "Droits",
    "legal_deposit": "Dépôt légal",
    "cip": "Catalogage avant publication de Bibliothèque et Archives nationales du Québec et Bibliothèque et Archives Canada",
    "legal_deposit_libraries": "Bibliothèque et Archives nationales du Québec, Bibliothèque et Archives Canada",
    "isbn_print": "ISBN (imprimé)",
    "isbn_epub": "ISBN (EPUB)",
    "all_rights": "Tous droits réservés",
    "dedication": "Dédicace",
    "preface": "Préface",
    "acknowledgements": "Remerciements",
    "glossary": "Lexique",
    "about": "À propos de l’auteur",
    "page_list": "Liste des pages",
    "landmarks": "Repères",
    "back_to_text": "Retour au texte",
    "note": "Note",
    "approximate": "date approximative",
    "tweet": "Gazouillis de",
    "tweet_noun": "Gazouillis",
    "video": "Vidéo",
    "audio": "Audio",
    "embed": "Contenu intégré",
    "proof": "ÉPREUVE",
    "source": "Source",
    "words": "mots",
    "changed": "modifié",
    "added_posts": "Billets ajoutés",
    "removed_posts": "Billets retirés",
    "changed_paragraphs": "Paragraphes modifiés",
    "continued": "suite",
    "proof_build": "version",
    "proof_page": "page {n} de {total}",
    "proof_pages": "pages {n} et {k} de {total}",
    "proof_compared": "Comparée à",
    # the EPUB's accessibility summary (render/epub/a11y.py): the features it holds, joined by ", "
    "a11y_summary": "Livre numérique textuel structuré\u00a0: {features}.",
    "a11y_toc": "table des matières",
    "a11y_headings": "titres hiérarchisés",
    "a11y_notes": "appels de note liés aux notes, avec retour au texte",
    "a11y_index": "index",
    "a11y_pages": "numéros de page de l’édition imprimée",
    "a11y_alt": "texte de remplacement pour chaque image",
    "a11y_some_alt": "images sans texte de remplacement\u00a0: {n}",
    "a11y_conforms": "Conçu pour répondre à EPUB Accessibility\u00a01.1 et aux WCAG\u00a02.1, niveau\u00a0AA.",
    "quarter": "trimestre",
    "print_edition": "édition imprimée",
    "colon": "\u00a0:",  # what goes between a label and its value: "Vidéo\u00a0: …"
    "comments": "Commentaires",
    "anonymous": "Anonyme",
    "index": "Index",
    "index_see": "voir",
    "index_see_also": "voir aussi",
    "index_chapter": "chap.",
    "pages_nav": "Pages précédente et suivante",
    "isbn_pdf": "ISBN (PDF)",
    "reproduction": (
        "Toute reproduction d’un extrait quelconque de ce livre, par quelque procédé que ce soit, "
        "notamment par photocopie ou numérisation, est interdite sans l’autorisation écrite de l’éditeur."
    ),
    "revision": "Révision",
    "correction": "Correction",
    "design": "Conception graphique",
    "cover_design": "Couverture",
    "printed_in": "Imprimé au Canada",
    "grants": (
        "Nous remercions la Société de développement des entreprises culturelles (SODEC) et le Conseil des arts "
        "du Canada de leur soutien. Financé par le gouvernement du Canada."
    ),
    "also_by": "Du même auteur",
    "acheve": "Achevé d’imprimer en {date}",
    "acheve_printer": "sur les presses de {printer}",
    "acheve_place": "à {place}",
}

_EN: dict[str, str] = {
    "toc_title": "Contents",
    "see_page": "see\u00a0p.",
    "see_word": "see",
    "page_abbr": "p.",
    "below": "below",
    "above": "above",
    "see_chapter": "see chapter",
    "published_on": "Published on",
    "notes": "Notes",
    "part": "Part",
    "chapter": "Chapter",
    "cover": "Cover",
    "image_left_out": "image left out:",
    "title_page": "Title page",
    "start": "Start of text",
    "copyright": "Copyright",
    "legal_deposit": "Legal deposit",
    "cip": "Library and Archives Canada Cataloguing in Publication",
    "legal_deposit_libraries": "Bibliothèque et Archives nationales du Québec, Library and Archives Canada",
    "isbn_print": "ISBN (print)",
    "isbn_epub": "ISBN (EPUB)",
    "all_rights": "All rights reserved",
    "dedication": "Dedication",
    "preface": "Preface",
    "acknowledgements": "Acknowledgements",
    "glossary": "Glossary",
    "about": "About the author",
    "page_list": "Page list",
    "landmarks": "Landmarks",
    "back_to_text": "Back to text",
    "note": "Note",
    "approximate": "approximate date",
    "tweet": "Tweet by",
    "tweet_noun": "Tweet",
    "video": "Video",
    "audio": "Audio",
    "embed": "Embedded content",
    "proof": "PROOF",
    "source": "Source",
    "words": "words",
    "changed": "changed",
    "added_posts": "Added posts",
    "removed_posts": "Removed posts",
    "changed_paragraphs": "Changed paragraphs",
    "continued": "cont.",
    "proof_build": "build",
    "proof_page": "page {n} of {total}",
    "proof_pages": "pages {n} and {k} of {total}",
    "proof_compared": "Compared with",
    "a11y_summary": "Structured textual e-book: {features}.",
    "a11y_toc": "table of contents",
    "a11y_headings": "hierarchical headings",
    "a11y_notes": "note references linked to their notes and back",
    "a11y_index": "index",
    "a11y_pages": "page numbers of the print edition",
    "a11y_alt": "a text alternative for every image",
    "a11y_some_alt": "images without a text alternative: {n}",
    "a11y_conforms": "Made to meet EPUB Accessibility 1.1 and WCAG 2.1, level AA.",
    "quarter": "quarter",
    "print_edition": "print edition",
    "colon": ":",
    "comments": "Comments",
    "anonymous": "Anonymous",
    "index": "Index",
    "index_see": "see",
    "index_see_also": "see also",
    "index_chapter": "ch.",
    "pages_nav": "Previous and next pages",
    "isbn_pdf": "ISBN (PDF)",
    "reproduction": (
        "No part of this book may be reproduced in any form or by any means, including photocopying "
        "and scanning, without the publisher’s written permission."
    ),
    "revision": "Editing",
    "correction": "Proofreading",
    "design": "Design",
    "cover_design": "Cover",
    "printed_in": "Printed in Canada",
    "grants": (
        "We acknowledge the support of the Société de développement des entreprises culturelles (SODEC) and of "
        "the Canada Council for the Arts. Funded by the Government of Canada."
    ),
    "also_by": "Also by the author",
    "acheve": "Printed in {date}",
    "acheve_printer": "by {printer}",
    "acheve_place": "in {place}",
}

assert _FR.keys() == _EN.keys()

_TABLES = {"fr": MappingProxyType(_FR), "en": MappingProxyType(_EN)}

_MONTHS = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}


def base_language(lang: str) -> str:
    """"fr" or "en": the table used for a BCP 47 tag (unknown languages fall back to English)."""
    primary = (lang or "").strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in _TABLES else "en"


def strings(lang: str) -> Mapping[str, str]:
    """The generated words of the book for ``lang`` (read-only mapping)."""
    return _TABLES[base_language(lang)]


def month_name(month: int, lang: str) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return _MONTHS[base_language(lang)][month - 1]


def format_date(value: Any, lang: str) -> str:
    """A date in words: ``datetime.date`` or a ``PostDate``-like object (year, month, day, approximate).

    fr: "24 novembre 2010", "1er mars 2010", "novembre 2010", "2010";
    en: "November 24, 2010", "November 2010", "2010".
    An approximate date gets " (date approximative)" / " (approximate date)".
    """
    if isinstance(value, dt.date):
        year, month, day, approximate = value.year, value.month, value.day, False
    else:
        year = value.year
        month = getattr(value, "month", None)
        day = getattr(value, "day", None) if month else None
        approximate = bool(getattr(value, "approximate", False))
    base = base_language(lang)
    if month:
        name = month_name(month, lang)
        if base == "fr":
            text = f"{'1er' if day == 1 else day} {name} {year}" if day else f"{name} {year}"
        else:
            text = f"{name} {day}, {year}" if day else f"{name} {year}"
    else:
        text = str(year)
    if approximate:
        text += f" ({strings(lang)['approximate']})"
    return text


def ordinal_quarter(month: int, lang: str) -> str:
    """The quarter of ``month`` for the legal deposit line: "4e trimestre" / "4th quarter"."""
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month out of range: {month}")
    q = (int(month) - 1) // 3 + 1
    if base_language(lang) == "fr":
        return f"{q}{'er' if q == 1 else 'e'} {_FR['quarter']}"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(q, "th")
    return f"{q}{suffix} {_EN['quarter']}"
