"""WordPress shortcodes turned into the HTML the rest of the converter understands.

``expand(text, attachments)`` returns the text with every shortcode blog2book knows replaced, and
the findings for the author (needles located by the caller):

* ``[caption …]<img …/> Légende[/caption]`` (``wp_caption`` too, with or without a link around the
  image, or a ``caption="…"`` attribute) -> ``<figure><img …/><figcaption>Légende</figcaption></figure>``;
* ``[embed]URL[/embed]``, ``[youtube URL]`` / ``[youtube=URL]``, ``[vimeo ID|URL]``,
  ``[dailymotion ID]``, ``[tweet URL]``, ``[video src|mp4=…]``, ``[audio src|mp3=…]`` -> a paragraph
  that is the link to that address (the transformer prints it as « Vidéo : … », a tweet…);
* ``[gallery ids="1,2"]`` -> its images (a figure each, captioned by the attachment's caption, with
  its alt text) when ``attachments`` (id -> Attachment or URL, from the export) knows them, otherwise
  a warning naming the missing ids; ``[gallery]`` without ids -> the images attached to the post
  (``post_id``), in their menu order, as WordPress shows them;
* an unknown shortcode (``[name …]…[/name]`` or ``[name key=value]``) stays as text, with a warning;
* ``[[name]]`` is WordPress's escape: it prints ``[name]``.

``caption_figure(inlines)`` reads the ``[caption]`` shortcode left in a paragraph of a post pandoc
read without it being expanded (Markdown…): ``[caption id=… align=…]<img src=… alt=…/>
Caption[/caption]`` (with or without an ``<a>`` around the image, or a ``caption="…"`` attribute)
becomes a Figure with that caption.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Mapping

from blog2book import tree
from blog2book.embeds.common import Attachment, Attachments, Finding, attachment, text_inlines

KNOWN = ("caption", "wp_caption", "embed", "youtube", "vimeo", "dailymotion", "tweet", "video", "audio", "gallery")

_VIDEO_ATTRS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
_AUDIO_ATTRS = ("src", "mp3", "ogg", "oga", "wav", "m4a", "wma", "flac")


def _regex(names: str) -> re.Pattern:
    """WordPress's ``get_shortcode_regex`` for the names given (a regex alternative)."""
    return re.compile(
        r"\[(\[?)(" + names + r")(?![\w-])"
        r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)"
        r"(\]?)",
        re.S,
    )


_KNOWN_RE = _regex("|".join(KNOWN))
_ANY_RE = _regex(r"[A-Za-z][\w-]*")

_ATTR_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)


