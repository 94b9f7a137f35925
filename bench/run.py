"""Benchmark blog2book against the raw engines on the same content, in the same run.

    .venv/bin/python bench/run.py [--copies N]

Makes a book of the sample posts repeated N times (default 5: 50 posts), then times:
  1. raw pandoc: all post bodies concatenated, Markdown -> HTML5, one call;
  2. raw WeasyPrint: that HTML with the book's print stylesheet -> PDF;
  3. blog2book build -f pdf (cold transform cache, warm font cache), and -f epub.
Prints the times and the ratios blog2book / raw engines. No timing assertion anywhere.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_book(root: Path, copies: int) -> Path:
    posts = root / "posts"
    posts.mkdir(parents=True)
    slugs = []
    for n in range(copies):
        for src in sorted((REPO / "posts").glob("*.md")):
            lines = [l for l in src.read_text("utf-8").splitlines() if not l.startswith("url:")]  # URLs must stay unique
            slug = f"{src.stem}-{n}"
            (posts / f"{slug}.md").write_text("\n".join(lines) + "\n", "utf-8")
            slugs.append(slug)
    chapters = "\n".join(f"  - title: Chapitre {i + 1}\n    posts: [{', '.join(slugs[i * 5:(i + 1) * 5])}]" for i in range(len(slugs) // 5))
    manuscript = root / "manuscripts" / "bench.yml"
    manuscript.parent.mkdir()
    manuscript.write_text(f"title: Banc d’essai\nauthor: blog2book\nlang: fr-CA\nchapters:\n{chapters}\n", "utf-8")
    return manuscript


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<45} {elapsed:7.2f} s", flush=True)
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()
    import frontmatter
    import weasyprint

    from blog2book import pandoc

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        manuscript = make_book(root, args.copies)
        bodies = [frontmatter.load(p).content for p in sorted((root / "posts").glob("*.md"))]
        print(f"{len(bodies)} posts, {sum(len(b.split()) for b in bodies)} words")
        t_pandoc, html = timed("raw pandoc (md -> html, 1 call)", lambda: pandoc.run(["-f", "markdown", "-t", "html5"], "\n\n".join(bodies)))
        css = (REPO / "styles" / "medias-sociaux-101").as_uri() + "/print.css"
        from blog2book.render.fetch import SafeFetcher

        doc = f'<html lang="fr-CA"><head><link rel="stylesheet" href="{css}"></head><body>{html}</body></html>'
        fetcher = SafeFetcher([REPO / "styles"])
        t_weasy, pdf = timed("raw WeasyPrint (same html, book css)", lambda: weasyprint.HTML(string=doc, url_fetcher=fetcher, base_url=str(REPO)).write_pdf())
        from blog2book import pipeline
        from blog2book.diagnostics import Reporter
        from blog2book.render import RenderContext
        from blog2book.render.printhtml import print_html

        _, book, _ = pipeline.prepare(manuscript, Reporter(), pipeline.Phases(None))
        same = print_html(book, RenderContext(), [(book.style / "print.css").as_uri()])
        t_same, pdf_same = timed("raw WeasyPrint on blog2book's own html", lambda: weasyprint.HTML(string=same, url_fetcher=fetcher, base_url=str(REPO)).write_pdf())
        exe = [sys.executable, "-m", "blog2book", "build", str(manuscript), "-q"]
        t_pdf, _ = timed("blog2book build -f pdf (cold cache)", lambda: subprocess.run(exe + ["-f", "pdf", "-o", str(root / "out")], check=True))
        t_pdf2, _ = timed("blog2book build -f pdf (warm cache)", lambda: subprocess.run(exe + ["-f", "pdf", "-o", str(root / "out")], check=True))
        t_epub, _ = timed("blog2book build -f epub", lambda: subprocess.run(exe + ["-f", "epub", "-o", str(root / "out")], check=True))
        from pypdf import PdfReader

        pages = len(PdfReader(str(root / "out" / "bench.pdf")).pages)
        raw_pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"pages: blog2book {pages}, raw {raw_pages}")
        print(f"ratio pdf build / (raw pandoc + raw WeasyPrint): cold {t_pdf / (t_pandoc + t_weasy):.2f}, warm {t_pdf2 / (t_pandoc + t_weasy):.2f}")
        print(f"ratio pdf build (warm) / raw WeasyPrint on the identical html: {t_pdf2 / t_same:.2f}")
        print(f"ratio per page: blog2book {t_pdf2 / pages * 1000:.0f} ms/page, raw WeasyPrint {t_weasy / raw_pages * 1000:.0f} ms/page")


if __name__ == "__main__":
    main()
