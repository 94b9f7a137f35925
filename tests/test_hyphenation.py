"""Hyphenation in the PDF follows the book's language, and never cuts URLs or numbers."""

import re

import pyphen
import pytest
from pypdf import PdfReader

from conftest import REPO

pytestmark = pytest.mark.slow
COMPOUNDS = {
    m.lower() for path in (REPO / "posts").glob("*.md") for m in re.findall(r"\w+-\w+", path.read_text("utf-8"))
}


@pytest.fixture(scope="module")
def lines(sample_build):
    text = "\n".join(p.extract_text() for p in PdfReader(str(sample_build / "medias-sociaux.pdf")).pages)
    return text.split("\n")


def breaks(lines):
    """(prefix, suffix) for each line that ends inside a word."""
    out = []
    for a, b in zip(lines, lines[1:]):
        m = re.search(r"(\w+)[\u2010-]$", a)
        n = re.match(r"(\w+)", b)
        if m and n and b[:1].islower():
            out.append((m.group(1), n.group(1)))
    return out


def test_words_break_by_french_rules(lines):
    fr = pyphen.Pyphen(lang="fr_CA")
    en = pyphen.Pyphen(lang="en_US")
    found = breaks(lines)
    assert len(found) > 30  # the book is justified and hyphenated
    french_only = 0
    for prefix, suffix in found:
        word = prefix + suffix
        positions = fr.positions(word)
        compound = f"{prefix}-{suffix}".lower() in COMPOUNDS  # a break at the word's own hyphen
        assert len(prefix) in positions or compound, f"{prefix}-{suffix} is not a French break ({fr.inserted(word)})"
        if len(prefix) not in en.positions(word):
            french_only += 1
    assert french_only > 5  # the English patterns would have broken these words elsewhere


def test_urls_and_numbers_are_not_hyphenated(lines):
    for a, b in zip(lines, lines[1:]):
        last = a.split()[-1] if a.split() else ""
        assert not (("http" in last or "www." in last or "://" in last) and last.endswith("\u2010")), a
        assert not re.search(r"\d[\u2010]$", a), a
