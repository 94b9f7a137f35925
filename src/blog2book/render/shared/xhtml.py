"""The EPUB's XHTML files, made one at a time and side by side.

A file (a matter, a part's opener, a chapter with its posts) is planned from the book, then made
whole in one go by a worker: its blocks (opener, paragraph anchors, protected words, headings one
level down), its images renamed for the package, the ids it holds, and its
XHTML fragment from pandoc. Only the fragment, the ids and the images come back: no copy of the
book's text is kept for the whole book, so memory is bounded by the largest chapter, not the book.
The files are shared among forked worker processes (the Python passes use one core each; each
worker runs its own pandoc), in the book's order.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lxml import html as lxml_html

from blog2book import html5, images, pandoc, svg, tree
from blog2book.model import Book, Chapter, Matter, Part
from blog2book.render.contract import RenderContext
from blog2book.render.shared.nohyphen import protect_words
from blog2book.render.shared.openers import chapter_opener, one_line, part_opener
from blog2book.infra.workers import can_fork, forked_map, inherited
from blog2book.render.shared.paragraphs import number_blocks, number_paragraphs

MATTER_TYPES = {
    "dedication": ("dedication", None),
    "preface": ("preface", "doc-preface"),
    "acknowledgements": ("acknowledgments", "doc-acknowledgments"),
    "glossary": ("glossary", "doc-glossary"),
    "about": ("appendix", "doc-appendix"),
    "index": ("index", "doc-index"),
}

IMAGE_TYPES = {suffix: images.KINDS[kind][1] for suffix, kind in images.SUFFIX_KINDS.items()}  # by the name an edition gives an image

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # every zip entry's time: the same sources give the same bytes

IN_PROCESSES_FROM = 8  # files from which forked workers pay for themselves (below: threads, for pandoc)


@dataclass(frozen=True)
class FilePlan:
    """A file of the EPUB before its blocks are made: what it is and what it is made from."""

    name: str  # file name inside the EPUB
    title: str
    kind: str  # front | part | chapter | back
    section_type: str  # epub:type of the wrapping section
    role: str | None  # DPUB-ARIA role
    source: Matter | Part | Chapter


@dataclass(frozen=True)
class Written:
    """What a worker made of a file: the ids it holds, its images
    (``images/<hash>.<ext>`` -> the file), its XHTML fragment."""

    ids: tuple[str, ...]
    images: tuple[tuple[str, Path], ...]
    fragment: str


def plan(book: Book) -> list[FilePlan]:
    """The book's files in reading order (front matter, parts and chapters, back matter)."""
    out: list[FilePlan] = []
    for matter in book.front:
        etype, role = MATTER_TYPES[matter.kind]
        out.append(FilePlan(f"{matter.id}.xhtml", one_line(matter.title), "front", etype, role, matter))
    for div in book.divisions:
        chapters = div.chapters if isinstance(div, Part) else (div,)
        if isinstance(div, Part):
            out.append(FilePlan(f"{div.id}.xhtml", one_line(div.title), "part", "part", "doc-part", div))
        for ch in chapters:
            out.append(FilePlan(f"{ch.id}.xhtml", one_line(ch.title), "chapter", "chapter", "doc-chapter", ch))
    for matter in book.back:
        etype, role = MATTER_TYPES[matter.kind]
        out.append(FilePlan(f"{matter.id}.xhtml", one_line(matter.title), "back", etype, role, matter))
    return out


def blocks_of(p: FilePlan, lang: str) -> list:
    """The file's blocks: a new tree (the book's words shared, never changed)."""
    if p.kind == "part":
        return part_opener(p.source, lang, display=False)
    if p.kind == "chapter":
        blocks = chapter_opener(p.source, lang, 1, display=False)
        for post in p.source.posts:
            post_blocks = protect_words(number_paragraphs(post))
            blocks.append(tree.Div("", ["post"], tree.shift_headers(post_blocks, -1), attrs=[["data-slug", post.slug]]))
        return blocks
    return matter_blocks(p.source)


def matter_blocks(matter: Matter) -> list:
    """A matter's text with its paragraph anchors (as in print); a dedication has no visible title."""
    blocks = protect_words(number_blocks(tree.shift_headers(list(matter.blocks), -2), matter.id))
    if matter.kind == "dedication":
        return [tree.Div(matter.id, ["dedication"], blocks)]
    return [tree.Header(1, matter.id, tree.text_inlines(one_line(matter.title)), classes=["matter-title"]), *blocks]


def package_images(blocks: list) -> tuple[list, dict[str, Path]]:
    """Images of the posts (absolute paths after ``transform``) -> ``images/<hash>.<ext>`` in the
    EPUB, named by their real type (``images.kind_of``: a GIF named ``.png`` is a ``.gif`` here);
    only the images are rebuilt, the rest of the tree is kept as it is.

    A format reading systems do not all show (webp, anything unknown) is replaced by its alt text."""
    found: dict[str, Path] = {}
    digests: dict[Path, str] = {}

    def fix(el):
        attr, alt, (target, title) = el["c"]
        path = Path(target)
        kind = images.kind_of(el)
        if kind is None or kind == "webp":
            return tree.Span("", ["image-missing"], alt)
        if kind == "svg":
            try:
                svg.sanitised_file(path)
            except svg.SvgRefused:  # reported where the post uses it
                return tree.Span("", ["image-missing"], alt)
        if path not in digests:
            digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        name = f"images/{digests[path]}{images.edition_suffix(path, kind)}"
        found[name] = path
        return {"t": "Image", "c": [images.without_kind(attr), alt, [name, title]]}

    return tree.rewrite(blocks, fix, only=frozenset(("Image",))), found


