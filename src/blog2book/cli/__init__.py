"""The command line: ``blog2book build``, ``check``, ``corrections`` and the others.

Exit codes: 0 success, 1 problems in the author's files (or warnings with --strict), 2 usage errors.
Progress and diagnostics go to stderr; nothing but requested output goes to stdout.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

import click

from blog2book.diagnostics import BuildError, Diagnostic, Level, Reporter, printable
from blog2book.model import Part
from blog2book.render import FORMATS, asked


def on_terminal() -> bool:
    """Progress bars are drawn only when stderr is a terminal (never into a log or a pipe)."""
    return sys.stderr.isatty()


class Console:
    def __init__(self, verbosity: int, show_info: bool = False):
        self.verbosity = verbosity  # -1 quiet, 0 normal, 1 verbose
        self.show_info = show_info or verbosity > 0  # `check` lists information; `build` only with -v
        self.start = time.monotonic()
        self.last_phase = "starting"

    def diagnostic(self, d: Diagnostic) -> None:
        if d.level == Level.INFO and (self.verbosity < 0 or not self.show_info):
            return
        color = {Level.ERROR: "red", Level.WARNING: "yellow", Level.INFO: None}[d.level]
        click.secho(d.format(), err=True, fg=color)

    def phase(self, name: str) -> None:
        self.last_phase = name
        if self.verbosity >= 0:
            click.echo(f"[{time.monotonic() - self.start:5.1f}s] {name}", err=True)

    def step(self, done: int, total: int, what: str = "") -> None:
        """A progress bar on long phases, drawn only on a terminal."""
        if self.verbosity < 0 or (total < 20 and not what) or not on_terminal():
            return
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done == total else ""
        label = f" {what}" if what else ""
        click.echo(f"\r        [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{label}\033[K{end}", err=True, nl=False)


def find_manuscript(given: str | None) -> Path:
    if given:
        path = Path(given)
        if not path.is_file():
            raise click.BadParameter(f"no such file: {given}", param_hint="MANUSCRIPT")
        return path
    folder = Path("manuscripts")
    found = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise click.UsageError("no MANUSCRIPT given and no manuscripts/*.yml here; name the manuscript file")
    raise click.UsageError("several manuscripts; name one: " + ", ".join(str(p) for p in found))


verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show details and, on a crash, the traceback.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Only errors and warnings.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
drafts_option = click.option("--drafts", is_flag=True, help="Include posts marked 'draft: true' (left out by default).")
allow_option = click.option(
    "--allow-outside", "allow_outside", multiple=True, metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also read the author's files (posts, matter, cover, style, images) from DIR, a folder outside the project (repeatable).",
)


@click.group()
@click.version_option(package_name="blog2book")
def main() -> None:
    """blog2book: compile a book (print PDF, EPUB 3, Markdown) from blog posts."""


def run_action(console: Console, verbose: bool, reporter: Reporter, action) -> int:
    try:
        action()
    except BuildError as exc:
        for d in exc.diagnostics:
            reporter.add(d)
    except KeyboardInterrupt:
        click.echo("interrupted; the previous outputs are unchanged", err=True)
        return 130  # 128 + SIGINT, as shells report it
    except Exception as exc:  # an unexpected failure: one line, traceback only with -v
        if verbose:
            traceback.print_exc()
        click.secho(
            f"error: unexpected failure while {console.last_phase}: {type(exc).__name__}: {printable(str(exc), 300)} (rerun with -v for the traceback)",
            err=True,
            fg="red",
        )
        return 1
    errors, warnings = reporter.count(Level.ERROR), reporter.count(Level.WARNING)
    if errors or warnings:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if reporter.failed:
        if not errors:
            click.echo("failed: warnings are errors with --strict", err=True)
        return 1
    return 0


@main.command()
@click.argument("manuscript", required=False)
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice([f.name for f in asked()]), help="Output format (repeatable); default: pdf and epub. html: a web edition, the folder <name>-html/. docx: the editors' manuscript in Word. cover: the print cover spread (builds the printer's PDF too).")
@click.option("-o", "--output-dir", default="build", show_default=True, type=click.Path(file_okay=False), help="Where outputs are written.")
@click.option("--profile", type=click.Choice(["book", "review"]), default="book", show_default=True, help="review: the editors' proof PDF (<name>-review.pdf).")
@click.option("--compare", metavar="OLD.md|edition:NAME", help="With --profile review: the md output of an earlier build, or a recorded edition; changes are marked.")
@click.option("--edition", metavar="NAME", help="Record what this edition is made of in manuscripts/<name>.editions/NAME.json (see blog2book changes).")
@click.option("--sheet", type=click.Choice(["letter", "a4", "tabloid-half"]), help="With --profile review: the proof's sheet (default letter; tabloid-half: facing pages side by side).")
@click.option("--watch", is_flag=True, help="Build, then rebuild whenever a post, the manuscript or the style changes (Ctrl-C stops).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes laying the PDF out (default: the machine's cores).")
@click.option("--executor", metavar="dask://HOST:PORT", help="Lay the PDF out on an existing Dask cluster (needs the 'dask' extra).")
@click.option("--print", "print_profile", type=click.Choice(["screen", "press", "kdp", "ingram"]), help="Also write the printer's file <name>-PROFILE.pdf (default: print.profile of the manuscript).")
@verbose_option
@quiet_option
@strict_option
@drafts_option
@allow_option
def build(manuscript, formats, output_dir, profile, compare, edition, sheet, watch, jobs, executor, print_profile, verbose, quiet, strict, drafts, allow_outside):
    """Build MANUSCRIPT (default: the one file in manuscripts/) into OUTPUT_DIR."""
    from blog2book import editions, pipeline

    since = compare[len("edition:"):] if compare and compare.startswith("edition:") else None
    if compare and since is None and not Path(compare).is_file():
        raise click.BadParameter(f"'{compare}' is not a file (give OLD.md, or edition:NAME)", param_hint="--compare")
    if edition is not None and (profile != "book" or watch or not editions.valid_name(edition)):
        raise click.UsageError("--edition NAME: letters, digits, . _ -; with the book profile, without --watch")

    path = find_manuscript(manuscript)
    if compare and profile != "review":
        raise click.UsageError("--compare goes with --profile review")
    if sheet and profile != "review":
        raise click.UsageError("--sheet goes with --profile review")
    if profile == "review" and not formats:
        formats = ("pdf",)
    for fmt in formats:
        if profile not in FORMATS[fmt].profiles:
            raise click.UsageError(f"--profile {profile} makes no {fmt}: it applies to " + ", ".join(f for f in FORMATS if profile in FORMATS[f].profiles))
    if executor:
        from blog2book.infra.workers import dask_address

        try:
            dask_address(executor)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--executor") from None

    def once() -> int:
        console = Console(-1 if quiet else (1 if verbose else 0))
        reporter = Reporter(strict=strict, sink=console.diagnostic)
        result: list = []

        def action():
            result.append(
                pipeline.build(path, formats or ("pdf", "epub"), Path(output_dir), reporter, console.phase, profile, Path(compare) if compare and not since else None, console.step, jobs, executor,
                               sheet or "letter", drafts=drafts, print_profile=print_profile, allow_outside=allow_outside, edition=edition, compare_edition=since)
            )

        code = run_action(console, verbose, reporter, action)
        if code == 0 and result and not result[0].failed:
            for out, summary in zip(result[0].outputs, result[0].summaries or [""] * len(result[0].outputs)):
                nbytes = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) if out.is_dir() else out.stat().st_size
                size = f"{nbytes / 1024:,.0f} KB"
                console.phase(f"wrote {out} ({size}{', ' + summary if summary else ''})")
        elif code == 0:
            code = 1
        return code

    if not watch:
        sys.exit(once())
    from blog2book.preview import snapshot, wait_for_change, watched_roots

    try:
        while True:
            before = snapshot(watched_roots(path, allow_outside))  # taken before building: an edit made during a build is seen
            if once() == 130:
                raise KeyboardInterrupt
            click.echo(f"watching the sources of {path} (Ctrl-C stops)", err=True)
            wait_for_change(path, before=before, allow_outside=allow_outside)
            click.echo("change seen: rebuilding", err=True)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        sys.exit(130)


@main.command()
@click.argument("manuscript", required=False)
@click.option("-o", "--output-dir", default="build", show_default=True, type=click.Path(file_okay=False), help="The build folder whose cache (.cache) check shares.")
@click.option("--preflight", is_flag=True, help="Check the files a build wrote in OUTPUT_DIR as a printer, a store and an accessibility checker would (builds them first when the printer's PDF is absent).")
@verbose_option
@quiet_option
@strict_option
@drafts_option
@allow_option
def check(manuscript, output_dir, verbose, quiet, strict, drafts, preflight, allow_outside):
    """Check MANUSCRIPT and its posts without rendering anything (--preflight: check the files built)."""
    from blog2book import pipeline
    from blog2book.preflight import run as preflight_run

    path = find_manuscript(manuscript)
    console = Console(-1 if quiet else (1 if verbose else 0), show_info=True)
    reporter = Reporter(strict=strict, sink=console.diagnostic)
    if preflight:
        sys.exit(run_action(console, verbose, reporter, lambda: preflight_run(path, Path(output_dir), reporter, console.phase, drafts)))
    books: list = []
    code = run_action(console, verbose, reporter, lambda: books.append(pipeline.check(path, reporter, console.phase, Path(output_dir), drafts, allow_outside)))
    if code == 0 and books and books[0] is not None:
        book = books[0]
        posts = book.posts()
        words = sum(p.word_count for p in posts)
        parts = sum(1 for d in book.divisions if isinstance(d, Part))
        console.phase(f"ok: {parts} part(s), {len(book.chapters())} chapter(s), {len(posts)} post(s), {words} words")
    sys.exit(code)


# ---------------------------------------------------------------- starting a book, finding posts

def _report(diags) -> None:
    console = Console(0)
    for d in diags:
        console.diagnostic(d)


@main.command()
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=True))
@click.option("--title", default="Mon livre", show_default=True, help="The book's title.")
@click.option("--author", default="Une autrice", show_default=True, help="The author's name.")
@click.option("--style", default="medias-sociaux-101", show_default=True, help="A style of blog2book or a path to a style folder.")
def init(folder, title, author, style):
    """Create a book project in FOLDER (default: here) that builds at once; never overwrites a file."""
    from blog2book import scaffold
    from blog2book.styles import find_style

    target = Path(folder)
    try:
        find_style(style, target / scaffold.MANUSCRIPT)
        written = scaffold.init_project(target, title, author, style)
    except BuildError as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    except OSError as exc:
        click.secho(f"{printable(str(exc.filename or folder))}: error: cannot write: {exc.strerror or exc} [init.write]", err=True, fg="red")
        sys.exit(1)
    for path in written:
        click.echo(f"created {path}", err=True)
    here = target.resolve() == Path.cwd().resolve()
    click.echo(("next: " if here else f"next: cd {target} && ") + "blog2book build   (or: blog2book preview)", err=True)


def _iso_date(ctx, param, value):
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2010-11-24")


@main.command()
@click.argument("query", required=False)
@click.option("--category", help="Only posts of this category (case and accents ignored).")
@click.option("--tag", help="Only posts with this tag.")
@click.option("--from", "date_from", callback=_iso_date, help="Only posts dated on or after this day (YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_iso_date, help="Only posts dated on or before this day.")
@click.option("--unused", "unused", type=click.Path(exists=True, dir_okay=False), help="Only posts that this MANUSCRIPT does not use.")
@click.option("--posts-dir", type=click.Path(exists=True, file_okay=False), help="The posts folder (default: the manuscript's, else ./posts).")
@click.option("--format", "fmt", type=click.Choice(["table", "yaml", "json"]), default="table", show_default=True, help="yaml: a chapters: snippet to paste into a manuscript.")
@click.option("--stats", is_flag=True, help="Counts by year, category and tag instead of the list.")
@allow_option
def posts(query, category, tag, date_from, date_to, unused, posts_dir, fmt, stats, allow_outside):
    """List the posts (date, slug, title, words, categories, tags, in the book or not).

    QUERY searches titles and bodies (every word must occur; case and accents ignored)."""
    from blog2book import catalog
    from blog2book.manifest import load_manifest
    from blog2book.sources import select

    manuscript = Path(unused) if unused else None
    if manuscript is None and Path("manuscripts").is_dir():
        found = sorted(Path("manuscripts").glob("*.yml")) + sorted(Path("manuscripts").glob("*.yaml"))
        manuscript = found[0] if len(found) == 1 else None
    try:
        spec = load_manifest(manuscript, allow_outside) if manuscript else None
    except BuildError as exc:
        if unused:  # the manuscript asked for cannot be read
            _report(exc.diagnostics)
            sys.exit(1)
        click.secho(f"warning: {manuscript} has errors (see 'blog2book check'); the 'in book' column is left empty", err=True, fg="yellow")
        spec = None
    folder = Path(posts_dir) if posts_dir else (spec.posts_dir if spec else Path("posts"))
    if not folder.is_dir():
        raise click.UsageError(f"no posts folder '{folder}'; give one with --posts-dir")
    infos, diags = catalog.load_catalog(folder, with_text=bool(query))
    _report(diags)
    in_book = None
    if spec is not None:
        selection, _ = select(spec, {p.slug: catalog.as_source(p, folder) for p in infos}, set())
        in_book = {p.slug for p in selection.posts()}
    filters = catalog.Filters(query, category, tag, date_from, date_to)
    shown = [p for p in infos if catalog.matches(p, filters) and not (unused and p.slug in in_book)]
    if stats:
        data = catalog.stats(shown)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else catalog.stats_text(data))
    elif fmt == "yaml" and not shown:  # an empty list would paste as an empty chapter
        click.echo(f"no post matches (of {len(infos)} posts)", err=True)
    elif fmt == "yaml":
        click.echo(catalog.yaml_snippet(shown, tag or category or query or "Nouveau chapitre"))
    elif fmt == "json":
        click.echo(catalog.as_json(shown, in_book))
    else:
        click.echo(catalog.table(shown, in_book))
        click.echo(f"{len(shown)} of {len(infos)} posts", err=True)


@main.command()
@click.argument("manuscript", required=False)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1 (0: any free port).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), help="Where the preview edition is built (default: build/preview of the project).")
@allow_option
def preview(manuscript, port, output_dir, allow_outside):
    """Serve the web edition of MANUSCRIPT on 127.0.0.1; rebuild and reload on every change."""
    from blog2book.preview import serve

    path = find_manuscript(manuscript)
    output_dir = output_dir or path.resolve().parent.parent / "build" / "preview"

    def ready(url: str) -> None:
        click.echo(f"serving {url} (Ctrl-C stops)", err=True)

    try:
        serve(path, port, Path(output_dir), lambda line: click.echo(line, err=True), ready, allow_outside)
    except OSError as exc:
        click.secho(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} (choose another --port) [preview.port]", err=True, fg="red")
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        sys.exit(130)


from blog2book.cli import editors, importing  # noqa: E402,F401  (register the editors' commands: corrections, changes; and import)
