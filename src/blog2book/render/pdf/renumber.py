"""Page numbers written into a laid-out piece, without laying it out again.

A piece's layout depends on the page numbers it prints only through their widths: references and
contents numbers are set in tabular figures (``corrections.shape``), and folios sit in the margins,
outside the text's flow. So when a pass only changes the values of those numbers — every number
keeps its count of digits — the layout the piece would get is the one it has, and the digits can be
changed in its PDF instead (``renumber``), which costs a few milliseconds against a second or more
for a WeasyPrint layout.

What that needs is recorded when the piece is laid out (``number_slots``): where each number the
layout printed is drawn (page, and the origin of its line of text, as WeasyPrint sets it with
``Tm``), and what it prints (the page of a link's target, or the folio). A PDF only holds the glyphs
a document used: a **calibration page** is written after the piece's own pages, with « 0123456789 »
in every face and setting a number was printed in (``calibration_html``), so every digit is there
for later, with its width and its Unicode value. The merge leaves that page out.

A number is changed only when everything checks: its line is found at its place, its digits are
glyphs of the calibration in the same font, and the new digits have the widths of the old ones
(tabular figures). Anything else — a face without tabular figures, a number whose count of digits
changed, a style that prints a number this module does not know — makes ``renumber`` return None
and the piece is laid out again, as it always was.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, replace
from html import unescape

from blog2book.render.pdf.engine.pages import Slot

_DIGITS = re.compile(r"\d+")
_LINK_PAGE = re.compile(r'href="b2b:([^"]+)" data-page="(\d+)"')
_FIRST_FOLIO = re.compile(r"@page :first \{ counter-reset: page (\d+); \}")
_OPS = re.compile(
    rb"(?P<tm>(?:-?[\d.]+ ){6})Tm"
    rb"|/(?P<font>[^\s/\[\]<>()]+) -?[\d.]+ Tf"
    rb"|\[(?P<tj>[^\]]*)\] ?TJ"
    rb"|(?P<et>\bET\b)"
)
_GLYPHS = re.compile(rb"<([0-9a-fA-F]*)>")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
CALIBRATION = "0123456789"


# ---------------------------------------------------------------- at layout time (worker)


def first_folio(html: str) -> int:
    m = _FIRST_FOLIO.search(html)
    return int(m.group(1)) if m else 1


def _css_value(name: str, value) -> str | None:
    if value in (None, "normal", "auto") and name not in ("font_family",):
        return str(value) if value else None
    if name == "font_family":
        return ", ".join('"' + str(f).replace('"', "") + '"' for f in value)
    if name in ("font_feature_settings",):
        return ", ".join(f'"{tag}" {int(v)}' for tag, v in value)
    if name in ("font_variation_settings",):
        return ", ".join(f'"{tag}" {float(v)}' for tag, v in value)
    if name == "font_language_override":
        return f'"{value}"'
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def calibration_html(html: str, styles: tuple[tuple, ...]) -> str:
    """A one-page document with the head of ``html`` (its faces) and « 0123456789 » once in each of
    ``styles``."""
    end = html.find("</head>")
    head = html[: end + len("</head>")] if end >= 0 else "<html><head></head>"
    lines = []
    for style in styles:
        props = dict(style)
        lang = props.pop("lang", None)
        css = "; ".join(
            f"{name.replace('_', '-')}: {value}"
            for name, value in ((n, _css_value(n, v)) for n, v in props.items())
            if value is not None
        )
        lang_attr = f' lang="{lang}"' if lang else ""
        lines.append(f'<p style="margin: 0; text-align: left; text-indent: 0"><span{lang_attr} style=\'{css}\'>{CALIBRATION}</span></p>')
    return head + '<body><div style="break-before: page">' + "".join(lines) + "</div></body></html>"


# ---------------------------------------------------------------- later: changing the digits


@dataclass(frozen=True)
class _Font:
    widths: dict[int, float]
    unicode: dict[int, str]


def _fonts(pdf) -> dict[str, _Font]:
    """Resource name -> widths and Unicode values of its glyphs, for the fonts of every page (a
    pikepdf ``Pdf``)."""
    from blog2book.render.pdf.fontmerge import glyph_widths

    out: dict[str, _Font] = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for name, font in fonts.items():
            key = name[1:]
            if key in out:
                continue
            desc = (font.get("/DescendantFonts") or [font])[0]
            widths = glyph_widths(desc.get("/W"))
            unicode: dict[int, str] = {}
            cmap = font.get("/ToUnicode")
            if cmap is not None:
                for gid, text in _BFCHAR.findall(cmap.read_bytes()):
                    try:
                        unicode[int(gid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
                    except ValueError:
                        pass
            out[key] = _Font(widths, unicode)
    return out


@dataclass(frozen=True)
class _Line:
    """One line of text as drawn: its origin, and each glyph's font, id and offset in the stream
    (read when asked: a page has many lines, a renumbering looks at a few)."""

    x: float
    y: float
    tm: tuple[int, int]  # where the matrix's x is written in the stream
    runs: tuple[tuple[str, float, int, bytes], ...]  # (font resource, size, offset of a TJ array, its bytes)

    @functools.cached_property
    def glyphs(self) -> tuple[tuple[str, float, int, int], ...] | None:
        """(font resource, size, glyph id, offset of its 4 hex digits); None for a one-byte
        (bitmap) font's text, which is not ours to change."""
        out = []
        for font, size, base, array in self.runs:
            for g in _GLYPHS.finditer(array):
                hexes = g.group(1)
                if len(hexes) % 4:
                    return None
                for k in range(0, len(hexes), 4):
                    out.append((font, size, int(hexes[k : k + 4], 16), base + g.start(1) + k))
        return tuple(out)


