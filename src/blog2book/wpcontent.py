"""WordPress post content (HTML) -> clean Pandoc Markdown or AST blocks: one converter for the
importer and for the raw HTML a Markdown post carries.

Steps, each on text, so every finding is located in the content the author gave:

0. a CDATA section kept as the text it is; images that name their attachment (``wp:image`` and
   ``wp:gallery`` blocks, ``wp-image-N``) completed from the export (``embeds/attachments.py``);
1. block-editor comments (``<!-- wp:… -->``) dropped, their content kept; a ``wp:embed`` (or the
   older ``wp:core-embed/…``) becomes a paragraph that is its URL;
2. shortcodes expanded (``embeds/shortcodes.py``);
3. HTML made safe (``wpsafe.py``): ``<script>``, ``<style>`` and the like removed with their content,
   ``<iframe>``/``<video>``/``<audio>``/``<object>``/``<embed>`` replaced by a paragraph that is the link
   to what they showed, event attributes and ``javascript:`` links removed — each with a finding;
4. classic-editor content (no ``<!-- wp:``) gets WordPress's paragraphs and line breaks (``wpautop``);
5. pandoc's HTML reader (no raw HTML kept) builds the AST; blog2book then drops WordPress's
   classes, sizes and wrappers, flattens galleries, and maps image URLs through ``media``.

What the book does with the result (tweets as quotations, « Vidéo : … », typography) is the
transformer's job, so the Markdown stays the author's, in no book's language.
"""

from __future__ import annotations

import html as html_mod
import json
import re
import uuid
from pathlib import Path
from typing import Callable, Mapping, Sequence

from blog2book import footnotes, pandoc, tree, wpsafe
from blog2book.diagnostics import Diagnostic, Level, Location
from blog2book.embeds import Finding, shortcodes
from blog2book.embeds import attachments as attachment_images
from blog2book.embeds.common import Attachment
from blog2book.wpautop import wpautop

Media = Callable[[str], "str | None"]

MARKDOWN_OUT = pandoc.WRITE_MARKDOWN
HTML_IN = "html-auto_identifiers"  # only the ids the author wrote survive

# ---------------------------------------------------------------- 1. block-editor comments

_BLOCK_EMBED = re.compile(
    r"<!--\s*wp:(?P<name>embed|core/embed|core-embed/[\w-]+)(?P<json>\s+\{.*?\})?\s*-->"
    r"(?P<inner>.*?)<!--\s*/wp:(?P=name)\s*-->",
    re.S,
)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.S)


def _block_comments(text: str, findings: list[Finding]) -> tuple[str, bool]:
    has_blocks = bool(re.search(r"<!--\s*wp:", text))
    if not has_blocks:
        return text, False

    def embed(m: re.Match) -> str:
        url = None
        if m.group("json"):
            try:
                url = json.loads(m.group("json")).get("url")
            except (ValueError, AttributeError):
                url = None
        if not url:
            found = re.search(r"https?://[^\s<\"']+", m.group("inner"))
            url = found.group(0) if found else None
        if not url:
            findings.append(Finding("warning", "html.removed", "removed a block-editor embed with no web address", m.group(0)[:40]))
            return ""
        findings.append(Finding("info", "embed.block", f"block-editor embed printed as its address {url}", url))
        url = html_mod.escape(url, quote=True)
        return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'

    text = _BLOCK_EMBED.sub(embed, text)
    return _BLOCK_COMMENT.sub("", text), True


# ---------------------------------------------------------------- 5. the AST, cleaned


