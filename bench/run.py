"""Benchmark blog2book against the raw engines on the same content, in the same run.

    .venv/bin/python bench/run.py [--sizes 10,300] [--jobs N] [--reference] [--out bench/RESULTS.md]

For each size, a synthetic corpus (bench/corpus.py: deterministic) is written to a temporary folder,
then, each command in its own process tree, timed (wall clock) and watched for memory (peak RSS of
the whole process tree, sampled, and of its largest process):

  raw engines   pandoc Markdown -> HTML5 (all posts in one call), WeasyPrint on that HTML with the
                book's print stylesheet, pandoc Markdown -> EPUB 3 (one call);
  blog2book     md+pdf+epub cold (empty cache), rebuilt with no change, rebuilt after editing one
                post; each format alone, cold; `check` with a warm cache.

With --reference, the pieced PDF is compared with the single-flow layout of the same book (the whole
book as one WeasyPrint document): same page count, same text on every page, same « voir p. N » and
table-of-contents numbers. Results go to bench/RESULTS.md (a table per size, then the ratios).
No timing assertion anywhere: this measures, the tests check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpus import write_corpus  # noqa: E402


# ---------------------------------------------------------------- measuring a process tree


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of the command and every process it waited for
    tree_peak: int  # bytes: the process tree's RSS at its largest (sampled every 50 ms)
    proc_peak: int  # bytes: the largest RSS of any one process of the tree (sampled likewise)
    ok: bool
    output: str = ""


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0, 0]  # the tree's total, the largest single process
    done = threading.Event()

    def sample():
        while not done.is_set():
            todo, total, seen = [proc.pid], 0, set()
            while todo:
                pid = todo.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                rss = _rss(pid)
                total += rss
                peak[1] = max(peak[1], rss)
                todo += _children(pid)
            peak[0] = max(peak[0], total)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(wall, usage.ru_utime + usage.ru_stime - cpu0, peak[0], peak[1], proc.returncode == 0, output)


# ---------------------------------------------------------------- the raw engines

RAW_WEASYPRINT = """
import sys, weasyprint, logging
logging.getLogger('weasyprint').setLevel(logging.ERROR)
from blog2book.render.pdf.engine.fetch import SafeFetcher
from pathlib import Path
html, css, out, root = sys.argv[1:5]
body = Path(html).read_text('utf-8')
doc = f'<html lang="fr-CA"><head><meta charset="utf-8"><link rel="stylesheet" href="{css}"></head><body>{body}</body></html>'
pdf = weasyprint.HTML(string=doc, url_fetcher=SafeFetcher([Path(root)]), base_url=root).write_pdf()
Path(out).write_bytes(pdf)
"""


def raw_markdown(project: Path) -> str:
    import frontmatter

    return "\n\n".join(frontmatter.load(p).content for p in sorted((project / "posts").glob("*.md")))


# ---------------------------------------------------------------- one size


def bench_size(n: int, jobs: int | None, reference: bool, work: Path, archive: bool = False, archive_formats=("pdf", "epub", "md"), raw_pdf: bool = True) -> tuple[list[tuple[str, Run, str]], dict]:
    from blog2book import pandoc

    project = work / f"corpus-{n}"
    manuscript = write_corpus(project, n)
    md = raw_markdown(project)
    (work / f"raw-{n}.md").write_text(md, "utf-8")
    exe = [sys.executable, "-m", "blog2book"]
    py = sys.executable
    rows: list[tuple[str, Run, str]] = []
    facts: dict = {"posts": n, "words": len(md.split())}

    def add(label, run, note=""):
        rows.append((label, run, note))
        status = "" if run.ok else "  FAILED:\n" + run.output[-2000:]
        print(f"  {label:<44} {run.wall:8.2f} s  {run.cpu:8.2f} s cpu  {run.tree_peak / 2**20:7.0f} MB{status}", flush=True)
        return run

    print(f"{n} posts, {facts['words']} words", flush=True)
    pd = pandoc.pandoc_path()
    html = work / f"raw-{n}.html"
    r = add("raw pandoc: md -> html", measure([pd, "-f", "markdown", "-t", "html5", "-o", str(html), str(work / f"raw-{n}.md")]))
    style = REPO / "styles" / "medias-sociaux-101"
    if raw_pdf:
        add("raw WeasyPrint: that html -> pdf", measure([py, "-c", RAW_WEASYPRINT, str(html), (style / "print.css").as_uri(), str(work / f"raw-{n}.pdf"), str(REPO / "styles")]))
        facts["raw_pages"] = _pages(work / f"raw-{n}.pdf")
    add("raw pandoc: md -> epub", measure([pd, "-f", "markdown", "-t", "epub3", "--metadata", "title=Banc", "--metadata", "lang=fr-CA", "-o", str(work / f"raw-{n}.epub"), str(work / f"raw-{n}.md")]))

    out = work / f"out-{n}"
    j = ["-j", str(jobs)] if jobs else []
    build = exe + ["build", str(manuscript), "-o", str(out), "-q", *j]
    if archive:  # the whole archive: each format alone and cold (an output folder of its own: no cache
        # left by another format), rebuilt with no change; check
        for fmt in archive_formats:
            alone = exe + ["build", str(manuscript), "-o", str(work / f"out-{n}-{fmt}"), "-q", *j, "-f", fmt]
            add(f"blog2book -f {fmt}, cold", measure(alone))
            add(f"blog2book -f {fmt}, no change", measure(alone))
        pdf = work / f"out-{n}-pdf" / "bench.pdf"
        facts["pages"] = _pages(pdf)
        facts["pdf_bytes"] = pdf.stat().st_size if pdf.exists() else 0
        add("blog2book check (warm cache)", measure(exe + ["check", str(manuscript), "-q", "-o", str(work / f"out-{n}-{archive_formats[0]}")]))
        return rows, facts
    add("blog2book md+pdf+epub, cold", measure(build + ["-f", "md", "-f", "pdf", "-f", "epub"]))
    facts["pages"] = _pages(out / "bench.pdf")
    facts["pdf_bytes"] = (out / "bench.pdf").stat().st_size if (out / "bench.pdf").exists() else 0
    add("blog2book md+pdf+epub, no change", measure(build + ["-f", "md", "-f", "pdf", "-f", "epub"]))
    post = project / "posts" / "billet-0003.md"
    text = post.read_text("utf-8")
    body = text.index("\n---\n") + 5
    at = text.index(" le ", body)
    post.write_text(text[:at] + " la " + text[at + 4:], "utf-8")  # a correction: one word for another of the same length
    add("blog2book md+pdf+epub, one word corrected", measure(build + ["-f", "md", "-f", "pdf", "-f", "epub"]))
    post.write_text(post.read_text("utf-8").replace("\n\n", "\n\nUn paragraphe ajouté au billet pour le banc d’essai, assez long pour déplacer la suite du texte d’une ligne ou deux, et parfois d’une page.\n\n", 1), "utf-8")
    add("blog2book md+pdf+epub, one paragraph added", measure(build + ["-f", "md", "-f", "pdf", "-f", "epub"]))
    add("blog2book check (warm cache)", measure(exe + ["check", str(manuscript), "-q", "-o", str(out)]))
    for fmt in ("md", "epub", "pdf"):
        cold = work / f"cold-{n}-{fmt}"
        add(f"blog2book -f {fmt}, cold", measure(exe + ["build", str(manuscript), "-o", str(cold), "-q", "-f", fmt, *j]))
        shutil.rmtree(cold, ignore_errors=True)
    if reference:
        facts["reference"] = compare_with_single_flow(manuscript, out / "bench.pdf")
        print("  reference:", facts["reference"], flush=True)
    return rows, facts


def _pages(path: Path) -> int:
    try:
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    except Exception:
        return 0


def compare_with_single_flow(manuscript: Path, pdf: Path) -> str:
    """The pieced PDF against the whole book laid out as one document."""
    import io

    from pypdf import PdfReader

    from blog2book import pipeline
    from blog2book.diagnostics import Reporter
    from blog2book.render import RenderContext
    from blog2book.render.pdf.backend import single_flow

    spec, book, _ = pipeline.prepare(manuscript, Reporter(), pipeline.Phases(None))
    reference, page_map = single_flow(book, RenderContext(links=spec.links))
    if book.index is not None:  # the index's page numbers from that layout, then laid out again
        from blog2book.index import page_of, with_pages

        reference, _ = single_flow(with_pages(book, page_of(page_map)), RenderContext(links=spec.links))
    # a hyphen and U+2010, a space and U+00A0, share a glyph: which one extraction gives depends on
    # the first use in a document (or in the merged fonts)
    read = lambda page: page.extract_text().replace("\u2010", "-").replace("\u00a0", " ")  # noqa: E731
    ref = [read(p) for p in PdfReader(io.BytesIO(reference)).pages]
    ours = [read(p) for p in PdfReader(pdf).pages]
    same_pages = sum(a == b for a, b in zip(ours, ref))
    voir = lambda pages: re.findall(r"voir\s+p\.\s+(\d+)", "\n".join(pages))  # noqa: E731
    toc = lambda pages: re.findall(r"\.\s*(\d+)\s*$", "\n".join(pages[:12]), re.M)  # noqa: E731
    return (
        f"pages {len(ours)} (single flow {len(ref)}); identical text on {same_pages} of {len(ref)} pages; "
        f"« voir p. » numbers {'identical' if voir(ours) == voir(ref) else 'DIFFERENT'} ({len(voir(ours))}); "
        f"contents numbers {'identical' if toc(ours) == toc(ref) else 'DIFFERENT'}"
    )


# ---------------------------------------------------------------- report


def ratio(a: Run | None, b: float, cpu: float = 0.0) -> str:
    if not (a and b):
        return "–"
    return f"{a.wall / b:.2f}× wall" + (f", {a.cpu / cpu:.2f}× CPU" if cpu else "")


def report(results: list[tuple[list, dict]], jobs: int | None) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"`bench/run.py`, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, jobs: {jobs or 'default (all cores)'}. Load average at the end: "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine inflates seconds, not ratios "
        "measured in the same run). Memory: peak RSS of the command's whole process tree (sampled) and of its "
        "largest process.",
        "",
    ]
    for rows, facts in results:
        by = {label: run for label, run, _ in rows}
        lines += [
            f"## {facts['posts']} posts ({facts['words']:,} words; blog2book {facts.get('pages', 0)} pages, "
            f"raw WeasyPrint {facts.get('raw_pages', 0)} pages; PDF {facts.get('pdf_bytes', 0) / 2**20:.1f} MB)",
            "",
            "| command | wall (s) | CPU (s) | tree peak (MB) | largest process (MB) |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, run, _ in rows:
            lines.append(f"| {label}{'' if run.ok else ' **FAILED**'} | {run.wall:.2f} | {run.cpu:.2f} | {run.tree_peak / 2**20:.0f} | {run.proc_peak / 2**20:.0f} |")
        raws = [by[k] for k in ("raw pandoc: md -> html", "raw WeasyPrint: that html -> pdf", "raw pandoc: md -> epub") if k in by]
        raw, raw_cpu = sum(r.wall for r in raws), sum(r.cpu for r in raws)
        cold = by.get("blog2book md+pdf+epub, cold")
        if cold is None and "blog2book -f pdf, cold" in by:  # the archive plan: the formats one by one
            parts = [by[f"blog2book -f {f}, cold"] for f in ("pdf", "epub", "md") if f"blog2book -f {f}, cold" in by]
            cold = Run(sum(r.wall for r in parts), sum(r.cpu for r in parts), max(r.tree_peak for r in parts), max(r.proc_peak for r in parts), True)
            again = [by[f"blog2book -f {f}, no change"] for f in ("pdf", "epub", "md") if f"blog2book -f {f}, no change" in by]
            by["blog2book md+pdf+epub, no change"] = Run(sum(r.wall for r in again), sum(r.cpu for r in again), 0, 0, True) if again else None
        weasy, epub = by.get("raw WeasyPrint: that html -> pdf"), by.get("raw pandoc: md -> epub")
        check = by.get("blog2book check (warm cache)")
        lines += [
            "",
            f"- cold md+pdf+epub / (raw pandoc html + raw WeasyPrint + raw pandoc epub): {ratio(cold, raw, raw_cpu)}",
            f"- no-change rebuild / cold: {ratio(by.get('blog2book md+pdf+epub, no change'), cold.wall if cold else 0, cold.cpu if cold else 0)}",
            f"- one word corrected in one post / cold: {ratio(by.get('blog2book md+pdf+epub, one word corrected'), cold.wall if cold else 0, cold.cpu if cold else 0)}",
            f"- one paragraph added to one post / cold: {ratio(by.get('blog2book md+pdf+epub, one paragraph added'), cold.wall if cold else 0, cold.cpu if cold else 0)}",
            f"- PDF alone / raw WeasyPrint: {ratio(by.get('blog2book -f pdf, cold'), weasy.wall if weasy else 0, weasy.cpu if weasy else 0)}",
            f"- EPUB alone / raw pandoc EPUB: {ratio(by.get('blog2book -f epub, cold'), epub.wall if epub else 0, epub.cpu if epub else 0)}",
            f"- `check` (warm cache): {check.wall:.2f} s wall, {check.cpu:.2f} s CPU" if check else "",
        ]
        if "reference" in facts:
            lines.append(f"- pieced PDF against the single-flow layout: {facts['reference']}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,300")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--reference", action="store_true", help="compare the pieced PDF with the single-flow layout")
    parser.add_argument("--archive", action="store_true", help="each format alone, a rebuild and check only (for 2829 posts)")
    parser.add_argument("--formats", default="pdf,epub,md", help="with --archive: the formats to build")
    parser.add_argument("--no-raw-pdf", action="store_true", help="skip raw WeasyPrint (it takes 10 minutes at 2829 posts)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="b2b-bench-") as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            results.append(bench_size(n, args.jobs, args.reference, Path(tmp), args.archive, tuple(args.formats.split(",")), not args.no_raw_pdf))
            args.out.write_text(report(results, args.jobs) + "\n", "utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