def _lines(data: bytes) -> list[_Line]:
    lines: list[_Line] = []
    font, size = "", 0.0
    current: list | None = None
    origin = (0.0, 0.0)
    span = (0, 0)
    for m in _OPS.finditer(data):
        if m.group("tm") is not None:
            if current is not None:
                lines.append(_Line(origin[0], origin[1], span, tuple(current)))
            values = m.group("tm").split()
            origin = (float(values[4]), float(values[5]))
            # the fifth number: after four numbers and their spaces
            at = m.start("tm") + sum(len(v) + 1 for v in values[:4])
            span = (at, at + len(values[4]))
            current = []
        elif m.group("font") is not None:
            font = m.group("font").decode("latin-1")
            size = float(m.group(0).split()[-2])
        elif m.group("tj") is not None and current is not None:
            current.append((font, size, m.start("tj"), m.group("tj")))
        elif m.group("et") is not None and current is not None:
            lines.append(_Line(origin[0], origin[1], span, tuple(current)))
            current = None
    if current is not None:
        lines.append(_Line(origin[0], origin[1], span, tuple(current)))
    return lines


def _calibration(lines: list[_Line], fonts: dict[str, _Font]) -> dict[str, list[tuple[int, ...]]]:
    """Font resource -> the glyph ids of 0…9 in each setting the calibration page drew."""
    out: dict[str, list[tuple[int, ...]]] = {}
    for line in lines:
        if line.glyphs is None or len(line.glyphs) != len(CALIBRATION) or len({f for f, *_ in line.glyphs}) != 1:
            continue
        font = line.glyphs[0][0]
        uni = fonts.get(font, _Font({}, {})).unicode
        gids = tuple(g for _, _, g, _ in line.glyphs)
        if "".join(uni.get(g, "?") for g in gids) == CALIBRATION:
            out.setdefault(font, []).append(gids)
    return out


