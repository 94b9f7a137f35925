"""Hugo's shortcodes in a post, turned into Markdown; no shortcode is kept.

Hugo's built-in shortcodes (and the ``*_simple`` variants themes ship):

* ``figure`` -> an image with its caption (``src``, ``caption`` or ``title`` or ``alt``);
* ``youtube``, ``vimeo``, ``x``/``tweet``/``twitter``, ``instagram``, ``gist`` -> the address of
  what they show, alone in its paragraph (the book sets it as an embed or a quoted tweet);
* ``highlight LANG`` … ``/highlight`` -> a fenced code block;
* ``ref``/``relref`` "PATH" -> the URL of the post it names (a cross-reference in the book);
* ``details`` -> its summary in bold, then its text.

An escaped shortcode (``{{</* name */>}}``) is text, as Hugo prints it. Any other shortcode is
dropped with a located warning (``import.shortcode``); the text between a shortcode and its
closing tag is kept, unless it is only a ``<style>`` or ``<script>``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Callable

from blog2book.diagnostics import Diagnostic, Location, warning

_SHORTCODE = re.compile(r"\{\{([<%])(/\*)?\s*(/?)\s*([\w.-]+)(.*?)\s*(\*/)?(/?)\s*\1?[>%]\}\}", re.S)
_ALIASES = {"tweet": "x", "twitter": "x"}
_STYLE_ONLY = re.compile(r"\A\s*<(style|script)\b", re.I)  # CSS or a script for the theme: nothing for a book


def _args(text: str) -> tuple[list[str], dict[str, str]]:
    text = text.replace("`", '"')
    try:
        words = shlex.split(text, posix=True)
    except ValueError:
        words = text.split()
    positional, named = [], {}
    for w in words:
        key, eq, value = w.partition("=")
        if eq and re.fullmatch(r"[\w-]+", key):
            named[key] = value
        else:
            positional.append(w)
    return positional, named


def _alone(text: str) -> str:
    return f"\n\n{text}\n\n"


def expand(text: str, path: Path, line: int, ref: Callable[[str], str | None], diags: list[Diagnostic]) -> str:
    """``text`` with its shortcodes turned into Markdown; warnings go to ``diags``."""
    out: list[str] = []
    pos = 0
    counted, lines = 0, 0  # the lines before ``counted``: each tag's line counted on from the last one's
    while True:
        m = _SHORTCODE.search(text, pos)
        if m is None:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:m.start()])
        pos = m.end()
        if m.group(2) and m.group(6):  # {{</* name */>}}: Hugo prints it as written, without the comment
            out.append("{{" + m.group(1) + " " + m.group(0)[len("{{x/*"):-len("*/x}}")].strip() + " " + (">" if m.group(1) == "<" else "%") + "}}")
            continue
        name = m.group(4)
        if m.group(3):  # a closing tag met alone (its opening was dropped with it)
            continue
        lines += text.count("\n", counted, m.start())
        counted = m.start()
        here = Location(path, line + lines)
        inner = None
        if not m.group(7):
            close = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}").search(text, m.end())
            if close is not None:
                inner, pos = text[m.end():close.start()], close.end()
        out.append(_one(_ALIASES.get(name.removesuffix("_simple"), name.removesuffix("_simple")), name, m.group(5), inner, here, ref, diags, m.group(0)))


def _one(name: str, written: str, args: str, inner: str | None, here: Location, ref, diags: list[Diagnostic], tag: str) -> str:
    pos, named = _args(args)
    first = named.get("id") or (pos[0] if pos else "")
    if name == "figure":
        src = named.get("src") or first
        caption = named.get("caption") or named.get("title") or named.get("alt") or ""
        caption = re.sub(r"<[^>]+>", "", caption).replace("[", "\\[").replace("]", "\\]")
        return _alone(f"![{caption}]({src})") if src else _dropped(tag, "it names no image", here, diags)
    if name in ("youtube", "vimeo", "instagram") and first:
        url = {"youtube": f"https://www.youtube.com/watch?v={first}", "vimeo": f"https://vimeo.com/{first}", "instagram": f"https://www.instagram.com/p/{first}/"}[name]
        return _alone(f"<{url}>")
    if name == "x":
        user = named.get("user") or (pos[0] if len(pos) > 1 else "")
        ident = named.get("id") or (pos[-1] if pos else "")
        if ident.isdigit():
            return _alone(f"<https://x.com/{user}/status/{ident}>" if user else f"<https://twitter.com/i/web/status/{ident}>")
    if name == "gist" and len(pos) >= 2:
        return _alone(f"<https://gist.github.com/{pos[0]}/{pos[1]}>")
    if name == "highlight":
        code = (inner or "").strip("\n")
        fence = "~~~~" if "```" in code else "```"
        return _alone(f"{fence}{first}\n{code}\n{fence}")
    if name in ("ref", "relref") and first:
        url = ref(first)
        return url if url is not None else _dropped(tag, "it names no post of the site", here, diags, "link to the post's address instead")
    if name == "details":
        summary = named.get("summary") or "Details"
        return _alone(f"**{summary}**") + (inner or "").strip("\n") + "\n\n"
    kept = inner if inner is not None and not _STYLE_ONLY.match(inner) else ""
    why = "a shortcode of the site's theme, which the book does not have" + ("; the text inside it is kept" if kept.strip() else "")
    return _dropped(tag, why, here, diags) + kept


def _dropped(tag: str, why: str, here: Location, diags: list[Diagnostic], hint: str | None = None) -> str:
    shown = " ".join(tag.split())
    shown = shown if len(shown) <= 70 else shown[:67] + "…"
    diags.append(warning("import.shortcode", f"the shortcode {shown} is dropped: {why}", here, hint or "write what it showed as Markdown in the imported post if the book needs it"))
    return ""
