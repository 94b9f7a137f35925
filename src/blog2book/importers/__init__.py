"""``blog2book import``: posts out of a WordPress export, a feed, or a Jekyll/Hugo site.

    detect the kind -> read the source (a generator of ImportedPost, streamed) -> Writer
    (compare with the posts folder and the last import's state, write into a temporary folder)
    -> move into place, or leave the folder exactly as it was when anything is wrong.

Each reader yields ImportedPost records and counts what it leaves out (drafts, pages…) in
``ImportContext.left_out``; the converter's warnings and the readers' go to ``ImportContext.diags``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import unquote_to_bytes, urlsplit

from blog2book import guard
from blog2book.diagnostics import MAX_TEXT_BYTES, BuildError, Diagnostic, Level, Location, error, warning
from blog2book.sources import slugify

KINDS = ("wordpress", "feed", "jekyll", "hugo")
# what --include can bring back; the names are those of the "left out" report
INCLUDABLE = ("pages", "drafts", "pending", "private", "scheduled", "password-protected", "trash", "pingbacks")
# other names --include accepts: singulars and WordPress's own words
_INCLUDE_NAMES = {"page": "pages", "draft": "drafts", "future": "scheduled", "protected": "password-protected", "password": "password-protected", "trashed": "trash", "pingback": "pingbacks"}


def include_kinds(text: str) -> tuple[frozenset[str], list[str]]:
    """``--include draft,private`` -> ({"drafts", "private"}, unknown names)."""
    names = [w.strip().lower() for w in text.split(",") if w.strip()]
    kinds = {_INCLUDE_NAMES.get(n, n) for n in names}
    return frozenset(kinds & set(INCLUDABLE)), sorted(kinds - set(INCLUDABLE))


@dataclass(frozen=True)
class ImportedPost:
    slug: str
    meta: Mapping[str, Any]  # the front matter, in the order it is written
    body: str  # Pandoc Markdown
    location: Location  # where the post is in the source


@dataclass(frozen=True)
class ImportOptions:
    comments: bool = False
    include: frozenset[str] = frozenset()
    media_dir: Path | None = None
    lang: str | None = None  # a multilingual Jekyll or Hugo site: the language imported


@dataclass
class ImportContext:
    """What a reader needs besides the file, and what it reports besides posts."""

    options: ImportOptions
    media: Callable[[str], str | None] | None = None
    left_out: Counter = field(default_factory=Counter)
    diags: list[Diagnostic] = field(default_factory=list)
    step: Callable[[int, int], None] | None = None
    files: dict[str, Path] = field(default_factory=dict)  # a site's images: path under INTO -> the file copied there
    phase: Callable[[str], None] | None = None  # a progress line (a long post being converted)

    def convert(self, convert, text: str, *, path: Path, line: int, what: str = "post", **options) -> tuple[str | None, list[Diagnostic]]:
        """``convert(text, path=, line=, **options)`` (HTML -> Markdown) bounded: a content larger
        than a post the build reads is left out, and a pandoc failure is located at the content's
        line, each with a warning (body None); the other posts go on."""
        size = len(text.encode("utf-8"))
        where = Location(path, line)
        if size > MAX_POST_BYTES:
            return None, [warning("import.too-large", f"this {what} is {size / 1048576:.1f} MB of HTML; a post is at most {MAX_POST_BYTES // 1048576} MB; it is not imported", where,
                                  "split it into several posts, in the blog or in the export, then import again")]
        if size > LONG_POST_BYTES and self.phase is not None:
            self.phase(f"converting the {what} at {path.name}:{line} ({size / 1048576:.1f} MB): a long {what}, this takes a while")
        try:
            body, diags = convert(text, path=path, line=line, **options)
        except BuildError as exc:
            return None, [warning(d.code, f"this {what} could not be converted: {d.message}; it is not imported", where, d.hint or "simplify its HTML, or split it") for d in exc.diagnostics]
        if len(body.encode("utf-8")) > MAX_POST_BYTES:
            return None, [warning("import.too-large", f"this {what} converts to more than {MAX_POST_BYTES // 1048576} MB of text, the most a post may be; it is not imported", where,
                                  "split it into several posts, in the blog or in the export, then import again")]
        return body, diags


MAX_POST_BYTES = MAX_TEXT_BYTES  # an import never writes a post the build would refuse (``post.too-large``)
LONG_POST_BYTES = 1024 * 1024  # from this size a post's conversion is named in the progress


@dataclass(frozen=True)
class ImportResult:
    kind: str
    actions: tuple[tuple[str, str], ...]  # (file name, added|updated|unchanged|kept)
    left_out: Mapping[str, int]
    images: int
    dry_run: bool
    site: str | None = None  # the blog's address, from the imported posts' URLs

    def count(self, action: str) -> int:
        return sum(1 for _, a in self.actions if a == action)


def leads_outside(path: Path, root: Path, where: str) -> Diagnostic | None:
    """The warning for a file of the source that is a link leaving ``root`` (``where`` names it:
    "the site", "the uploads copy"), or None: such a file is never read nor copied. A link to a
    file inside ``root`` is read like the file."""
    if not guard.outside(path, root):
        return None
    return warning("import.outside", f"this file is a link to '{Path(path).resolve()}', outside {where} ({root}): not imported", Location(path), f"blog2book follows no link that leaves {where}; copy the file into it if it belongs there")


def decode_slug(slug: str) -> str:
    """``r%c3%a9seaux-et-pouvoir`` -> ``réseaux-et-pouvoir`` (UTF-8, else Windows-1252), NFC,
    with nothing a file name cannot hold."""
    raw = unquote_to_bytes(slug.strip())
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    text = unicodedata.normalize("NFC", text)
    # no invisible characters in a file name: right-to-left overrides, zero-width spaces…
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"[/\\:*?\"<>|\x00-\x1f]+", "-", text).strip("-. ")


def plain(text: str) -> str:
    """A title, a term, a name: entities decoded (WordPress double-encodes them), tags dropped."""
    text = html.unescape(re.sub(r"<[^>]+>", "", html.unescape(text or "")))
    return " ".join(text.split())


def slug_from_url(url: str) -> str:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return decode_slug(segments[-1].rsplit(".", 1)[0]) if segments else ""


def undated_aliases(url: str) -> list[str]:
    """Other URLs WordPress answers for a dated permalink: ``/slug/`` (``/demo/slug/`` for a blog
    installed in a folder)."""
    parts = urlsplit(url)
    m = re.match(r"^((?:/[^/]+)*?)/\d{4}/\d{2}/(?:\d{2}/)?([^/]+)/?$", parts.path)
    if not m or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc}{m.group(1)}/{m.group(2)}/"]


def detect(source: Path) -> str | None:
    """The kind of SOURCE from its contents, or None."""
    from blog2book.importers import staticgen
    from blog2book.importers.xmlstream import sniff

    if source.is_dir():
        return staticgen.detect(source)
    head = sniff(source)
    if "wordpress.org/export/" in head or "<wp:wxr_version" in head:
        return "wordpress"
    if re.search(r"<(rss|rdf:RDF)\b", head) or re.search(r"<feed\b[^>]*Atom", head):
        return "feed"
    return None


def read_source(kind: str, source: Path, ctx: ImportContext) -> Iterator[ImportedPost]:
    from blog2book.importers import feed, hugo, jekyll, wxr

    if kind == "wordpress":
        return wxr.read(source, ctx)
    if kind == "feed":
        return feed.read(source, ctx)
    return jekyll.read(source, ctx) if kind == "jekyll" else hugo.read(source, ctx)


def run_import(
    source: Path,
    into: Path,
    options: ImportOptions,
    *,
    kind: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    report: Callable[[Diagnostic], None] = lambda d: None,
    step: Callable[[int, int], None] | None = None,
    phase: Callable[[str], None] | None = None,
    strict: bool = False,
) -> ImportResult:
    """Import SOURCE into the folder INTO; raises BuildError (nothing written) when it cannot,
    or, with ``strict``, when anything was worth a warning."""
    from blog2book.importers.media import MediaMap
    from blog2book.importers.writer import Writer
    from blog2book.importers.xmlstream import XMLProblem

    if source.is_file() and source.stat().st_size == 0:
        raise BuildError([error("import.empty", "the file is empty: not an export (a download or a copy that did not finish?)", Location(source, 1), "export the blog again, or copy the file again whole; nothing was imported")])
    kind = kind or detect(source)
    if kind is None:
        raise BuildError([error("import.unknown-kind", "cannot tell what this is: not a WordPress export, a feed, a Jekyll _posts or a Hugo content folder", Location(source, 1 if source.is_file() else None), "name the kind with --from wordpress|feed|jekyll|hugo")])
    wants_folder = kind in ("jekyll", "hugo")
    if wants_folder != source.is_dir():
        what = "a folder (a Jekyll _posts or a Hugo content folder, or the site's folder)" if wants_folder else "a file (a WordPress export or a feed)"
        raise BuildError([error("import.source", f"--from {kind} reads {what}", Location(source), "name the right SOURCE, or another --from")])
    media = MediaMap(options.media_dir, into) if options.media_dir else None
    ctx = ImportContext(options, media, step=step, phase=phase)
    writer = Writer(into, dry_run=dry_run, force=force)
    seen: dict[str, Location] = {}
    errors: list[Diagnostic] = []

    def flush() -> None:
        for d in ctx.diags:
            report(d)
            if d.level == Level.ERROR or (strict and d.level == Level.WARNING):
                errors.append(d)
        ctx.diags.clear()

    metas: list = []
    try:
        for post in read_source(kind, source, ctx):
            metas.append(post.meta)
            writer.add(_unique(post, seen, ctx))
            flush()
        flush()
        for rel, src in sorted(ctx.files.items()):  # a site's images, found by the reader
            problem = writer.add_file(rel, src)
            if problem is not None and problem not in ctx.diags:
                ctx.diags.append(problem)
        flush()
        if media is not None:
            ctx.diags.extend(media.diagnostics())
            flush()
            for src, rel in media.copies():
                problem = writer.add_file(rel, src)  # an error when a link would take it outside INTO
                if problem is not None and problem not in ctx.diags:
                    ctx.diags.append(problem)
            flush()
        if errors:  # reported already; nothing is written
            raise BuildError([], "import")
    except XMLProblem as exc:
        writer.abort()
        raise BuildError([error("import.malformed", exc.message, Location(source, exc.line, exc.col), "nothing was imported; the posts folder is as it was")]) from None
    except BaseException:  # an interrupt or a failure: the temporary folder goes, posts/ is as it was
        writer.abort()
        raise
    for name, action in writer.actions:
        if action == "kept":
            report(writer.kept_diagnostic(name))
    writer.commit(source=str(source), kind=kind)
    from blog2book.importers.nextsteps import site_of

    return ImportResult(kind, tuple(writer.actions), dict(ctx.left_out), writer.images, dry_run, site_of(metas))


def _unique(post: ImportedPost, seen: dict[str, Location], ctx: ImportContext) -> ImportedPost:
    """Two posts with one slug (WordPress allows it across dates): the second gets its id or a number."""
    slug = post.slug or slugify(str(post.meta.get("title", "")))
    if slug.casefold() in seen:
        base = f"{slug}-{post.meta['wp_id']}" if post.meta.get("wp_id") else slug
        n, candidate = 2, base
        while candidate.casefold() in seen:
            candidate, n = f"{base}-{n}", n + 1
        ctx.diags.append(warning("import.duplicate-slug", f"slug '{slug}' is also the slug of the post at {seen[slug.casefold()]}; this one is written as '{candidate}.md'", post.location, "rename one of them in the manuscript's posts if you need to"))
        slug = candidate
    seen[slug.casefold()] = post.location
    if slug != post.slug or post.meta.get("slug") != slug:
        meta = dict(post.meta)
        meta["slug"] = slug
        post = ImportedPost(slug, _ordered(meta), post.body, post.location)
    return post


ORDER = ("title", "date", "draft", "slug", "url", "aliases", "wp_id", "author", "categories", "tags", "excerpt", "comments")


def _ordered(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The front matter in the README's order, empty values left out."""
    out = {k: meta[k] for k in ORDER if meta.get(k) not in (None, "", [], ())}
    out.update({k: v for k, v in meta.items() if k not in ORDER and v not in (None, "", [], ())})
    return out


