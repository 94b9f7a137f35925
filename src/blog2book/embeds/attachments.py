"""Images of a WordPress post that name their attachment by id, completed from the export.

The block editor writes ``<!-- wp:image {"id":611} -->`` around an ``<img class="wp-image-611">``,
and ``<!-- wp:gallery {"ids":[611,612]} -->`` around its images (each ``data-id="611"`` or
``wp-image-611``); the classic editor writes ``class="wp-image-611"``. ``resolve(text, attachments)``
runs on the content before the block comments are dropped:

* an ``<img>`` naming a known attachment gets the attachment's alt text when it has none (the
  ``_wp_attachment_image_alt`` of the export), and its URL when its ``src`` is empty;
* an older ``wp:gallery`` (WordPress 5.0–5.2: a ``<ul>`` of ``<li><figure>``) is its figures, not a list;
* a ``wp:image`` or ``wp:gallery`` block whose HTML holds no image (a self-closing block, or one
  saved by an older editor with its ids only) becomes the images its ids name, each captioned by
  the attachment's caption, as ``[gallery ids=…]`` does; ids not in the export are a finding.
"""

from __future__ import annotations

import html
import json
import re
from typing import Mapping

from blog2book.embeds.common import Attachment, Finding, attachment
from blog2book.embeds.shortcodes import figure_html

_BLOCK = re.compile(
    r"<!--\s*wp:(?P<name>image|gallery|core/image|core/gallery)(?P<json>\s+\{.*?\})?\s*(?P<selfclosing>/)?-->"
    r"(?(selfclosing)|(?P<inner>.*?)<!--\s*/wp:(?P=name)\s*-->)",
    re.S,
)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ID = re.compile(r"""(?:\bwp-image-(\d+)\b|\bdata-id\s*=\s*["']?(\d+))""", re.I)


def resolve(text: str, attachments: Mapping[int, "Attachment | str"] | None) -> tuple[str, list[Finding]]:
    """``text`` with its images completed from ``attachments`` (id -> Attachment or URL), and findings."""
    findings: list[Finding] = []
    if not attachments or ("wp:image" not in text and "wp:gallery" not in text and "wp-image-" not in text and "data-id" not in text):
        return text, findings

    def block(m: re.Match) -> str:
        inner = m.group("inner") or ""
        if _IMG.search(inner):
            if "gallery" in m.group("name"):  # an older gallery lists its images (<ul><li><figure>): a figure each
                return m.group(0).replace(inner, re.sub(r"</?(?:ul|li)\b[^>]*>", "", inner, flags=re.I))
            return m.group(0)
        try:
            attrs = json.loads(m.group("json")) if m.group("json") else {}
        except ValueError:
            attrs = {}
        attrs = attrs if isinstance(attrs, dict) else {}
        ids = attrs.get("ids") if "gallery" in m.group("name") else [attrs.get("id")]
        ids = [i for i in (ids or []) if isinstance(i, int) or (isinstance(i, str) and i.isdigit())]
        known = [attachment(attachments[int(i)], int(i)) for i in ids if int(i) in attachments]
        missing = [str(i) for i in ids if int(i) not in attachments]
        needle = m.group(0).split("\n", 1)[0][:60]
        if missing:
            findings.append(Finding("warning", "block.image", f"block-editor {m.group('name').split('/')[-1]}: image{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found in the export", needle))
        if not known:
            return m.group(0)
        findings.append(Finding("info", "block.image", f"block-editor {m.group('name').split('/')[-1]} printed as its image{'s' if len(known) > 1 else ''} ({len(known)}) from the export", needle))
        return "".join(figure_html(a) for a in known)

    text = _BLOCK.sub(block, text)
    return _IMG.sub(lambda m: _complete(m.group(0), attachments), text), findings


def _complete(tag: str, attachments: Mapping[int, "Attachment | str"]) -> str:
    found = _ID.search(tag)
    if not found:
        return tag
    wp_id = int(found.group(1) or found.group(2))
    if wp_id not in attachments:
        return tag
    a = attachment(attachments[wp_id], wp_id)
    alt = re.search(r"""\balt\s*=\s*(["'])(.*?)\1""", tag, re.S | re.I)
    if a.alt and (alt is None or not alt.group(2).strip()):
        value = f'alt="{html.escape(a.alt, quote=True)}"'
        tag = tag[: alt.start()] + value + tag[alt.end():] if alt else re.sub(r"^<img\b", f"<img {value}", tag, flags=re.I)
    src = re.search(r"""\bsrc\s*=\s*(["'])(.*?)\1""", tag, re.S | re.I)
    if a.url and (src is None or not src.group(2).strip()):
        value = f'src="{html.escape(a.url, quote=True)}"'
        tag = tag[: src.start()] + value + tag[src.end():] if src else re.sub(r"^<img\b", f"<img {value}", tag, flags=re.I)
    return tag
