"""The build, phase by phase. This is the one module that knows every stage.

    load_manifest -> read_sources -> select -> transform -> collect_xrefs -> resolve_xrefs
    -> assemble_book -> render (md, pdf, epub) -> write atomically

Each phase returns a value; diagnostics go to the Reporter. Any error stops the build before
anything is written, so a failed build leaves earlier outputs untouched.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from blog2book import bookcache, fonts, guard, tree, typography
from blog2book.infra.atomic import write_folder
from blog2book.outputs import write_outputs
from blog2book.assemble import assemble, read_matter
from blog2book.copyright import read_book_matter
from blog2book.comments import add_comments
from blog2book.diagnostics import BuildError, Level, Location, Reporter
from blog2book.manifest import load_manifest
from blog2book.model import Book
from blog2book.sources import read_posts, select
from blog2book.styles import faces_for, find_style
from blog2book.transform import TransformOptions, transform_all
from blog2book.xref import build_index, resolve_post

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    book: Book | None
    outputs: tuple[Path, ...]
    failed: bool
    pages: int | None = None  # of the PDF, when one was built
    summaries: tuple[str, ...] = ()  # for each output, what its back end says of it ("232 pages; …")


class Phases:
    """Announces each phase (progress lines; the CLI names it in crash messages); long phases
    report their steps (``step(done, total, what)``) for a progress bar."""

    def __init__(self, progress: Progress | None, steps: Callable[[int, int, str], None] | None = None):
        self._progress = progress
        self._steps = steps

    def __call__(self, name: str) -> None:
        if self._progress:
            self._progress(name)

    def step(self, done: int, total: int, what: str = "") -> None:
        """A step of a long phase; ``what`` names steps that are slow even when few (pieces laid
        out, pages so far), which the CLI shows however many there are."""
        if self._steps:
            self._steps(done, total, what)


def prepare(manuscript: Path, reporter: Reporter, phases: Phases, cache_dir: Path | None = None, drafts: bool = False):
    """Every phase up to the Book: what ``check`` runs and what ``build`` renders from."""
    phases("reading the manuscript")
    spec = load_manifest(manuscript)
    style = find_style(spec.style, spec.path, spec.locations.get("style"))
    key = bookcache.book_key(spec, style, cache_dir.parent, drafts, cache_dir) if cache_dir is not None else None
    record = cache_dir / "book" / f"{spec.name}.pickle" if key is not None else None
    cached = bookcache.load(record, key) if record is not None else None
    if cached is not None:
        phases("reading the book from the cache (nothing changed)")
        book, sources, diagnostics = cached
        reporter.extend(diagnostics)
        return Prepared(spec, book, sources, key)
    first = len(reporter.items)  # what this preparation reports, for the cache to report again

    phases("reading posts")
    sources, failed, diags = read_posts(spec.posts_dir, spec.root, cache_dir)
    selection, diags = select(spec, sources, failed, diags, drafts)  # errors of posts left out: warnings
    reporter.extend(diags)
    _stop_on_errors(reporter)

    phases(f"transforming {len(selection.posts())} posts")
    typo = typography.typography_for(spec.lang, spec.typography)
    root = spec.root
    opts = TransformOptions(spec.lang, typo, root, cache_dir, uploads=spec.uploads, site=spec.site)
    posts, diags = transform_all(selection.posts(), opts, phases.step)
    reporter.extend(diags)
    posts, diags = add_comments(posts, selection.comments, sources, spec.lang, typo)  # readers' comments chosen
    reporter.extend(diags)
    front, back, diags = read_matter(spec, typo)
    reporter.extend(diags)
    copyright_page, also_by, back_cover, diags = read_book_matter(spec, typo)
    reporter.extend(diags)

    phases("collecting cross-references")
    index, diags = build_index(sources, posts, spec.site)
    reporter.extend(diags)

    phases("resolving cross-references")
    resolved = {}
    memo: dict = {}  # the book's equal words and spaces as shared objects: a long book fits in memory
    with bookcache.no_gc():  # new trees, no cycles: the cycle collector would only scan the book again and again
        for slug, post in posts.items():
            resolved[slug], diags = resolve_post(post, sources[slug], index, spec.xrefs)  # the words stay shared
            reporter.extend(diags)
    _stop_on_errors(reporter)

    phases("assembling the book")
    book = assemble(spec, selection, resolved, front, back, style, root, typo)
    book = replace(book, copyright=copyright_page, also_by=also_by, back_cover=back_cover)
    if spec.index is not None:
        from blog2book.index import add_index

        phases("indexing")
        book, diags = add_index(book, spec.index, sources)
        reporter.extend(diags)
    for post in book.posts():  # what assembling added (comments, index marks)
        if post.slug not in resolved or post.blocks is not resolved[post.slug].blocks:
            tree.share_leaves(list(post.blocks), memo)
    if record is not None and not reporter.count(Level.ERROR):
        bookcache.store(record, key, (book, sources, reporter.items[first:]))
    return Prepared(spec, book, sources, key)


@dataclass(frozen=True)
class Prepared:
    """What ``prepare`` made, and the digest of what it was made from (None: not known, nothing
    made from it is cached). Unpacks as ``spec, book, sources``."""

    spec: object
    book: Book
    sources: dict
    key: str | None = None

    def __iter__(self):
        return iter((self.spec, self.book, self.sources))


def build(
    manuscript: Path,
    formats: Iterable[str] = ("pdf", "epub"),
    outdir: Path = Path("build"),
    reporter: Reporter | None = None,
    progress: Progress | None = None,
    profile: str = "book",
    compare: Path | None = None,
    steps: Callable[[int, int, str], None] | None = None,
    jobs: int | None = None,
    executor: str | None = None,
    sheet: str = "letter",
    drafts: bool = False,
    print_profile: str | None = None,
) -> BuildResult:
    from blog2book.infra.workers import default_jobs
    from blog2book.render import FORMATS, RenderContext, order, read_back

    reporter = reporter or Reporter()
    phases = Phases(progress, steps)
    outdir = Path(outdir)
    cache_dir = outdir / ".cache"
    prepared = prepare(manuscript, reporter, phases, cache_dir, drafts)
    with _book_kept(prepared):
        spec, book, sources = prepared
        if reporter.failed:
            return BuildResult(book, (), True)
        if compare is not None:
            compare = guard.compare_file(compare, spec.root, outdir)
        asked = [FORMATS[f] for f in dict.fromkeys(formats)]
        faces = {face for f in asked for face in f.faces}
        fonts.prepare(faces_for(book, "style" in faces, "cover" in faces), phases)  # once per machine, in parallel

        ctx = RenderContext(
            links=spec.links, profile=profile, compare=compare, build_date=dt.date.today(), sources=sources,
            name=spec.name, cache_dir=cache_dir, jobs=jobs or default_jobs(), executor=executor, steps=phases.step,
            sheet=sheet,
        )
        # The printer's file (--print or print: in the manuscript) is a PDF of its own, beside the screen
        # PDF; the cover needs its page count, so it is rendered whenever a cover is asked for.
        press = print_settings(spec, print_profile, any(f.asks_press for f in asked))
        formats = [f.name for f in asked]
        if press is not None and profile == "book":
            added = [f.name for f in FORMATS.values() if f.press and set(f.press_with) & set(formats)]
            if added:
                formats += added
                ctx = replace(ctx, press=press)
        press_name = press.profile if press is not None else None
        sequence = order(formats)  # the PDF before the EPUB: its page list comes from the print layout
        beside, made_beside = _beside(sequence, book, ctx, prepared.key)
        results = {}
        pages = None
        try:
            for fmt in sorted(sequence, key=lambda f: f.name in made_beside):  # what is made beside: taken last
                what = fmt.label(profile, press_name)
                if fmt.name in made_beside:
                    phases(f"rendering {what} (made beside the PDF)")
                    result = beside.result()[fmt.name]
                else:
                    phases(f"rendering {what}")
                    publish = beside.send if beside is not None and fmt.lays_out else None
                    result = _render(fmt.name, book, replace(ctx, publish=publish), prepared.key)
                reporter.extend(result.diagnostics)
                pages = result.products.pages or pages  # the book's pages (or the proof's)
                if profile == "book":  # a review proof's pages are not the book's
                    ctx = replace(ctx, **result.products.for_context())
                    if beside is not None and fmt.lays_out:
                        beside.send(result.products.kept())  # unless the layout gave them already (a PDF from the cache)
                results[fmt.name] = result
        finally:
            if beside is not None:
                beside.stop()
        rendered: list[tuple[Path, bytes, Callable[[Path, bytes], Path]]] = []
        summaries: list[str] = []
        for fmt in sequence:
            result = results[fmt.name]
            path = outdir / fmt.file_name(spec.name, profile, press_name)
            # a folder (the web edition) is unpacked and swapped in whole; a file is replaced atomically
            rendered.append((path, result.data, write_folder if fmt.folder else None))
            summaries.append(result.summary)
            check = read_back(fmt)
            if check is not None:  # e.g. never a PDF in the machine's fonts
                reporter.extend(check(path, result.data, book.style))
        _stop_on_errors(reporter)
        phases("writing outputs")
        written = write_outputs(rendered, outdir)
        return BuildResult(book, written, False, pages, tuple(summaries))


BUILD_GC_THRESHOLDS = (50_000, 20, 20)  # the tree passes make millions of lists and dicts, few cycles


@contextmanager
def _book_kept(prepared):
    """The book and its sources (in a long book, millions of objects) live for the whole build:
    kept out of the garbage collector's passes, which would walk them again and again, and the
    copies the print passes make collected less often. Given back as they were when the build
    ends. (Layout workers collect as usual: ``workers.freeze_inherited``.)"""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield prepared
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _beside(sequence, book: Book, ctx, book_key: str | None):
    """While the PDF is laid out (a format that ``lays_out``), a process of its own
    (``infra/beside.py``) makes the formats that need nothing from it, or only its page products,
    which it is given before the PDF is merged; what it can make before those arrive, it makes
    first (``warm``). Returns that process (None: none was started) and the formats it makes."""
    from blog2book.infra import beside
    from blog2book.render import FORMATS, backend

    layout = next((f for f in sequence if f.lays_out), None)
    if layout is None or ctx.profile != "book" or ctx.jobs < 2:
        return None, set()
    kept = _record(layout.name, ctx, book_key)
    if kept is not None and bookcache.holds(*kept):  # nothing to lay out: nothing to make beside it
        return None, set()
    given = set(layout.provides)
    made = [f.name for f in sequence if f is not layout and not f.provides and set(f.needs) <= given]
    if not made:
        return None, set()
    quiet = replace(ctx, steps=None)  # one progress line: the PDF's

    def work(receive) -> dict:
        backends = {name: backend(name) for name in made}
        waiting = [name for name in made if FORMATS[name].needs]
        for name in waiting:
            if hasattr(backends[name], "warm"):
                backends[name].warm(book, quiet)
        out = {name: _render(name, book, quiet, book_key, backends[name]) for name in made if name not in waiting}
        paged = replace(quiet, **receive().for_context())  # the PDF's page products, before its merge
        out.update({name: _render(name, book, paged, book_key, backends[name]) for name in waiting})
        return out

    process = beside.start(work)
    return process, (set(made) if process is not None else set())


def _render(name: str, book: Book, ctx, book_key: str | None, made_by=None):
    """The back end's Rendered; for a ``cached`` format (the EPUB, the Markdown edition, the PDF),
    the one of an earlier build when the book and every setting it is rendered with are the same
    (nothing laid out, assembled or packaged again: a book's pages depend on its content only)."""
    from blog2book.render import backend

    made_by = made_by or backend(name, ctx.profile)
    kept = _record(name, ctx, book_key)
    if kept is None:
        return made_by.render(book, ctx)
    record, key = kept
    cached = bookcache.load(record, key)
    if cached is not None:
        if cached.products.pages is not None:
            return replace(cached, summary=f"{cached.products.pages} pages; nothing changed: nothing laid out, the {name.upper()} of the last build")
        return cached
    result = made_by.render(book, ctx)
    # what a later build needs of it: not the laid-out pieces (their PDFs are in the pieces' cache)
    bookcache.store(record, key, replace(result, products=result.products.kept()))
    return result


def _record(name: str, ctx, book_key: str | None) -> tuple[Path, str] | None:
    """Where the book cache keeps this format's Rendered, and its key (None: it is not kept)."""
    from importlib.metadata import version

    from blog2book.render import FORMATS

    fmt = FORMATS[name]
    if not fmt.cached or book_key is None or ctx.cache_dir is None or ctx.profile != "book":
        return None
    settings = {k: getattr(ctx, k) for k in ("links", "profile", "build_date", "page_map", "name", "sheet", "press", "print_pages", "print_trim")}
    settings.update({engine: version(engine) for engine in fmt.engines})
    return ctx.cache_dir / "book" / f"{ctx.name}.{name}.pickle", bookcache.render_key(book_key, name, settings)


def print_settings(spec, print_profile: str | None, cover: bool):
    """The manuscript's ``print:`` with the command line's profile; None for the screen PDF alone.
    A cover is for print: without a profile it takes ``press``."""
    settings = spec.print
    name = print_profile or settings.profile
    if name == "screen":
        if not cover:
            return None
        name = "press"
    return replace(settings, profile=name, location=settings.location or spec.locations.get("print") or Location(spec.path))


def check(manuscript: Path, reporter: Reporter, progress: Progress | None = None, outdir: Path = Path("build"), drafts: bool = False) -> Book | None:
    """Every phase up to the Book, with the build's cache (``OUTDIR/.cache``): nothing rendered."""
    phases = Phases(progress)
    _, book, _ = prepare(manuscript, reporter, phases, Path(outdir) / ".cache", drafts)
    return book


def _stop_on_errors(reporter: Reporter) -> None:
    """Errors were reported already: stop before the next phase (with --strict, warnings stop the
    build only before rendering, so that every problem is listed first)."""
    if reporter.count(Level.ERROR):
        raise BuildError([], "stopped")
