"""Images checked once, when a post, a matter file or the manuscript's ``cover:`` names them.

``examine`` gives the one verdict every edition follows (the PDF, the EPUB, the web edition, the
Markdown, the print cover and the press PDF): the image's real type, read from its first bytes,
not from its name; and whether the book may use it. An image is refused when its file is larger
than ``MAX_IMAGE_BYTES``, when its header claims more than ``MAX_PIXELS`` pixels (a decompression
bomb: a few kilobytes that would decode to gigabytes), when it cannot be decoded (truncated,
corrupt, or not an image at all: a text file named ``.png``), or when its type is one books do not
carry. No image is decoded whole here: the size comes from the header; a PNG's compressed stream is
inflated piece by piece and counted, never kept; a JPEG is decoded at an eighth of its size.

The transform (``transform.check_images``) turns the verdict into a located warning, and a refused
image into a visible placeholder; an image whose name lies about its type (a GIF named ``.png``) is
kept, marked with its real type (``KIND_ATTR``), and every edition names and serves it as that type.
"""

from __future__ import annotations

import functools
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from blog2book import alttext, guard, svg, tree, uploads
from blog2book.diagnostics import Diagnostic, Level, Location, error, warning

if TYPE_CHECKING:
    from blog2book.sources import SourcePost
    from blog2book.transform import TransformOptions

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 45-megapixel camera's photo passes; a 300 dpi full page needs about 6
KIND_ATTR = "data-b2b-kind"  # on an Image whose file's name lies about its type: the real type

# kind -> (the suffix an edition names it with, its media type)
KINDS = {
    "png": (".png", "image/png"),
    "jpeg": (".jpg", "image/jpeg"),
    "gif": (".gif", "image/gif"),
    "webp": (".webp", "image/webp"),
    "svg": (".svg", "image/svg+xml"),
}
SUFFIX_KINDS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp", ".svg": "svg"}
_OTHER = {b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"\x00\x00\x01\x00": "ICO", b"%PDF": "PDF"}


@dataclass(frozen=True)
class Verdict:
    """What the book does with an image file: ``kind`` is its real type (None: refused, and then
    ``code``, ``problem`` and ``fix`` say why and what to do); ``renamed`` when its name says
    another type (a usable image is still used, as its real type)."""

    kind: str | None
    code: str | None = None
    problem: str = ""
    fix: str = ""
    renamed: bool = False

    @property
    def usable(self) -> bool:
        return self.kind is not None

    @property
    def suffix(self) -> str:
        return KINDS[self.kind][0] if self.kind else ""

    @property
    def media_type(self) -> str:
        return KINDS[self.kind][1] if self.kind else "application/octet-stream"


def sniff(head: bytes) -> str | None:
    """The real type of an image from its first bytes: png, jpeg, gif, webp, svg, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in head:
        return "svg"
    return None


def _named(head: bytes) -> str:
    for magic, name in _OTHER.items():
        if head.startswith(magic):
            return f"a {name} file"
    sample = head[:512]
    if sample and all(b in b"\t\n\r" or 32 <= b < 127 or b >= 128 for b in sample):
        return "text, not an image"
    return "not an image blog2book knows (PNG, JPEG, GIF, WebP, SVG)"


def kind_of(image: dict) -> str | None:
    """The real type of a Pandoc Image node's file, as the transform found it."""
    attr = image["c"][0]
    for key, value in attr[2]:
        if key == KIND_ATTR:
            return value
    return SUFFIX_KINDS.get(Path(image["c"][2][0]).suffix.lower())


def edition_suffix(path, kind: str) -> str:
    """The extension an edition names an image file with: its own when it says its real type
    (``.jpeg`` stays ``.jpeg``), else its real type's (a GIF named ``.png`` becomes ``.gif``)."""
    own = Path(path).suffix.lower()
    return own if SUFFIX_KINDS.get(own) == kind else KINDS[kind][0]


def without_kind(attr: list) -> list:
    """The Image's attributes without the transform's mark (editions write their own name)."""
    return [attr[0], attr[1], [kv for kv in attr[2] if kv[0] != KIND_ATTR]]


