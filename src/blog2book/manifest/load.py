"""``load_manifest``: the manuscript file read, its top-level keys checked, the spec made."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from blog2book import guard
from blog2book.diagnostics import BuildError, Location, error, read_utf8
from blog2book.guard import shown
from blog2book.manifest.chapters import check_duplicates, read_divisions
from blog2book.manifest.reader import Reader
from blog2book.manifest.sections import read_copyright, read_index, read_print, read_works
from blog2book.manifest.spec import (
    BACK_KINDS,
    COVER_TYPES,
    FOUR_DIGITS,
    FRONT_KINDS,
    LINK_POLICIES,
    TYPOGRAPHY_CHOICES,
    XREF_STYLES,
    ManifestSpec,
)

TOP_KEYS = {
    "title": "the book title (required)",
    "subtitle": "",
    "author": "one name or a list (required)",
    "lang": "BCP 47 tag",
    "publisher": "",
    "date": "publication date",
    "description": "",
    "subjects": "",
    "isbn": "",
    "rights": "",
    "identifier": "",
    "modified": "",
    "site": "",
    "posts": "",
    "style": "",
    "cover": "",
    "trim": "",
    "typography": "",
    "four_digits": "solid or grouped: how numbers of four digits are set",
    "links": "",
    "xrefs": "",
    "front": "",
    "back": "",
    "uploads": "a copy of the blog's wp-content/uploads folder",
    "index": "terms, from_tags, see, people, titles",
    "print": "print profile, signature, paper and CMYK profile, achevé d'imprimer",
    "copyright": "a Markdown file, or the copyright page's settings",
    "back_cover": "Markdown file: the back cover's text",
    "also_by": "Markdown file, or a list of books ({title, subtitle, kind, publisher, year}): « De la même auteure »",
    "chapters": "(required)",
}

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TRIM_RE = re.compile(r"^\s*\d+(\.\d+)?\s*(in|mm|cm)\s+\d+(\.\d+)?\s*(in|mm|cm)\s*$")


def load_manifest(path: Path, allow_outside: tuple[Path, ...] = ()) -> ManifestSpec:
    """Read and check a manuscript file; raise BuildError with every problem found. Every file it
    names must be inside the project (``guard.project_root``) or one of the ``allow_outside`` folders."""
    path = Path(path)
    allowed = tuple(dict.fromkeys(Path(d).resolve() for d in allow_outside))
    project = guard.project_root(path)
    reader = Reader(path, (project, *allowed))
    if project == Path(project.anchor):  # a manuscript at /x/book.yml: the project would be the whole machine
        reader.diagnostics.append(error("manifest.outside-project", f"the manuscript's folder {path.resolve().parent} has no parent folder to be the project", Location(path, 1), "keep the manuscript in the folder manuscripts/ of the project"))
        reader.root = (path.resolve().parent, *allowed)
    text, problem = read_utf8(path, "manifest")
    if problem is not None:
        raise BuildError([problem])
    try:
        root = guard.compose_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise BuildError([error("manifest.yaml", f"invalid YAML: {problem}", loc, guard.yaml_hint(exc, text))])
    except yaml.YAMLError as exc:
        line, problem = guard.yaml_problem(exc, text)
        raise BuildError([error("manifest.yaml", f"invalid YAML: {problem}", Location(path, line), "remove the character; the manuscript is plain text")])
    if root is None:
        raise BuildError([error("manifest.empty", "the manuscript is empty; it needs at least title, author and chapters", Location(path, 1, 1))])

    top = reader.mapping(root, "manuscript", TOP_KEYS)
    if top is None:
        raise BuildError(reader.diagnostics)
    values: dict[str, Any] = {}
    for required in ("title", "author", "chapters"):
        if required not in top:
            reader.missing(root, "manuscript", required)

    def val(key: str):
        return top[key][1] if key in top else None

    if "title" in top:
        values["title"] = reader.string(val("title"), "title")
    if "author" in top:
        values["authors"] = reader.strings(val("author"), "author")
    for key in ("subtitle", "publisher", "description", "rights", "identifier", "site"):
        if key in top:
            values[key] = reader.string(val(key), key, required=False)
    if "lang" in top:
        lang = reader.string(val("lang"), "lang")
        if lang and not _LANG_RE.match(lang):
            reader.err(val("lang"), f"lang: {shown(lang)} is not a BCP 47 language tag", "for example fr-CA, fr-FR or en")
        elif lang:
            values["lang"] = lang
    if "date" in top:
        values["date"] = reader.date(val("date"), "date")
    if "modified" in top:
        node = val("modified")
        try:
            d = dt.datetime.fromisoformat(str(node.value).strip()) if isinstance(node, yaml.ScalarNode) else None
        except ValueError as exc:
            d = None
            reader.err(node, f"modified: {shown(node.value)} is not a timestamp ({exc})", "write it like 2026-11-26T12:00:00Z", code="manifest.date")
        else:
            if d is None:
                reader.err(node, "modified: expected a date or a timestamp like 2026-11-26T12:00:00Z", code="manifest.date")
            else:
                values["modified"] = d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)
    if "subjects" in top:
        values["subjects"] = reader.strings(val("subjects"), "subjects")
    if "isbn" in top:
        node = val("isbn")
        if isinstance(node, yaml.MappingNode):
            m = reader.mapping(node, "isbn", ("print", "pdf", "epub"))
            for k, (_, v) in (m or {}).items():
                isbn = reader.string(v, f"isbn.{k}")
                if isbn and not _valid_isbn(isbn):
                    reader.err(v, f"isbn.{k}: {shown(isbn)} is not a valid ISBN-13 (check digit or length)")
                values[f"isbn_{k}"] = isbn
        else:
            isbn = reader.string(node, "isbn")
            if isbn and not _valid_isbn(isbn):
                reader.err(node, f"isbn: {shown(isbn)} is not a valid ISBN-13 (check digit or length)")
            values["isbn_print"] = isbn
    if "posts" in top:
        p = reader.file(val("posts"), "posts")
        if p is not None and not p.is_dir():
            reader.err(val("posts"), f"posts: folder '{p}' does not exist", code="manifest.posts-dir")
        values["posts_dir"] = p
    else:
        values["posts_dir"] = (path.parent / "../posts").resolve()
        if not values["posts_dir"].is_dir():
            reader.err(root, f"no posts folder: '{values['posts_dir']}' does not exist", "set 'posts:' to the folder of posts, relative to this file", code="manifest.posts-dir")
        elif guard.outside(values["posts_dir"], reader.root):  # ../posts is a link leading outside
            values["posts_dir"] = None
            reader.diagnostics.append(guard.path_error("manifest.outside-project", "the posts folder", "../posts", reader.root, reader.loc(root)))
    if "uploads" in top:
        p = reader.file(val("uploads"), "uploads")
        if p is not None and not p.is_dir():
            reader.err(val("uploads"), f"uploads: folder '{p}' does not exist", "copy the blog's wp-content/uploads folder into the project and name it here", code="manifest.uploads-dir")
        values["uploads"] = p
    if "style" in top:
        values["style"] = reader.string(val("style"), "style")
        if values["style"] and ("/" in values["style"] or values["style"].startswith(".")):
            if reader.file(val("style"), "style") is None:
                values["style"] = None
    if "cover" in top:
        p = reader.file(val("cover"), "cover")
        if p is not None and not p.is_file():
            reader.err(val("cover"), f"cover: file '{p}' does not exist", code="manifest.missing-file")
            p = None
        elif p is not None and p.suffix.lower() not in COVER_TYPES:
            reader.err(val("cover"), f"cover: {shown(p.name)} is not an image ({', '.join(COVER_TYPES)})", "give a PNG or JPEG of the cover", code="manifest.cover")
            p = None
        values["cover"] = p
    if "trim" in top:
        trim = reader.string(val("trim"), "trim")
        if trim and not _TRIM_RE.match(trim):
            reader.err(val("trim"), f"trim: {shown(trim)} is not a page size", "write it as width height, e.g. '6in 9in' or '140mm 205mm'")
        else:
            values["trim"] = trim
    if "typography" in top:
        values["typography"] = reader.choice(val("typography"), "typography", TYPOGRAPHY_CHOICES)
    if "four_digits" in top:
        values["four_digits"] = reader.choice(val("four_digits"), "four_digits", FOUR_DIGITS)
    if "links" in top:
        values["links"] = reader.choice(val("links"), "links", LINK_POLICIES)
    if "xrefs" in top:
        values["xrefs"] = reader.choice(val("xrefs"), "xrefs", XREF_STYLES)
    for key, kinds in (("front", FRONT_KINDS), ("back", BACK_KINDS)):
        if key in top:
            m = reader.mapping(val(key), key, kinds) or {}
            items = []
            for kind, (_, vnode) in m.items():
                p = reader.file(vnode, f"{key}.{kind}")
                if p is not None and not p.is_file():
                    reader.err(vnode, f"{key}.{kind}: file '{p}' does not exist", code="manifest.missing-file")
                elif p is not None:
                    items.append((kind, p, reader.loc(vnode)))
            values[key] = tuple(items)
    if "index" in top:
        values["index"] = read_index(reader, val("index"))
    if "print" in top:
        values["print"] = read_print(reader, val("print"))
    if "copyright" in top:
        values["copyright"] = read_copyright(reader, val("copyright"))
    if "also_by" in top and isinstance(val("also_by"), (yaml.SequenceNode, yaml.MappingNode)):  # the books listed here
        values["works"], values["also_by_title"] = read_works(reader, val("also_by"))
    for key in ("back_cover", "also_by"):
        if key in top and not (key == "also_by" and "works" in values):
            p = reader.file(val(key), key)
            if p is not None and not p.is_file():
                reader.err(val(key), f"{key}: file '{p}' does not exist", code="manifest.missing-file")
            else:
                values[key] = p
    if "chapters" in top:
        values["divisions"] = read_divisions(reader, val("chapters"))
        check_duplicates(reader, values["divisions"])

    if reader.diagnostics:
        reader.diagnostics.sort(key=lambda d: (d.location.line or 0, d.location.col or 0))
        raise BuildError(reader.diagnostics, "reading the manuscript")
    values = {k: v for k, v in values.items() if v is not None}
    locations = {key: reader.loc(value) for key, (_, value) in top.items()}
    return ManifestSpec(path=path.resolve(), locations=MappingProxyType(locations), allowed=allowed, **values)


def _valid_isbn(isbn: str) -> bool:
    digits = re.sub(r"[\s-]", "", isbn)
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def isbn_digits(isbn: str) -> str:
    return re.sub(r"[\s-]", "", isbn)
