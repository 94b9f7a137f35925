"""Every image of a post with a text alternative (its ``alt``), for the EPUB and the tagged PDF.

An image without a description that is the picture of a figure with a caption (a WordPress
``[caption]``, an HTML ``<figcaption>``) takes the caption's text (``from_captions``): screen
readers then say what the printed page says under it. An image still without one is reported by
the transform (``image.no-alt``, located at the post's line), and the EPUB's accessibility
metadata says so (render/epub/a11y.py).
"""

from __future__ import annotations

from blog2book import tree


def from_captions(blocks: list) -> list:
    """``blocks`` with each figure's images without ``alt`` described by the figure's caption."""

    def figure(el: dict):
        if el["t"] != "Figure":
            return None
        attr, caption, body = el["c"]
        text = " ".join(tree.stringify(caption[1]).split()) if caption and len(caption) > 1 else ""
        if not text:
            return None

        def image(img: dict):
            if img["t"] != "Image" or described(img["c"][0], img["c"][1]):
                return None
            return {"t": "Image", "c": [img["c"][0], tree.text_inlines(text), img["c"][2]]}

        new = tree.rewrite(body, image, only=frozenset(("Image",)))
        return None if new is body else {"t": "Figure", "c": [attr, caption, new]}

    return tree.rewrite(blocks, figure, only=frozenset(("Figure",)))


def described(attr: list, alt: list) -> bool:
    """Whether an image says something: its description (``alt`` inlines) or an ``alt``
    attribute (``{alt="…"}``, as an import writes WordPress's)."""
    return bool(tree.stringify(alt).strip()) or any(k == "alt" and str(v).strip() for k, v in attr[2])
