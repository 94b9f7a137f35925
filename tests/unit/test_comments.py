"""Readers' comments: read from the front matter (located errors), set after the post as nested blocks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from blog2book import tree, typography
from blog2book.comments import MAX_DEPTH, comment_blocks
from blog2book.diagnostics import Level
from blog2book.model import Comment, Post
from blog2book.sources import parse_post

PATH = Path("posts/billet.md")


def post_text(comments_yaml: str) -> str:
    return f"---\ntitle: Un billet\ncomments:\n{comments_yaml}---\n\nLe texte.\n"


def test_comments_read_in_thread_order_with_dates() -> None:
    src, diags = parse_post(
        PATH,
        post_text(
            '  - {id: 501, parent: 0, author: "Jean Tremblay", date: "2010-03-05T14:22:00-05:00", content: "Un *mot*"}\n'
            "  - {id: 502, parent: 501, author: Marie, date: 2010-03-06, content: Deux}\n"
            "  - {id: 503, author: Luc, content: Trois}\n"
        ),
    )
    assert diags == []
    assert src.comments == (
        Comment(501, "Jean Tremblay", "Un *mot*", 0, dt.date(2010, 3, 5), 4),
        Comment(502, "Marie", "Deux", 501, dt.date(2010, 3, 6), 5),
        Comment(503, "Luc", "Trois", 0, None, 6),
    )


@pytest.mark.parametrize(
    "yaml_text,expected",
    [
        ("  - {parent: 0, author: X, content: Y}\n", [("ERROR", "post.comments", 3, "comments[0] has no numeric 'id'")]),
        (
            "  - {id: 7, content: a}\n  - {id: 7, content: b}\n",
            [("ERROR", "post.comments", 4, "comments[1] repeats the id 7")],
        ),
        ("  - {id: 8, content: a, date: hier}\n", [("WARNING", "post.comments", 4, "comments[0]: 'hier' is not a date; the comment is printed without one")]),
        (
            "  - {id: 501, content: a}\n  - {id: 50, content: b, date: hier}\n",
            [("WARNING", "post.comments", 5, "comments[1]: 'hier' is not a date; the comment is printed without one")],
        ),
        ("  - {id: 9, content: a, email: x@y.z}\n", [("WARNING", "post.unknown-key", 4, "comments[0]: unknown key 'email' is ignored")]),
        ("  just text\n", [("ERROR", "post.comments", 3, "'comments' must be a list of comments")]),
    ],
)
def test_bad_comments_are_located(yaml_text: str, expected: list) -> None:
    src, diags = parse_post(PATH, post_text(yaml_text))
    assert src is not None  # the post itself is still read
    assert [(d.level.name, d.code, d.location.line, d.message) for d in diags] == expected


def _post() -> Post:
    return Post(slug="billet", id="billet", title="Un billet", source=PATH, blocks=())


def _source(comments: tuple[Comment, ...]):
    src, _ = parse_post(PATH, post_text("  []\n"))
    from dataclasses import replace

    return replace(src, comments=comments)


def _tree(blocks: list) -> list:
    """(id, author, depth) of each comment, walking the nested Divs."""
    found = []

    def visit(items, depth):
        for b in items:
            if b["t"] == "Div" and "comment" in b["c"][0][1]:
                meta = b["c"][1][0]["c"][1][0]["c"]
                found.append((b["c"][0][0], meta[0]["c"][0]["c"], depth))
                visit(b["c"][1], depth + 1)
            elif b["t"] == "Div":
                visit(b["c"][1], depth)

    visit(blocks, 1)
    return found


def C(cid: int, parent: int = 0, content: str = "Texte.", author: str | None = None) -> Comment:
    return Comment(cid, author or f"A{cid}", content, parent, dt.date(2010, 3, 1), 4)


FR = typography.typography_for("fr-CA", None)


def test_replies_nest_by_thread_depth_and_stop_at_max_depth() -> None:
    chain = tuple(C(i, i - 1 if i > 1 else 0) for i in range(1, 8))  # 1 <- 2 <- … <- 7
    blocks, diags = comment_blocks(_post(), _source(chain), chain, "fr-CA", FR)
    assert diags == []
    depths = [d for _, _, d in _tree(blocks)]
    assert depths == [1, 2, 3, 4, 4, 4, 4]
    assert MAX_DEPTH == 4
    title = blocks[0]["c"][1][0]
    assert title["t"] == "Header" and title["c"][1][1] == ["comments-title"]
    assert json.dumps(title, ensure_ascii=False).count("Commentaires") == 1


def test_a_reply_to_a_comment_left_out_hangs_from_its_nearest_chosen_ancestor() -> None:
    all_ = (C(1), C(2, 1), C(3, 2), C(4))
    chosen = (all_[0], all_[2], all_[3])  # 2 left out: 3 answers 1
    blocks, _ = comment_blocks(_post(), _source(all_), chosen, "en", typography.typography_for("en", None))
    assert _tree(blocks) == [("billet--comment-1", "A1", 1), ("billet--comment-3", "A3", 2), ("billet--comment-4", "A4", 1)]
    text = tree.stringify(blocks)
    assert text.startswith("Comments") and "A1, March 1, 2010" in text


def test_comment_html_is_made_safe_and_structured() -> None:
    hostile = C(1, content='Voici <script>alert(1)</script>une liste :\n\n<ul><li>un</li><li>deux</li></ul>\n\n<a href="javascript:x()">lien</a>')
    fence = C(2, content="Un\n\n:::\n\nDeux")  # a line of colons must not break the batch
    blocks, diags = comment_blocks(_post(), _source((hostile, fence)), (hostile, fence), "fr-CA", FR)
    text = json.dumps(blocks, ensure_ascii=False)
    assert "alert" not in text and "javascript" not in text and "RawInline" not in text and "RawBlock" not in text
    assert '"BulletList"' in text
    assert [(d.level, d.code, d.message) for d in diags] == [
        (Level.WARNING, "html.removed", "in a comment: removed <script> and its content"),
        (Level.WARNING, "html.removed", "in a comment: removed <a> pointing to 'javascript:x()'"),
    ]
    assert all(d.location.path == PATH and d.location.line == 4 for d in diags)
    assert [a for _, a, _ in _tree(blocks)] == ["A1", "A2"]
    assert "Deux" in text
