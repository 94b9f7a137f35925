"""Selection + transformed posts + front/back matter -> the Book."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import replace
from types import SimpleNamespace
from pathlib import Path
from typing import Mapping

from blog2book import embeds, guard, images, pandoc, tree, typography
from blog2book.collation import sort_key
from blog2book.images import check_images
from blog2book.transform import located
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
        cover=spec.cover if _cover_verdict(spec).usable else None,  # refused: the typographic cover
        trim=spec.trim or "",
        xref_style=spec.xrefs,
    )


def _cover_verdict(spec: ManifestSpec) -> images.Verdict:
    """The ``cover:`` image judged as a post's images are (``images.examine``), and as a cover:
    a PNG, JPEG or GIF (a GIF named ``.png`` is used as a GIF)."""
    if spec.cover is None:
        return images.Verdict(None)
    verdict = images.examine(spec.cover)
    if verdict.usable and verdict.kind not in ("png", "jpeg", "gif"):
        return images.Verdict(None, "image.wrong-type", f"it is a {verdict.kind.upper()} file, not a PNG or JPEG", "give a PNG or JPEG of the cover")
    return verdict


def read_matter(spec: ManifestSpec, typo: typography.Typography) -> tuple[tuple[Matter, ...], tuple[Matter, ...], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    if spec.cover is not None:  # said once, here; every edition follows book_meta's choice
        found = images.diagnostic(_cover_verdict(spec), spec.cover.name, spec.locations.get("cover", Location(spec.path)), "cover:",
                                  instead="every edition has the style's typographic cover instead")
        if found is not None:
            diags.append(found)
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
            if kind == "glossary":
                blocks = sorted_glossary(blocks, spec.lang)
            blocks = typography.apply(blocks, typo)
            out[side].append(Matter(kind, f"{side}-{kind}", typeset(title, typo) if title else words[kind], tuple(blocks), path))
    return tuple(out["front"]), tuple(out["back"]), diags


def sorted_glossary(blocks: list, lang: str) -> list:
    """A glossary's definition lists in the order of the book's language (``collation``: « Billet »
    before « Blogue »), whatever order the author wrote them in; the rest of the file as it is."""
    return [
        {**b, "c": sorted(b["c"], key=lambda item: sort_key(tree.stringify(item[0]), lang))} if b.get("t") == "DefinitionList" else b
        for b in blocks
    ]


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
    return check_images(blocks, as_post, SimpleNamespace(project_root=spec.root, site=spec.site, uploads=spec.uploads, allowed=spec.allowed, lang=spec.lang), diags)


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
    specs = spec.chapter_specs()  # in the selection's order
    shorts = [ch.short_title for ch in specs]
    wheres = [(ch.location.path, ch.location.line) if ch.location.path and ch.location.line else None for ch in specs]
    part_wheres = [(d.location.path, d.location.line) if d.location.path and d.location.line else None for d in spec.divisions if hasattr(d, "chapters")]
    chapter_no = 0
    part_no = 0
    for part_title, chapters in selection.divisions:
        built = []
        for title, sources in chapters:
            chapter_no += 1
            chapter_posts = tuple(posts[s.slug] for s in sources if s.slug in posts)
            short = shorts[chapter_no - 1] if chapter_no <= len(shorts) else None
            if short:
                short = typeset(short, typo)
            elif not title and chapter_posts:
                short = chapter_posts[0].short_title  # a chapter titled by its post: the post's short title
            title = typeset(title, typo) if title else (chapter_posts[0].title if chapter_posts else "")
            where = wheres[chapter_no - 1] if chapter_no <= len(wheres) else None
            built.append(Chapter(f"chapitre-{chapter_no}", title, chapter_posts, chapter_no, short, where))
        if part_title is None:
            divisions.extend(built)
        else:
            part_no += 1
            where = part_wheres[part_no - 1] if part_no <= len(part_wheres) else None
            divisions.append(Part(f"partie-{part_no}", typeset(part_title, typo), tuple(built), part_no, where))
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
