"""The editors' commands: ``corrections`` (a proof's or a DOCX's marks back to the posts) and
``changes`` (what changed since a recorded edition). Registered on ``blog2book.cli.main``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from blog2book.cli import Console, drafts_option, find_manuscript, main, quiet_option, run_action, verbose_option
from blog2book.diagnostics import Reporter


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("manuscript", required=False)
@click.option("--apply", "apply_", is_flag=True, help="Make the deletions, insertions and replacements in the posts (where the text is still there).")
@click.option("--patch", type=click.Path(dir_okay=False, path_type=Path), help="Write the edits as a unified diff to this file instead of changing the posts.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the list of marks to OUT.md or OUT.html.")
@verbose_option
@quiet_option
def corrections(file, manuscript, apply_, patch, report, verbose, quiet):
    """List the marks of an annotated proof (FILE, a PDF blog2book made) or the tracked changes and comments of the editors' manuscript (FILE.docx, from build -f docx) with their place in the posts; --apply makes the edits."""
    from blog2book.manifest import load_manifest
    from blog2book.roundtrip import report as listing
    from blog2book.roundtrip.run import read, write_file, write_posts

    if apply_ and patch:
        raise click.UsageError("--patch writes the edits instead of making them: give --apply or --patch, not both")
    path = find_manuscript(manuscript)
    console = Console(-1 if quiet else (1 if verbose else 0))
    reporter = Reporter(sink=console.diagnostic)
    conflicts: list = []

    def action():
        root = load_manifest(path).root
        outcome = read(file, root)
        for item in outcome.items:
            if item.status == "conflict":
                conflicts.append(item)
            if not quiet or item.status == "conflict":
                click.secho(listing.line(item), fg="red" if item.status == "conflict" else None)
        if report:
            write_file(report, listing.write(report, list(outcome.items), file.name, outcome.build), "report")
        if patch:
            write_file(patch, outcome.diff, "patch")
        elif apply_:
            written = write_posts(root, outcome)
            click.echo(outcome.diff, nl=False)
            console.phase(f"corrected {len(written)} post(s)")
        console.phase(f"{'document' if file.suffix.lower() == '.docx' else 'proof'} of build {outcome.build}: {listing.summary(list(outcome.items))}")

    code = run_action(console, verbose, reporter, action)
    sys.exit(code or (1 if conflicts else 0))


@main.command()
@click.argument("manuscript", required=False)
@click.option("--since", metavar="NAME", help="The recorded edition to compare with (default: the last one made).")
@click.option("-o", "--output-dir", default="build", show_default=True, type=click.Path(file_okay=False), help="The build folder whose cache (.cache) changes shares.")
@verbose_option
@drafts_option
def changes(manuscript, since, output_dir, verbose, drafts):
    """List what changed since an edition (build --edition NAME): posts edited, changed on the blog, added, removed, moved."""
    from blog2book import editions, pipeline

    path = find_manuscript(manuscript)
    console = Console(1 if verbose else 0)
    reporter = Reporter(sink=console.diagnostic)

    def action():
        record = editions.load(path, since)
        spec, book, _ = pipeline.prepare(path, reporter, pipeline.Phases(console.phase if verbose else None, None), Path(output_dir) / ".cache", drafts)
        if reporter.failed:
            return
        found = editions.changes(record, book, spec.root)
        for change in found:
            click.echo(change.line())
        console.phase(f"since the edition {record['edition']} ({record['made']}): {len(found)} change(s) in {len({c.file for c in found})} post(s)")

    sys.exit(run_action(console, verbose, reporter, action))
