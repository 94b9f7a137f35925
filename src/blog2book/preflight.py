"""``blog2book check --preflight``: the book's files read back as a printer, a store and an
accessibility checker would (the checks are ``blog2book.checks``'s, which import no back end); when
the printer's PDF is not in the build folder, a build writes the editions first."""

from __future__ import annotations

from pathlib import Path

from blog2book.diagnostics import Level, Reporter


def run(path: Path, outdir: Path, reporter: Reporter, phase, drafts: bool) -> None:
    """``check --preflight``: the checks of blog2book.checks on the book's files in ``outdir``; when
    the printer's PDF is not there, a build writes the editions first (and says so)."""
    from blog2book import checks, pipeline
    from blog2book.checks.book import images_by_size
    from blog2book.manifest import load_manifest
    from blog2book.render.print.press import make_profile

    spec = load_manifest(path)
    press = pipeline.print_settings(spec, None, True)
    files = checks.find_files(outdir, spec.name, press.profile)
    if files.press is None:
        formats = ["pdf", "epub"] + (["cover"] if press.ppi or press.profile == "kdp" else [])
        phase(f"no {spec.name}-{press.profile}.pdf in {outdir}: building {', '.join(formats)} with --print {press.profile} first")
        pipeline.build(path, formats, outdir, reporter, phase, drafts=drafts, print_profile=press.profile)
        if reporter.count(Level.ERROR):
            return
        files = checks.find_files(outdir, spec.name, press.profile)
    book = pipeline.check(path, Reporter(), None, outdir, drafts)  # the posts' images, to name them
    expect = checks.Expect(bleed=make_profile(press.profile).bleed, bookmarks=bool(press.bookmarks), images=images_by_size(book) if book is not None else {})
    phase("preflight: " + ", ".join(p.name for p in [*files.pdfs(), *([files.epub] if files.epub else [])]))
    for d in checks.check_files(files, expect):
        reporter.add(d)
