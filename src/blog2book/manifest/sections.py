"""The manuscript's ``index:``, ``print:``, ``copyright:`` sections and ``also_by:`` as a list."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from blog2book.diagnostics import Location
from blog2book.manifest.reader import Reader, boolean, construct, integer, node_kind
from blog2book.manifest.spec import (
    COPYRIGHT_KEYS,
    PAPERS,
    PDFX_CHOICES,
    PRINT_COLOURS,
    PRINT_KEYS,
    PRINT_PROFILES,
    SIGNATURES,
    WORK_KEYS,
    CopyrightSpec,
    IndexSpec,
    PrintSpec,
    Work,
)


def read_index(reader: Reader, node) -> IndexSpec | None:
    m = reader.mapping(node, "index", ("terms", "from_tags", "see", "people", "titles"))
    if m is None:
        return None
    lists: dict[str, list[tuple[str, Location]]] = {"terms": [], "people": [], "titles": []}
    examples = {"terms": "terms: [Twitter, « Obama, Barack »]", "people": "people: [Malcolm Gladwell, « Tapscott, Don »]", "titles": "titles: [Les médias sociaux 101]"}
    for key, terms in lists.items():
        if key not in m:
            continue
        tnode = m[key][1]
        if not isinstance(tnode, yaml.SequenceNode):
            reader.err(tnode, f"index.{key}: expected a list of {'terms' if key == 'terms' else key}, got {node_kind(tnode)}", f"write {examples[key]}")
            continue
        for i, item in enumerate(tnode.value):
            term = reader.string(item, f"index.{key}[{i}]")
            if term and (key != "terms" or _index_term_ok(reader, item, f"index.{key}[{i}]", term)):
                terms.append((term, reader.loc(item)))
    from_tags = False
    if "from_tags" in m:
        fnode = m["from_tags"][1]
        value = construct(fnode)
        if isinstance(value, bool):
            from_tags = value
        else:
            reader.err(fnode, f"index.from_tags: expected true or false, got {node_kind(fnode)}")
    see: list[tuple[str, tuple[str, ...], Location]] = []
    if "see" in m:
        snode = m["see"][1]
        if not isinstance(snode, yaml.MappingNode):
            reader.err(snode, f"index.see: expected a mapping (term: other term), got {node_kind(snode)}", "write see: {Gazouillis: Twitter}")
        else:
            for key_node, value_node in snode.value:
                term = reader.string(key_node, "index.see")
                targets = reader.strings(value_node, f"index.see.{term}")
                if term and targets and _index_term_ok(reader, key_node, "index.see", term):
                    see.append((term, targets, reader.loc(key_node)))
    return IndexSpec(reader.loc(node), tuple(lists["terms"]), from_tags, tuple(see), tuple(lists["people"]), tuple(lists["titles"]))


def _index_term_ok(reader: Reader, node, where: str, term: str) -> bool:
    if any(not part.strip() for part in term.split("!")) or term.count("!") > 1:
        reader.err(node, f"{where}: '{term}' is not an index term", "a term, or a term and one sub-entry: Twitter!politique")
        return False
    return True


def _keyed(reader: Reader, node, name: str, keys, value, record):
    """A section's mapping read key by key (``value(key, node, where)``), the values read as None
    left out: ``record(location=…, **values)``, or None when the section is no mapping."""
    m = reader.mapping(node, name, keys)
    if m is None:
        return None
    values = {key: value(key, v, f"{name}.{key}") for key, (_, v) in m.items()}
    return record(location=reader.loc(node), **{k: v for k, v in values.items() if v is not None})


def read_print(reader: Reader, node) -> PrintSpec | None:
    icc_at: list[Location] = []

    def value(key: str, v, where: str) -> Any:
        if key == "icc":  # the printer's CMYK profile: whether it is one is checked when the print file is made
            path = reader.file(v, where)
            if path is not None and not path.is_file():
                reader.err(v, f"{where}: file '{v.value}' does not exist", "the printer's ICC profile, a file inside the project", code="manifest.missing-file")
                return None
            icc_at.append(reader.loc(v))
            return path
        elif key == "profile":
            return reader.choice(v, where, PRINT_PROFILES)
        elif key == "pdfx":
            return reader.choice(v, where, PDFX_CHOICES)
        elif key == "colour":
            return _colour(reader, v, where)
        elif key == "paper":
            return reader.choice(v, where, PAPERS)
        elif key == "signature":
            return integer(reader, v, where, SIGNATURES)
        elif key == "ppi":
            return integer(reader, v, where)
        elif key in ("crop_marks", "bookmarks"):
            return boolean(reader, v, where)
        elif key == "date":
            return reader.date(v, where)
        elif key == "price":
            price = reader.string(v, where)
            if price and not re.fullmatch(r"\d{5}", price):
                reader.err(v, f"{where}: '{price}' is not a five-digit price code", "the EAN-5 add-on: 5 then the US$ price in cents (52495 = 24.95 US$), 6 for CA$")
                return None
            return price
        return reader.string(v, where)

    spec = _keyed(reader, node, "print", PRINT_KEYS, value, PrintSpec)
    return replace(spec, icc_location=icc_at[0]) if spec is not None and spec.icc is not None else spec


def _colour(reader: Reader, node, where: str) -> str | None:
    """``black``, ``cmyk`` or ``spot NAME`` (the accent on a spot plate named as the printer's ink)."""
    value = reader.string(node, where)
    if value is None or value.split(None, 1)[:1] != ["spot"]:
        return reader.choice(node, where, PRINT_COLOURS) if value is not None else None
    name = value[4:].strip()
    if not name or name in ("All", "None") or len(name) > 63 or not name.isprintable():
        reader.err(node, f"{where}: {value!r} names no ink", "spot and the ink's name as the printer knows it, e.g. 'spot PANTONE 7621 C'")
        return None
    return f"spot {name}"


def read_copyright(reader: Reader, node) -> CopyrightSpec | None:
    if isinstance(node, yaml.ScalarNode):  # the file alone
        p = reader.file(node, "copyright")
        if p is not None and not p.is_file():
            reader.err(node, f"copyright: file '{p}' does not exist", code="manifest.missing-file")
            return None
        return CopyrightSpec(file=p, location=reader.loc(node))

    def value(key: str, v, where: str) -> Any:
        if key == "file":
            p = reader.file(v, where)
            if p is not None and not p.is_file():
                reader.err(v, f"{where}: file '{p}' does not exist", code="manifest.missing-file")
            return p
        elif key == "grants":
            return boolean(reader, v, where)
        return reader.string(v, where)

    return _keyed(reader, node, "copyright", COPYRIGHT_KEYS, value, CopyrightSpec)


def read_works(reader: Reader, node) -> tuple[tuple[Work, ...], str | None]:
    """``also_by: [{title:, subtitle:, kind:, publisher:, year:}, …]``, or ``{title: « De la même
    auteure », books: [...]}``: the author's other books, and the page's title if given."""
    title = None
    if isinstance(node, yaml.MappingNode):
        m = reader.mapping(node, "also_by", ("title", "books")) or {}
        title = reader.string(m["title"][1], "also_by.title") if "title" in m else None
        if "books" not in m:
            reader.missing(node, "also_by", "books")
            return (), title
        node = m["books"][1]
        if not isinstance(node, yaml.SequenceNode):
            reader.err(node, f"also_by.books: expected a list of books, got {node_kind(node)}", "write books: [{title: …, year: …}, …]")
            return (), title
    works = []
    for i, item in enumerate(node.value):
        where = f"also_by[{i}]"
        m = reader.mapping(item, where, WORK_KEYS)
        if m is None:
            continue
        if "title" not in m:
            reader.missing(item, where, "title")
            continue
        text = {key: reader.string(m[key][1], f"{where}.{key}") for key in ("title", "subtitle", "kind", "publisher") if key in m}
        year = integer(reader, m["year"][1], f"{where}.year") if "year" in m else None
        if text.get("title"):
            works.append(Work(text["title"], text.get("subtitle"), text.get("kind"), text.get("publisher"), year, reader.loc(item)))
    return tuple(works), title