def examine(path) -> Verdict:
    """The verdict on an image file (kept per process for a file whose size and time are unchanged)."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        return Verdict(None, "image.undecodable", f"it cannot be read ({exc.strerror})", "check the file")
    return _examine(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _examine(path: str, size: int, _mtime: int) -> Verdict:
    if size > MAX_IMAGE_BYTES:
        return Verdict(None, "image.too-large", f"it is {size / 1048576:.0f} MB; the limit is {MAX_IMAGE_BYTES // 1048576} MB",
                       "reduce it: a print image needs about 300 dpi at its printed size")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        return Verdict(None, "image.undecodable", f"it cannot be read ({exc.strerror})", "check the file")
    named = SUFFIX_KINDS.get(os.path.splitext(path)[1].lower())
    kind = sniff(head)
    if kind is None:
        if named == "svg":
            return Verdict("svg")  # an SVG without an XML declaration: svg.sanitise decides
        return Verdict(None, "image.undecodable", f"it is {_named(head)}", "replace it with the image, saved again as PNG or JPEG")
    renamed = named is not None and named != kind
    if kind == "svg":
        if renamed:  # an SVG must be cleaned: it is one only under its own name
            return Verdict(None, "image.wrong-type", "it is an SVG document, not the image its name says",
                           "rename it with the .svg extension")
        return Verdict("svg")
    problem = _decode_problem(path, kind)
    if problem is not None:
        return problem
    if renamed:
        return Verdict(kind, "image.wrong-type", f"it is a {kind.upper()} image, not {named.upper()}; the book uses it as {kind.upper()}",
                       f"rename it with the {KINDS[kind][0]} extension", renamed=True)
    return Verdict(kind)


def _too_many(width: int, height: int) -> Verdict | None:
    if width * height > MAX_PIXELS:
        return Verdict(None, "image.too-large", f"it is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels); the limit is {MAX_PIXELS // 1_000_000} megapixels",
                       "reduce it: a print image needs about 300 dpi at its printed size, 2000 pixels for a page's width")
    if width == 0 or height == 0:
        return Verdict(None, "image.undecodable", "its header gives it no pixel", "export it again")
    return None


def _decode_problem(path: str, kind: str) -> Verdict | None:
    """A refusal if the image is too large in pixels or cannot be decoded, else None."""
    if kind == "png":
        return _png_problem(path)
    from PIL import Image

    undecodable = Verdict(None, "image.undecodable", f"it is a {kind.upper()} file that cannot be decoded (truncated or corrupt)", "export it again from the original")
    try:
        with Image.open(path, formats=[kind.upper()]) as im:  # reads the header only
            too_many = _too_many(*im.size)
            if too_many is not None:
                return too_many
            if kind == "jpeg":
                if not _jpeg_ends(path):  # Pillow pads a cut JPEG when WeasyPrint is loaded (LOAD_TRUNCATED_IMAGES)
                    return undecodable
                im.draft("RGB" if im.mode != "L" else "L", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
            im.load()  # a JPEG at an eighth of its size; a GIF's first frame; a WebP (within the limit)
    except Image.DecompressionBombError:
        return Verdict(None, "image.too-large", "its header claims more pixels than any book image needs", "reduce it")
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, struct.error…)
        return undecodable
    return None


def _jpeg_ends(path: str) -> bool:
    """A JPEG's last scan is followed by its end marker (a file cut short has none)."""
    with open(path, "rb") as fh:
        data = fh.read()
    return data.rfind(b"\xff\xd9") > data.rfind(b"\xff\xda") >= 0


