"""``blog2book import``: a WordPress export, a feed, a Jekyll or Hugo site into a posts folder, then
the blog's address into the manuscript and what to do next. Registered on ``blog2book.cli.main``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from blog2book.cli import Console, main, on_terminal, quiet_option, run_action, strict_option, verbose_option
from blog2book.diagnostics import Reporter


@main.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--into", default="posts", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="The posts folder to write into.")
@click.option("--from", "kind", type=click.Choice(["wordpress", "feed", "jekyll", "hugo"]), help="The kind of SOURCE (default: detected).")
@click.option("--comments", is_flag=True, help="Import approved comments with their posts.")
@click.option("--include", default="", metavar="KINDS", help="Also import: pages,drafts,pending,private,scheduled,password-protected,trash,pingbacks (comma-separated; draft, page… too).")
@click.option("--media", "media_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), help="A copy of wp-content/uploads: images are copied under INTO/images/.")
@click.option("--lang", default=None, metavar="LANG", help="A multilingual Jekyll or Hugo site: the language to import (fr, en…; default: the site's).")
@click.option("--dry-run", is_flag=True, help="Write nothing; print what would be written.")
@click.option("--force", is_flag=True, help="Overwrite posts edited since the last import.")
@verbose_option
@quiet_option
@strict_option
def import_(source, into, kind, comments, include, media_dir, lang, dry_run, force, verbose, quiet, strict):
    """Import the posts of SOURCE (a WordPress export, an RSS/Atom feed, a Jekyll or Hugo site) into a posts folder."""
    from blog2book import importers

    wanted, unknown = importers.include_kinds(include)
    if unknown:
        raise click.BadParameter(f"unknown kind(s) {', '.join(unknown)}; choose among {', '.join(importers.INCLUDABLE)}", param_hint="--include")
    console = Console(-1 if quiet else (1 if verbose else 0), show_info=True)
    reporter = Reporter(strict=strict, sink=console.diagnostic)
    options = importers.ImportOptions(comments=comments, include=wanted, media_dir=media_dir, lang=lang.strip() if lang and lang.strip() else None)
    results: list = []

    def action():
        console.phase(f"reading {source}")
        results.append(importers.run_import(source, into, options, kind=kind, dry_run=dry_run, force=force, report=reporter.add, step=console.step if on_terminal() and not quiet else None, phase=console.phase, strict=strict))

    code = run_action(console, verbose, reporter, action)
    if results:
        for line in importers.summary(results[0], into):
            if dry_run and line.startswith("  "):
                click.echo(line.strip())
            else:
                console.phase(line)
        if code == 0 and not dry_run:
            _after_import(console, results[0], into)
    sys.exit(code)


def _after_import(console, result, into: Path) -> None:
    """The blog's address into the manuscript init made; what to do next (issue 22, item 10)."""
    from blog2book.importers import nextsteps

    try:
        for path in nextsteps.write_site(into, result.site):
            console.phase(f"wrote site: {result.site} into {path} (the blog's address: links to it become the book's posts)")
    except OSError as exc:
        console.phase(f"{exc.filename}: cannot write the blog's address: {exc.strerror or exc}; add 'site: {result.site}' yourself")
    slugs = [Path(name).stem for name, action in result.actions if action in ("added", "updated", "unchanged")]
    for line in nextsteps.next_steps(into, slugs, nextsteps.manuscripts_of(into)) if console.verbosity >= 0 else ():
        click.echo(line, err=True)
