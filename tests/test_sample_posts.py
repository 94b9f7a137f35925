"""The sample posts keep the author's words.

``posts/<slug>.md`` were made from the plain-text seed posts of ``shared/seed-posts`` (beside the
repository, or ``$BLOG2BOOK_SEED_POSTS``): we only added markup (paragraphs, lists, block quotes,
headings, escapes, links). Converting each body back to plain text with pandoc must give the seed's
text word for word: a word changed, dropped, added or moved fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

frontmatter = pytest.importorskip("frontmatter")
pypandoc = pytest.importorskip("pypandoc")

REPO = Path(__file__).resolve().parents[1]
POSTS = REPO / "posts"
SEED_DIR = Path(
    os.environ.get("BLOG2BOOK_SEED_POSTS")
    or Path(__file__).resolve().parents[2] / "shared" / "seed-posts"
)

if not SEED_DIR.is_dir():
    pytest.skip(f"seed posts not found at {SEED_DIR}", allow_module_level=True)

# Seed file number -> slug of the post made from it.
SLUGS = {
    "01": "medisance-et-reglements-de-comptes-sur-les-medias-sociaux",
    "02": "les-medias-sociaux-102-la-suite-quaimeriez-vous-y-retrouver",
    "03": "gourou-papesse-ou-reine-des-medias-sociaux-inaccessibilite-et-narcissisme",
    "04": "medias-sociaux-changent-pas-le-monde-gladwell-pis-apres",
    "05": "pourquoi-industrie-medias-sociaux-probleme-credibilite",
    "06": "twitter-et-medias-sociaux-dans-un-contexte-politique",
    "07": "conferenciere-les-medias-sociaux-une-perspective-socio-demo-marketing",
    "08": "importance-pate-chinois-strategie-medias-sociaux",
    "09": "plus-de-20-ans-ligne",
    "10": "quest-ce-quun-influenceur-et-quest-ce-quil-etait",
}

SEEDS = sorted(SEED_DIR.glob("[0-9][0-9]-*.txt"))

# Tokens that are only markup: list bullets (the seed's "•", pandoc's "-") and quote marks ">".
MARKUP_TOKEN = re.compile(r"^(?:[•\-*+]|>+)$")
# Splitting on ASCII whitespace only keeps U+00A0 inside tokens, so a lost or added
# non-breaking space is caught too.
ASCII_SPACE = re.compile(r"[ \t\r\n]+")


def seed_for(slug: str) -> Path:
    number = next(n for n, s in SLUGS.items() if s == slug)
    return next(p for p in SEEDS if p.name.startswith(number + "-"))


def seed_parts(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    return title, body


def load_post(slug: str) -> frontmatter.Post:
    return frontmatter.load(POSTS / f"{slug}.md")


def plain(body: str) -> str:
    return pypandoc.convert_text(body, "plain", format="markdown-smart", extra_args=["--wrap=none"])


def words(text: str, splitter=None) -> list[str]:
    tokens = splitter.split(text) if splitter else text.split()
    return [t for t in tokens if t and not MARKUP_TOKEN.match(t)]


def first_difference(got: list[str], want: list[str]) -> str:
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"word {i}: got {g!r}, seed has {w!r} (seed context: {' '.join(want[max(0, i - 5):i + 5])!r})"
    if len(got) != len(want):
        extra = got[len(want):] or want[len(got):]
        side = "post has extra" if len(got) > len(want) else "post is missing"
        return f"{side} words at the end: {' '.join(extra[:10])!r}"
    return "no difference"


def test_every_seed_has_its_post():
    assert len(SEEDS) == len(SLUGS)
    for seed in SEEDS:
        assert seed.name[:2] in SLUGS, f"no slug known for {seed.name}"
        assert (POSTS / f"{SLUGS[seed.name[:2]]}.md").is_file(), f"posts/{SLUGS[seed.name[:2]]}.md is missing"


@pytest.mark.parametrize("slug", sorted(SLUGS.values()))
def test_title_is_the_seed_title(slug):
    title, _ = seed_parts(seed_for(slug))
    assert load_post(slug)["title"] == title


@pytest.mark.parametrize("slug", sorted(SLUGS.values()))
def test_body_keeps_the_seed_words(slug):
    _, seed_body = seed_parts(seed_for(slug))
    text = plain(load_post(slug).content)
    got, want = words(text), words(seed_body)
    assert got == want, first_difference(got, want)
    # Same again, but a U+00A0 counts as part of a word, as the author typed it.
    got, want = words(text, ASCII_SPACE), words(seed_body, ASCII_SPACE)
    assert got == want, first_difference(got, want)


@pytest.mark.parametrize("slug", sorted(SLUGS.values()))
def test_body_has_no_accidental_markup(slug):
    """Handles like @MichelleBlanc must stay text (pandoc would read them as citations)."""
    doc = json.loads(pypandoc.convert_text(load_post(slug).content, "json", format="markdown-smart"))
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if "t" in node:
                found.add(node["t"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc["blocks"])
    unexpected = found & {"Cite", "Emph", "Strong", "Code", "CodeBlock", "RawInline", "RawBlock", "Math",
                          "OrderedList", "DefinitionList", "Table", "LineBlock", "Superscript", "Subscript",
                          "Strikeout", "Note", "Image"}
    assert not unexpected


@pytest.mark.parametrize("slug", sorted(SLUGS.values()))
def test_front_matter(slug):
    meta = load_post(slug).metadata
    assert set(meta) <= {"title", "date", "date_approximate", "url", "categories", "tags"}
    date = meta.get("date")
    if date is not None:
        if isinstance(date, dt.date):
            assert not isinstance(date, dt.datetime)
        else:
            assert re.fullmatch(r"\d{4}-\d{2}", str(date)), date
    if "date_approximate" in meta:
        assert meta["date_approximate"] is True and date is not None
    url = meta.get("url")
    if url is not None:
        assert re.fullmatch(r"https?://(www\.)?michelleblanc\.com/\d{4}/\d{2}/(\d{2}/)?" + re.escape(slug) + "/", url)