def _clean(blocks: list, media: Media | None) -> list:
    def fix(el: dict):
        t = el["t"]
        c = el.get("c")
        if t == "Image":
            attr, alt, (url, title) = c
            local = media(url) if media is not None else None
            return {"t": "Image", "c": [["", [], []], alt, [local or url, title]]}
        if t == "Link":
            attr, text, (url, title) = c
            if len(_trim(text)) == 1 and _trim(text)[0]["t"] == "Image":
                return _trim(text)[0]  # the link to the full-size image or its attachment page means nothing in a book
            return {"t": "Link", "c": [["", [], []], text, [url, title]]}
        if t in ("Span", "Div"):
            return c[1]  # WordPress's wrappers and classes mean nothing in the book
        if t == "Header":
            level, (ident, _, _), inlines = c
            return {"t": "Header", "c": [level, [ident, [], []], inlines]}
        if t == "Table":
            return {"t": "Table", "c": [["", [], []], *c[1:]]}
        if t == "CodeBlock":
            return {"t": "CodeBlock", "c": [["", [], []], c[1]]}
        if t == "Code":
            return {"t": "Code", "c": [["", [], []], c[1]]}
        if t == "Figure":
            attr, caption, body = c
            if len(body) == 1 and body[0]["t"] == "BulletList" and _all_images(body[0]):
                body = [b for item in body[0]["c"] for b in item]  # an older block gallery: a list of its images
            if len(body) == 1 and body[0]["t"] in ("Plain", "Para") and [x["t"] for x in _trim(body[0]["c"])] == ["Image"]:
                if caption[1]:
                    return {"t": "Figure", "c": [["", [], []], caption, body]}
                return {"t": "Para", "c": _trim(body[0]["c"])}  # an image without a caption
            # WordPress wraps tables, pull quotes, embeds… in <figure>: the content, its caption after
            if len(body) == 1 and body[0]["t"] == "Table" and caption[1] and not body[0]["c"][1][1]:
                table = body[0]["c"]
                return {"t": "Table", "c": [table[0], [None, [tree.Plain(_plain(caption[1]))]], *table[2:]]}
            return list(body) + ([tree.Para(_plain(caption[1]))] if caption[1] else [])
        if t in ("Para", "Plain"):
            inlines = _trim(c)
            if not inlines or all(x["t"] == "Str" and not x["c"].strip("\u00a0") for x in inlines):
                return []
            if len(inlines) == 1 and inlines[0]["t"] == "Image" and inlines[0]["c"][1]:
                # an image alone without a caption: its alt text stays alt text (Markdown would
                # read "![alt](src)" alone in a paragraph as a figure captioned by the alt text)
                (ident, classes, kvs), alt, target = inlines[0]["c"]
                kvs = [kv for kv in kvs if kv[0] != "alt"] + [["alt", tree.stringify(alt)]]
                inlines = [{"t": "Image", "c": [[ident, classes, kvs], [], target]}]
            return {"t": t, "c": inlines}
        return None

    return tree.walk(blocks, fix)


def _all_images(bullets: dict) -> bool:
    return all(len(item) == 1 and _is_image_block(item[0]) for item in bullets["c"])


def _is_image_block(b: dict) -> bool:
    return b["t"] == "Figure" or (b["t"] in ("Para", "Plain") and [x["t"] for x in _trim(b["c"])] == ["Image"])


def _plain(blocks: list) -> list:
    out: list = []
    for b in blocks:
        if b["t"] in ("Para", "Plain"):
            out.extend(([tree.Space()] if out else []) + b["c"])
    return out


_trim = tree.strip_spaces


# ---------------------------------------------------------------- entry points


def _locate(passes: list[list[Finding]], original: str, path: Path, line: int, with_info: bool) -> list[Diagnostic]:
    """Each pass reports in document order: its needles are searched from where the last one was."""
    diags: list[Diagnostic] = []
    levels = {"info": Level.INFO, "warning": Level.WARNING, "error": Level.ERROR}
    for findings in passes:
        cursor = 0
        for f in findings:
            at = original.find(f.needle, cursor) if f.needle else -1
            if at < 0 and f.needle:
                at = original.find(f.needle)
            if at >= 0:
                cursor = at + 1
            if f.level == "info" and not with_info:
                continue
            where = Location(path, line + (original.count("\n", 0, at) if at >= 0 else 0))
            diags.append(Diagnostic(levels.get(f.level, Level.WARNING), f.code, f.message, where, None if f.level == "info" else _hint(f.code)))
    return diags


