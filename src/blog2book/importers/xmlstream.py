"""Streaming an XML export record by record, in constant memory, with line numbers.

``records(path)`` yields the children of the container element (``<channel>`` of an RSS/WXR file,
the root ``<feed>`` of an Atom file) one at a time, each as a small :class:`Node` tree, and forgets
it: a 2 GB export is read with the memory of its largest post. The parser is expat (stdlib) with
entity declarations refused (no "billion laughs", no external entities: what ``defusedxml`` does),
and a malformed or truncated file raises :class:`XMLProblem` with the line and column.

Names are ``prefix:local`` with the usual prefixes whatever the file declares (``wp:`` for every
WXR version and every spelling of its namespace, http or https, ``content:``, ``excerpt:``, ``dc:``, ``atom:``), so WXR 1.0, 1.1 and 1.2 read alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from xml.parsers import expat

from blog2book.guard import MAX_XML_DEPTH

CHUNK = 1 << 16
ATOM = "http://www.w3.org/2005/Atom"


class XMLProblem(Exception):
    def __init__(self, message: str, line: int | None, col: int | None = None):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


@dataclass
class Node:
    name: str
    attrs: dict[str, str]
    line: int
    children: list["Node"] = field(default_factory=list)
    parts: list = field(default_factory=list)  # text and child nodes, in document order

    @property
    def text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))

    def find(self, name: str) -> "Node | None":
        return next((c for c in self.children if c.name == name), None)

    def findall(self, name: str) -> list["Node"]:
        return [c for c in self.children if c.name == name]

    def get(self, name: str, default: str = "") -> str:
        child = self.find(name)
        return child.text if child is not None else default


# WordPress's export vocabulary, whatever the scheme or version its writer put in the URI:
# http://wordpress.org/export/1.2/, https://…, /1.0/, /1.1/, an odd or missing version
_WP_URI = re.compile(r"^(?:https?:)?(?://)?(?:www\.)?wordpress\.org/export/", re.I)


def _prefix(uri: str) -> str:
    if _WP_URI.match(uri):
        return "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    return {
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://purl.org/dc/elements/1.1/": "dc",
        ATOM: "atom",
        "http://www.w3.org/1999/xhtml": "xhtml",
        "http://wellformedweb.org/CommentAPI/": "wfw",
    }.get(uri, uri)


def _name(raw: str) -> str:
    uri, sep, local = raw.rpartition(" ")
    return f"{_prefix(uri)}:{local}" if sep else local


def _refuse_entities(*_args) -> None:
    raise XMLProblem("the file declares XML entities, which an export never does (refused for safety)", None)


def records(path: Path) -> Iterator[Node]:
    """The container's children, in order, each complete; raises XMLProblem on bad XML."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = lambda *a: _refuse_entities()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    stack: list[Node] = []
    done: list[Node] = []
    container: list[int] = []  # depth of the container element, once known

    def start(raw: str, attrs: dict[str, str]) -> None:
        name = _name(raw)
        node = Node(name, {_name(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        if not container and (name == "channel" or (not stack and name == "atom:feed")):
            container.append(len(stack) + 1)
        if len(stack) >= MAX_XML_DEPTH:  # what is read is walked recursively (inner_xml, pandoc, the book's tree)
            raise XMLProblem(f"elements are nested more than {MAX_XML_DEPTH} levels deep; flatten the post's markup in the source (or export it as HTML text), then import again", parser.CurrentLineNumber)
        stack.append(node)

    def end(_raw: str) -> None:
        node = stack.pop()
        if container and len(stack) == container[0]:
            done.append(node)  # a child of the container: handed out, never kept
        elif stack and (not container or len(stack) > container[0]):
            stack[-1].children.append(node)
            stack[-1].parts.append(node)

    def chars(data: str) -> None:
        if stack and (not container or len(stack) > container[0]):
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    at_end = False
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(CHUNK)
                at_end = not chunk
                parser.Parse(chunk, at_end)
                yield from done
                done.clear()
                if not chunk:
                    break
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code)
        if at_end:
            message = f"the file ends before the export does ({reason}): it is truncated; export it again, or copy it again whole"
        else:
            message = f"the file is not well-formed XML: {reason}"
        raise XMLProblem(message, exc.lineno, exc.offset + 1) from None
    except XMLProblem as exc:
        raise XMLProblem(exc.message, exc.line or parser.CurrentLineNumber, None) from None


def sniff(path: Path, size: int = 8192) -> str:
    """The first bytes of a file as text, for detection."""
    with open(path, "rb") as f:
        return f.read(size).decode("utf-8", "replace")


def inner_xml(node: Node) -> str:
    """A node's content serialised back (Atom ``type="xhtml"`` content). Text and children
    and children keep their order."""
    from html import escape

    out = []
    for part in node.parts:
        if isinstance(part, str):
            out.append(escape(part, quote=False))
            continue
        tag = part.name.split(":", 1)[-1]
        attrs = "".join(f' {k.split(":", 1)[-1]}="{escape(v)}"' for k, v in part.attrs.items())
        out.append(f"<{tag}{attrs}>{inner_xml(part)}</{tag}>")
    return "".join(out)
