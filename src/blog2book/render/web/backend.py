"""Book -> a static web edition: a folder ``<name>-html/`` of HTML5 pages.

One page per file of the EPUB (front matter, parts, chapters, back matter), made by the per-file
layer the EPUB uses (``render/shared/xhtml.py``: each file made whole, one at a time, by workers;
``fix_markup``: notes at the foot of each page, links to ids in other files), plus ``index.html``
with the title page and the table of contents. The style's faces are those of the EPUB: the faces
its stylesheets name, subset to the characters of the pages (``shared/fontsubset.py``), with the
style's ``:root`` settings (faces, colours) and ``epub.css``. No JavaScript; relative links only, so the folder works from the file
system and from any static host.

``render`` returns the folder as a zip (the Backend protocol); the pipeline puts it in place as a
folder, atomically (``infra/atomic.py``'s ``write_folder``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from html import escape

from blog2book import lang as lang_mod
from blog2book.model import Book
from blog2book.render import RenderContext, Rendered
from blog2book.render.shared.matter import copyright_lines, toc_html
from blog2book.render.shared.openers import title_page_html
from blog2book.fonts import cache_dir as font_cache_dir
from blog2book.render.shared.fontsubset import embed
from blog2book.render.shared.webfonts import web_fonts_css
from blog2book.render.shared.xhtml import FIXED_ZIP_TIME, fix_markup, id_files, image_files, make_all, plan, stylesheet, xhtml_folder

_WEB_CSS = """
/* web edition (render/web/backend.py): a readable column, the style's faces and colours */
html { font-family: var(--text-font), serif; font-size: 112.5%; }
body { max-width: 36em; margin: 0 auto; padding: 0 1.2em 3em; line-height: 1.5; }
h1, h2, h3, h4, h5 { font-family: var(--heading-font), var(--text-font), serif; font-weight: var(--heading-weight, 600); }
h1.part-title, h1.chapter-title, h2.chapter-title { color: var(--opener-color, inherit); }
.part-label, .chapter-label { color: var(--accent, inherit); }
header.site, nav.pager { font-size: 0.85em; display: flex; justify-content: space-between; gap: 1em; padding: 0.8em 0; }
header.site { border-bottom: 1px solid #8884; }
nav.pager { border-top: 1px solid #8884; margin-top: 3em; }
nav.pager a, header.site a { text-decoration: none; }
nav.toc ol { list-style: none; padding-left: 1.2em; }
nav.toc > ol { padding-left: 0; }
.toc-part > a, .toc-chapter > a { font-weight: 600; }
img { max-width: 100%; height: auto; }
header.site { flex-wrap: nowrap; align-items: baseline; }
header.site a:first-child { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
header.site a:last-child { flex: none; white-space: nowrap; }
/* a phone's column is too narrow to justify without rivers: ragged right, hyphenated */
@media (max-width: 600px) {
  body { padding: 0 0.9em 2em; }
  p, li, dd { text-align: left; hyphens: auto; }
}
"""


def _page(book: Book, title: str, body: str, prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    m = book.meta
    words = lang_mod.strings(m.lang)
    head_title = m.title if title == m.title else f"{title} — {m.title}"
    pager = ""
    if prev or nxt:
        left = f'<a rel="prev" href="{prev[0]}">← {escape(prev[1])}</a>' if prev else "<span></span>"
        right = f'<a rel="next" href="{nxt[0]}">{escape(nxt[1])} →</a>' if nxt else "<span></span>"
        pager = f'<nav class="pager" aria-label="{escape(words["pages_nav"])}">{left}{right}</nav>'
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(m.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(head_title)}</title>\n"
        f'<meta name="author" content="{escape(", ".join(m.author))}">\n<meta name="generator" content="blog2book">\n'
        f'<link rel="stylesheet" href="book.css">\n</head>\n<body>\n'
        f'<header class="site"><a href="index.html">{escape(m.title)}</a><a href="index.html#toc">{escape(words["toc_title"])}</a></header>\n'
        f"<main>\n{body}\n</main>\n{pager}\n</body>\n</html>\n"
    )


def _html_markup(fragment: str) -> str:
    """EPUB markup -> HTML5: ``epub:type`` is not an HTML attribute (roles say the same)."""
    return re.sub(r'\sepub:type="[^"]*"', "", fragment)


class HtmlBackend:
    def files(self, book: Book, ctx: RenderContext) -> dict[str, bytes]:
        """Every file of the web edition, by its path inside the folder."""
        if book.index is not None and ctx.page_map is not None:
            from blog2book import index as index_mod

            book = index_mod.with_pages(book, index_mod.page_of(ctx.page_map))
        plans = plan(book)
        order = [replace(p, name=p.name[: -len(".xhtml")] + ".html") for p in plans]
        written = make_all(plans, book.meta.lang, xhtml_folder(ctx), ctx.jobs)
        id_file = id_files([f.name for f in order], written)
        out: dict[str, bytes] = {}
        for i, (f, w) in enumerate(zip(order, written)):
            body = _html_markup(fix_markup(w.fragment, id_file, f.name))
            role = f' role="{f.role}"' if f.role else ""
            prev = (order[i - 1].name, order[i - 1].title) if i else ("index.html", book.meta.title)
            nxt = (order[i + 1].name, order[i + 1].title) if i + 1 < len(order) else None
            classes = " ".join(dict.fromkeys([f.kind, f.section_type]))
            section = f'<section class="{classes}"{role}>{body}</section>'
            out[f.name] = _page(book, f.title, section, prev, nxt).encode("utf-8")
        title = f'<section class="titlepage">{title_page_html(book)}</section>'
        copyright_page = '<section class="copyright">' + "".join(f"<p>{line}</p>" for line in copyright_lines(book)) + "</section>"
        if book.copyright is not None:  # the manuscript's copyright file or the default (copyright.py)
            from blog2book.copyright import copyright_html

            copyright_page = f'<section class="copyright">{copyright_html(book.copyright)}</section>'
        toc = _html_markup(fix_markup(toc_html(book), id_file, "index.html"))
        first = (order[0].name, order[0].title) if order else None
        out["index.html"] = _page(book, book.meta.title, title + toc + copyright_page, None, first).encode("utf-8")
        fonts_css = web_fonts_css(book.style)[0] if book.style else ""
        settings = "\n".join(re.findall(r"^:root\s*\{[^}]*\}", fonts_css, flags=re.M))
        css = "\n".join([settings, stylesheet(book), _WEB_CSS])
        pages = [data.decode("utf-8") for data in out.values()]
        fonts = embed(book.style, css, pages, font_cache_dir() / "epub-subsets", ctx.jobs, prefix="")
        out["book.css"] = "\n".join([fonts.css, css]).encode("utf-8")
        for name, _, data in fonts.files:  # a face fontTools cannot cut is left to the browser's fonts
            out[name] = data
        out.update(image_files(written))  # as in the EPUB: SVGs cleaned, no script, no outside reference
        return out

    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        """The folder as a zip with fixed timestamps (same sources, same bytes)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, data in sorted(self.files(book, ctx).items()):
                info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)
        return Rendered(buf.getvalue())