def _hint(code: str) -> str | None:
    if code in HINTS:
        return HINTS[code]
    if code.startswith("shortcode."):
        return "write what it showed on the blog into the post (a link, an image or text)"
    return None


HINTS = {
    "shortcode.unknown": "replace it with the text or image it showed on the blog",
    "shortcode.gallery": "put the images in the post as Markdown images",
    "block.image": "put the images in the post as Markdown images",
    "shortcode.caption": "put the image in the post as a Markdown image",
    "html.removed": "nothing to do unless its content mattered: then write it as text",
    "footnote.missing": "give the post the note (a list item with that id at its foot), or remove the reference",
    "html.unclosed": "close the tag (</script>, </iframe>…) where it ends, or delete it",
    "link.unsafe": "nothing to do: the book keeps the link's text",
    "image.unsafe": "nothing to do: the book keeps the image's alt text",
}


def prepare_html(content: str, attachments: Mapping[int, Attachment | str] | None = None, post_id: int | None = None,
                 notes: bool = True) -> tuple[str, list[list[Finding]]]:
    """Steps 1–4: the content as safe HTML with WordPress's paragraphs, and each step's findings."""
    comments: list[Finding] = []
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    text = _CDATA.sub(lambda m: html_mod.escape(m.group(0), quote=False), text)  # text on the page, not a bogus comment
    missing = [Finding("warning", "footnote.missing", f"footnote reference {label} has no note in this post: it is printed as its number", needle) for needle, label in footnotes.missing(text)] if notes else []
    text = footnotes.mark(text)  # before anything moves the notes' list away from its references
    text, images = attachment_images.resolve(text, attachments)
    text, has_blocks = _block_comments(text, comments)
    text, codes = shortcodes.expand(text, attachments, post_id)
    text, unsafe = wpsafe.sanitize(text)
    if not has_blocks:
        text = wpautop(text)
    return text, [images, missing, comments, codes, unsafe]


# a CDATA section in a post's HTML (WordPress's own tests have one): the author's words, kept
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.S)


def wp_to_blocks(
    content: str,
    *,
    path: Path,
    line: int = 1,
    media: Media | None = None,
    attachments: Mapping[int, Attachment | str] | None = None,
    with_info: bool = True,
    post_id: int | None = None,
    notes: bool = True,
) -> tuple[list, list[Diagnostic]]:
    """WordPress content -> Pandoc AST blocks (JSON form) and located diagnostics; ``notes``: the
    content is whole, its footnotes are made notes here (else the post's transform does it)."""
    text, passes = prepare_html(content, attachments, post_id, notes=notes)
    blocks = pandoc.to_ast(text, reader=HTML_IN)["blocks"] if text.strip() else []
    blocks = _clean(blocks, media)
    if notes:
        blocks = footnotes.resolve(blocks)[0]
    return blocks, _locate(passes, content, path, line, with_info)


def wp_to_markdown(
    html: str,
    *,
    path: Path,
    line: int = 1,
    media: Media | None = None,
    attachments: Mapping[int, Attachment | str] | None = None,
    post_id: int | None = None,
) -> tuple[str, list[Diagnostic]]:
    """WordPress post content -> clean Pandoc Markdown (what a post file holds) and located diagnostics.

    ``media(url)`` gives the local relative path an image was copied to, or None to keep the URL;
    ``attachments`` maps attachment ids to their records or URLs (``[gallery]``, ``wp:image`` and
    ``wp:gallery`` blocks, ``wp-image-N`` images); ``post_id`` is the post's (``[gallery]`` without ids).
    """
    blocks, diags = wp_to_blocks(html, path=path, line=line, media=media, attachments=attachments, post_id=post_id)
    if not blocks:
        return "", diags
    text = pandoc.from_ast(pandoc.document(blocks), MARKDOWN_OUT, "--wrap=none")
    return text.strip("\n") + "\n", diags


# ---------------------------------------------------------------- many contents in few pandoc calls

BATCH = 64  # contents per pandoc call: a large export (posts and comments) in a few hundred calls, not two per content


