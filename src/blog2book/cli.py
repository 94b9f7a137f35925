"""The command line: ``blog2book build`` and ``blog2book check``.

Exit codes: 0 success, 1 problems in the author's files (or warnings with --strict), 2 usage errors.
Progress and diagnostics go to stderr; nothing but requested output goes to stdout.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

import click

from blog2book.diagnostics import BuildError, Diagnostic, Level, Reporter
from blog2book.model import Part
from blog2book.render import FORMATS


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
        if self.verbosity < 0 or (total < 20 and not what) or not sys.stderr.isatty():
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


@click.group()
@click.version_option(package_name="blog2book")
def main() -> None:
    """blog2book: compile a book (print PDF, EPUB 3, Markdown) from blog posts."""


def _run(console: Console, verbose: bool, reporter: Reporter, action) -> int:
    try:
        action()
    except BuildError as exc:
        for d in exc.diagnostics:
            reporter.add(d)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 1
    except Exception as exc:  # an unexpected failure: one line, traceback only with -v
        if verbose:
            traceback.print_exc()
        click.secho(
            f"error: unexpected failure while {console.last_phase}: {type(exc).__name__}: {exc} (rerun with -v for the traceback)",
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
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice([f for f in FORMATS if f != "print"]), help="Output format (repeatable); default: pdf and epub. cover: the print cover spread (builds the printer's PDF too).")
@click.option("-o", "--output-dir", default="build", show_default=True, type=click.Path(file_okay=False), help="Where outputs are written.")
@click.option("--profile", type=click.Choice(["book", "review"]), default="book", show_default=True, help="review: the editors' proof PDF (<name>-review.pdf).")
@click.option("--compare", type=click.Path(exists=True, dir_okay=False), help="With --profile review: the md output of an earlier build; changes are marked.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes laying the PDF out (default: the machine's cores).")
@click.option("--executor", metavar="dask://HOST:PORT", help="Lay the PDF out on an existing Dask cluster (needs the 'dask' extra).")
@click.option("--print", "print_profile", type=click.Choice(["screen", "press", "kdp", "ingram"]), help="Also write the printer's file <name>-PROFILE.pdf (default: print.profile of the manuscript).")
@verbose_option
@quiet_option
@strict_option
def build(manuscript, formats, output_dir, profile, compare, jobs, executor, print_profile, verbose, quiet, strict):
    """Build MANUSCRIPT (default: the one file in manuscripts/) into OUTPUT_DIR."""
    from blog2book import pipeline

    path = find_manuscript(manuscript)
    if compare and profile != "review":
        raise click.UsageError("--compare goes with --profile review")
    if profile == "review" and not formats:
        formats = ("pdf",)
    for fmt in formats:
        if profile not in FORMATS[fmt].profiles:
            raise click.UsageError(f"--profile {profile} makes no {fmt}: it applies to " + ", ".join(f for f in FORMATS if profile in FORMATS[f].profiles))
    if executor and not (executor.startswith("dask://") or executor.startswith("tcp://")):
        raise click.BadParameter("give the scheduler as dask://HOST:PORT", param_hint="--executor")
    console = Console(-1 if quiet else (1 if verbose else 0))
    reporter = Reporter(strict=strict, sink=console.diagnostic)
    result: list = []

    def action():
        result.append(
            pipeline.build(path, formats or ("pdf", "epub"), Path(output_dir), reporter, console.phase, profile, Path(compare) if compare else None, console.step, jobs, executor, print_profile)
        )

    code = _run(console, verbose, reporter, action)
    if code == 0 and result and not result[0].failed:
        for out, summary in zip(result[0].outputs, result[0].summaries or [""] * len(result[0].outputs)):
            size = f"{out.stat().st_size / 1024:,.0f} KB"
            console.phase(f"wrote {out} ({size}{', ' + summary if summary else ''})")
    elif code == 0:
        code = 1
    sys.exit(code)


@main.command()
@click.argument("manuscript", required=False)
@click.option("-o", "--output-dir", default="build", show_default=True, type=click.Path(file_okay=False), help="The build folder whose cache (.cache) check shares.")
@verbose_option
@quiet_option
@strict_option
def check(manuscript, output_dir, verbose, quiet, strict):
    """Check MANUSCRIPT and its posts without rendering anything."""
    from blog2book import pipeline

    path = find_manuscript(manuscript)
    console = Console(-1 if quiet else (1 if verbose else 0), show_info=True)
    reporter = Reporter(strict=strict, sink=console.diagnostic)
    books: list = []
    code = _run(console, verbose, reporter, lambda: books.append(pipeline.check(path, reporter, console.phase, Path(output_dir))))
    if code == 0 and books and books[0] is not None:
        book = books[0]
        posts = book.posts()
        words = sum(p.word_count for p in posts)
        parts = sum(1 for d in book.divisions if isinstance(d, Part))
        console.phase(f"ok: {parts} part(s), {len(book.chapters())} chapter(s), {len(posts)} post(s), {words} words")
    sys.exit(code)