def image_files(written: list[Written]) -> dict[str, bytes]:
    """Every image of the made files, by its name in the edition (``images/<hash>.<ext>``, the
    extension its real type's), as every edition carries it: an SVG cleaned (``svg.sanitised_file``:
    no script, no event handler, no reference to another file or to the network), any other image
    as it is."""
    named = dict(sorted((name, path) for w in written for name, path in w.images))
    return {name: svg.sanitised_file(path) if name.endswith(".svg") else path.read_bytes() for name, path in named.items()}


def make(p: FilePlan, lang: str, folder: Path | None) -> Written:
    """One file, whole: its blocks are dropped once its fragment is written. Its page markers are
    put into the fragment afterwards (``epub.pages.insert_markers``): the fragment, kept in the
    build cache, is the same whatever the print pages."""
    blocks = blocks_of(p, lang)
    ids = tuple(tree.ids(blocks))
    blocks, images = package_images(blocks)
    return Written(ids, tuple(images.items()), html5.fragment(blocks, folder))


def _make_forked(i: int) -> Written:
    plans, lang, folder = inherited()
    return make(plans[i], lang, folder)


def make_all(
    plans: list[FilePlan],
    lang: str,
    folder: Path | None,
    jobs: int,
    step: Callable[[int, int], None] | None = None,
) -> list[Written]:
    """Every file, in order: in ``jobs`` forked processes when there are enough of them, else
    here (pandoc runs side by side in threads)."""
    out: list[Written] = []
    pandoc.runtime_options()  # asked once, before the workers are forked
    forked = jobs >= 2 and len(plans) >= IN_PROCESSES_FROM and can_fork()
    if forked:
        chunk = max(1, len(plans) // (jobs * 8))
        for written in forked_map(_make_forked, range(len(plans)), (plans, lang, folder), jobs, chunk):
            out.append(written)
            if step is not None:
                step(len(out), len(plans))
        return out
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for written in pool.map(lambda p: make(p, lang, folder), plans):
            out.append(written)
            if step is not None:
                step(len(out), len(plans))
    return out


def id_files(names: list[str], written: list[Written]) -> dict[str, str]:
    """Every id of the book -> the name of the file that holds it (the first, if two do)."""
    out: dict[str, str] = {}
    for name, w in zip(names, written):
        for ident in w.ids:
            out.setdefault(ident, name)
    return out


def xhtml_folder(ctx: RenderContext) -> Path | None:
    """Where the build cache keeps the files' XHTML (the EPUB and the web edition share it)."""
    return ctx.cache_dir / "xhtml" if ctx.cache_dir else None


def fix_markup(fragment: str, id_file: dict[str, str], current: str, notes_title: str = "Notes", back_label: str | None = None) -> str:
    """A file's fragment as the EPUB and the web edition print it: notes get epub:type and roles
    (the web edition drops epub:type), links to ids in other files get the file name."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for a in root.iter("a"):
        href = a.get("href", "")
        if href.startswith("#"):
            target = id_file.get(href[1:])
            if target and target != current:
                a.set("href", f"{target}{href}")
        cls = a.get("class", "")
        if "footnote-ref" in cls:
            a.set("epub:type", "noteref")
            a.set("role", "doc-noteref")
        elif "footnote-back" in cls:
            a.set("role", "doc-backlink")
            a.text = "\u2191"  # pandoc's « ↩︎ » is in none of the book's faces; the up arrow is in all
            if back_label:
                a.set("aria-label", back_label)
    for section in root.iter("section", "aside"):
        if "footnotes" in section.get("class", ""):
            section.tag = "section"
            section.set("epub:type", "endnotes")
            section.set("role", "doc-endnotes")
            for li in section.iter("li"):
                li.set("epub:type", "endnote")  # no role: doc-endnote is deprecated (DPUB-ARIA 1.1)
                li.attrib.pop("role", None)
            for hr in list(section.iter("hr")):
                hr.getparent().remove(hr)
            heading = lxml_html.Element("h2", {"class": "notes-title"})
            heading.text = notes_title
            section.insert(0, heading)
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def stylesheet(book: Book) -> str:
    """The base EPUB stylesheet, then the style's own ``epub.css`` (its faces, accent, headings)."""
    if not book.style:
        return ""
    parts = []
    for path in (book.style.parent / "base" / "epub.css", book.style / "epub.css"):
        if path.is_file() and path not in [p for p, _ in parts]:
            parts.append((path, path.read_text("utf-8")))
    return "\n".join(text for _, text in parts)
