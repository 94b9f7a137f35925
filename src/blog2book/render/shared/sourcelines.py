"""Where each paragraph of a post starts in its post file: what the PDF's source map (render/pdf/proofmap.py)
and the editors' DOCX (render/docx) record, so that a mark or a tracked change maps back to the post."""

from __future__ import annotations

from pathlib import Path

from blog2book import tree
from blog2book.model import Book
from blog2book.render.shared.paragraphs import number_paragraphs, paragraph_id
from blog2book.roundtrip.locate import key, project
from blog2book.roundtrip.sourcemap import Paragraph


_MADE: dict[int, tuple] = {}  # id(post) -> (post, root, its file's name, its paragraphs): one build's
_KEPT = 4096  # posts remembered (a --watch session builds many books)


def paragraph_sources(book: Book, only: set[str] | None = None) -> tuple[tuple[str, ...], dict]:
    """Each post paragraph's anchor -> its post file and the line where it starts (``only``: of
    the posts with these ids). A post is matched once per build: the loose lines' report and the
    source map both ask (``_MADE``, by the post object itself)."""
    root = Path(book.project_root or ".").resolve()
    files: list[str] = []
    paragraphs: dict[str, Paragraph] = {}
    for post in book.posts():
        if only is not None and post.id not in only:
            continue
        made = _MADE.get(id(post))
        if made is None or made[0] is not post or made[1] != root:
            if len(_MADE) >= _KEPT:
                _MADE.clear()
            made = _MADE[id(post)] = (post, root, *_post_sources(post, root))
        name, found = made[2], made[3]
        if name is None:
            continue
        files.append(name)
        paragraphs.update(found)
    return tuple(files), paragraphs


def _post_sources(post, root: Path) -> tuple[str | None, dict]:
    """The post's file (relative to ``root``) and its paragraphs' sources; (None, {}) when unreadable."""
    path = Path(post.source)
    try:
        name = path.resolve().relative_to(root).as_posix()
        proj = project(path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None, {}
    cursor = probed = 0
    found: dict[int, int] = {}

    def probe(p, n, inlines):
        nonlocal cursor, probed
        probed = n
        text = key(tree.stringify(list(inlines)))
        for length in (40, 16):
            at = proj.text.find(text[:length], cursor) if text else -1
            if at < 0 and text:
                at = proj.text.find(text[:length])
            if at >= 0:
                found[n] = proj.line_col(proj.starts[at])[0]
                cursor = at + 1
                break
        return []

    number_paragraphs(post, extra=probe)
    first = proj.line_col(proj.body)[0]
    return name, {paragraph_id(post, n): Paragraph(name, found.get(n, first), n) for n in range(1, probed + 1)}
