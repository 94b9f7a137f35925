"""How the book sorts what it lists (the index, the glossary, tags): French collation.

Letter by letter, accents, apostrophes, hyphens and spaces ignored at the first level (Université
libre de Bruxelles, « Boussole », Classements alphabétiques), accents then compared from the end of
the word (the French, and CAN/CSA Z243.4.1, secondary order), then case; a leading article (Le, La,
Les, L’ in French; The, A, An in English) ignored, as library catalogues file titles: the entry keeps
the article in its text. So « Billet » < « Blogue », « cote » < « côte » < « coté » < « côté ».
"""

from __future__ import annotations

import re
import unicodedata

from blog2book import lang as lang_mod

_ARTICLES = {"fr": re.compile(r"^(les|le|la)\s+|^l['’]\s*", re.I), "en": re.compile(r"^(the|an|a)\s+", re.I)}


def sort_key(text: str, lang: str = "fr-CA") -> tuple:
    """The key that files ``text`` in a list of the book's language ``lang`` (BCP 47)."""
    base = lang_mod.base_language(lang)
    article = _ARTICLES.get(base)
    stripped = (article.sub("", text.strip()) if article else text.strip()) or text
    decomposed = unicodedata.normalize("NFD", stripped)
    letters, accents, case = [], [], []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if accents:
                accents[-1] += ch
            continue
        if not ch.isalnum():
            continue  # spaces, hyphens, apostrophes: ignored at every level
        letters.append(ch.casefold())
        accents.append("")
        case.append(ch.isupper())
    secondary = tuple(reversed(accents)) if base == "fr" else tuple(accents)
    return ("".join(letters), secondary, tuple(case), text)
