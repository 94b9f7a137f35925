"""A deterministic synthetic book project for benchmarks and scale tests.

    python bench/corpus.py DIR --posts 300 [--seed 1]

Writes DIR/posts/*.md (600–900-word French posts with subheadings, lists, block quotes, one or two
footnotes, links to other posts of the corpus by their permalinks and to the web, a tweet now and
then) and DIR/manuscripts/bench.yml (parts of five chapters of ten posts, the 101 style, a preface
and a glossary). The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SITE = "https://www.blogue-exemple.ca"

WORDS = (
    "médias sociaux stratégie marque réseau communauté blogue billet lecteur entreprise client conversation "
    "réputation influence gazouillis abonné contenu publication marketing québécois Montréal internaute "
    "visibilité confiance transparence écoute veille outil plateforme message conférence étudiant gestion "
    "crise relation presse journaliste citoyen politique élection campagne public privé données mobile "
    "recherche référencement commerce électronique achat service qualité expérience humain dialogue "
    "engagement mesure résultat objectif budget agence équipe direction changement culture organisation"
).split()
GLUE = "le la les un une des du de et ou mais donc car avec sans pour par sur dans chez entre vers".split()
VERBS = "permet transforme construit favorise exige soutient révèle change améliore questionne".split()
TITLES = (
    "Pourquoi {a} change tout pour {b}", "{A} : ce que {b} nous apprend", "Dix leçons sur {a} et {b}",
    "Le mythe de {a}", "{A}, {b} et pâté chinois", "Comment {a} transforme {b}",
)


def sentence(rng: random.Random) -> str:
    n = rng.randint(8, 18)
    words = []
    for i in range(n):
        words.append(rng.choice(GLUE) if i % 3 == 1 else (rng.choice(VERBS) if i == n // 2 else rng.choice(WORDS)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", " !", " ?"]).replace(" ", "")


def paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentence(rng))
    return " ".join(out)


def slug_of(i: int) -> str:
    return f"billet-{i:04d}"


def url_of(i: int) -> str:
    year = 2008 + i % 12
    month = 1 + i % 12
    return f"{SITE}/{year}/{month:02d}/{slug_of(i)}/"


def post(i: int, total: int, rng: random.Random) -> str:
    a, b = rng.sample(WORDS, 2)
    title = rng.choice(TITLES).format(a=a, b=b, A=a.capitalize())
    year, month, day = 2008 + i % 12, 1 + i % 12, 1 + i % 28
    cats = rng.sample(["Stratégie", "Réputation", "Conférences", "Politique", "Commerce"], 2)
    tags = rng.sample(["Twitter", "Facebook", "blogue", "veille", "crise", "mobile"], 2)
    front = (
        f'---\ntitle: "{title} ({i})"\ndate: {year:04d}-{month:02d}-{day:02d}\nslug: {slug_of(i)}\n'
        f"url: {url_of(i)}\nwp_id: {1000 + i}\ncategories: [{', '.join(cats)}]\ntags: [{', '.join(tags)}]\n---\n"
    )
    target = rng.randrange(total)
    other = rng.randrange(total)
    body = [
        paragraph(rng, 90),
        f"Comme je l’écrivais dans [un autre billet]({url_of(target)}), {paragraph(rng, 40).lower()}[^1]",
        f"## {rng.choice(WORDS).capitalize()} et {rng.choice(WORDS)}",
        paragraph(rng, 110),
        "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))),
        paragraph(rng, 80),
        f"> {paragraph(rng, 45)}",
        f"Voir aussi [ce texte]({SITE}/?p={1000 + other}) et [une étude](https://www.example.org/etude-{i}/) "
        f"sur le sujet. {paragraph(rng, 60)}",
        f"## {rng.choice(WORDS).capitalize()}",
        paragraph(rng, 120),
        "\n".join(f"{n}. {sentence(rng)}" for n in range(1, rng.randint(3, 5))),
        paragraph(rng, 100),
    ]
    if i % 7 == 0:
        body.append(f"> {sentence(rng)}\n>\n> http://twitter.com/exemple/status/{10**10 + i}")
    if rng.random() < 0.5:
        body.append(f"{paragraph(rng, 50)}[^2]")
        notes = f"[^1]: {sentence(rng)}\n[^2]: {sentence(rng)}"
    else:
        notes = f"[^1]: {sentence(rng)}"
    return front + "\n" + "\n\n".join(body) + "\n\n" + notes + "\n"


def manuscript(total: int) -> str:
    lines = [
        "title: Banc d’essai",
        "subtitle: un corpus de synthèse",
        "author: blog2book",
        "lang: fr-CA",
        "date: 2026-11-29",
        f"site: {SITE}/",
        "style: medias-sociaux-101",
        "front: {preface: preface.md}",
        "back: {glossary: lexique.md}",
        "chapters:",
    ]
    chapters = [list(range(c, min(c + 10, total))) for c in range(0, total, 10)]
    for p in range(0, len(chapters), 5):
        lines.append(f"  - part: Partie {p // 5 + 1}")
        lines.append("    chapters:")
        for c in range(p, min(p + 5, len(chapters))):
            lines.append(f"      - title: Chapitre {c + 1}")
            lines.append(f"        posts: [{', '.join(slug_of(i) for i in chapters[c])}]")
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, total: int, seed: int = 1) -> Path:
    """Write the project; returns the manuscript's path."""
    rng = random.Random(seed)
    posts = root / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for i in range(total):
        (posts / f"{slug_of(i)}.md").write_text(post(i, total, rng), "utf-8")
    manuscripts = root / "manuscripts"
    manuscripts.mkdir(parents=True, exist_ok=True)
    (manuscripts / "preface.md").write_text("---\ntitle: Préface\n---\n\n" + paragraph(rng, 200) + "\n", "utf-8")
    (manuscripts / "lexique.md").write_text("---\ntitle: Lexique\n---\n\n" + "\n\n".join(f"{w}\n:   {sentence(rng)}" for w in sorted(rng.sample(WORDS, 12))) + "\n", "utf-8")
    path = manuscripts / "bench.yml"
    path.write_text(manuscript(total), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(write_corpus(args.dir, args.posts, args.seed))


if __name__ == "__main__":
    main()
