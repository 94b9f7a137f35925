"""What the book tells the preflight: which post shows an image of a given size in pixels (a PDF
keeps no file names: its images are known by their size)."""

from __future__ import annotations

from pathlib import Path

from blog2book import tree
from blog2book.model import Book


def images_by_size(book: Book) -> dict[tuple[int, int], tuple[Path, str]]:
    """(width, height) in pixels -> (the post's file, the image's name), for every image of the
    book's posts that Pillow reads (the first post showing it)."""
    from PIL import Image, UnidentifiedImageError

    found: dict[tuple[int, int], tuple[Path, str]] = {}
    for post in book.posts():
        targets: list[str] = []

        def visit(el, targets=targets):
            if el["t"] == "Image":
                targets.append(el["c"][2][0])
            return None

        tree.walk(list(post.blocks), visit)
        for target in targets:
            path = Path(target) if Path(target).is_absolute() else Path(post.source).parent / target
            try:
                with Image.open(path) as image:
                    found.setdefault(image.size, (Path(post.source), path.name))
            except (OSError, UnidentifiedImageError, ValueError):
                continue
    return found
