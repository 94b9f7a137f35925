"""The manuscript file (YAML) -> a frozen ManifestSpec.

The spec is what the author wrote, checked: closed mappings, types, required keys. Every problem is
reported with ``FILE:LINE:COL`` taken from the YAML node marks, all of them at once. Slugs are
resolved against the posts later, in ``sources``; their locations travel in ``PostRef.location``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from blog2book import guard
from blog2book.diagnostics import BuildError, Diagnostic, Location, did_you_mean, error, read_utf8
from blog2book.guard import shown

TYPOGRAPHY_CHOICES = ("fr-CA", "quebec-office", "fr-FR", "en", "off")
LINK_POLICIES = ("footnote", "endnote", "inline")
XREF_STYLES = ("page", "chapter")
FRONT_KINDS = ("dedication", "preface", "acknowledgements")
BACK_KINDS = ("acknowledgements", "glossary", "about")
COVER_TYPES = (".png", ".jpg", ".jpeg")
PRINT_PROFILES = ("screen", "press", "kdp", "ingram")
PRINT_KEYS = ("profile", "pdfx", "signature", "paper", "ppi", "printer", "place", "date", "crop_marks", "bookmarks", "price")
PAPERS = ("white", "cream")
PDFX_CHOICES = ("x-4", "x-1a")
SIGNATURES = (2, 4, 8, 16, 32)
COPYRIGHT_KEYS = ("file", "address", "edition", "revision", "correction", "design", "cover_design", "grants", "printed_in")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TRIM_RE = re.compile(r"^\s*\d+(\.\d+)?\s*(in|mm|cm)\s+\d+(\.\d+)?\s*(in|mm|cm)\s*$")


@dataclass(frozen=True)
class CommentPick:
    """The comments of a post the book prints: ``ids`` None for all of them."""

    location: Location
    ids: tuple[int, ...] | None = None
    id_locations: tuple[Location, ...] = ()


@dataclass(frozen=True)
class PostRef:
    slug: str
    location: Location
    comments: CommentPick | None = None


@dataclass(frozen=True)
class SelectRef:
    """Posts picked by their front matter, ordered by date."""

    location: Location
    category: str | None = None
    tag: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class IndexSpec:
    """The manuscript's ``index:``: terms to find in the text, the posts' tags as terms, cross-references.

    A term may name a sub-entry after ``!`` (``Twitter!politique``); ``see`` maps a term to the
    terms it sends the reader to (« voir », or « voir aussi » when the term has pages itself)."""

    location: Location
    terms: tuple[tuple[str, Location], ...] = ()
    from_tags: bool = False
    see: tuple[tuple[str, tuple[str, ...], Location], ...] = ()


@dataclass(frozen=True)
class ChapterSpec:
    title: str | None  # None: a bare post reference; the chapter takes the post's title
    items: tuple[PostRef | SelectRef, ...]
    location: Location


@dataclass(frozen=True)
class PartSpec:
    title: str
    chapters: tuple[ChapterSpec, ...]
    location: Location


@dataclass(frozen=True)
class PrintSpec:
    """``print:``: the printer's file (profile), the page count it wants and the achevé d'imprimer."""

    profile: str = "screen"  # screen | press | kdp | ingram
    pdfx: str | None = None  # x-4 | x-1a (press); the profile's own otherwise
    signature: int = 2  # pages padded to a multiple of this
    paper: str = "white"  # white | cream (spine width for KDP)
    ppi: int | None = None  # pages per inch of the paper (offset, IngramSpark): spine width
    printer: str | None = None  # achevé d'imprimer
    place: str | None = None
    date: dt.date | None = None  # month and year of the achevé d'imprimer; default: the book's date
    crop_marks: bool = False
    bookmarks: bool = False
    price: str | None = None  # EAN-5 add-on of the barcode: 5 digits (5xxxx US$, 6xxxx CA$)
    location: Location | None = None


@dataclass(frozen=True)
class CopyrightSpec:
    """``copyright:``: a Markdown file with placeholders, or what the default page says."""

    file: Path | None = None
    address: str | None = None
    edition: str | None = None
    revision: str | None = None
    correction: str | None = None
    design: str | None = None
    cover_design: str | None = None
    grants: bool = False
    printed_in: str | None = None  # default: « Imprimé au Canada »
    location: Location | None = None


@dataclass(frozen=True)
class ManifestSpec:
    path: Path
    title: str
    authors: tuple[str, ...]
    divisions: tuple[PartSpec | ChapterSpec, ...]
    posts_dir: Path
    style: str = "medias-sociaux-101"
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
    identifier: str | None = None
    modified: dt.datetime | None = None
    site: str | None = None
    cover: Path | None = None
    trim: str | None = None
    typography: str | None = None
    links: str = "footnote"
    xrefs: str = "page"
    front: tuple[tuple[str, Path, Location], ...] = ()
    back: tuple[tuple[str, Path, Location], ...] = ()
    uploads: Path | None = None  # a copy of the blog's wp-content/uploads: /wp-content/uploads/… images
    index: IndexSpec | None = None
    print: PrintSpec = PrintSpec()
    copyright: CopyrightSpec = CopyrightSpec()
    back_cover: Path | None = None  # Markdown: the back cover's text
    also_by: Path | None = None  # Markdown: « De la même auteure »
    locations: Mapping[str, Location] = field(default_factory=dict)  # where each top-level key was written

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def root(self) -> Path:
        """The project folder: every file the manuscript names must be inside it."""
        return guard.project_root(self.path, self.posts_dir)

    def chapter_specs(self) -> tuple[ChapterSpec, ...]:
        out: list[ChapterSpec] = []
        for div in self.divisions:
            out.extend(div.chapters if isinstance(div, PartSpec) else [div])
        return tuple(out)


# ---------------------------------------------------------------- reading

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
    "links": "",
    "xrefs": "",
    "front": "",
    "back": "",
    "uploads": "a copy of the blog's wp-content/uploads folder",
    "index": "terms, from_tags, see",
    "print": "print profile, signature, paper, achevé d'imprimer",
    "copyright": "a Markdown file, or the copyright page's settings",
    "back_cover": "Markdown file: the back cover's text",
    "also_by": "Markdown file: « De la même auteure »",
    "chapters": "(required)",
}


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.root: Path | None = None  # known once 'posts' is read
        self.diagnostics: list[Diagnostic] = []
        self.suggested: set[tuple[int, str]] = set()  # (mapping node, key) a misspelling already points at

    def loc(self, node: yaml.Node | None) -> Location:
        if node is None:
            return Location(self.path)
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def err(self, node, message: str, hint: str | None = None, code: str = "manifest.invalid") -> None:
        self.diagnostics.append(error(code, message, self.loc(node), hint))

    def missing(self, node, where: str, key: str) -> None:
        if (id(node), key) not in self.suggested:  # "unknown key 'tittle' (did you mean 'title'?)" says it all
            self.err(node, f"{where}: missing required key '{key}'", code="manifest.missing-key")

    # -- scalar helpers
    def mapping(self, node, where: str, allowed) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.err(node, f"{where}: expected a mapping (key: value), got {_kind(node)}")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.err(key_node, f"{where}: keys must be plain words")
                continue
            if key in out:
                self.err(key_node, f"{where}: key {shown(key)} is given twice", code="manifest.duplicate-key")
                continue
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                if hint:
                    self.suggested.add((id(node), hint.split("'")[1]))
                self.err(
                    key_node,
                    f"{where}: unknown key {shown(key)}",
                    hint or "allowed: " + ", ".join(sorted(allowed)),
                    code="manifest.unknown-key",
                )
                continue
            out[key] = (key_node, value_node)
        return out

    def string(self, node, where: str, required: bool = True) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            "tag:yaml.org,2002:str",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        ):
            value = str(node.value).strip()
            bad = guard.control_char(value)
            if bad:
                self.err(node, f"{where}: contains the control character {bad}", "remove it; a title, a name or a slug is plain text", code="manifest.control-char")
                return None
            if value or not required:
                return value or None
            self.err(node, f"{where}: must not be empty")
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and not required:
            return None
        hint = "Try quoting it." if isinstance(node, yaml.ScalarNode) else None
        self.err(node, f"{where}: expected text, got {_kind(node)}", hint)
        return None

    def choice(self, node, where: str, choices) -> str | None:
        value = self.string(node, where)
        if value is None:
            return None
        if value not in choices:
            self.err(node, f"{where}: {shown(value)} is not one of {', '.join(choices)}", did_you_mean(value, choices))
            return None
        return value

    def strings(self, node, where: str) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            return tuple(v for i, n in enumerate(node.value) if (v := self.string(n, f"{where}[{i}]")))
        value = self.string(node, where)
        return (value,) if value else ()

    def date(self, node, where: str) -> dt.date | None:
        if not isinstance(node, yaml.ScalarNode):
            self.err(node, f"{where}: expected a date like 2010-11-24, got {_kind(node)}", code="manifest.date")
            return None
        try:
            return guard.parse_date(node.value)
        except ValueError as exc:
            self.err(node, f"{where}: {exc}", "write the date as YYYY-MM-DD, e.g. 2010-11-24", code="manifest.date")
            return None

    def file(self, node, where: str) -> Path | None:
        """A file named relative to the manuscript; it must be inside the project (the path rule)."""
        value = self.string(node, where)
        if value is None:
            return None
        path = (self.path.parent / value).resolve()
        if self.root is not None and guard.outside(path, self.root):
            self.diagnostics.append(guard.path_error("manifest.outside-project", f"{where}:", value, self.root, self.loc(node)))
            return None
        return path


def _kind(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node is None:
        return "nothing"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"null": "an empty value", "bool": f"a yes/no value ({shown(node.value)})"}.get(tag, f"{tag} {shown(node.value)}")


def _construct(node):
    loader = guard.BookLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value
    finally:
        loader.dispose()


def load_manifest(path: Path) -> ManifestSpec:
    """Read and check a manuscript file; raise BuildError with every problem found."""
    path = Path(path)
    reader = _Reader(path)
    text, problem = read_utf8(path, "manifest")
    if problem is not None:
        raise BuildError([problem])
    try:
        root = guard.compose_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise BuildError([error("manifest.yaml", f"invalid YAML: {problem}", loc, "check the indentation and quoting")])
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
    if values.get("posts_dir") is not None:
        reader.root = guard.project_root(path, values["posts_dir"])
        if reader.root == Path(reader.root.anchor):  # '/' would let the manuscript name any file of the machine
            reader.err(
                val("posts") if "posts" in top else root,
                f"the manuscript and the posts folder {values['posts_dir']} share no folder but {reader.root}",
                "keep the manuscript and the posts in one project folder",
                code="manifest.outside-project",
            )
            reader.root = path.resolve().parent
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
        values["index"] = _index(reader, val("index"))
    if "print" in top:
        values["print"] = _print_spec(reader, val("print"))
    if "copyright" in top:
        values["copyright"] = _copyright_spec(reader, val("copyright"))
    for key in ("back_cover", "also_by"):
        if key in top:
            p = reader.file(val(key), key)
            if p is not None and not p.is_file():
                reader.err(val(key), f"{key}: file '{p}' does not exist", code="manifest.missing-file")
            else:
                values[key] = p
    if "chapters" in top:
        values["divisions"] = _divisions(reader, val("chapters"))
        _check_duplicates(reader, values["divisions"])

    if reader.diagnostics:
        reader.diagnostics.sort(key=lambda d: (d.location.line or 0, d.location.col or 0))
        raise BuildError(reader.diagnostics, "reading the manuscript")
    values = {k: v for k, v in values.items() if v is not None}
    locations = {key: reader.loc(value) for key, (_, value) in top.items()}
    return ManifestSpec(path=path.resolve(), locations=MappingProxyType(locations), **values)


def _index(reader: _Reader, node) -> IndexSpec | None:
    m = reader.mapping(node, "index", ("terms", "from_tags", "see"))
    if m is None:
        return None
    terms: list[tuple[str, Location]] = []
    if "terms" in m:
        tnode = m["terms"][1]
        if not isinstance(tnode, yaml.SequenceNode):
            reader.err(tnode, f"index.terms: expected a list of terms, got {_kind(tnode)}", "write terms: [Twitter, « Obama, Barack »]")
        else:
            for i, item in enumerate(tnode.value):
                term = reader.string(item, f"index.terms[{i}]")
                if term and _index_term_ok(reader, item, f"index.terms[{i}]", term):
                    terms.append((term, reader.loc(item)))
    from_tags = False
    if "from_tags" in m:
        fnode = m["from_tags"][1]
        value = _construct(fnode)
        if isinstance(value, bool):
            from_tags = value
        else:
            reader.err(fnode, f"index.from_tags: expected true or false, got {_kind(fnode)}")
    see: list[tuple[str, tuple[str, ...], Location]] = []
    if "see" in m:
        snode = m["see"][1]
        if not isinstance(snode, yaml.MappingNode):
            reader.err(snode, f"index.see: expected a mapping (term: other term), got {_kind(snode)}", "write see: {Gazouillis: Twitter}")
        else:
            for key_node, value_node in snode.value:
                term = reader.string(key_node, "index.see")
                targets = reader.strings(value_node, f"index.see.{term}")
                if term and targets and _index_term_ok(reader, key_node, "index.see", term):
                    see.append((term, targets, reader.loc(key_node)))
    return IndexSpec(reader.loc(node), tuple(terms), from_tags, tuple(see))


def _index_term_ok(reader: _Reader, node, where: str, term: str) -> bool:
    if any(not part.strip() for part in term.split("!")) or term.count("!") > 1:
        reader.err(node, f"{where}: '{term}' is not an index term", "a term, or a term and one sub-entry: Twitter!politique")
        return False
    return True

def _integer(reader: _Reader, node, where: str, allowed=None) -> int | None:
    value = _construct(node)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        reader.err(node, f"{where}: expected a whole number, got {value!r}")
        return None
    if allowed and value not in allowed:
        reader.err(node, f"{where}: {value} is not one of {', '.join(map(str, allowed))}")
        return None
    return value


def _boolean(reader: _Reader, node, where: str) -> bool | None:
    value = _construct(node)
    if not isinstance(value, bool):
        reader.err(node, f"{where}: expected true or false, got {value!r}")
        return None
    return value


def _print_spec(reader: _Reader, node) -> PrintSpec | None:
    m = reader.mapping(node, "print", PRINT_KEYS)
    if m is None:
        return None
    values: dict[str, Any] = {}
    for key, (_, v) in m.items():
        where = f"print.{key}"
        if key == "profile":
            values[key] = reader.choice(v, where, PRINT_PROFILES)
        elif key == "pdfx":
            values[key] = reader.choice(v, where, PDFX_CHOICES)
        elif key == "paper":
            values[key] = reader.choice(v, where, PAPERS)
        elif key == "signature":
            values[key] = _integer(reader, v, where, SIGNATURES)
        elif key == "ppi":
            values[key] = _integer(reader, v, where)
        elif key in ("crop_marks", "bookmarks"):
            values[key] = _boolean(reader, v, where)
        elif key == "date":
            values[key] = reader.date(v, where)
        elif key == "price":
            price = reader.string(v, where)
            if price and not re.fullmatch(r"\d{5}", price):
                reader.err(v, f"{where}: '{price}' is not a five-digit price code", "the EAN-5 add-on: 5 then the US$ price in cents (52495 = 24.95 US$), 6 for CA$")
            else:
                values[key] = price
        else:
            values[key] = reader.string(v, where)
    values = {k: v for k, v in values.items() if v is not None}
    return PrintSpec(location=reader.loc(node), **values)


def _copyright_spec(reader: _Reader, node) -> CopyrightSpec | None:
    if isinstance(node, yaml.ScalarNode):  # the file alone
        p = reader.file(node, "copyright")
        if p is not None and not p.is_file():
            reader.err(node, f"copyright: file '{p}' does not exist", code="manifest.missing-file")
            return None
        return CopyrightSpec(file=p, location=reader.loc(node))
    m = reader.mapping(node, "copyright", COPYRIGHT_KEYS)
    if m is None:
        return None
    values: dict[str, Any] = {}
    for key, (_, v) in m.items():
        where = f"copyright.{key}"
        if key == "file":
            p = reader.file(v, where)
            if p is not None and not p.is_file():
                reader.err(v, f"{where}: file '{p}' does not exist", code="manifest.missing-file")
            values[key] = p
        elif key == "grants":
            values[key] = _boolean(reader, v, where)
        else:
            values[key] = reader.string(v, where)
    values = {k: v for k, v in values.items() if v is not None}
    return CopyrightSpec(location=reader.loc(node), **values)


def _divisions(reader: _Reader, node) -> tuple[PartSpec | ChapterSpec, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.err(node, "chapters: expected a non-empty list of chapters and parts")
        return ()
    out: list[PartSpec | ChapterSpec] = []
    for i, item in enumerate(node.value):
        where = f"chapters[{i}]"
        if isinstance(item, yaml.MappingNode) and any(k.value == "part" for k, _ in item.value):
            m = reader.mapping(item, where, ("part", "chapters"))
            if m is None:
                continue
            title = reader.string(m["part"][1], f"{where}.part")
            if "chapters" not in m:
                reader.err(item, f"{where}: part {shown(title)} has no 'chapters' list", code="manifest.missing-key")
                continue
            chapters = []
            sub = m["chapters"][1]
            if not isinstance(sub, yaml.SequenceNode) or not sub.value:
                reader.err(sub, f"{where}.chapters: expected a non-empty list of chapters")
                continue
            for j, ch in enumerate(sub.value):
                spec = _chapter(reader, ch, f"{where}.chapters[{j}]", allow_part=False)
                if spec:
                    chapters.append(spec)
            if title:
                out.append(PartSpec(title, tuple(chapters), reader.loc(item)))
        else:
            spec = _chapter(reader, item, where, allow_part=True)
            if spec:
                out.append(spec)
    return tuple(out)


def _post_entry(reader: _Reader, node, where: str) -> PostRef | None:
    """``{post: slug, comments: all | [501, 502]}``: a post with the comments the book prints."""
    m = reader.mapping(node, where, ("post", "comments"))
    if m is None:
        return None
    if "post" not in m:
        reader.missing(node, where, "post")
        return None
    slug = reader.string(m["post"][1], f"{where}.post")
    pick = None
    if "comments" in m:
        cnode = m["comments"][1]
        if isinstance(cnode, yaml.ScalarNode) and cnode.value == "all":
            pick = CommentPick(reader.loc(cnode))
        elif isinstance(cnode, yaml.SequenceNode) and cnode.value:
            ids: list[int] = []
            locs: list[Location] = []
            for i, item in enumerate(cnode.value):
                value = _construct(item) if isinstance(item, yaml.ScalarNode) else None
                if isinstance(value, int) and not isinstance(value, bool):
                    ids.append(value)
                    locs.append(reader.loc(item))
                else:
                    reader.err(item, f"{where}.comments[{i}]: expected a comment id (a number), got {_kind(item)}", "the ids are in the post's front matter, under comments:")
            pick = CommentPick(reader.loc(cnode), tuple(ids), tuple(locs))
        else:
            reader.err(cnode, f"{where}.comments: expected 'all' or a list of comment ids", "for example comments: all, or comments: [501, 502]")
    return PostRef(slug, reader.loc(node), pick) if slug else None


def _chapter(reader: _Reader, node, where: str, allow_part: bool) -> ChapterSpec | None:
    if isinstance(node, yaml.ScalarNode):
        slug = reader.string(node, where)
        return ChapterSpec(None, (PostRef(slug, reader.loc(node)),), reader.loc(node)) if slug else None
    if isinstance(node, yaml.MappingNode) and any(k.value == "post" for k, _ in node.value):
        ref = _post_entry(reader, node, where)
        return ChapterSpec(None, (ref,), reader.loc(node)) if ref else None
    if not allow_part and isinstance(node, yaml.MappingNode) and any(k.value == "part" for k, _ in node.value):
        reader.err(node, f"{where}: a part cannot contain another part", "list its chapters directly, or move it to the top level")
        return None
    m = reader.mapping(node, where, ("title", "posts"))
    if m is None:
        return None
    title = reader.string(m["title"][1], f"{where}.title") if "title" in m else None
    if "title" not in m:
        reader.missing(node, where, "title")
    if "posts" not in m:
        reader.missing(node, where, "posts")
        return None
    posts = m["posts"][1]
    if not isinstance(posts, yaml.SequenceNode) or not posts.value:
        reader.err(posts, f"{where}.posts: expected a non-empty list of post slugs")
        return None
    items: list[PostRef | SelectRef] = []
    for k, p in enumerate(posts.value):
        pw = f"{where}.posts[{k}]"
        if isinstance(p, yaml.MappingNode) and any(k.value == "post" for k, _ in p.value):
            ref = _post_entry(reader, p, pw)
            if ref:
                items.append(ref)
        elif isinstance(p, yaml.MappingNode):
            sel = reader.mapping(p, pw, ("select",))
            if sel is None or "select" not in sel:
                continue
            crit = reader.mapping(sel["select"][1], f"{pw}.select", ("category", "tag", "from", "to"))
            if crit is None:
                continue
            if not crit:
                reader.err(p, f"{pw}.select: give at least one of category, tag, from, to")
                continue
            items.append(
                SelectRef(
                    location=reader.loc(p),
                    category=reader.string(crit["category"][1], f"{pw}.select.category") if "category" in crit else None,
                    tag=reader.string(crit["tag"][1], f"{pw}.select.tag") if "tag" in crit else None,
                    date_from=reader.date(crit["from"][1], f"{pw}.select.from") if "from" in crit else None,
                    date_to=reader.date(crit["to"][1], f"{pw}.select.to") if "to" in crit else None,
                )
            )
        else:
            slug = reader.string(p, pw)
            if slug:
                items.append(PostRef(slug, reader.loc(p)))
    return ChapterSpec(title, tuple(items), reader.loc(node))


def _check_duplicates(reader: _Reader, divisions) -> None:
    seen: dict[str, PostRef] = {}
    for div in divisions:
        for ch in div.chapters if isinstance(div, PartSpec) else [div]:
            for item in ch.items:
                if isinstance(item, PostRef):
                    if item.slug in seen:
                        first = seen[item.slug].location
                        reader.diagnostics.append(
                            error(
                                "manifest.duplicate-post",
                                f"post {shown(item.slug)} is used twice (first at line {first.line})",
                                item.location,
                                "a post can appear only once in a book; remove one of them",
                            )
                        )
                    else:
                        seen[item.slug] = item


def _valid_isbn(isbn: str) -> bool:
    digits = re.sub(r"[\s-]", "", isbn)
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def isbn_digits(isbn: str) -> str:
    return re.sub(r"[\s-]", "", isbn)
