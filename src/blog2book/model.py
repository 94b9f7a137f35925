"""The resolved book: frozen data handed from the pipeline to the back ends.

Post bodies are Pandoc AST blocks (the JSON form of pandoc-types). Stages never mutate a block
list they were given; they build new ones and use ``dataclasses.replace``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

Blocks = tuple[Any, ...]  # Pandoc AST blocks (JSON dicts), never mutated once built


@dataclass(frozen=True)
class PostDate:
    """A post date with its precision: a blog copy often only gives the year and month."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def as_date(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True)
class Comment:
    """A reader's comment kept in the post's front matter (``comments:``), in thread order."""

    id: int
    author: str
    content: str  # Markdown
    parent: int = 0  # 0: a comment on the post; else the id of the comment it answers
    date: dt.date | None = None
    line: int | None = None  # where it is written in the post file


@dataclass(frozen=True)
class Heading:
    """An anchor inside a post: its id in the book and its original id in the post."""

    id: str
    source_id: str
    text: str


@dataclass(frozen=True)
class Post:
    slug: str
    id: str  # the anchor of the post in the book (unique across the book)
    title: str
    source: Path
    blocks: Blocks
    date: PostDate | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    word_count: int = 0
    short_title: str | None = None  # ``short_title:`` of the front matter: the running heads' title


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    posts: tuple[Post, ...]
    number: int = 0
    short_title: str | None = None  # the manuscript's ``short_title:`` (or its one post's): the running heads' title
    where: tuple[Path, int] | None = None  # the manuscript's file and the line of this chapter (for a warning)

    @property
    def titled_by_its_post(self) -> bool:
        """One post whose title is the chapter's: tables of contents list it once."""
        return len(self.posts) == 1 and self.posts[0].title == self.title


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    chapters: tuple[Chapter, ...]
    number: int = 0
    where: tuple[Path, int] | None = None  # the manuscript's file and the line of this part (for a warning)


Division = Union[Part, Chapter]


@dataclass(frozen=True)
class Matter:
    """Front or back matter: dedication, preface, acknowledgements, glossary, about the author."""

    kind: str
    id: str
    title: str
    blocks: Blocks
    source: Path | None = None


@dataclass(frozen=True)
class BookMeta:
    title: str
    author: tuple[str, ...]
    lang: str = "fr-CA"
    subtitle: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    description: str | None = None
    subjects: tuple[str, ...] = ()
    isbn_print: str | None = None
    isbn_epub: str | None = None
    isbn_pdf: str | None = None
    rights: str | None = None
    identifier: str = ""  # urn:isbn:… or urn:uuid:…, stable across builds
    modified: dt.datetime | None = None  # fixed timestamp for reproducible outputs
    cover: Path | None = None
    trim: str = "6in 9in"
    xref_style: str = "page"  # page | chapter
    legal_deposit: bool = True


@dataclass(frozen=True)
class Book:
    meta: BookMeta
    divisions: tuple[Division, ...]
    front: tuple[Matter, ...] = ()
    back: tuple[Matter, ...] = ()
    style: Path | None = None
    project_root: Path | None = None
    allowed: tuple[Path, ...] = ()  # folders outside the project the user allowed (--allow-outside)
    index: Any = None  # index.BookIndex when the manuscript asks for an index (its matter is in ``back``)
    copyright: Matter | None = None  # the copyright page (the author's file filled in, or the default)
    also_by: Matter | None = None  # « De la même auteure »
    back_cover: Matter | None = None  # the print cover's back text

    def chapters(self) -> tuple[Chapter, ...]:
        out: list[Chapter] = []
        for div in self.divisions:
            out.extend(div.chapters if isinstance(div, Part) else [div])
        return tuple(out)

    def posts(self) -> tuple[Post, ...]:
        return tuple(p for ch in self.chapters() for p in ch.posts)
