"""The marks listed: one line each, as the build's diagnostics are (``file:line:col: …
[corrections.kind]``), and the report written as Markdown or HTML (``--report OUT.md|OUT.html``)."""

from __future__ import annotations

import html
from pathlib import Path

from blog2book.roundtrip.apply import APPLY, CONFLICT, DONE, NOTE, Located
from blog2book.roundtrip.locate import printed
from blog2book.roundtrip.marks import DELETE, INSERT, REPLACE

_LABEL = {DELETE: "delete", INSERT: "insert", REPLACE: "replace", "comment": "comment"}


def _short(text: str, limit: int = 80) -> str:
    text = printed(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def where(item: Located) -> str:
    return str(item.source) if item.source is not None else f"({item.mark.where})"


def what(item: Located) -> str:
    m = item.mark
    if m.kind in (DELETE, REPLACE) and not m.quoted:
        body = m.kind + (f" with « {_short(m.text)} »" if m.text else "")
    elif m.kind == DELETE:
        body = f"delete « {_short(m.quoted)} »"
    elif m.kind == INSERT:
        body = f"insert « {_short(m.text)} » after « {_short(m.before[-20:])} »"
    elif m.kind == REPLACE:
        body = f"replace « {_short(m.quoted)} » with « {_short(m.text)} »"
    else:
        body = f"{m.what.lower() or 'comment'}" + (f" on « {_short(m.quoted)} »" if m.quoted else "") + (f": {_short(m.note, 200)}" if m.note else "")
    if m.kind != "comment" and m.note:
        body += f" (note: {_short(m.note, 120)})"
    return body


def byline(item: Located) -> str:
    m = item.mark
    facts = [f for f in (m.author, m.date, f"p. {m.page}" if m.page else "") if f]
    return f" — {', '.join(facts)}" if facts else ""


def line(item: Located) -> str:
    """One mark as the command prints it."""
    status = {APPLY: "", DONE: " (already made)", NOTE: "", CONFLICT: " — CONFLICT"}[item.status]
    text = f"{where(item)}: {what(item)}{byline(item)}{status}"
    if item.status == CONFLICT:
        text += f": {item.reason}"
        if item.mark.quoted or item.mark.before:
            proof = f"{item.mark.before[-30:]}[{item.mark.quoted}]{item.mark.after[:30]}" if item.mark.quoted else item.mark.before[-30:] + "^" + item.mark.after[:30]
            text += f"; the proof reads « {_short(proof, 120)} »"
        if item.now:
            text += f", the post now reads « {_short(item.now, 120)} »"
    code = "conflict" if item.status == CONFLICT else _LABEL[item.mark.kind]
    return f"{text} [corrections.{code}]"


def write(path: Path, items: list[Located], proof: str, build: str) -> str:
    """The report's text (Markdown, or HTML for a .html/.htm path)."""
    counts = _counts(items)
    if path.suffix.lower() in (".html", ".htm"):
        rows = "\n".join(
            f"<tr class=\"{i.status}\"><td>{html.escape(where(i))}</td><td>{html.escape(_LABEL[i.mark.kind])}</td>"
            f"<td>{html.escape(printed(i.mark.quoted))}</td><td>{html.escape(i.mark.text)}</td><td>{html.escape(i.mark.note)}</td>"
            f"<td>{html.escape(i.mark.author)}</td><td>{html.escape(i.mark.date)}</td><td>{i.mark.page or ''}</td>"
            f"<td>{html.escape(_status(i))}</td></tr>"
            for i in items
        )
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Corrections</title>"
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .4em;vertical-align:top}"
            "tr.conflict{background:#fdd}tr.done{color:#777}</style></head><body>\n"
            f"<h1>Corrections from {html.escape(proof)}</h1>\n<p>Build {html.escape(build)}. {html.escape(counts)}</p>\n"
            "<table><tr><th>Where</th><th>Mark</th><th>Text under the mark</th><th>New text</th><th>Note</th><th>By</th><th>Date</th><th>Page</th><th>Status</th></tr>\n"
            f"{rows}\n</table></body></html>\n"
        )
    out = [f"# Corrections from {proof}", "", f"Build {build}. {counts}", ""]
    for i in items:
        out.append(f"- **{where(i)}** — {_LABEL[i.mark.kind]} ({_status(i)})")
        for label, value in (("text under the mark", i.mark.quoted), ("new text", i.mark.text), ("note", i.mark.note),
                             ("by", ", ".join(f for f in (i.mark.author, i.mark.date) if f)), ("page", str(i.mark.page or "")),
                             ("the post now reads", i.now)):
            if value:
                out.append(f"  - {label}: {_md(value)}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return "« " + printed(text).replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_") + " »"


def _status(item: Located) -> str:
    return {APPLY: "to make", DONE: "already made", NOTE: "comment", CONFLICT: f"conflict: {item.reason}"}[item.status]


def _counts(items: list[Located]) -> str:
    n = {s: sum(1 for i in items if i.status == s) for s in (APPLY, DONE, CONFLICT, NOTE)}
    return f"{len(items)} mark(s): {n[APPLY]} edit(s) to make, {n[DONE]} already made, {n[CONFLICT]} conflict(s), {n[NOTE]} comment(s)."


def summary(items: list[Located]) -> str:
    return _counts(items)
