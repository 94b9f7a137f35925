"""New objects in a PDF that pypdf writes, through pypdf's public API (print and review editions).

pypdf has no public ``PdfWriter.add_object``. Its public ``clone`` registers in the writer a
cloned object that is marked indirect (``indirect_reference`` set, to ``None`` for an object of no
file yet); pypdf's own cloning makes a stream met as a direct value indirect that way. The object
then gets the next number, as ``PdfWriter._add_object`` would give it, and is written with the same
bytes.
"""

from __future__ import annotations


def add_object(writer, obj):
    """The indirect reference of ``obj`` in ``writer``, registering it if it is not already there.

    What the writer holds and writes is a clone of ``obj``: change ``obj`` before this call, never
    after (or change ``reference.get_object()``)."""
    if getattr(obj, "indirect_reference", None) is None:
        obj.indirect_reference = None
    return obj.clone(writer).indirect_reference