def make_post(slug: str, meta: Mapping[str, Any], body: str, location: Location) -> ImportedPost:
    meta = dict(meta)
    meta["slug"] = slug
    return ImportedPost(slug, _ordered(meta), body.strip() + "\n", location)


def _number(what: str, n: int) -> str:
    """« 1 draft », « 2 drafts »: the left-out names are plurals."""
    head, sep, rest = what.partition(" (")
    return (head[:-1] if n == 1 and head.endswith("s") else head) + sep + rest


def summary(result: ImportResult, into: Path) -> list[str]:
    """The report's lines; with --dry-run first the plan, one indented line per post."""
    lines = [f"  {action:<9} {into / name}" for name, action in result.actions] if result.dry_run else []
    counts = ", ".join(f"{result.count(a)} {a}" for a in ("added", "updated", "unchanged", "kept"))
    images = f"; {result.images} image(s) copied" if result.images else ""
    verb = "would import" if result.dry_run else "imported"
    lines.append(f"{verb} {len(result.actions)} post(s) from the {result.kind} source into {into}: {counts}{images}")
    if result.left_out:
        lines.append("left out: " + ", ".join(f"{n} {_number(what, n)}" for what, n in sorted(result.left_out.items(), key=lambda kv: (-kv[1], kv[0]))))
    if result.dry_run:
        lines.append("dry run: nothing was written")
    return lines
