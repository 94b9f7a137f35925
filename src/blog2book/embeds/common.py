"""What the converters of blog artefacts share: the finding they report for the author, and the
inlines they make of plain text and of a URL."""

from __future__ import annotations

import re
from dataclasses import dataclass

from blog2book import tree


@dataclass(frozen=True)
class Finding:
    """Something the author should hear about; the caller locates ``needle`` in the post source."""

    level: str  # "info" | "warning"
    code: str
    message: str
    needle: str


@dataclass(frozen=True)
class Attachment:
    """An image of a WordPress export (an ``attachment`` item), found by its id: ``[gallery]``,
    block galleries and ``wp:image`` blocks name images so."""

    id: int
    url: str
    alt: str = ""  # the _wp_attachment_image_alt meta
    caption: str = ""  # the attachment's excerpt
    parent: int = 0  # the post it was uploaded to: "[gallery]" without ids shows these
    order: int = 0  # menu_order, the gallery's order


class Attachments(dict):
    """Attachments by id, with the images of each post indexed once (``[gallery]`` without ids,
    in every post of a large export)."""

    def children(self, parent: int) -> list[Attachment]:
        if not hasattr(self, "_children"):
            self._children: dict[int, list[Attachment]] = {}
            for a in sorted(map(attachment, self.values(), self.keys()), key=lambda a: (a.order, a.id)):
                self._children.setdefault(a.parent, []).append(a)
        return self._children.get(parent, []) if parent else []


def attachment(value: "Attachment | str", wp_id: int = 0) -> Attachment:
    """An Attachment from what a caller gives: the record, or only its URL."""
    return value if isinstance(value, Attachment) else Attachment(wp_id, str(value))


_URL_TRAIL = ".,;:!?)»"


def text_inlines(text: str) -> list[dict]:
    """Str and Space elements of plain text: one Space for each run of white space."""
    out: list[dict] = []
    for part in re.split(r"([ \t\r\n]+)", text):
        if not part:
            continue
        if part.isspace():
            if not out or out[-1]["t"] != "Space":
                out.append(tree.Space())
        else:
            out.append(tree.Str(part))
    return out


def autolink(url: str) -> dict:
    """A link whose text is its URL (class ``uri``: the link pass does not repeat it in a note)."""
    return tree.Link([tree.Str(url)], url, classes=["uri"])


def with_scheme(url: str) -> str:
    if url.startswith("//"):
        return "https:" + url
    if not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return "https://" + url
    return url


def _trim(url: str) -> str:
    while url and url[-1] in _URL_TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def url_of(el: dict) -> tuple[str, str] | None:
    """The URL an inline stands for, if it is a bare URL (Str) or an autolink; with its needle."""
    if el["t"] == "Str":
        url = _trim(el["c"])
        if re.match(r"^(?:https?://|www\.)\S+$", url, re.I):
            return url, url
        return None
    if el["t"] == "Link":
        target = el["c"][2][0]
        text = tree.stringify(el["c"][1])
        bare = lambda u: re.sub(r"^(?:https?://)?(?:www\.)?", "", u).rstrip("/")  # noqa: E731
        if text and bare(text) == bare(target):
            return target, target
    return None


def only_url(inlines: list) -> tuple[str, str] | None:
    """The URL (and its needle) of inlines that are only a URL, spaces and line breaks aside."""
    content = [el for el in inlines if el["t"] not in ("Space", "SoftBreak", "LineBreak")]
    if len(content) != 1:
        return None
    return url_of(content[0])
