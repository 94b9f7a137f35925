"""Many posts parsed by one pandoc process (``pandoc lua``: ``pandoc.read`` once per post, each post
its own document), instead of one process per post: starting pandoc costs more than parsing a post,
and a blog's archive has thousands of them.

Each post is read alone, with the reader ``pandoc -f READER -t json`` uses, so its AST is the one
``pandoc.to_ast`` gives (footnotes, reference links and heading ids stay the post's own). A post the
batch cannot give (an error, too deep, the batch stopped or timed out) comes back as None: the caller
parses it alone, which reports the problem as before.
"""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from blog2book import pandoc

# stdin: a JSON list of texts; stdout: one line per text, its JSON document or « ! » and an error
_SCRIPT = """
local texts = pandoc.json.decode(io.read("a"), false)
for _, text in ipairs(texts) do
  local ok, doc = pcall(pandoc.read, text, READER)
  if ok then
    io.write(pandoc.write(doc, "json"))
  else
    io.write("!" .. (tostring(doc):gsub("[\\r\\n]", " ")))
  end
  io.write("\\n")
end
"""


def read_many(texts: list[str], reader: str) -> list[dict[str, Any] | None]:
    """The pandoc JSON document of each text, or None for those to parse one by one."""
    if not texts or not re.fullmatch(r"[a-z0-9_+-]+", reader):
        return [None] * len(texts)
    from blog2book import guard

    todo = [i for i, text in enumerate(texts) if guard.too_deep(text) is None]  # refused alone, with its line
    out: list[dict[str, Any] | None] = [None] * len(texts)
    if not todo:
        return out
    script = _SCRIPT.replace("READER", json.dumps(reader))
    try:
        proc = subprocess.run(
            [pandoc.pandoc_path(), "lua", "-e", script],
            input=json.dumps([texts[i] for i in todo], ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=pandoc.TIME_LIMIT,
        )
    except (subprocess.TimeoutExpired, OSError):
        return out
    if proc.returncode != 0:
        return out
    lines = proc.stdout.decode("utf-8", "replace").split("\n")
    if len(lines) != len(todo) + 1:
        return out
    for i, line in zip(todo, lines):
        if line.startswith("!"):
            continue
        try:
            doc = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(doc, dict) and isinstance(doc.get("blocks"), list) and pandoc.depth(doc["blocks"]) <= pandoc.MAX_AST_DEPTH:
            out[i] = doc
    return out