def _png_problem(path: str) -> Verdict | None:
    """A PNG's chunks read one by one: the header's size checked first, then the compressed data
    inflated in bounded pieces and counted (a bomb never reaches memory), every chunk's checksum."""
    undecodable = lambda why: Verdict(None, "image.undecodable", f"it is a PNG file that cannot be decoded ({why})", "export it again from the original")  # noqa: E731
    inflater = zlib.decompressobj()
    produced = 0
    expected = None
    try:
        with open(path, "rb") as fh:
            fh.read(8)
            while True:
                head = fh.read(8)
                if len(head) < 8:
                    return undecodable("it is truncated")
                length, ctype = struct.unpack(">I4s", head)
                if length > MAX_IMAGE_BYTES:
                    return undecodable("a chunk is longer than the file")
                data = fh.read(length)
                crc = fh.read(4)
                if len(data) < length or len(crc) < 4:
                    return undecodable("it is truncated")
                if zlib.crc32(ctype + data) != struct.unpack(">I", crc)[0]:
                    return undecodable(f"the checksum of its {ctype.decode('latin-1')!r} chunk is wrong")
                if ctype == b"IHDR":
                    width, height, depth, colour = struct.unpack(">IIBB", data[:10])
                    too_many = _too_many(width, height)
                    if too_many is not None:
                        return too_many
                    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 4)
                    expected = height * (1 + (width * channels * depth + 7) // 8)
                elif ctype == b"IDAT":
                    if expected is None:
                        return undecodable("its data comes before its header")
                    chunk = data
                    while chunk:
                        out = inflater.decompress(chunk, 1 << 20)
                        produced += len(out)
                        if produced > expected * 2 + 1024:  # interlacing adds a little; a bomb far more
                            return undecodable("its data decodes to more than its size")
                        chunk = inflater.unconsumed_tail
                elif ctype == b"IEND":
                    break
    except (OSError, zlib.error, struct.error) as exc:
        return undecodable(str(exc) or type(exc).__name__)
    if expected is None or produced == 0 or not inflater.eof:
        return undecodable("its image data is missing or cut short")
    return None


def diagnostic(verdict: Verdict, target: str, location, what: str = "image", instead: str = "it is left out of every edition"):
    """The located warning for a verdict (None for an image used as it is): a refused image is left
    out of every edition, a renamed one is used as its real type."""
    from blog2book.guard import shown

    if verdict.code is None:
        return None
    outcome = "" if verdict.usable else f"; {instead}"
    return warning(verdict.code, f"{what} {shown(target)}: {verdict.problem}{outcome}", location, verdict.fix)


def placeholder(target: str, lang: str) -> dict:
    """What a refused image becomes in the text: ``[image absente : photo.png]``, so the reader and
    the author see where it was (a figure keeps its caption, the alt text)."""
    from blog2book import lang as lang_mod

    word = lang_mod.strings(lang or "en")["image_left_out"]
    name = Path(urlsplit_path(target)).name or target
    return tree.Span("", ["image-missing", "image-refused"], [tree.Str("[" + word), tree.Space(), *tree.text_inlines(name + "]")])


def urlsplit_path(target: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(target).path)


def check_images(blocks: list, src: SourcePost, opts: TransformOptions, diags: list[Diagnostic]) -> list:
    """The post's images checked (``examine``, once): a file inside the project the book may use
    stays an Image (marked with its real type when its name lies); anything else becomes its alt
    text, or the visible placeholder of a refused image, with a located diagnostic."""
    root = (opts.project_root.resolve(), *getattr(opts, "allowed", ()))  # the project and the --allow-outside folders

    def fix(el: dict):
        if el["t"] != "Image":
            return None
        attr, alt, (target, title) = el["c"]
        loc = src.find_line(target)
        in_uploads = uploads.upload_path(target, opts.site)
        if in_uploads is not None:
            found = uploads.resolve(in_uploads, target, opts.uploads, root, loc)
            if isinstance(found, Diagnostic) and found.code == "image.uploads":
                in_blog_uploads.setdefault(target, found)  # one warning for the post, naming them all
                return tree.Span("", ["image-missing"], alt)
            if isinstance(found, Diagnostic):
                diags.append(found)
                return tree.Span("", ["image-missing"], alt)
            return checked(Path(found), target, loc, attr, alt, title)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            remote.setdefault(target, loc)  # one warning for the post, naming them all
            return tree.Span("", ["image-missing"], alt)
        path = (src.path.parent / target).resolve()
        if guard.outside(path, root):
            diags.append(error("image.outside", f"image '{target}' is outside the project folder", loc, "copy the image into the project"))
            return tree.Span("", ["image-missing"], alt)
        if not path.is_file():
            diags.append(error("image.missing", f"image '{target}' not found", loc, f"expected at {path}"))
            return tree.Span("", ["image-missing"], alt)
        return checked(path, target, loc, attr, alt, title)

    def checked(path: Path, target: str, loc, attr, alt, title):
        verdict = examine(path)  # the one decision every edition follows
        found = diagnostic(verdict, target, loc)
        if found is not None:
            diags.append(found)
        if not verdict.usable:
            return placeholder(target, getattr(opts, "lang", "en"))
        if verdict.kind == "svg":
            problem = svg.check_image(path, target, loc)  # cleaned or refused
            if problem is not None:
                diags.append(problem)
                if problem.level == Level.ERROR:
                    return tree.Span("", ["image-missing"], alt)
        if not alttext.described(attr, alt):
            diags.append(warning("image.no-alt", f"image '{target}' has no description: readers of the EPUB and the PDF who cannot see it are told nothing", loc, f"describe it: ![what the image shows]({target})"))
        attr = without_kind(attr)
        if verdict.renamed:
            attr[2].append([KIND_ATTR, verdict.kind])
        return {"t": "Image", "c": [attr, alt, [str(path), title]]}

    remote: dict[str, Location] = {}
    in_blog_uploads: dict[str, Diagnostic] = {}
    out = tree.rewrite(blocks, fix, only=frozenset(("Image",)))
    diags.extend(uploads.unprinted(in_blog_uploads, remote))
    return out
