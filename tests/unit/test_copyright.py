"""The copyright page: the default carries what a Québec book carries; a file's placeholders are
filled in, an unknown one is a located error."""

from pathlib import Path

from blog2book.copyright import default_copyright, fill_placeholders
from blog2book.manifest import CopyrightSpec, ManifestSpec


def spec(**kw) -> ManifestSpec:
    import datetime as dt

    base = dict(
        path=Path("/tmp/livre.yml"), title="Un livre", authors=("Une autrice",), divisions=(), posts_dir=Path("/tmp"),
        publisher="Éditions Test", date=dt.date(2026, 11, 26), isbn_print="978-2-924215-01-2", isbn_pdf="978-2-924215-02-9",
        isbn_epub="978-2-924215-03-6",
        copyright=CopyrightSpec(address="1234, rue Saint-Denis, Montréal", revision="Anne", correction="Luc", design="Studio", cover_design="Studio", grants=True),
    )
    base.update(kw)
    return ManifestSpec(**base)


def test_default_page_carries_what_a_quebec_book_carries():
    text = default_copyright(spec()).replace("\\\n", "\n")
    for words in (
        "Éditions Test", "1234, rue Saint-Denis, Montréal", "© Une autrice, 2026", "© Éditions Test, 2026", "Tous droits réservés",
        "Toute reproduction", "Révision\u00a0: Anne", "Correction\u00a0: Luc", "Conception graphique\u00a0: Studio", "Couverture\u00a0: Studio",
        "ISBN (imprimé)\u00a0: 978-2-924215-01-2", "ISBN (PDF)\u00a0: 978-2-924215-02-9", "ISBN (EPUB)\u00a0: 978-2-924215-03-6",
        "Dépôt légal – Bibliothèque et Archives nationales du Québec, Bibliothèque et Archives Canada, 4e trimestre 2026",
        "SODEC", "Conseil des arts du Canada", "gouvernement du Canada", "Imprimé au Canada",
    ):
        assert words in text, words


def test_an_english_book_has_no_legal_deposit_and_no_grant_line_unless_asked():
    text = default_copyright(spec(lang="en", copyright=CopyrightSpec()))
    assert "Dépôt légal" not in text and "SODEC" not in text and "All rights reserved" in text and "Printed in Canada" in text


def test_placeholders_filled_unknown_ones_located():
    path = Path("/tmp/droits.md")
    text, diags = fill_placeholders("ISBN {isbn_print}\n\n{depot_legal}\n\n{isbn_prnt}", {"isbn_print": "978-2", "depot_legal": "Dépôt", "isbn_pdf": None}, path)
    assert text.startswith("ISBN 978-2\n\nDépôt")
    assert [d.format() for d in diags] == [
        "/tmp/droits.md:5:1: error: unknown placeholder {isbn_prnt} (did you mean 'isbn_print'?) [copyright.placeholder]"
    ]
    _, diags = fill_placeholders("{isbn_pdf}", {"isbn_pdf": None}, path)
    assert diags[0].code == "copyright.missing-value"
