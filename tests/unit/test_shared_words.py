"""The transform writes the book's words shared: an equal word (or space) of two posts is one object
(typography takes them from one memo as it writes them), so a 2829-post book fits in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

from blog2book import transform, tree, typography
from blog2book.sources import read_posts

TINY = Path(__file__).resolve().parents[1] / "roots" / "tiny"


def words(blocks) -> dict:
    found: dict = {}

    def visit(el):
        if el["t"] in ("Str", "Space"):
            found.setdefault((el["t"], el.get("c")), []).append(el)

    tree.visit(list(blocks), visit)
    return found


def test_equal_words_of_two_posts_are_one_object(tmp_path):
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    sources, failed, _ = read_posts(root / "posts", root, None)
    assert len(sources) >= 2 and not failed
    opts = transform.TransformOptions("fr-CA", typography.typography_for("fr-CA"), root, None)
    done = transform._transform_here(list(sources.values()), opts)
    posts = [post for post, _, _ in done.values()]
    common = set(words(posts[0].blocks)) & set(words(posts[1].blocks))
    assert ("Space", None) in common and len(common) >= 2
    for key in common:
        objects = {id(el) for post in posts[:2] for el in words(post.blocks)[key]}
        assert len(objects) == 1, key


def test_typography_shares_what_it_writes_through_its_memo():
    memo: dict = {}
    para = lambda: [{"t": "Para", "c": [{"t": "Str", "c": "le"}, {"t": "Space"}, {"t": "Str", "c": "blogue"}]}]  # noqa: E731
    first = typography.apply(para(), typography.typography_for("fr-CA"), memo)
    second = typography.apply(para(), typography.typography_for("fr-CA"), memo)
    assert first == second
    assert all(a is b for a, b in zip(first[0]["c"], second[0]["c"]))
    alone = typography.apply(para(), typography.typography_for("fr-CA"))
    assert alone == first and alone[0]["c"][0] is not first[0]["c"][0]


def test_typography_off_shares_its_copy_too():
    memo: dict = {}
    para = lambda: [{"t": "Para", "c": [{"t": "Str", "c": "the"}, {"t": "Space"}, {"t": "Str", "c": "blog"}]}]  # noqa: E731
    off = typography.Typography("off")
    source = para()
    first, second = typography.apply(source, off, memo), typography.apply(para(), off, memo)
    assert first == second == source and first[0] is not source[0]
    assert all(a is b for a, b in zip(first[0]["c"], second[0]["c"]))
