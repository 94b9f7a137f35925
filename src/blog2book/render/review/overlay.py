"""The review proof's marks, as one HTML document that WeasyPrint lays out: what goes around the
book's pages (render/review/impose.py places the pages themselves).

One page of this document per sheet, every mark absolutely positioned from the page marks of the
book's layout (render/pdf/engine/marks.py): the stamp over the page (« ÉPREUVE », date, build id,
« page N de M »), a hairline at the trim, the paragraph numbers in the outer margin (« § 3 »,
counted per page among the paragraphs that start or continue on it, so « p. 42, § 3 » names one
paragraph of the book's p. 42; a continued one says so), a bar beside each changed paragraph, and
each post's source beside its title. Before the sheets, with ``--compare``, the summary leaves
(posts added and removed, changed paragraphs by page). Faces: the style's own ``fontpkg:`` faces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from blog2book import lang as lang_mod
from blog2book.model import Book, Post
from blog2book.render import RenderContext
from blog2book.render.review.impose import Sheet, Slot
from blog2book.render.pdf.engine.marks import PageMarks

RED = "#b3261e"
LABEL_GAP, LABEL_WIDTH, SOURCE_GAP = 9.0, 36.0, 48.0  # pt from the trim: the § column, the source column
SOURCE_SIZE, SOURCE_LEADING = 7.0, 1.3
LABEL_SIZE = 8.0
LABEL_LINE = LABEL_SIZE * 1.15


@dataclass(frozen=True)
class Stamp:
    proof: str  # « ÉPREUVE »
    date: str
    build: str  # « version 1a2b3c4d »
    total: int  # book pages


@dataclass(frozen=True)
class Summary:
    """The ``--compare`` leaves: what changed since the earlier build."""

    compared_with: str
    added: tuple[tuple[str, str], ...]  # (title, slug)
    removed: tuple[tuple[str, str], ...]
    changed: tuple[tuple[int, tuple[int, ...]], ...]  # (page, paragraph numbers on it)


def _pt(value: float) -> str:
    return f"{value:.2f}pt"


def _box(x: float, top: float, width: float | None = None, height: float | None = None) -> str:
    style = f"left:{_pt(x)};top:{_pt(top)};"
    if width is not None:
        style += f"width:{_pt(width)};"
    if height is not None:
        style += f"height:{_pt(height)};"
    return style


def sheet_html(sheet: Sheet, marks: tuple[PageMarks, ...], trim: tuple[float, float], stamp: Stamp,
               words, changed: frozenset[str], sources: dict[str, list[str]]) -> str:
    w, h = trim
    numbers = [s.number for s in sheet.slots]
    where = (words["proof_page"].format(n=numbers[0], total=stamp.total) if len(numbers) == 1
             else words["proof_pages"].format(n=numbers[0], k=numbers[-1], total=stamp.total))
    left = min(s.x for s in sheet.slots)
    span = max(s.x for s in sheet.slots) + w - left
    top = sheet.slots[0].top
    out = [f'<div class="sheet" style="width:{_pt(sheet.width)};height:{_pt(sheet.height - 2)}">',
           f'<div class="stamp" style="{_box(left, 14, span)}">'
           f'<p class="stamp-proof">{escape(stamp.proof)}</p>'
           f'<p class="stamp-line">{escape(stamp.date)} · {escape(stamp.build)} · {escape(where)}</p></div>']
    for slot in sheet.slots:
        out.append(f'<div class="trim" style="{_box(slot.x - 0.5, top - 0.5, w + 1, h + 1)}"></div>')
        out += _slot_marks(sheet, slot, marks[slot.page], w, words, changed, sources)
    out.append("</div>")
    return "".join(out)


def _slot_marks(sheet: Sheet, slot: Slot, page: PageMarks, w: float, words, changed, sources) -> list[str]:
    out: list[str] = []
    outer = slot.x + w if slot.recto else slot.x  # the trim edge beside the outer margin
    room = sheet.width - outer if slot.recto else slot.x

    def beside(gap: float, width: float) -> float:  # left edge of a column ``gap`` pt outside the trim
        return outer + gap if slot.recto else outer - gap - width

    side = "recto" if slot.recto else "verso"
    free = 0.0  # labels do not overlap: one that would is moved down below the last
    for k, para in enumerate(page.paragraphs, start=1):
        is_changed = para.anchor in changed
        label = f'<span class="pnum-number">§\u00a0{k}</span>'
        if para.continued:
            label += f' <span class="pnum-note">({escape(words["continued"])})</span>'
        lines = 1
        if is_changed:
            label += f'<br><span class="pnum-note pnum-changed">{escape(words["changed"])}</span>'
            lines = 2
        top = max(slot.top + para.top + 1.5, free)
        free = top + LABEL_LINE * lines + 1
        classes = f"pnum {side}" + (" changed" if is_changed else "")
        out.append(f'<p class="{classes}" style="{_box(beside(LABEL_GAP, LABEL_WIDTH), top, LABEL_WIDTH)}">{label}</p>')
        if is_changed:
            out.append(f'<div class="bar" style="{_box(beside(4, 2), slot.top + para.top, 2, max(para.bottom - para.top, 4))}"></div>')
    width = min(room - SOURCE_GAP - 8, 170.0)
    free = 0.0  # sources do not overlap: the next one goes below the last
    for post in page.posts:
        items = sources.get(post.slug)
        if not items or width < 40:
            continue
        height = _source_height(["x" * 8, *items], width)
        y = max(min(slot.top + post.top, sheet.height - height - 12), free)  # on the sheet, below the last
        out.append(f'<div class="source {side}" style="{_box(beside(SOURCE_GAP, width), y, width)}">'
                   f'<p class="source-label">{escape(words["source"])}</p>'
                   + "".join(f"<p>{_breakable(item, width)}</p>" for item in items) + "</div>")
        free = y + height + 6
    return out


def _breakable(item: str, width: float) -> str:
    """A source line as HTML; an address breaks after its slashes (and before ``?``, ``&``, ``#``),
    never at one of its hyphens (U+2060 WORD JOINER after each), which a reader would take for a
    hyphenation. A part too long for the column (``width`` pt) is cut between two letters, never
    beside a hyphen."""
    if "://" not in item:
        return escape(item)
    per_line = max(8, int(width / (SOURCE_SIZE * 0.55)))  # the widest letters' count, not the average
    scheme, _, rest = item.partition("://")
    out = escape(scheme) + "://<wbr>"
    run = 0  # letters since the last break opportunity
    for i, ch in enumerate(rest):
        if ch in "?&#":
            out += "<wbr>"
            run = 0
        elif run >= per_line - 1 and ch != "-" and rest[i - 1] != "-":
            out += "<wbr>"
            run = 0
        out += "-\u2060" if ch == "-" else escape(ch)
        run += 1
        if ch == "/":
            out += "<wbr>"
            run = 0
    return out


def _source_height(items: list[str], width: float) -> float:
    per_line = max(1, int(width / (SOURCE_SIZE * 0.5)))
    lines = sum(math.ceil(len(item) / per_line) or 1 for item in items)
    return lines * SOURCE_SIZE * SOURCE_LEADING


def source_items(post: Post, ctx: RenderContext, lang: str) -> list[str]:
    """Where a post comes from: URL (or its file), date, word count."""
    words = lang_mod.strings(lang)
    source = (ctx.sources or {}).get(post.slug)
    url = post.url or getattr(source, "url", None)
    date = post.date or getattr(source, "date", None)
    items: list[str] = []
    if url:
        items.append(url)
    path = getattr(source, "path", None) or post.source
    if path is not None:
        items.append(Path(path).name)
    if date is not None:
        items.append(lang_mod.format_date(date, lang))
    count = f"{post.word_count:,}".replace(",", "\u202f" if lang_mod.base_language(lang) == "fr" else ",")
    items.append(f"{count}\u00a0{words['words']}")
    return items


def summary_html(summary: Summary, words) -> str:
    out = ['<section class="summary">',
           f'<p class="summary-compare">{escape(words["proof_compared"])}{escape(words["colon"])} <code>{escape(summary.compared_with)}</code></p>']
    for key, items in (("added_posts", summary.added), ("removed_posts", summary.removed)):
        out.append(f'<h2>{escape(words[key])} ({len(items)})</h2>')
        if items:
            out.append("<ul>" + "".join(f'<li><span class="summary-title">{escape(t)}</span> <code>{escape(s)}</code></li>' for t, s in items) + "</ul>")
        else:
            out.append('<p class="summary-none">\u2014</p>')
    count = sum(len(ns) for _, ns in summary.changed)
    out.append(f'<h2>{escape(words["changed_paragraphs"])} ({count})</h2>')
    if summary.changed:
        out.append('<ul class="summary-changed">' + "".join(
            f"<li>p.\u00a0{page}{escape(words['colon'])} " + ", ".join(f"§\u00a0{n}" for n in ns) + "</li>"
            for page, ns in summary.changed) + "</ul>")
    else:
        out.append('<p class="summary-none">\u2014</p>')
    out.append("</section>")
    return "".join(out)


def overlay_document(book: Book, sheets: tuple[Sheet, ...], marks: tuple[PageMarks, ...], trim: tuple[float, float],
                     stamp: Stamp, changed: frozenset[str], sources: dict[str, list[str]], summary: Summary | None) -> str:
    from blog2book.render.pdf.html import css_string

    words = lang_mod.strings(book.meta.lang)
    faces, family = font_faces(book.style / "print.css")
    first = sheets[0] if sheets else Sheet(612.0, 792.0, ())
    head_line = css_string(f"{stamp.proof} · {stamp.date} · {stamp.build}")
    css = f"""{faces}
@page sheet {{ size: {_pt(first.width)} {_pt(first.height)}; margin: 0; }}
@page summary {{ size: {_pt(first.width)} {_pt(first.height)}; margin: 80pt 72pt 60pt;
  @top-center {{ content: {head_line}; font-family: {family}; font-size: 12pt; font-weight: 700;
    letter-spacing: 0.08em; color: {RED}; }} }}
html {{ font-family: {family}; color: #222; font-size: 9pt; line-height: 1.25; hyphens: manual; }}
body {{ margin: 0; }}
p {{ margin: 0; }}
code {{ font-family: {family}; font-size: 0.95em; }}
.summary {{ page: summary; }}
.summary h2 {{ font-size: 13pt; margin: 14pt 0 5pt; bookmark-level: none; }}
.summary ul {{ margin: 0; padding-left: 14pt; }}
.summary li {{ margin-bottom: 3pt; font-size: 10pt; }}
.summary-compare {{ font-size: 10pt; }}
.summary {{ break-after: page; }}
.sheet {{ page: sheet; position: relative; break-after: page; }}
.sheet:last-child {{ break-after: auto; }}
.stamp {{ position: absolute; text-align: center; color: {RED}; }}
.stamp-proof {{ font-size: 26pt; line-height: 1.1; font-weight: 700; letter-spacing: 0.18em; }}
.stamp-line {{ font-size: 10pt; margin-top: 3pt; letter-spacing: 0.02em; }}
.trim {{ position: absolute; border: 0.5pt solid #9a9a9a; box-sizing: border-box; }}
.pnum {{ position: absolute; font-size: {LABEL_SIZE}pt; line-height: 1.15; color: #444; white-space: nowrap; }}
.pnum.recto {{ text-align: left; }}
.pnum.verso {{ text-align: right; }}
.pnum.changed {{ color: {RED}; font-weight: 700; }}
.pnum-note {{ font-size: 6.5pt; line-height: 1; font-style: italic; font-weight: 400; }}
.bar {{ position: absolute; background: {RED}; }}
.source {{ position: absolute; font-size: {SOURCE_SIZE}pt; line-height: {SOURCE_LEADING}; color: #333; }}
.source.verso {{ text-align: right; }}
.source-label {{ font-weight: 700; color: {RED}; letter-spacing: 0.05em; }}
"""
    body = []
    if summary is not None:
        body.append(summary_html(summary, words))
    body += [sheet_html(s, marks, trim, stamp, words, changed, sources) for s in sheets]
    return (f'<!DOCTYPE html>\n<html lang="{escape(book.meta.lang)}"><head><meta charset="utf-8">'
            f"<title>{escape(book.meta.title)} \u2014 {escape(stamp.proof)}</title><style>{css}</style></head>"
            f"<body>{''.join(body)}</body></html>")


# ---------------------------------------------------------------- the style's faces


def font_faces(css_file: Path) -> tuple[str, str]:
    """The ``@font-face`` rules of a style (its print.css and what it imports, within the style's
    folder and its parent) of the family the marks are set in, and that family: one with a regular
    and a bold face if there is one (the book's own text face)."""
    import tinycss2

    rules: list[tuple[str, str]] = []  # (family, rule)
    faces: list[tuple[str, str, str]] = []  # (family, style, weight)
    roots = (css_file.parent.resolve(), css_file.parent.parent.resolve())
    seen: set[Path] = set()

    def read(path: Path) -> None:
        path = path.resolve()
        if path in seen or not path.is_file() or not any(path.is_relative_to(r) for r in roots):
            return
        seen.add(path)
        for rule in tinycss2.parse_stylesheet(path.read_text("utf-8"), skip_comments=True, skip_whitespace=True):
            if rule.type != "at-rule":
                continue
            if rule.lower_at_keyword == "import":
                target = next((t.value for t in rule.prelude if t.type in ("url", "string")), None)
                if target is None:
                    target = next((a.value for t in rule.prelude if t.type == "function" and t.lower_name == "url"
                                   for a in t.arguments if a.type == "string"), None)
                if target and ":" not in target:
                    read(Path(urljoin(path.as_uri(), target).removeprefix("file://")))
            elif rule.lower_at_keyword == "font-face" and rule.content is not None:
                descriptors = {d.lower_name: tinycss2.serialize(d.value).strip().strip("\"'")
                               for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
                               if d.type == "declaration"}
                if "fontpkg:" not in descriptors.get("src", ""):
                    continue  # only the packaged faces: never the machine's fonts
                rules.append((descriptors.get("font-family", ""), rule.serialize()))
                faces.append((descriptors.get("font-family", ""), descriptors.get("font-style", "normal"), descriptors.get("font-weight", "400")))

    read(css_file)
    families = list(dict.fromkeys(f for f, _, _ in faces if f))
    regular = [f for f in families if (f, "normal", "400") in faces]
    bold = [f for f in regular if any(x[0] == f and x[1] == "normal" and x[2] in ("600", "700", "bold") for x in faces)]
    chosen = (bold or regular or families or ["serif"])[0]
    quoted = '"' + chosen.replace('"', "") + '"'
    return "\n".join(rule for family, rule in rules if family == chosen), f"{quoted}, serif"
