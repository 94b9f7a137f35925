"""Jekyll's Liquid in a post, resolved where the post alone says what it gives; no Liquid is kept.

A small resolver, not a Liquid engine (``python-liquid`` would need the site's ``_includes``,
layouts and plugins, and would run loops and conditions over data we do not have: a page of the
blog rebuilt, not the post's text). What it resolves:

* ``{{ site.X }}``, ``{{ page.X }}``, ``{{ site.data.a.b }}``, ``site.urlalt[ page.language ]``,
  string literals, ``{% assign %}``; filters ``relative_url``, ``absolute_url``, ``prepend``,
  ``append``, ``default``, ``date``, ``date_to_string``, ``downcase``, ``upcase``, ``capitalize``,
  ``strip``, ``escape``, ``slugify``, ``replace``, ``remove``, ``join``, ``first``, ``last``,
  ``size``, ``uri_escape``, ``markdownify``; per-language maps give the post's language;
* ``{% post_url NAME %}`` and ``{% link PATH %}``: the post's URL (``Site.post_url``/``Site.link``);
* ``{% highlight LANG %}`` … ``{% endhighlight %}``: a fenced code block;
* ``{% raw %}`` … ``{% endraw %}``: its text, as written; ``{% comment %}`` … : nothing;
* ``{% gist USER/ID %}``, ``{% youtube ID %}``, ``{% vimeo ID %}`` (common plugins): the address,
  which the book sets as an embed;
* ``{% include … src="/images/x.png" alt="…" %}``: the image it shows (with a warning).

Every other tag (``{% include %}``, ``{% if %}``, ``{% for %}``…) and every value that cannot be
known is dropped, with one located warning per occurrence (``import.template-tag``); the text
between ``{% if %}`` and ``{% endif %}`` is kept (it is the author's).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from blog2book.diagnostics import Diagnostic, Location, warning
from blog2book.importers.siteconfig import pick
from blog2book.sources import slugify

_TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_CLOSERS = {"else", "elsif", "when", "break", "continue", "endif", "endfor", "endunless", "endcase", "endcapture", "endtablerow", "endpaginate"}
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|avif)(?:[?#].*)?$", re.I)
_ARG = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)""")
_PATH = re.compile(r"""\s*(?:([A-Za-z_][\w-]*)|\.([A-Za-z_][\w-]*)|\[\s*("[^"]*"|'[^']*'|[^\]]+?)\s*\])""")


class Undefined(Exception):
    pass


@dataclass
class Site:
    """What the resolver knows of the site and the post."""

    variables: dict[str, Any]  # site, page, and what {% assign %} sets
    lang: str | None
    address: str  # url + baseurl, for the post's language
    baseurl: str
    post_url: Callable[[str], str | None]  # "2020-05-26-title" -> the post's URL
    link: Callable[[str], str | None]  # "_posts/2020-05-26-title.md", "/about.md" -> its URL
    diags: list[Diagnostic] = field(default_factory=list)


def resolve(text: str, path: Path, line: int, site: Site) -> str:
    """``text`` (the body, starting at ``line`` of ``path``) without Liquid; warnings in ``site.diags``."""
    out: list[str] = []
    pos = 0
    counted, lines = 0, 0  # the lines before ``counted``: each tag's line counted on from the last one's
    while True:
        m = _TAG.search(text, pos)
        if m is None:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:m.start()])
        lines += text.count("\n", counted, m.start())
        counted = m.start()
        here = Location(path, line + lines)
        if m.group(1) is not None:
            name, args = (re.split(r"\s+", m.group(1), maxsplit=1) + [""])[:2]
            args = args.strip()
            if name in ("for", "tablerow"):  # a loop's body is a template for each item, not the author's text
                _drop(m.group(0), "a loop, which the book cannot run; its body goes with it", here, site)
                pos = _loop_end(text, m.end(), name)
                continue
            if name in ("raw", "comment", "highlight", "capture"):
                end = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, m.end())
                inner = text[m.end():end.start() if end else len(text)]
                inner_line = line + text.count("\n", 0, m.end())
                out.append(_block(name, args, inner, path, inner_line, here, site))
                pos = end.end() if end else len(text)
                continue
            value = _tag(name, args, m.group(0), here, site)
        else:
            value = _output(m.group(2), m.group(0), here, site)
        pos = m.end()
        if value == "":
            pos = _drop_line(text, out, m, pos)
        out.append(value)