def parse_attrs(text: str) -> tuple[dict[str, str], list[str]]:
    """WordPress's ``shortcode_parse_atts``: named attributes (lower-cased keys) and positional ones."""
    text = html.unescape(text).replace("\u00a0", " ").replace("\u200b", " ")
    text = re.sub(r"[\u201c\u201d\u2033\u00ab\u00bb]", '"', text).replace("\u2019", "'").replace("\u2032", "'")
    named: dict[str, str] = {}
    positional: list[str] = []
    for m in _ATTR_RE.finditer(text.strip()):
        if m.group(1):
            named[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            named[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            named[m.group(5).lower()] = m.group(6)
        elif m.group(7) is not None:
            positional.append(m.group(7))
        elif m.group(8) is not None:
            positional.append(m.group(8))
        elif m.group(9):
            positional.append(m.group(9))
    return named, positional


_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.I)


def is_image(url: str) -> bool:
    return bool(_IMAGE_EXT.search(url.split("?", 1)[0]))


def figure_html(a: Attachment) -> str:
    """An attachment as the HTML the converter reads: an image with its alt text, in a figure
    captioned by the attachment's caption when it has one."""
    img = f'<img src="{html.escape(a.url, quote=True)}" alt="{html.escape(a.alt, quote=True)}" />'
    if a.caption.strip():
        return f"\n\n<figure>{img}<figcaption>{a.caption.strip()}</figcaption></figure>\n\n"
    return f"\n\n<p>{img}</p>\n\n"


def _link_para(url: str) -> str:
    url = html.escape(url.strip(), quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def _is_url(url: str) -> bool:
    return bool(re.match(r"^(?:https?:)?//[^\s/]+\.\S+$", url.strip(), re.I))


def _head(m: re.Match) -> str:
    """The needle of a shortcode: its opening tag (short enough to sit on one line)."""
    opening = m.group(0).split("]", 1)[0] + "]"
    return opening.split("\n", 1)[0][:60]


class _Expander:
    def __init__(self, attachments: Mapping[int, "Attachment | str"] | None, post_id: int | None = None) -> None:
        self.attachments = attachments or {}
        self.post_id = post_id
        self.findings: list[tuple[int, Finding]] = []  # (offset in the text, finding)
        self.at = 0

    def warn(self, code: str, message: str, needle: str, level: str = "warning") -> None:
        self.findings.append((self.at, Finding(level, code, message, needle)))

    def __call__(self, m: re.Match) -> str:
        if m.group(1) == "[" and m.group(6) == "]":  # [[name]]: WordPress prints [name]
            return m.group(0)[1:-1]
        name = m.group(2)
        self.at = m.start()
        named, positional = parse_attrs(m.group(3) or "")
        content = m.group(5) or ""
        needle = _head(m)
        handler = getattr(self, "do_" + name, None)
        out = handler(named, positional, content, needle)
        return m.group(1) + out + m.group(6)

    # ----- figures

    def do_caption(self, named, positional, content, needle) -> str:
        img = re.search(r"<img\b[^>]*>", content, re.I)
        if img is None:
            self.warn("shortcode.caption", "[caption] without an image: its text is kept as a paragraph", needle)
            return f"\n\n<p>{content.strip()}</p>\n\n"
        text = content[: img.start()] + content[img.end():]
        text = re.sub(r"<a\b[^>]*>\s*</a>", "", text, flags=re.I)  # the link that held the image
        text = text.strip()
        if not text and named.get("caption"):
            text = html.escape(named["caption"], quote=False)
        caption = f"<figcaption>{text}</figcaption>" if text else ""
        return f"\n\n<figure>{img.group(0)}{caption}</figure>\n\n"

    do_wp_caption = do_caption

    def do_gallery(self, named, positional, content, needle) -> str:
        ids = [x for x in re.split(r"[\s,]+", named.get("ids", named.get("include", ""))) if x]
        if ids:
            found = [(x, self.attachments.get(int(x)) if x.isdigit() else None) for x in ids]
            missing = [x for x, a in found if a is None]
            images = [attachment(a, int(x)) for x, a in found if a is not None]
            if missing:
                self.warn("shortcode.gallery", f"[gallery]: image{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found in the export", needle)
        else:  # WordPress shows the images uploaded to the post, in their menu order
            excluded = {x for x in re.split(r"[\s,]+", named.get("exclude", "")) if x}
            attached = Attachments(self.attachments) if not isinstance(self.attachments, Attachments) else self.attachments
            images = [a for a in attached.children(self.post_id or 0) if is_image(a.url) and str(a.id) not in excluded]
            if not images:
                self.warn("shortcode.gallery", "[gallery] without ids showed the images uploaded to the post, and none is known here: nothing is printed for it", needle)
        if named.get("order", "").upper() == "DESC":
            images.reverse()
        if images:
            self.warn("shortcode.gallery", f"[gallery] printed as its image{'s' if len(images) > 1 else ''} ({len(images)})", needle, level="info")
        return "".join(figure_html(a) for a in images)

    # ----- embeds

    def _embed(self, url: str | None, name: str, needle: str) -> str:
        if url and url.startswith("//"):
            url = "https:" + url
        if not url or not _is_url(url):
            self.warn(f"shortcode.{name}", f"[{name}] without a web address: nothing is printed for it", needle)
            return ""
        return _link_para(url)

    def do_embed(self, named, positional, content, needle) -> str:
        url = re.sub(r"<[^>]+>", "", content).strip() or named.get("src") or named.get("url")
        return self._embed(html.unescape(url or ""), "embed", needle)

    def _first(self, named, positional, content, keys=("url", "src", "id")) -> str:
        for value in positional:
            value = value.lstrip("=")
            if value:
                return value
        for key in keys:
            if named.get(key):
                return named[key]
        for key, value in named.items():  # [youtube=https://…?v=x&w=1] reads as a key
            if key.startswith("=") or value.startswith("http"):
                return value
        return content.strip()

    def do_youtube(self, named, positional, content, needle) -> str:
        raw = self._first(named, positional, content)
        if raw and not raw.startswith(("http", "//", "www.", "youtu")):
            raw = f"https://www.youtube.com/watch?v={raw}"
        elif raw.startswith(("www.", "youtu")):
            raw = "https://" + raw
        return self._embed(raw, "youtube", needle)

    def do_vimeo(self, named, positional, content, needle) -> str:
        raw = self._first(named, positional, content)
        if raw.isdigit():
            raw = f"https://vimeo.com/{raw}"
        return self._embed(raw, "vimeo", needle)

    def do_dailymotion(self, named, positional, content, needle) -> str:
        raw = self._first(named, positional, content)
        if raw and re.fullmatch(r"\w+", raw):
            raw = f"https://www.dailymotion.com/video/{raw}"
        return self._embed(raw, "dailymotion", needle)

    def do_tweet(self, named, positional, content, needle) -> str:
        raw = self._first(named, positional, content, keys=("url", "tweet", "id"))
        if raw.isdigit():
            raw = f"https://twitter.com/i/web/status/{raw}"
        return self._embed(raw, "tweet", needle)

    def do_video(self, named, positional, content, needle) -> str:
        url = next((named[k] for k in _VIDEO_ATTRS if named.get(k)), None)
        return self._embed(url, "video", needle)

    def do_audio(self, named, positional, content, needle) -> str:
        url = next((named[k] for k in _AUDIO_ATTRS if named.get(k)), None)
        return self._embed(url, "audio", needle)


def expand(text: str, attachments: Mapping[int, "Attachment | str"] | None = None, post_id: int | None = None) -> tuple[str, list[Finding]]:
    """``text`` with the known shortcodes expanded and the unknown ones reported (kept as text);
    ``post_id`` is the post's own id (``[gallery]`` without ids shows the images attached to it)."""
    if "[" not in text:
        return text, []
    expander = _Expander(attachments, post_id)
    expander.findings.extend(_unknown(text))
    text = _KNOWN_RE.sub(expander, text)  # one pass, as WordPress: "[[gallery]]" prints "[gallery]"
    return text, [f for _, f in sorted(expander.findings, key=lambda x: x[0])]


def known_in(text: str) -> list[re.Match]:
    """The shortcodes blog2book knows in ``text`` (escaped ``[[name]]`` ones excepted)."""
    return [m for m in _KNOWN_RE.finditer(text) if not (m.group(1) == "[" and m.group(6) == "]")]


def unknown(text: str) -> list[Finding]:
    """Findings for the shortcodes blog2book does not know: ``[name …]…[/name]`` or ``[name a=b]``."""
    return [f for _, f in _unknown(text)]


def _unknown(text: str) -> list[tuple[int, Finding]]:
    found: list[tuple[int, Finding]] = []
    seen: set[str] = set()
    for m in _ANY_RE.finditer(text):
        if m.group(1) == "[" and m.group(6) == "]":
            continue
        name = m.group(2)
        if name in KNOWN or (m.group(5) is None and m.group(4) is None and "=" not in (m.group(3) or "")):
            continue  # "[sic]", "[1]", "[note]": brackets in prose, not shortcodes
        needle = _head(m)
        if needle in seen:
            continue
        seen.add(needle)
        message = f"unknown WordPress shortcode [{name}] kept as text"
        found.append((m.start(), Finding("warning", "shortcode.unknown", message, needle)))
    return found


def caption_figure(inlines: list) -> dict | None:
    """The Figure of a paragraph's inlines that are a ``[caption]`` shortcode around an image (its
    text the caption), None for other inlines."""
    if not inlines or inlines[0]["t"] != "Str" or not inlines[0]["c"].startswith("[caption"):
        return None
    last = inlines[-1]
    if last["t"] != "Str" or not last["c"].endswith("[/caption]"):
        return None
    # the attributes run to the first "]" of a Str; the image follows
    k = 0
    head: list[str] = []
    while k < len(inlines):
        el = inlines[k]
        head.append(" " if el["t"] in ("Space", "SoftBreak") else el.get("c", "") if el["t"] == "Str" else "")
        k += 1
        if el["t"] == "Str" and el["c"].endswith("]"):
            break
    rest = inlines[k:]
    image = None
    idx = None
    for n, el in enumerate(rest):
        if el["t"] == "Image":
            image, idx = el, n
            break
        if el["t"] == "Link" and len(el["c"][1]) == 1 and el["c"][1][0]["t"] == "Image":
            image, idx = el["c"][1][0], n
            break
    if image is None:
        return None
    caption = list(rest[idx + 1:])
    end = caption[-1]["c"][: -len("[/caption]")] if caption else ""
    caption = caption[:-1] + ([tree.Str(end)] if end else [])
    caption = tree.strip_spaces(caption)
    if not caption:
        m = re.search(r'caption="([^"]*)"', "".join(head))
        caption = text_inlines(m.group(1)) if m else []
    attr, alt, target = image["c"]
    if not alt and caption:
        alt = copy.deepcopy(caption)
    img = {"t": "Image", "c": [attr, alt, target]}
    return {"t": "Figure", "c": [["", [], []], [None, [tree.Plain(caption)] if caption else []], [tree.Plain([img])]]}
