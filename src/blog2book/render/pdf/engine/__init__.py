"""The one place blog2book touches WeasyPrint's internals, and the check that they are still there.

Nothing else in blog2book imports WeasyPrint: the back ends make their documents with ``html``
and write them with ``write_pdf`` here, and use the public API of what they get (``render``,
``Document.pages``, ``Page.anchors``). The modules of this package go further: ``corrector`` wraps four layout functions
to correct each page as it is made; ``notes``, ``lines``, ``marks`` and ``pages`` read the page
boxes of a laid-out document (``Page._page_box``, box classes and attributes, the layout context), and
``overflow`` what passes a page's text block;
``fetch`` subclasses the URL fetcher (public since WeasyPrint 68).

WeasyPrint ships a major version every few months and its internals change without notice. So the
supported range is pinned in ``pyproject.toml`` (``SUPPORTED`` here, the same) and, before the
corrector is installed, every internal name this package uses is checked (``problems``): the
functions it wraps and their parameters, the classes and methods it calls, the attributes it reads
on the layout context, pages and boxes. When one is missing, the page-by-page corrector is not
installed, the layout is corrected after the fact (``render/pdf/corrections.py``: the same book,
about three times slower) and the PDF back end says so once, with what to do (``fallback_notice``).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import threading
import warnings
from importlib import import_module

# WeasyPrint warns, as it is imported, when the machine has no fonts at all: the book's faces come
# with blog2book, and a character none of them has is read back from the PDF (fontcheck.py)
warnings.filterwarnings("ignore", message="No fonts configured in FontConfig", category=UserWarning)

FONT_TIME = "946684800"  # 2000-01-01T00:00:00Z, the EPUB's zip entries' time too
SUPPORTED = ((68, 0), (71, 0))  # the WeasyPrint versions the engine was tested with: >= 68, < 71 (pyproject.toml)

# (module, name, parameters it must take first (None: any))
FUNCTIONS = (
    ("weasyprint.layout", "make_all_pages", ("context", "root_box", "html", "pages")),
    ("weasyprint.layout.page", "remake_page", ("index", "context", "root_box", "html")),
    ("weasyprint.layout.inline", "split_text_box", ("context", "box", "available_width", "skip", "is_line_start")),
    ("weasyprint.layout.block", "iter_line_boxes", ("context", "box", "position_y", "bottom_space", "skip_stack", "containing_block",
                                                    "absolute_boxes", "fixed_boxes", "first_letter_style", "first_line_style")),
    ("weasyprint.layout.block", "remove_placeholders", ("context", "box_list", "absolute_boxes", "fixed_boxes")),
    ("weasyprint.text.line_break", "create_layout", ("text", "style", "context", "max_width", "justification_spacing")),  # engine.spacing
    ("weasyprint.text.line_break", "line_size", ("line", "style")),
)
EXACT = {"make_all_pages", "remake_page", "split_text_box", "iter_line_boxes"}  # wrapped: called with their whole parameter list, by position
# (module, class, members it must have as methods or class attributes)
CLASSES = (
    ("weasyprint.formatting_structure.boxes", "Box", ("copy", "descendants", "all_children", "content_box_x", "border_box_x", "border_width", "translate", "content_box_y", "hit_area")),
    ("weasyprint.formatting_structure.boxes", "TableBox", ()),
    ("weasyprint.formatting_structure.boxes", "ParentBox", ("descendants",)),
    ("weasyprint.formatting_structure.boxes", "BlockBox", ()),
    ("weasyprint.formatting_structure.boxes", "BlockLevelBox", ()),
    ("weasyprint.formatting_structure.boxes", "LineBox", ()),
    ("weasyprint.formatting_structure.boxes", "InlineBox", ()),
    ("weasyprint.formatting_structure.boxes", "TextBox", ("copy_with_text", "justification_spacing")),
    ("weasyprint.formatting_structure.boxes", "ReplacedBox", ()),
    ("weasyprint.formatting_structure.boxes", "MarginBox", ()),
    ("weasyprint.formatting_structure.boxes", "FootnoteAreaBox", ()),
    ("weasyprint.layout", "LayoutContext", ("overflows_page",)),
    ("weasyprint.css", "AnonymousStyle", ()),  # its name is compared: a box of an element's own text
    ("weasyprint.layout.page", "PageType", ("side", "blank")),
    ("weasyprint.urls", "URLFetcher", ("fetch",)),
    ("weasyprint.urls", "URLFetcherResponse", ()),
)
# (module, the class (its __init__) or function that sets them, attributes set on an instance)
INSTANCE = (
    ("weasyprint.layout", "LayoutContext", ("footnotes", "reported_footnotes", "broken_out_of_flow", "running_elements", "in_column")),
    ("weasyprint.layout", "initialize_page_maker", ("page_maker",)),
    ("weasyprint.document", "Page", ("_page_box",)),
)


_font_time = threading.Lock()
_font_time_users = 0


@contextlib.contextmanager
def fixed_font_time():
    """While WeasyPrint writes a PDF: its font subsets carry a fixed time. Where HarfBuzz-Subset is
    missing, WeasyPrint subsets the faces with fontTools, which stamps each subset's
    ``head.modified`` with the time of the build (the same book built a second later had other
    bytes). fontTools takes that time from ``SOURCE_DATE_EPOCH`` when it is set
    (reproducible-builds.org): set to ``FONT_TIME`` for the writing alone, unless the user set it
    (the EPUB's modified date reads it too: ``assemble.py``)."""
    global _font_time_users
    with _font_time:
        ours = _font_time_users > 0 or "SOURCE_DATE_EPOCH" not in os.environ
        if ours:
            os.environ["SOURCE_DATE_EPOCH"] = FONT_TIME
            _font_time_users += 1
    try:
        yield
    finally:
        if ours:
            with _font_time:
                _font_time_users -= 1
                if _font_time_users == 0:
                    os.environ.pop("SOURCE_DATE_EPOCH", None)


def html(string: str, base_url: str, fetcher):
    """A WeasyPrint ``HTML`` document of ``string`` that reads only through ``fetcher`` (a
    ``SafeFetcher``): every document blog2book lays out is made here."""
    import weasyprint

    return weasyprint.HTML(string=string, base_url=base_url, url_fetcher=fetcher)


def quiet() -> None:
    """WeasyPrint's and fontTools' own log lines off (what they say is read back and reported by
    blog2book, located); the warning that HarfBuzz-Subset is missing too (fontTools does its work)."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*")
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def write_pdf(document, target=None, **options):
    """``document.write_pdf(target, **options)`` (a WeasyPrint ``Document`` or ``HTML``) with
    reproducible font subsets (``fixed_font_time``)."""
    with fixed_font_time():
        return document.write_pdf(target, **options)


def version() -> tuple[int, ...]:
    import weasyprint

    return tuple(int(p) for p in weasyprint.__version__.split(".")[:2] if p.isdigit())


@functools.cache
def problems() -> tuple[str, ...]:
    """What this WeasyPrint lacks of the internals this package uses (empty: everything is there)."""
    found: list[str] = []
    for module_name, name, params in FUNCTIONS:
        function = getattr(_module(module_name), name, None)
        if function is None:
            found.append(f"{module_name}.{name} is gone")
            continue
        try:
            have = tuple(inspect.signature(function).parameters)
        except (TypeError, ValueError):
            found.append(f"{module_name}.{name} has no readable signature")
            continue
        if (have != params) if name in EXACT else (have[: len(params)] != params):
            found.append(f"{module_name}.{name} takes ({', '.join(have)}), not ({', '.join(params)})")
    for module_name, name, members in CLASSES:
        cls = getattr(_module(module_name), name, None)
        if cls is None:
            found.append(f"{module_name}.{name} is gone")
            continue
        found += [f"{module_name}.{name}.{m} is gone" for m in members if not hasattr(cls, m)]
    for module_name, name, attributes in INSTANCE:
        setter = getattr(_module(module_name), name, None)
        try:
            source = inspect.getsource(setter.__init__ if inspect.isclass(setter) else setter) if setter is not None else ""
        except (OSError, TypeError):  # no source installed: what cannot be read is not refused
            continue
        found += [f"{module_name}.{name} no longer sets .{a}" for a in attributes if f".{a} =" not in source]
    return tuple(found)


def _module(name: str):
    try:
        return import_module(name)
    except ImportError:
        return None


def supported() -> bool:
    low, high = SUPPORTED
    return low <= version() < high


def fallback_notice() -> str | None:
    """What the build says, once, when the page-by-page corrector cannot be used (None: it can)."""
    missing = problems()
    if not missing:
        return None
    import weasyprint

    low, high = SUPPORTED
    return (f"WeasyPrint {weasyprint.__version__} lacks what blog2book's page-by-page corrections use ({'; '.join(missing[:3])}"
            f"{'…' if len(missing) > 3 else ''}): the PDF is corrected after each layout instead, the same book about three times slower."
            f" Install a supported WeasyPrint (>={low[0]},<{high[0]}): pip install 'weasyprint>={low[0]},<{high[0]}'")


def environment() -> dict[str, str]:
    """What the pages of a layout depend on besides its files: blog2book's, WeasyPrint's, pydyf's,
    fontTools' and pikepdf's versions, and Pango's and HarfBuzz's as WeasyPrint reports them.
    Every worker of a cluster must give the client's (``infra/cluster.py``)."""
    from importlib.metadata import version

    import weasyprint
    from weasyprint.text.ffi import pango

    import blog2book

    pango_version = pango.pango_version()  # major * 10000 + minor * 100 + micro
    return {
        "blog2book": blog2book.__version__,
        "blog2book's code": _code_digest(),
        "WeasyPrint": weasyprint.__version__,
        "pydyf": version("pydyf"),
        "fontTools": version("fonttools"),
        "pikepdf": version("pikepdf"),
        "Pango": f"{pango_version // 10000}.{pango_version // 100 % 100}.{pango_version % 100}",
        "HarfBuzz": _harfbuzz_version(),
    }


@functools.cache
def _code_digest() -> str:
    """The SHA-256 of blog2book's own modules (names and contents; the same on every machine):
    two copies of one version that differ in their code are told apart."""
    import hashlib
    from pathlib import Path

    import blog2book

    root = Path(blog2book.__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@functools.cache
def _harfbuzz_version() -> str:
    """HarfBuzz's version, found with ``hb_version_atleast`` (the one version call WeasyPrint binds)."""
    from weasyprint.text.ffi import harfbuzz

    def highest(at_least) -> int:
        low, high = 0, 1000  # the largest n for which at_least(n) holds
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if at_least(mid) else (low, mid - 1)
        return low

    major = highest(lambda n: harfbuzz.hb_version_atleast(n, 0, 0))
    minor = highest(lambda n: harfbuzz.hb_version_atleast(major, n, 0))
    micro = highest(lambda n: harfbuzz.hb_version_atleast(major, minor, n))
    return f"{major}.{minor}.{micro}"
