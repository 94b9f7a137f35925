"""Blog artefacts turned into book text: tweets, video embeds, share buttons, raw HTML.

``convert(blocks, lang)`` is pure (no I/O, no pandoc call) and returns new blocks plus findings for
the author. It is idempotent on its own output.

One module for each kind of artefact, which says what becomes of it:

* ``tweets``: tweets (a status URL, WordPress's ``blockquote.twitter-tweet``, a quoted reply) set
  as quotations with their source;
* ``media``: videos and other embeds (a player's URL, ``<iframe>``…) printed as their public page;
* ``share``: share buttons dropped;
* ``rawhtml``: raw HTML turned into elements (no raw HTML survives), unsafe links and images removed;
  its rules (``htmlrules``) are those of ``wpsafe`` too, which cleans WordPress's HTML before pandoc;
* ``shortcodes``: WordPress's shortcodes, expanded in the text before pandoc, and a ``[caption]``
  left in a paragraph turned into a Figure;
* ``converter``: the pass over the tree that hands each artefact to its module.
"""

from __future__ import annotations

from blog2book.embeds.common import Finding
from blog2book.embeds.converter import Converter

__all__ = ["Finding", "convert"]


def convert(blocks: list, lang: str) -> tuple[list, list[Finding]]:
    """New blocks with blog artefacts turned into book text, and what the author should know."""
    converter = Converter(lang)
    # the converter never changes a node it is given: it builds new lists and elements, and keeps
    # the words (and what it has no reason to rebuild) as they are, shared with the caller's tree
    out = converter.blocks(list(blocks))
    return out, converter.findings
