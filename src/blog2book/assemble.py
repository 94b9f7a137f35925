"""Selection + transformed posts + front/back matter -> the Book."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import replace
from types import SimpleNamespace
from pathlib import Path
from typing import Mapping

from blog2book import embeds, guard, pandoc, tree, typography
from blog2book.transform import check_images, located
from blog2book.diagnostics import BuildError, Diagnostic, Location, error, read_utf8, warning
from blog2book.lang import strings
from blog2book.manifest import ManifestSpec, isbn_digits
from blog2book.model import Book, BookMeta, Chapter, Matter, Part, Post
from blog2book.sources import Selection, SourcePost, has_front_matter, parse_post


def book_meta(spec: ManifestSpec) -> BookMeta:
    if spec.isbn_epub:
        identifier = f"urn:isbn:{isbn_digits(spec.isbn_epub)}"
    elif spec.identifier:
        identifier = spec.identifier
    else:  # stable across builds: derived from what identifies the book
        seed = "|".join([spec.title, *spec.authors, spec.subtitle or "", spec.publisher or ""])
        identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'blog2book:' + seed)}"
    modified = spec.modified
    if modified is None and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        modified = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc)
    if modified is None and spec.date is not None:
        modified = dt.datetime(spec.date.year, spec.date.month, spec.date.day, tzinfo=dt.timezone.utc)
    return BookMeta(
        title=spec.title,
        author=spec.authors,
        lang=spec.lang,
        subtitle=spec.subtitle,
        publisher=spec.publisher,
        date=spec.date,
        description=spec.description,
        subjects=spec.subjects,
        isbn_print=spec.isbn_print,
        isbn_epub=spec.isbn_epub,
        isbn_pdf=spec.isbn_pdf,
        rights=spec.rights,
        identifier=identifier,
        modified=modified,
        cover=spec.cover,
        trim=spec.trim or "",
        xref_style=spec.xrefs,
    )


def read_matter(spec: ManifestSpec, typo: typography.Typography) -> tuple[tuple[Matter, ...], tuple[Matter, ...], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    words = strings(spec.lang)
    out: dict[str, list[Matter]] = {"front": [], "back": []}
    for side, items in (("front", spec.front), ("back", spec.back)):
        for kind, path, loc in items:
            src, post_diags = read_matter_file(path)
            diags.extend(post_diags)
            if src is None:
                continue
            title, body, body_line = src
            blocks = matter_blocks(spec, path, kind, body, body_line, diags)
            if blocks is None:
                continue
            blocks = tree.shift_headers(blocks, 2)  # below the matter's title
            blocks = typography.apply(blocks, typo)
            out[side].append(Matter(kind, f"{side}-{kind}", typeset(title, typo) if title else words[kind], tuple(blocks), path))
    return tuple(out["front"]), tuple(out["back"]), diags


def matter_blocks(spec: ManifestSpec, path: Path, kind: str, body: str, body_line: int, diags: list[Diagnostic]) -> list | None:
    """A matter file's Markdown (front, back, copyright page, « De la même auteure », back cover)
    as blocks under the posts' rules: raw HTML made safe (scripts, event handlers, unsafe links),
    images files inside the project (SVG cleaned), each finding at its line; None if pandoc fails."""
    try:
        blocks = pandoc.to_ast(body)["blocks"]
    except BuildError as exc:  # located at the matter file's line
        line = lambda d: body_line + d.location.line - 1 if d.location.line else body_line  # noqa: E731
        diags.extend(error(d.code, d.message, Location(path, line(d)), d.hint) for d in exc.diagnostics)
        return None
    as_post = SourcePost(path=path, slug=kind, title=kind, body=body, body_line=body_line)
    blocks, findings = embeds.convert(blocks, spec.lang)
    diags.extend(located(findings, as_post))
    return check_images(blocks, as_post, SimpleNamespace(project_root=spec.root, site=spec.site, uploads=spec.uploads, allowed=spec.allowed), diags)


def read_matter_file(path: Path):
    """A front/back matter file: Markdown with an optional front matter holding 'title'."""
    text, problem = read_utf8(path, "matter")
    if problem is not None:
        return None, [problem]
    if not has_front_matter(text):
        text, lines = guard.strip_controls(text)
        return (None, text, 1), [warning("matter.control-char", "control characters removed from this line", Location(path, n)) for n in lines[:5]]
    post, diags = parse_post(path, text)
    diags = [d for d in diags if d.code != "post.unknown-key"]
    return ((post.title, post.body, post.body_line) if post else None), diags


def typeset(text: str, typo: typography.Typography) -> str:
    """A title from the manuscript, set with the book's typography (as post titles are). A line
    break the author wrote in it (a display title's manual break) is kept."""
    return "\n".join(
        tree.stringify(typography.apply([tree.Plain(tree.text_inlines(line.strip()))], typo)) for line in text.split("\n") if line.strip()
    )


def assemble(
    spec: ManifestSpec, selection: Selection, posts: Mapping[str, Post], front, back, style: Path, root: Path, typo: typography.Typography
) -> Book:
    divisions = []
    chapter_no = 0
    part_no = 0
    for part_title, chapters in selection.divisions:
        built = []
        for title, sources in chapters:
            chapter_no += 1
            chapter_posts = tuple(posts[s.slug] for s in sources if s.slug in posts)
            title = typeset(title, typo) if title else (chapter_posts[0].title if chapter_posts else "")
            built.append(Chapter(f"chapitre-{chapter_no}", title, chapter_posts, chapter_no))
        if part_title is None:
            divisions.extend(built)
        else:
            part_no += 1
            divisions.append(Part(f"partie-{part_no}", typeset(part_title, typo), tuple(built), part_no))
    meta = book_meta(spec)
    meta = replace(meta, title=typeset(meta.title, typo), subtitle=typeset(meta.subtitle, typo) if meta.subtitle else None)
    return Book(
        meta=meta,
        divisions=tuple(divisions),
        front=front,
        back=back,
        style=style,
        project_root=root,
        allowed=spec.allowed,
    )
