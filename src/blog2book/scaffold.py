"""``blog2book init``: a new book project that builds at once.

The project holds a commented manuscript, two example posts (in French), a preface and an « about
the author » page, a ``.gitignore`` for the build folder and a three-line README. Nothing is ever
overwritten: if one of the files exists, nothing is written and the existing file is named.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from blog2book.diagnostics import BuildError, Location, error

MANUSCRIPT = "manuscripts/livre.yml"


def _q(text: str) -> str:
    """A YAML scalar for any text (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _kv(key: str, value: str) -> str:
    """``key: value`` padded so that the comments after it line up."""
    return f"{key}: {value}".ljust(29) + " "


def _manuscript(title: str, author: str, style: str) -> str:
    return f"""\
# The manuscript: what goes into the book and in which order. Every key is explained on its line;
# the README of blog2book lists them all. Build with:  blog2book build   (outputs in build/)
{_kv("title", _q(title))}# the book's title (required)
{_kv("author", _q(author))}# a name, or a list of names: [Une autrice, Un auteur] (required)
lang: fr-CA                   # the book's language (BCP 47): generated words and dates follow it
date: 2026-01-15              # publication date, shown on the copyright page
posts: ../posts               # the folder of posts, relative to this file
{_kv("style", style)}# a style of blog2book (medias-sociaux-101, medias-sociaux-201) or a style folder
typography: fr-CA             # French typography of Québec: spaces before ; ! ? and inside « »
links: footnote               # web links in print: footnote | endnote | inline
xrefs: page                   # links between posts in print: « (voir p. 42) », or: chapter
front:                        # front matter: dedication, preface, acknowledgements (Markdown files)
  preface: livre/preface.md
back:                         # back matter: acknowledgements, glossary, about (Markdown files)
  about: livre/auteur.md
index:                        # an index at the end of the book
  from_tags: true             # every tag of the posts in the book is an index term
  terms: [blogue]             # more terms, found wherever they occur in the text
  see: {{carnet: blogue}}       # « carnet, voir blogue »
chapters:                     # parts and chapters, in order; a chapter lists posts by slug
  - title: Commencer
    posts: [premier-billet]
  - part: Une première partie   # a part groups chapters
    chapters:
      - title: Continuer
        posts:
          - deuxieme-billet
          # - select: {{tag: blogue, from: 2010-01-01}}   # or pick posts by category, tag, dates
"""


_POST_1 = """\
---
title: Pourquoi tenir un blogue
date: 2010-11-24
categories: [Écriture]
tags: [blogue, lecteurs]
---

Tenir un blogue, c'est écrire pour des lecteurs qu'on ne voit pas. Chaque billet est une
conversation qui commence : les lecteurs répondent, corrigent, ajoutent.[^1]

# Ce qu'un billet devient dans un livre

Dans un livre, un billet garde son texte, mais la typographie devient celle du livre. Les liens
vers d'autres billets du livre deviennent des renvois, comme celui-ci vers
[le billet suivant](post:deuxieme-billet). Un mot peut aussi être marqué pour
l'[index]{.index term="index!marques dans le texte"}.

[^1]: Une note de bas de page : elle reste au bas de la page dans l'édition imprimée.
"""

_POST_2 = """\
---
title: Du blogue au livre
date: 2011-02-03
categories: [Écriture]
tags: [blogue, livre]
---

Choisir les billets d'un livre parmi des centaines demande de les voir tous : la commande
`blog2book posts` les liste avec leurs dates, catégories et mots-clés.

> Un livre est un blogue qui a pris le temps de se relire.

Les lecteurs d'un blogue retrouvent dans le livre ce qu'ils ont lu au fil des jours, dans un
ordre choisi, avec [une adresse pour aller plus loin](https://pandoc.org/).
"""

_PREFACE = """\
---
title: Avant-propos
---

Ce livre a été créé avec `blog2book init`. Remplacez ces pages par les vôtres.
"""

_ABOUT = """\
L'auteur tient un blogue depuis longtemps. Remplacez cette page par une courte biographie.
"""


def project_files(title: str, author: str, style: str) -> dict[str, str]:
    return {
        MANUSCRIPT: _manuscript(title, author, style),
        "manuscripts/livre/preface.md": _PREFACE,
        "manuscripts/livre/auteur.md": _ABOUT,
        "posts/premier-billet.md": _POST_1,
        "posts/deuxieme-billet.md": _POST_2,
        ".gitignore": "# blog2book's outputs and caches\nbuild/\n",
        "README.md": f"# {title}\nA book made with blog2book: posts in `posts/`, the book in `{MANUSCRIPT}`.\n"
        "Build it with `blog2book build` (PDF and EPUB in `build/`); preview it with `blog2book preview`.\n",
    }


def init_project(folder: Path, title: str, author: str, style: str) -> list[Path]:
    """Write a new project into ``folder`` (created if needed). Raises BuildError, writing nothing,
    when any file it would write exists already."""
    files = project_files(title, author, style)
    if folder.exists() and not folder.is_dir():
        raise BuildError([error("init.exists", "is a file, not a folder", Location(folder), "name a new or empty folder")])
    clashes = [folder / name for name in files if (folder / name).exists() or (folder / name).is_symlink()]
    if clashes:
        raise BuildError(
            [error("init.exists", "already exists; blog2book init never overwrites a file", Location(p), "run init in a new or empty folder") for p in clashes]
        )
    written: list[Path] = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: a file that appeared since the check above is still not overwritten
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        written.append(path)
    return written
