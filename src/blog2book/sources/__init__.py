"""Posts on disk -> SourcePost records; manifest references -> selected posts.

The parts: ``post`` (one post's file -> a SourcePost, its front matter and comments checked),
``folder`` (every post of the posts folder, read once and cached), ``selection`` (the manuscript's
references resolved to posts, in book order).
"""

from __future__ import annotations

from blog2book.sources.folder import post_files, read_posts
from blog2book.sources.post import (
    POST_KEYS,
    PandocYAMLHandler,
    SourcePost,
    has_front_matter,
    parse_comments,
    parse_post,
    parse_post_date,
    read_post,
    slugify,
)
from blog2book.sources.selection import Selection, select, settle

__all__ = [
    "POST_KEYS", "PandocYAMLHandler", "Selection", "SourcePost", "has_front_matter", "parse_comments", "parse_post",
    "parse_post_date", "post_files", "read_post", "read_posts", "select", "settle", "slugify",
]
