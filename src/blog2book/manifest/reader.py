"""A YAML node of the manuscript checked (a closed mapping, text, a choice, a date, a file, a
number…), every problem kept with the node's ``FILE:LINE:COL``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from blog2book import guard
from blog2book.diagnostics import Diagnostic, Location, did_you_mean, error
from blog2book.guard import shown


class Reader:
    def __init__(self, path: Path, roots: tuple[Path, ...] = ()):
        self.path = path
        self.root: tuple[Path, ...] = roots  # the project folder, then the folders --allow-outside adds
        self.diagnostics: list[Diagnostic] = []
        self.suggested: set[tuple[int, str]] = set()  # (mapping node, key) a misspelling already points at

    def loc(self, node: yaml.Node | None) -> Location:
        if node is None:
            return Location(self.path)
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def err(self, node, message: str, hint: str | None = None, code: str = "manifest.invalid") -> None:
        self.diagnostics.append(error(code, message, self.loc(node), hint))

    def missing(self, node, where: str, key: str) -> None:
        if (id(node), key) not in self.suggested:  # "unknown key 'tittle' (did you mean 'title'?)" says it all
            self.err(node, f"{where}: missing required key '{key}'", code="manifest.missing-key")

    # -- scalar helpers
    def mapping(self, node, where: str, allowed) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.err(node, f"{where}: expected a mapping (key: value), got {node_kind(node)}")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.err(key_node, f"{where}: keys must be plain words")
                continue
            if key in out:
                self.err(key_node, f"{where}: key {shown(key)} is given twice", code="manifest.duplicate-key")
                continue
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                if hint:
                    self.suggested.add((id(node), hint.split("'")[1]))
                self.err(
                    key_node,
                    f"{where}: unknown key {shown(key)}",
                    hint or "allowed: " + ", ".join(sorted(allowed)),
                    code="manifest.unknown-key",
                )
                continue
            out[key] = (key_node, value_node)
        return out

    def string(self, node, where: str, required: bool = True) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            "tag:yaml.org,2002:str",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        ):
            value = str(node.value).strip()
            bad = guard.control_char(value)
            if bad:
                self.err(node, f"{where}: contains the control character {bad}", "remove it; a title, a name or a slug is plain text", code="manifest.control-char")
                return None
            if value or not required:
                return value or None
            self.err(node, f"{where}: must not be empty")
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and not required:
            return None
        hint = "Try quoting it." if isinstance(node, yaml.ScalarNode) else None
        self.err(node, f"{where}: expected text, got {node_kind(node)}", hint)
        return None

    def choice(self, node, where: str, choices) -> str | None:
        value = self.string(node, where)
        if value is None:
            return None
        if value not in choices:
            self.err(node, f"{where}: {shown(value)} is not one of {', '.join(choices)}", did_you_mean(value, choices))
            return None
        return value

    def strings(self, node, where: str) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            return tuple(v for i, n in enumerate(node.value) if (v := self.string(n, f"{where}[{i}]")))
        value = self.string(node, where)
        return (value,) if value else ()

    def date(self, node, where: str) -> dt.date | None:
        if not isinstance(node, yaml.ScalarNode):
            self.err(node, f"{where}: expected a date like 2010-11-24, got {node_kind(node)}", code="manifest.date")
            return None
        try:
            return guard.parse_date(node.value)
        except ValueError as exc:
            self.err(node, f"{where}: {exc}", "write the date as YYYY-MM-DD, e.g. 2010-11-24", code="manifest.date")
            return None

    def file(self, node, where: str) -> Path | None:
        """A file named relative to the manuscript; it must be inside the project (the path rule)."""
        value = self.string(node, where)
        if value is None:
            return None
        path = (self.path.parent / value).resolve()
        if self.root and guard.outside(path, self.root):
            self.diagnostics.append(guard.path_error("manifest.outside-project", f"{where}:", value, self.root, self.loc(node)))
            return None
        return path


def node_kind(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node is None:
        return "nothing"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"null": "an empty value", "bool": f"a yes/no value ({shown(node.value)})"}.get(tag, f"{tag} {shown(node.value)}")


def construct(node):
    loader = guard.BookLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value
    finally:
        loader.dispose()


def integer(reader: Reader, node, where: str, allowed=None) -> int | None:
    value = construct(node)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        reader.err(node, f"{where}: expected a whole number, got {value!r}")
        return None
    if allowed and value not in allowed:
        reader.err(node, f"{where}: {value} is not one of {', '.join(map(str, allowed))}")
        return None
    return value


def boolean(reader: Reader, node, where: str) -> bool | None:
    value = construct(node)
    if not isinstance(value, bool):
        reader.err(node, f"{where}: expected true or false, got {value!r}")
        return None
    return value
