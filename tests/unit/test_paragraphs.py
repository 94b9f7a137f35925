"""Paragraph anchors never collide with heading ids, and are recognised exactly."""

from blog2book.render.shared.paragraphs import paragraph_anchors
from blog2book.transform import post_id


def test_only_paragraph_anchors_of_known_posts():
    anchors = ["chapitre-2", "billet", "billet--p1", "billet--pourquoi", "billet__p1", "billet__p12", "autre__p3", "billet__px"]
    assert paragraph_anchors(anchors, {"billet"}) == ["billet__p1", "billet__p12"]


def test_post_ids_cannot_hold_the_paragraph_separator():
    assert "__" not in post_id("mon__p3")
    assert post_id("2010-billet") == "p-2010-billet"
