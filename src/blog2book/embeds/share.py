"""Share buttons dropped from the book.

A paragraph that is only share-button text ("Pin It", "Partager :", "Share this:", "Tweet",
"J’aime", "J’aime chargement…", "Like this:", "Imprimer", "Print", with network names such as
"Facebook" beside them) is dropped; "Pin It", "Partager :", "Share this:", "Like this:" and
"J’aime chargement…" are also cut from the end of a paragraph. A list whose items are all such
words (a row of buttons) is dropped too; an item of the author's own list never is. Finding: info
``share.removed``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from blog2book import tree

if TYPE_CHECKING:
    from blog2book.embeds.converter import Converter

_SHARE_ACTIONS = (
    "j'aime chargement", "pin it", "share this", "partager", "share", "tweeter", "tweet", "j'aime ceci",
    "j'aime", "like this", "like", "imprimer", "print", "chargement", "loading", "envoyer par courriel",
)
_SHARE_NETWORKS = (
    "facebook", "twitter", "linkedin", "pinterest", "reddit", "tumblr", "pocket", "whatsapp", "telegram",
    "google+", "email", "e-mail", "courriel", "plus", "more", "sur", "on", "this", "ceci",
)
_SHARE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(_SHARE_ACTIONS + _SHARE_NETWORKS, key=len, reverse=True)) + r")(?!\w)"
)
_SHARE_ACTION_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in _SHARE_ACTIONS) + r")(?!\w)")
_SHARE_TAIL = re.compile(
    r"(?:^|[ \n])(Pin It|Share this\s?:|Partager\s?:|Like this\s?:|J[’']aime chargement(?:…|\.\.\.)?)\s*$"
)


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ").lower().split())


def _is_share(text: str) -> bool:
    norm = _normalise(text)
    if not norm or not _SHARE_ACTION_RE.search(norm):
        return False
    rest = _SHARE_RE.sub(" ", norm)
    return not re.sub(r"[\s:|·•,\-–—.…/()]+", "", rest)


def _cut_share_tail(inlines: list) -> tuple[list, str] | None:
    k = len(inlines)
    while k and inlines[k - 1]["t"] in ("Str", "Space", "SoftBreak"):
        k -= 1
    tail = inlines[k:]
    text = "".join(el["c"] if el["t"] == "Str" else ("\n" if el["t"] == "SoftBreak" else " ") for el in tail)
    m = _SHARE_TAIL.search(text)
    if m is None or m.start(1) == 0 and k == 0:
        return None
    kept = text[: m.start(1)]
    rebuilt: list[dict] = []
    for piece in re.split(r"( |\n)", kept):
        if piece == " ":
            rebuilt.append(tree.Space())
        elif piece == "\n":
            rebuilt.append({"t": "SoftBreak"})
        elif piece:
            rebuilt.append(tree.Str(piece))
    return tree.strip_spaces(inlines[:k] + rebuilt), m.group(1)


def without_buttons(conv: Converter, inlines: list) -> list | None:
    """A paragraph's inlines without the share buttons that end it; None when it is only share
    buttons (outside the author's lists): the paragraph is dropped."""
    text = tree.stringify(inlines)
    if not conv.list_depth and _is_share(text):
        first = next((el["c"] for el in inlines if el["t"] == "Str"), text)
        conv.find("info", "share.removed", f"share-button text {text!r} removed", first)
        return None
    cut = _cut_share_tail(inlines)
    if cut is not None:
        inlines, removed = cut
        conv.find("info", "share.removed", f"share-button text {removed!r} removed", removed)
    return inlines


def is_button_row(conv: Converter, items: list) -> bool:
    """Whether a list's items are a row of share buttons (« Partager », networks): reported, for
    the caller to drop the list."""
    texts = [tree.stringify(item).strip() for item in items]
    if not conv.quiet_depth and texts and _is_share(" ".join(texts)):
        conv.find("info", "share.removed", f"share-button list {' · '.join(texts)!r} removed", texts[0])
        return True
    return False