def wp_to_blocks_batch(
    items: Sequence[tuple[str, Path, int]],
    *,
    media: Media | None = None,
    attachments: Mapping[int, Attachment | str] | None = None,
    with_info: bool = True,
    notes: bool = True,
) -> list[tuple[list, list[Diagnostic]]]:
    """``wp_to_blocks`` for many contents ``(html, path, line)``: one pandoc call per ``BATCH``."""
    out: list[tuple[list, list[Diagnostic]]] = []
    for start in range(0, len(items), BATCH):
        out.extend(_parse_batch(items[start:start + BATCH], media, attachments, with_info, notes))
    return out


def wp_to_markdown_batch(
    items: Sequence[tuple[str, Path, int]],
    *,
    media: Media | None = None,
    attachments: Mapping[int, Attachment | str] | None = None,
) -> list[tuple[str, list[Diagnostic]]]:
    """``wp_to_markdown`` for many contents ``(html, path, line)`` (posts, comments), the same
    results in the same order, with two pandoc calls per ``BATCH`` contents instead of two each."""
    out: list[tuple[str, list[Diagnostic]]] = []
    for start in range(0, len(items), BATCH):
        parsed = _parse_batch(items[start:start + BATCH], media, attachments, True, True)
        texts = _write_batch([blocks for blocks, _ in parsed])
        out.extend(((t.strip("\n") + "\n") if t.strip() else "", diags) for t, (_, diags) in zip(texts, parsed))
    return out


def _parse_batch(items, media, attachments, with_info, notes) -> list[tuple[list, list[Diagnostic]]]:
    prepared = []
    for html, path, line in items:
        text, passes = prepare_html(html, attachments, notes=notes)
        prepared.append((text, _locate(passes, html, path, line, with_info)))
    wrapped = "".join(f'<div id="b2b-{k}">\n{text}\n</div>\n' for k, (text, _) in enumerate(prepared))
    parsed = pandoc.to_ast(wrapped, reader=HTML_IN)["blocks"] if prepared else []
    ids = [b["c"][0][0] if b["t"] == "Div" else None for b in parsed]
    if ids != [f"b2b-{k}" for k in range(len(prepared))]:  # a content broke its wrapper (a stray </div>)
        if len(items) == 1:
            html, path, line = items[0]
            return [wp_to_blocks(html, path=path, line=line, media=media, attachments=attachments, with_info=with_info, notes=notes)]
        half = len(items) // 2  # halves until the culprit is alone: a few calls, not one per content
        return _parse_batch(items[:half], media, attachments, with_info, notes) + _parse_batch(items[half:], media, attachments, with_info, notes)
    cleaned = [_clean(b["c"][1], media) for b in parsed]
    if notes:
        cleaned = [footnotes.resolve(c)[0] for c in cleaned]
    return list(zip(cleaned, [diags for _, diags in prepared]))


def _write_batch(blocks: list[list]) -> list[str]:
    """Each block list as Markdown, in one pandoc call (split at a marker paragraph)."""
    one_by_one = lambda: [pandoc.from_ast(pandoc.document(b), MARKDOWN_OUT, "--wrap=none") if b else "" for b in blocks]  # noqa: E731
    if any(_has_note(b) for b in blocks):  # notes are written at the end of a document
        return one_by_one()
    marker = f"B2BSPLIT{uuid.uuid4().hex}"
    doc: list = []
    for k, b in enumerate(blocks):
        doc.extend(b)
        doc.append(tree.Para([tree.Str(f"{marker}x{k}")]))
    written = pandoc.from_ast(pandoc.document(doc), MARKDOWN_OUT, "--wrap=none")
    texts = re.split(rf"^{marker}x\d+\n", written + "\n", flags=re.M)[: len(blocks)]
    if len(texts) != len(blocks) or any(marker in t for t in texts):
        return one_by_one()
    return texts


def _has_note(node) -> bool:
    if isinstance(node, list):
        return any(_has_note(x) for x in node)
    if isinstance(node, dict):
        return node.get("t") == "Note" or any(_has_note(v) for v in node.values())
    return False
