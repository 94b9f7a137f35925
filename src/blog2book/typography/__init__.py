"""French (and English) typography on the pandoc JSON AST (book-style.md §2).

Pure functions: no I/O, no pandoc call. ``apply`` returns new blocks and never mutates its input;
it is idempotent (``apply(apply(x)) == apply(x)``) and leaves correct text as it is.

The parts: ``styles`` (the styles, and the one a language takes), ``runs`` (the AST walked as runs of
text, ``apply``: how it works), ``placeholders`` (the characters standing for inline elements and for
the text no rule may touch), ``rules`` (the rules on a run's text), ``ordinals`` (French ordinals,
and ``forbidden_forms``: the forbidden ones in Markdown source).
"""

from __future__ import annotations

from blog2book.typography.ordinals import forbidden_forms
from blog2book.typography.runs import apply
from blog2book.typography.styles import FOUR_DIGITS, FRENCH_STYLES, NBSP, NNBSP, STYLES, THIN, Typography, typography_for

__all__ = ["FOUR_DIGITS", "FRENCH_STYLES", "NBSP", "NNBSP", "STYLES", "THIN", "Typography", "apply", "forbidden_forms", "typography_for"]