def _loop_end(text: str, pos: int, name: str) -> int:
    """Where the loop opened before ``pos`` ends (after its ``end`` tag; loops inside it counted)."""
    depth = 1
    for m in re.finditer(r"\{%-?\s*(end)?" + name + r"\b.*?-?%\}", text[pos:], re.S):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = pos + m.end()
            return end + 1 if text[end:end + 1] == "\n" else end
    return len(text)


def _drop_line(text: str, out: list[str], m: re.Match, pos: int) -> int:
    """A tag that gives nothing, alone on its line: the line goes (no blank line left in a list)."""
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    end = len(text) if end < 0 else end
    if text[start:m.start()].strip() or text[m.end():end].strip():
        return pos
    if out and out[-1].endswith(text[start:m.start()]):
        out[-1] = out[-1][: len(out[-1]) - (m.start() - start)]
    return min(end + 1, len(text))


def _shown(tag: str) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= 70 else tag[:67] + "…"


def _drop(tag: str, why: str, where: Location, site: Site, hint: str | None = None) -> str:
    site.diags.append(warning("import.template-tag", f"the Liquid {_shown(tag)} is dropped: {why}", where, hint or "write what it showed as Markdown in the imported post if the book needs it"))
    return ""


def _block(name: str, args: str, inner: str, path: Path, line: int, here: Location, site: Site) -> str:
    if name == "raw":
        return inner
    if name == "comment":
        return ""
    if name == "capture":
        var = args.split()[0] if args.split() else ""
        if var:
            site.variables[var] = resolve(inner, path, line, site).strip()
        return ""
    code = resolve(inner, path, line, site).strip("\n")
    lang = args.split()[0] if args.split() else ""
    fence = "~~~~" if "```" in code else "```"
    return f"\n\n{fence}{lang}\n{code}\n{fence}\n\n"


def _tag(name: str, args: str, tag: str, here: Location, site: Site) -> str:
    if name in _CLOSERS or name.startswith("end"):
        return ""
    if name == "post_url":
        url = site.post_url(args.strip().strip("\"'"))
        return url if url is not None else _drop(tag, "no post of the site has this name", here, site, "link to the post's address instead")
    if name == "link":
        url = site.link(args.strip().strip("\"'"))
        return url if url is not None else _drop(tag, "no file of the site has this path", here, site, "link to the page's address instead")
    if name == "assign":
        var, eq, expr = args.partition("=")
        if eq and var.strip():
            try:
                site.variables[var.strip()] = _evaluate(expr, site)
            except Undefined as exc:
                site.variables[var.strip()] = None
                _drop(tag, f"'{exc}' is not known", here, site)
        return ""
    if name in ("gist", "youtube", "vimeo") and args:
        ident = args.split()[0].strip("\"'")
        url = {"gist": f"https://gist.github.com/{ident}", "youtube": f"https://www.youtube.com/watch?v={ident}", "vimeo": f"https://vimeo.com/{ident}"}[name]
        return f"\n\n<{url}>\n\n"
    if name in ("include", "include_relative"):
        params = {k: v.strip("\"'") for k, v in _ARG.findall(args)}
        image = next((v for k, v in params.items() if k in ("src", "image", "img", "url", "file", "path") and _IMAGE.search(v)), None)
        if image is not None:
            alt = params.get("alt") or params.get("caption") or params.get("title") or ""
            site.diags.append(warning("import.template-tag", f"the Liquid {_shown(tag)} is replaced by the image it names", here, "check the image and its text in the imported post"))
            return f"![{_md_text(alt)}]({_md_url(image)})"
        return _drop(tag, "an include of the site's theme, which the book does not have", here, site)
    if name in ("if", "unless", "elsif", "case", "cycle", "increment", "decrement", "paginate"):
        return _drop(tag, "a condition, which the book cannot test; the text it holds is kept", here, site)
    return _drop(tag, f"'{name}' is a tag the import does not resolve", here, site)


def _md_text(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)


def _md_url(url: str) -> str:
    return "<" + url + ">" if re.search(r"[\s()]", url) else url


