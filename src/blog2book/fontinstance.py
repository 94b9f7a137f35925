"""Static instances of the variable book faces: every axis pinned, the same bytes on every machine.

HarfBuzz's subsetter (``uharfbuzz``) makes them: told to keep every glyph, code point, layout
feature, script and name, with each axis pinned (``pin_axis_location``), it applies the outlines'
(``gvar``), metrics' (``HVAR``, ``MVAR``) and layout's (``GDEF``/``GPOS``) variations in C++ — about
20 ms a face, where fontTools' instancer took 2 to 9 s. Its instances shape every text as
fontTools' do (same glyphs, advances, kerning and marks with and without the style's features:
tests/test_fonts.py shapes the sample's posts with both); their bytes differ (HarfBuzz packs GPOS
tighter), so the cache names an instance after the instancer that made it (``instancer``).

Without uharfbuzz, or when HarfBuzz cannot instance a face, fontTools' instancer does, with
``_fast_otl`` applying the GPOS/GDEF deltas in place instead of its generic merger (several times
faster, same kerning and anchors). That calls private functions of fontTools' instancer:
``_fast_otl_problem`` checks that they are there and take the arguments it passes before any is
used; with a fontTools that lacks one, fontTools' public instancer is used and a warning says so once.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from pathlib import Path


@functools.cache
def instancer() -> str:
    """What makes the instances here, with its version (part of an instance's cache key)."""
    try:
        import uharfbuzz

        return f"harfbuzz-{uharfbuzz.version_string()}"
    except ImportError:
        import fontTools

        return f"fonttools-{fontTools.version}"


def in_workers() -> bool:
    """Whether instancing is slow enough to be spread over worker processes (fontTools' path)."""
    return instancer().startswith("fonttools")


def make_instance(path: Path, axes: dict[str, float]) -> bytes:
    """The static instance's bytes: the same on every machine, whatever the time."""
    if not in_workers():
        made = harfbuzz_instance(path, axes)
        if made is not None:
            return made
    return fonttools_instance(path, axes)


_KEEP_ALL = ("UNICODE", "GLYPH_INDEX", "LAYOUT_FEATURE_TAG", "LAYOUT_SCRIPT_TAG", "NAME_ID", "NAME_LANG_ID")


def harfbuzz_instance(path: Path, axes: dict[str, float]) -> bytes | None:
    """HarfBuzz's instance (None when it cannot make one: fontTools' instancer then does)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    spec = hb.SubsetInput()
    for name in _KEEP_ALL:  # every one of these, not a subset (cleared, then inverted: all)
        kept = spec.sets(getattr(hb.SubsetInputSets, name))
        kept.clear()
        kept.invert()
    spec.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.GLYPH_NAMES | hb.SubsetFlags.NAME_LEGACY
                  | hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED)
    for tag, value in sorted(axes.items()):
        if not spec.pin_axis_location(face, tag, value):
            return None  # an axis the face does not have
    try:
        made = hb.subset(face, spec)
    except Exception:  # noqa: BLE001 - HarfBuzz refused this face: fontTools' instancer is tried
        return None
    data = made.blob.data if made is not None else b""
    return bytes(data) or None


def fonttools_instance(path: Path, axes: dict[str, float]) -> bytes:
    """The static instance by fontTools' instancer (its OTL step by ``_fast_otl`` when it can)."""
    import io

    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(path, recalcTimestamp=False)
    with _fast_otl_patched(instancer) if _fast_otl_problem() is None else contextlib.nullcontext():
        font = instancer.instantiateVariableFont(font, axes, inplace=True, updateFontNames=False)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# What ``_fast_otl`` calls in fontTools' instancer, as it calls it: positional arguments, keywords.
# Two are private (``_iterLookupVariationConditions``, ``_instantiateBASE``) and ``instantiateOTL``
# is replaced during an instancing: none is used before ``_fast_otl_problem`` found them all.
_FAST_OTL_CALLS = {
    "instantiateOTL": (2, ()),
    "_iterLookupVariationConditions": (1, ()),
    "_instantiateBASE": (2, ()),
    "instantiateItemVariationStore": (3, ("conditionValues",)),
    "instantiateLookupVariationConditionValues": (3, ("done",)),
}


class FastInstancingUnavailable(RuntimeWarning):
    """This fontTools lacks what the fast path needs: faces are instanced by its public path."""


def fast_otl_check() -> None:
    """Say now (once, as a warning) when fontTools' fast path cannot run: before workers start."""
    _fast_otl_problem()


@functools.cache
def _fast_otl_problem() -> str | None:
    """Why ``_fast_otl`` cannot run with the installed fontTools, or None when it can; said once,
    as a ``FastInstancingUnavailable`` warning. The instances are then fontTools' own (other bytes,
    cached under other names: the cache key holds fontTools' version)."""
    import inspect

    import fontTools
    from fontTools.varLib import instancer

    problem = None
    try:
        from fontTools.misc.roundTools import otRound  # noqa: F401
        from fontTools.ttLib.tables import otBase, otTables  # noqa: F401
        from fontTools.ttLib.tables.otTraverse import dfs_base_table  # noqa: F401
    except ImportError as exc:
        problem = str(exc)
    for name, (positional, keywords) in _FAST_OTL_CALLS.items():
        if problem is not None:
            break
        try:
            inspect.signature(getattr(instancer, name, None)).bind(*[None] * positional, **dict.fromkeys(keywords))
        except (TypeError, ValueError):
            problem = f"fontTools.varLib.instancer.{name} is missing or takes other arguments"
    if problem is not None:
        warnings.warn(
            f"fontTools {fontTools.version}: {problem}; blog2book instances the variable faces with fontTools' "
            "public instancer instead (the same kerning and anchors, several times slower, once per machine). "
            f"Report it to blog2book; an earlier fontTools (pip install 'fonttools<{fontTools.version}') brings "
            "the fast instancing back.",
            FastInstancingUnavailable,
            stacklevel=2,
        )
    return problem


@contextlib.contextmanager
def _fast_otl_patched(instancer):
    original = instancer.instantiateOTL

    def fast(varfont, limits):
        try:
            _fast_otl(varfont, limits, instancer)
        except _NotSimple:
            original(varfont, limits)

    instancer.instantiateOTL = fast
    try:
        yield
    finally:
        instancer.instantiateOTL = original


class _NotSimple(Exception):
    """The font needs fontTools' general path (MATH or JSTF tables, a partial instance…)."""


def _fast_otl(varfont, limits, instancer) -> None:
    """Pin GDEF/GPOS variations at ``limits`` by adding each value's delta where it stands.

    fontTools' ``instantiateOTL`` runs its merger, which also re-joins kerning subtables split when
    the font was built (canonicalising and deep-copying class matrices: most of its time). A static
    instance does not need that; the values are the same. Only for a full instance."""
    from fontTools.misc.roundTools import otRound
    from fontTools.ttLib.tables import otBase, otTables as ot
    from fontTools.ttLib.tables.otTraverse import dfs_base_table

    gdef = varfont["GDEF"].table if "GDEF" in varfont else None
    if gdef is None or gdef.Version < 0x00010003 or not gdef.VarStore or "MATH" in varfont or "JSTF" in varfont:
        raise _NotSimple
    if any(getattr(gdef, f"{name}2", None) is not None for name in ("GlyphClassDef", "AttachList", "LigCaretList", "MarkAttachClassDef", "MarkGlyphSetsDef")):
        raise _NotSimple
    store = gdef.VarStore
    conditions = [c for c in instancer._iterLookupVariationConditions(varfont) if c.Format == 2]
    instancer._instantiateBASE(varfont, limits)
    deltas = instancer.instantiateItemVariationStore(store, varfont["fvar"].axes, limits, conditionValues=conditions)
    if store.VarRegionList.Region:
        raise RuntimeError("the instance is not static")  # every axis is pinned: cannot happen

    def delta(dev) -> int:
        return otRound(deltas[(dev.StartSize << 16) + dev.EndSize])

    def fix_value(rec) -> None:
        for name, dname in (("XAdvance", "XAdvDevice"), ("YAdvance", "YAdvDevice"), ("XPlacement", "XPlaDevice"), ("YPlacement", "YPlaDevice")):
            dev = getattr(rec, dname, None)
            if dev is not None and dev.DeltaFormat == 0x8000:
                setattr(rec, name, getattr(rec, name, 0) + delta(dev))
            if hasattr(rec, dname) and (dev is None or dev.DeltaFormat == 0x8000):
                delattr(rec, dname)

    for tag in ("GDEF", "GPOS"):
        if tag not in varfont:
            continue
        for path in dfs_base_table(varfont[tag].table):
            table = path[-1].value
            if isinstance(table, (ot.Anchor, ot.CaretValue)):
                if table.Format != 3:
                    continue
                coords = (("XCoordinate", "XDeviceTable"), ("YCoordinate", "YDeviceTable")) if isinstance(table, ot.Anchor) else (("Coordinate", "DeviceTable"),)
                keep = False
                for name, dname in coords:
                    dev = getattr(table, dname, None)
                    if dev is not None and dev.DeltaFormat == 0x8000:
                        setattr(table, name, getattr(table, name) + delta(dev))
                        delattr(table, dname)
                    elif dev is not None:
                        keep = True  # a hinting device table: kept, and the format with it
                    elif hasattr(table, dname):
                        delattr(table, dname)
                if not keep:
                    table.Format = 1
                continue
            for value in vars(table).values():
                if isinstance(value, otBase.ValueRecord):
                    fix_value(value)
                elif isinstance(value, list) and value and isinstance(value[0], otBase.ValueRecord):
                    for rec in value:
                        fix_value(rec)
    instancer.instantiateLookupVariationConditionValues(varfont, deltas, {}, done=set())
    del gdef.VarStore
    gdef.Version = 0x00010002
    if gdef.MarkGlyphSetsDef is None:
        del gdef.MarkGlyphSetsDef
        gdef.Version = 0x00010000
