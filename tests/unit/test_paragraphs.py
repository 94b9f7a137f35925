"""Paragraph anchors never collide with heading ids: a post id cannot hold their separator."""

from blog2book.transform import post_id


def test_post_ids_cannot_hold_the_paragraph_separator():
    assert "__" not in post_id("mon__p3")
    assert post_id("2010-billet") == "p-2010-billet"