def _output(expr: str, tag: str, here: Location, site: Site) -> str:
    try:
        value = _evaluate(expr, site, here)
    except Undefined as exc:
        return _drop(tag, f"'{exc}' is not known", here, site, "write its value in the imported post, or add it to _config.yml and import again")
    value = pick(value, site.lang)
    if value is None or isinstance(value, dict):
        return _drop(tag, "it gives no text", here, site)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _split(text: str, sep: str) -> list[str]:
    """``text`` split on ``sep`` outside quotes."""
    parts, cur, quote_char = [], [], ""
    for ch in text:
        if quote_char:
            quote_char = "" if ch == quote_char else quote_char
        elif ch in "\"'":
            quote_char = ch
        elif ch == sep:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def _evaluate(expr: str, site: Site, here: Location | None = None) -> Any:
    pieces = _split(expr, "|")
    value = _value(pieces[0], site)
    for piece in pieces[1:]:
        name, _, rest = piece.partition(":")
        args = [_value(a, site) for a in _split(rest, ",")] if rest.strip() else []
        value = _filter(name.strip(), value, args, site, here)
    return value


def _value(text: str, site: Site) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    if text in ("true", "false"):
        return text == "true"
    if text in ("nil", "null", "empty", "blank", ""):
        return None
    return _lookup(text, site)


def _lookup(text: str, site: Site) -> Any:
    pos, current, first = 0, None, True
    while pos < len(text):
        m = _PATH.match(text, pos)
        if m is None or m.end() == pos:
            raise Undefined(text)
        pos = m.end()
        if first:
            if m.group(1) not in site.variables:
                raise Undefined(text)
            current, first = site.variables[m.group(1)], False
            continue
        key = m.group(2) if m.group(2) is not None else _value(m.group(3), site)
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif isinstance(current, (list, tuple, str)) and key in ("size", "first", "last"):
            current = len(current) if key == "size" else (current[0] if key == "first" else current[-1]) if current else None
        elif isinstance(current, (list, tuple)) and isinstance(key, int) and -len(current) <= key < len(current):
            current = current[key]
        else:
            raise Undefined(text)
    return current


def _filter(name: str, value: Any, args: list, site: Site, here: Location | None) -> Any:
    arg = args[0] if args else None
    text = "" if value is None else str(pick(value, site.lang))
    if name == "relative_url":
        return text if re.match(r"^[a-z]+:", text) else site.baseurl.rstrip("/") + "/" + text.lstrip("/")
    if name == "absolute_url":
        return text if re.match(r"^[a-z]+:", text) else site.address.rstrip("/") + "/" + text.lstrip("/")
    if name == "prepend":
        return str(pick(arg, site.lang) or "") + text
    if name == "append":
        return text + str(pick(arg, site.lang) or "")
    if name == "default":
        return value if value not in (None, "", False, [], {}) else arg
    if name in ("date", "date_to_string", "date_to_long_string", "date_to_xmlschema"):
        return _date(value, name, str(arg or ""))
    simple = {
        "downcase": str.lower, "upcase": str.upper, "capitalize": str.capitalize, "strip": str.strip,
        "escape": str, "xml_escape": str, "markdownify": str, "strip_html": lambda t: re.sub(r"<[^>]+>", "", t),
        "slugify": slugify, "uri_escape": lambda t: quote(t, safe="/:?#[]@!$&'()*+,;=%"), "url_encode": lambda t: quote(t, safe=""),
    }
    if name in simple:
        return simple[name](text)
    if name == "replace" and len(args) == 2:
        return text.replace(str(args[0]), str(args[1]))
    if name == "remove" and arg is not None:
        return text.replace(str(arg), "")
    if name in ("join", "first", "last", "size") and isinstance(value, (list, tuple)):
        return {"join": lambda: str(arg if arg is not None else " ").join(map(str, value)), "first": lambda: value[0] if value else None,
                "last": lambda: value[-1] if value else None, "size": lambda: len(value)}[name]()
    if name == "size":
        return len(text)
    if here is not None:
        site.diags.append(warning("import.template-tag", f"the Liquid filter '{name}' is not applied", here, "check the value in the imported post"))
    return value


def _date(value: Any, name: str, fmt: str) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    if name == "date_to_xmlschema":
        return value.isoformat()
    fmt = {"date_to_string": "%d %b %Y", "date_to_long_string": "%d %B %Y"}.get(name, fmt or "%Y-%m-%d")
    return value.strftime(fmt)