def renumber(pdf: bytes, pages: int, slots: tuple[Slot, ...] | None, html: str) -> tuple[bytes, tuple[Slot, ...]] | None:
    """``pdf`` (a piece of ``pages`` pages and its calibration page) with the numbers ``html``
    gives its ``slots``: each link target's ``data-page``, and the folios from its first folio;
    and the slots of that PDF (its numbers, where they now are), for a later renumbering. None when
    a number cannot be changed in place (the piece must be laid out again)."""
    from pikepdf import Pdf, Stream

    if slots is None:
        return None  # a layout whose numbers were not all found (``number_slots``)
    start = first_folio(html)
    values = {unescape(t): v for t, v in _LINK_PAGE.findall(html)}
    wanted: dict[int, list[tuple[Slot, str]]] = {}
    for slot in slots:
        new = str(start + slot.page) if not slot.target else values.get(slot.target)
        if new is None or (slot.target and len(new) != len(slot.digits)):
            return None  # a reference of another width lays its line out otherwise
        if new != slot.digits:
            wanted.setdefault(slot.page, []).append((slot, new))
    if not wanted:
        return pdf, slots
    moved: dict[Slot, Slot] = {}
    try:
        with Pdf.open(io.BytesIO(pdf)) as document:
            if len(document.pages) != pages + 1:
                return None
            fonts = _fonts(document)
            calibration = _calibration(_lines(document.pages[pages].obj.Contents.read_bytes()), fonts)
            for index, changes in sorted(wanted.items()):
                stream = document.pages[index].obj.get("/Contents")
                if not isinstance(stream, Stream):
                    return None  # WeasyPrint writes one content stream per page
                data = stream.read_bytes()
                lines = _lines(data)
                edits: list[tuple[int, int, bytes]] = []
                for slot, new in changes:
                    found = _edits(data, lines, slot, new, fonts, calibration)
                    if found is None:
                        return None
                    edits += found[0]
                    moved[slot] = replace(slot, digits=new, x=found[1])
                out = bytearray(data)
                for begin, end, text in sorted(edits, reverse=True):
                    out[begin:end] = text
                stream.write(bytes(out))  # compressed again when the PDF is written
            written = io.BytesIO()
            document.save(written, deterministic_id=True)
        return written.getvalue(), tuple(moved.get(slot, slot) for slot in slots)
    except Exception:  # a PDF this module does not understand: lay the piece out again
        return None


def _edits(data: bytes, lines: list[_Line], slot: Slot, new: str, fonts: dict[str, _Font], calibration) -> tuple[list[tuple[int, int, bytes]], float] | None:
    """The changes to the content stream that write ``new`` over the digits of ``slot``, and where
    its line then starts: None if anything differs from what the layout recorded. A reference keeps
    its digits' widths; a folio may change width, and its line moves by what its alignment asks."""
    line = next((ln for ln in lines if abs(ln.x - slot.x) < 0.01 and abs(ln.y - slot.y) < 0.01), None)
    if line is None or line.glyphs is None:
        return None
    runs: list[list[tuple[str, float, int, int, str]]] = []
    previous_digit = False
    for font, size, gid, offset in line.glyphs:
        char = fonts.get(font, _Font({}, {})).unicode.get(gid, "")
        if len(char) == 1 and char.isdigit():
            if not previous_digit:
                runs.append([])
            runs[-1].append((font, size, gid, offset, char))
            previous_digit = True
        else:
            previous_digit = False
    if len(runs) != 1 or "".join(g[4] for g in runs[0]) != slot.digits:
        return None
    run = runs[0]
    font, size = run[0][0], run[0][1]
    if any(g[0] != font for g in run):
        return None
    if any(data[a[3] + 4 : b[3]] not in (b"", b">0<") for a, b in zip(run, run[1:])):
        return None  # kerned digits: not tabular figures
    sets = [s for s in calibration.get(font, ()) if all(s[int(c)] == gid for _, _, gid, _, c in run)]
    if not sets:
        return None
    digits = sets[0]
    widths = fonts[font].widths
    glyphs = [digits[int(c)] for c in new]
    if any(widths.get(g) is None for g in glyphs) or any(widths.get(g[2]) is None for g in run):
        return None
    old_width = sum(widths[g[2]] for g in run)
    new_width = sum(widths[g] for g in glyphs)
    if len(glyphs) == len(run):
        edits = [(offset, offset + 4, f"{g:04x}".encode()) for (_, _, _, offset, _), g in zip(run, glyphs)]
    else:
        # another count of digits (a folio): the run is written again as one string of glyphs
        first, last = run[0][3], run[-1][3] + 4
        edits = [(first, last, b">0<".join(f"{g:04x}".encode() for g in glyphs))]
    x = slot.x
    if slot.target:
        if any(widths[old[2]] != widths[g] for old, g in zip(run, glyphs)):
            return None
    elif new_width != old_width:
        x = float(f"{line.x + (old_width - new_width) / 1000 * size * slot.align:f}")
        edits.append((line.tm[0], line.tm[1], f"{x:f}".encode()))
    return edits, x
