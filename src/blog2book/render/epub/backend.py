"""Book -> EPUB 3 packaged with ebooklib.

One XHTML file per chapter (parts and front/back matter get their own), a nav document with the
table of contents (parts > chapters > posts), landmarks and, when the PDF was laid out in the same
run, a page list; an NCX for old readers; accessibility metadata; a cover (the manifest's image or
a typographic one drawn from the style). The archive is rewritten with fixed timestamps and a
fixed order, so two builds from the same sources are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from html import escape
from pathlib import Path

import ebooklib
from ebooklib import epub

from blog2book import index as index_mod
from blog2book import lang as lang_mod
from blog2book import guard
from blog2book.images import edition_suffix, examine as examine_image
from blog2book.diagnostics import Location, warning
from blog2book.model import Book, Chapter, Part
from blog2book.render import RenderContext, Rendered
from blog2book.render.shared.xhtml import FIXED_ZIP_TIME, IMAGE_TYPES, fix_markup, id_files, image_files, make_all, plan, stylesheet, xhtml_folder
from blog2book.render.epub import a11y
from blog2book.render.epub.pages import carried_paragraphs, insert_markers, markers, page_marks
from blog2book.render.shared.openers import one_line, title_page_html
from blog2book.render.shared.matter import copyright_lines

# Apple Books shows a book's own faces only when this file asks it to (META-INF may hold it, EPUB 3.3 §4.2.6)
APPLE_SPECIFIED_FONTS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options>\n  <platform name="*">\n'
    b'    <option name="specified-fonts">true</option>\n  </platform>\n</display_options>\n'
)


def _cover_png(book: Book) -> bytes:
    from blog2book.render.shared.cover import typographic_cover

    return typographic_cover(book)


# ---------------------------------------------------------------- the package

class EpubBackend:
    def __init__(self):
        self._made: dict[int, tuple] = {}  # id(source) -> (source, Written): files made by ``warm``

    def warm(self, book: Book, ctx: RenderContext) -> None:
        """Make the files before the print pages are known (the pipeline runs this beside the PDF's
        layout); ``render`` takes them, and makes again only the files whose source changed (the
        index, given its page numbers). They are also kept in the build cache."""
        plans = plan(book)
        self._made = {id(p.source): (p.source, w) for p, w in zip(plans, make_all(plans, book.meta.lang, xhtml_folder(ctx), ctx.jobs))}

    def render(self, book: Book, ctx: RenderContext) -> Rendered:
        if book.index is not None and ctx.page_map is not None:  # the index locators: print pages
            book = index_mod.with_pages(book, index_mod.page_of(ctx.page_map))
        m = book.meta
        plans = plan(book)
        steps = (lambda n, total: ctx.steps(n, total, "files")) if ctx.steps and len(plans) >= 20 else None
        made, self._made = self._made, {}
        ready = [made[id(p.source)][1] if id(p.source) in made and made[id(p.source)][0] is p.source else None for p in plans]
        fresh = iter(make_all([p for p, w in zip(plans, ready) if w is None], m.lang, xhtml_folder(ctx), ctx.jobs, step=steps))
        written: list = [w if w is not None else next(fresh) for w in ready]
        del made, ready
        marks: dict[str, list[int]] = {}
        if ctx.page_map is not None:  # a page is marked at the first anchor the EPUB holds
            known = {i for w in written for i in w.ids} | {"title-page", "copyright-page", "toc"} | ({"also-by"} if book.also_by is not None else set())
            marks = page_marks(ctx.page_map.anchors, known, carried_paragraphs(ctx.page_marks))
        id_file = id_files([p.name for p in plans], written)
        words = lang_mod.strings(m.lang)
        eb = epub.EpubBook()
        eb.set_identifier(m.identifier)
        eb.set_title(one_line(m.title))
        eb.set_language(m.lang)
        for i, author in enumerate(m.author):
            eb.add_author(author, uid=f"creator{i}")
        if m.subtitle:
            eb.add_metadata("DC", "title", m.subtitle, {"id": "subtitle"})
            eb.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
        if m.publisher:
            eb.add_metadata("DC", "publisher", m.publisher)
        if m.date:
            eb.add_metadata("DC", "date", m.date.isoformat())
        if m.description:
            eb.add_metadata("DC", "description", m.description)
        for subject in m.subjects:
            eb.add_metadata("DC", "subject", subject)
        if m.rights:
            eb.add_metadata("DC", "rights", m.rights)
        if m.isbn_print:
            eb.add_metadata("DC", "source", f"urn:isbn:{re.sub(r'[^0-9X]', '', m.isbn_print)}")
        sheet = stylesheet(book)
        css = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css", content=sheet)
        eb.add_item(css)

        # cover
        if m.cover is not None:
            if guard.outside(m.cover, (book.project_root, *book.allowed)):  # the manuscript refuses it first; never packed
                raise ValueError(f"the cover {m.cover} is outside the project")
            cover_bytes, cover_name = m.cover.read_bytes(), "images/cover" + edition_suffix(m.cover, examine_image(m.cover).kind)  # named as its real type
        else:
            cover_bytes, cover_name = _cover_png(book), "images/cover.png"
        eb.set_cover(cover_name, cover_bytes, create_page=False)
        cover_page = epub.EpubHtml(uid="cover-page", file_name="cover.xhtml", title=words["cover"], lang=m.lang)
        cover_page.content = (
            f'<section epub:type="cover" class="cover"><img src="{cover_name}" alt="{escape(words["cover"])} : {escape(one_line(m.title))}"/></section>'
        )
        cover_page.add_item(css)
        eb.add_item(cover_page)

        title_page = epub.EpubHtml(uid="title-page", file_name="titlepage.xhtml", title=words["title_page"], lang=m.lang)
        title_page.content = _title_page(book, marks)
        title_page.add_item(css)
        eb.add_item(title_page)
        copyright_page = epub.EpubHtml(uid="copyright-page", file_name="copyright.xhtml", title=words["copyright"], lang=m.lang)
        copyright_page.content = _copyright_page(book, marks)
        copyright_page.add_item(css)
        eb.add_item(copyright_page)

        images = image_files(written)  # SVGs cleaned: no script, no outside reference
        for name, content in images.items():
            eb.add_item(epub.EpubItem(uid=f"img-{Path(name).stem}", file_name=name, media_type=IMAGE_TYPES[Path(name).suffix], content=content))
        page_source = None
        if ctx.page_map is not None:  # the print edition as source of the page list
            page_source = f"urn:isbn:{re.sub(r'[^0-9X]', '', m.isbn_print)}" if m.isbn_print else f"{m.title} ({words['print_edition']})"
            if not m.isbn_print:
                eb.add_metadata("DC", "source", page_source)
        items: dict[str, epub.EpubHtml] = {}
        for n, (f, w) in enumerate(zip(plans, written)):
            body = fix_markup(insert_markers(w.fragment, w.ids[0] if w.ids else None, marks), id_file, f.name, words["notes"], words["back_to_text"])
            written[n] = None  # the fragment is in the item now
            role = f' role="{f.role}"' if f.role else ""
            item = epub.EpubHtml(uid=f.name[:-6], file_name=f.name, title=f.title, lang=m.lang)
            item.content = f'<section epub:type="{f.section_type}"{role} class="{f.kind}">{body}</section>'
            item.add_item(css)
            eb.add_item(item)
            items[f.name] = item
        files = plans
        # accessibility metadata: what the files hold (render/epub/a11y.py)
        contents = [i.content for i in (cover_page, title_page, copyright_page, *items.values())]
        a11y.declare(eb, a11y.features(contents, page_list=bool(marks), index=book.index is not None), m.lang, page_source)

        eb.toc = _toc(book)
        nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title=words["toc_title"])
        nav.add_item(css)
        eb.add_item(nav)
        eb.add_item(epub.EpubNcx())

        # in the print edition's order: the dedication, then the table of contents, then the rest of the front matter
        dedication = [items[f.name] for f in files if f.kind == "front" and f.section_type == "dedication"]
        front = [items[f.name] for f in files if f.kind == "front" and f.section_type != "dedication"]
        body = [items[f.name] for f in files if f.kind in ("part", "chapter")]
        back = [items[f.name] for f in files if f.kind == "back"]
        eb.spine = [cover_page, title_page, copyright_page, *dedication, nav, *front, *body, *back]
        eb.guide = [
            {"type": "cover", "href": "cover.xhtml", "title": words["cover"]},
            {"type": "titlepage", "href": "titlepage.xhtml", "title": words["title_page"]},
            {"type": "toc", "href": "nav.xhtml", "title": words["toc_title"]},
        ]
        landmark = {f.section_type: f for f in files if f.section_type in ("preface", "glossary")}
        if "preface" in landmark:
            eb.guide.append({"type": "preface", "href": landmark["preface"].name, "title": landmark["preface"].title})
        eb.guide.append({"type": "bodymatter", "href": body[0].file_name if body else "nav.xhtml", "title": words["start"]})
        if "glossary" in landmark:
            eb.guide.append({"type": "glossary", "href": landmark["glossary"].name, "title": landmark["glossary"].title})
        diagnostics, embedded = _embed_faces(eb, css, book, ctx, sheet)
        options = {
            "epub3_landmark": True,
            "landmark_title": words["landmarks"],
            "epub3_pages": False,  # the page list is written below, in page order, from the markers
            "mtime": m.modified or dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
            "play_order": {"enabled": False},
            "raise_exceptions": True,
            "compresslevel": 0,  # deflated once, by normalise_zip
        }
        out = io.BytesIO()
        epub.write_epub(out, eb, options)
        pages = sorted(((p, anchor) for anchor, ps in marks.items() for p in ps))
        special = {"title-page": "titlepage.xhtml", "also-by": "titlepage.xhtml", "copyright-page": "copyright.xhtml", "toc": "nav.xhtml"}
        page_files = [(p, special.get(a) or id_file[a]) for p, a in pages]
        extra = {"META-INF/com.apple.ibooks.display-options.xml": APPLE_SPECIFIED_FONTS} if embedded else {}
        data = out.getvalue()
        del out, eb, items
        extra.update(_fix_nav(data, page_files, words["page_list"], marks.get("toc", [])))
        opf = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".opf"))
        extra[opf] = a11y.opf_lang(zipfile.ZipFile(io.BytesIO(data)).read(opf), m.lang)
        return Rendered(normalise_zip(data, extra), tuple(diagnostics))


def _embed_faces(eb: epub.EpubBook, css: epub.EpubItem, book: Book, ctx: RenderContext, stylesheet: str) -> tuple[list, bool]:
    """The style's faces, subset to the book's characters, and their @font-face rules first in the
    stylesheet (render/shared/fontsubset.py); the diagnostics, and whether any face is carried. The nav's
    words are in the TOC titles and the guide."""
    from blog2book.fonts import cache_dir as font_cache_dir
    from blog2book.render.shared.fontsubset import embed

    def titles(entries):
        for entry in entries:
            if isinstance(entry, tuple):
                yield from titles([entry[0], *entry[1]])
            else:
                yield escape(entry.title)

    texts = [item.content for item in eb.get_items_of_type(ebooklib.ITEM_DOCUMENT) if isinstance(item.content, str)]
    texts += [*titles(eb.toc), *(escape(g["title"]) for g in eb.guide)] + [escape(w) for w in lang_mod.strings(book.meta.lang).values() if isinstance(w, str)]
    fonts = embed(book.style, stylesheet, texts, font_cache_dir() / "epub-subsets", ctx.jobs)
    if fonts.files:
        css.content = fonts.css + "\n" + stylesheet
    for n, (name, media_type, data) in enumerate(fonts.files, start=1):
        eb.add_item(epub.EpubItem(uid=f"font-{n}", file_name=name, media_type=media_type, content=data))
    return [
        warning("epub.font-subset", f"the EPUB carries no {font}: it could not be subset ({problem})", Location(book.style / "print.css"), "reinstall the font package; the reader's own font is used for that face")
        for font, problem in fonts.failed
    ], bool(fonts.files)


def _toc(book: Book) -> list:
    def chapter_entry(ch: Chapter):
        posts = [epub.Link(f"{ch.id}.xhtml#{p.id}", p.title, f"toc-{p.id}") for p in ch.posts]
        if ch.titled_by_its_post:
            posts = []
        link = epub.Link(f"{ch.id}.xhtml", one_line(ch.title), f"toc-{ch.id}")
        return (link, posts) if posts else link

    toc: list = []
    for matter in book.front:
        if matter.kind != "dedication":  # a dedication is not a section one looks up
            toc.append(epub.Link(f"{matter.id}.xhtml", one_line(matter.title), f"toc-{matter.id}"))
    for div in book.divisions:
        if isinstance(div, Part):
            toc.append((epub.Link(f"{div.id}.xhtml", one_line(div.title), f"toc-{div.id}"), [chapter_entry(ch) for ch in div.chapters]))
        else:
            toc.append(chapter_entry(div))
    for matter in book.back:
        toc.append(epub.Link(f"{matter.id}.xhtml", one_line(matter.title), f"toc-{matter.id}"))
    return toc


def _title_page(book: Book, marks: dict[str, list[int]]) -> str:
    here = markers(marks.get("title-page", []))
    also_by = ""
    if book.also_by is not None:  # « De la même auteure », the print edition's page 2
        from blog2book.copyright import copyright_html

        before = markers(marks.get("also-by", []))
        also_by = f'<section class="also-by" id="also-by">{before}<h2>{escape(book.also_by.title)}</h2>{copyright_html(book.also_by)}</section>'
    return also_by + f'<section epub:type="titlepage" class="titlepage" id="title-page">{here}{title_page_html(book, display=False)}</section>'


def _copyright_page(book: Book, marks: dict[str, list[int]]) -> str:
    here = markers(marks.get("copyright-page", []))
    lines = "".join(f"<p>{line}</p>" for line in copyright_lines(book))
    if book.copyright is not None:  # the manuscript's copyright file or the default (copyright.py)
        from blog2book.copyright import copyright_html

        lines = copyright_html(book.copyright)
    return f'<section epub:type="copyright-page" class="copyright" id="copyright-page">{here}{lines}</section>'


def _fix_nav(data: bytes, pages: list[tuple[int, str]], title: str, toc_pages: list[int] = ()) -> dict[str, bytes]:
    """The nav document (its name in the archive -> its new bytes): landmarks hidden (they are for
    the reading system, not the reader), the markers of the print table of contents' pages, and the
    print page list, in page order, each page pointing into the file that holds its marker."""
    src = zipfile.ZipFile(io.BytesIO(data))
    name = next(n for n in src.namelist() if n.endswith("nav.xhtml"))
    nav = src.read(name).decode("utf-8")
    nav = nav.replace('<nav epub:type="landmarks">', '<nav epub:type="landmarks" hidden="hidden">', 1)
    if toc_pages:
        nav = nav.replace('<nav epub:type="toc"', markers(list(toc_pages)) + '<nav epub:type="toc"', 1)
    if pages:
        items = "".join(f'<li><a href="{f}#page-{p}">{p}</a></li>' for p, f in pages)
        page_list = f'<nav epub:type="page-list" id="pages" hidden="hidden"><h2>{escape(title)}</h2><ol>{items}</ol></nav>'
        nav = nav.replace("</body>", page_list + "</body>", 1)
    return {name: nav.encode("utf-8")}


def normalise_zip(data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """Same entries (``extra`` ones added, or replacing those of the same name), fixed timestamps and
    order, mimetype first and stored: reproducible bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    extra = extra or {}
    present = set(src.namelist())
    names = [*src.namelist(), *(n for n in extra if n not in present)]
    ordered = ["mimetype"] + sorted(n for n in names if n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, extra[name] if name in extra else src.read(name))
    return out.getvalue()
