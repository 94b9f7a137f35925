"""Generated words per language, and dates in words."""

from __future__ import annotations

import datetime as dt

import pytest

from blog2book.lang import format_date, ordinal_quarter, strings
from blog2book.model import PostDate

KEYS = (
    "toc_title see_page see_chapter published_on notes part chapter cover title_page start copyright "
    "legal_deposit legal_deposit_libraries isbn_print isbn_epub all_rights dedication preface "
    "acknowledgements glossary about page_list landmarks back_to_text note approximate tweet video "
    "embed proof source words changed added_posts removed_posts a11y_summary a11y_notes a11y_alt a11y_conforms quarter"
).split()


@pytest.mark.parametrize(
    "value,lang,expected",
    [
        (dt.date(2010, 11, 24), "fr-CA", "24 novembre 2010"),
        (dt.date(2010, 3, 1), "fr-CA", "1er mars 2010"),
        (dt.date(2010, 8, 2), "fr", "2 août 2010"),
        (dt.date(2010, 2, 14), "fr-FR", "14 février 2010"),
        (dt.datetime(2010, 12, 31, 23, 59), "fr-CA", "31 décembre 2010"),
        (PostDate(2010, 11, 24), "fr-CA", "24 novembre 2010"),
        (PostDate(2010, 3, 1), "fr-CA", "1er mars 2010"),
        (PostDate(2010, 11), "fr-CA", "novembre 2010"),
        (PostDate(2010), "fr-CA", "2010"),
        (PostDate(2010, 10, approximate=True), "fr-CA", "octobre 2010 (date approximative)"),
        (PostDate(2010, 10, 29, approximate=True), "fr-CA", "29 octobre 2010 (date approximative)"),
        (PostDate(2010, approximate=True), "fr-CA", "2010 (date approximative)"),
        (PostDate(2010, None, 5), "fr-CA", "2010"),  # a day without a month means nothing
        (dt.date(2010, 11, 24), "en", "November 24, 2010"),
        (dt.date(2010, 3, 1), "en-CA", "March 1, 2010"),
        (PostDate(2010, 11), "en", "November 2010"),
        (PostDate(2010), "en", "2010"),
        (PostDate(2010, 10, approximate=True), "en", "October 2010 (approximate date)"),
        (dt.date(2010, 11, 24), "de", "November 24, 2010"),  # unknown languages fall back to English
    ],
)
def test_format_date(value, lang: str, expected: str) -> None:
    assert format_date(value, lang) == expected


def test_format_date_bad_month() -> None:
    with pytest.raises(ValueError):
        format_date(PostDate(2010, 13), "fr-CA")


@pytest.mark.parametrize(
    "month,lang,expected",
    [
        (1, "fr-CA", "1er trimestre"),
        (3, "fr-CA", "1er trimestre"),
        (4, "fr-CA", "2e trimestre"),
        (9, "fr-FR", "3e trimestre"),
        (10, "fr-CA", "4e trimestre"),
        (12, "fr", "4e trimestre"),
        (2, "en", "1st quarter"),
        (5, "en", "2nd quarter"),
        (8, "en", "3rd quarter"),
        (11, "en", "4th quarter"),
    ],
)
def test_ordinal_quarter(month: int, lang: str, expected: str) -> None:
    assert ordinal_quarter(month, lang) == expected


def test_ordinal_quarter_bad_month() -> None:
    with pytest.raises(ValueError):
        ordinal_quarter(0, "fr-CA")


@pytest.mark.parametrize(
    "key,fr,en",
    [
        ("toc_title", "Table des matières", "Contents"),
        ("see_page", "voir\u00a0p.", "see\u00a0p."),
        ("see_chapter", "voir le chapitre", "see chapter"),
        ("published_on", "Publié le", "Published on"),
        ("part", "Partie", "Part"),
        ("chapter", "Chapitre", "Chapter"),
        ("start", "Début du texte", "Start of text"),
        ("legal_deposit", "Dépôt légal", "Legal deposit"),
        (
            "legal_deposit_libraries",
            "Bibliothèque et Archives nationales du Québec, Bibliothèque et Archives Canada",
            "Bibliothèque et Archives nationales du Québec, Library and Archives Canada",
        ),
        ("isbn_print", "ISBN (imprimé)", "ISBN (print)"),
        ("all_rights", "Tous droits réservés", "All rights reserved"),
        ("glossary", "Lexique", "Glossary"),
        ("about", "À propos de l’auteur", "About the author"),
        ("tweet", "Gazouillis de", "Tweet by"),
        ("video", "Vidéo", "Video"),
        ("embed", "Contenu intégré", "Embedded content"),
        ("proof", "ÉPREUVE", "PROOF"),
        ("quarter", "trimestre", "quarter"),
        ("colon", "\u00a0:", ":"),
        ("a11y_summary", "Livre numérique textuel structuré\u00a0: {features}.", "Structured textual e-book: {features}."),
        ("a11y_notes", "appels de note liés aux notes, avec retour au texte", "note references linked to their notes and back"),
    ],
)
def test_strings(key: str, fr: str, en: str) -> None:
    assert strings("fr-CA")[key] == fr
    assert strings("en")[key] == en


@pytest.mark.parametrize("lang", ["fr", "fr-CA", "fr-FR", "FR-ca", "fr_BE"])
def test_every_french_tag_gets_the_french_table(lang: str) -> None:
    assert strings(lang)["toc_title"] == "Table des matières"


@pytest.mark.parametrize("lang", ["en", "en-GB", "de", "es-MX", "", "x"])
def test_other_languages_fall_back_to_english(lang: str) -> None:
    assert strings(lang)["toc_title"] == "Contents"


def test_tables_are_complete_and_read_only() -> None:
    fr, en = strings("fr-CA"), strings("en")
    assert set(KEYS) <= set(fr) and set(fr) == set(en)
    assert all(isinstance(v, str) and v for v in list(fr.values()) + list(en.values()))
    assert "'" not in "".join(fr.values())  # French apostrophes are U+2019
    with pytest.raises(TypeError):
        fr["toc_title"] = "x"  # type: ignore[index]
