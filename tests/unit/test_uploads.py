"""/wp-content/uploads/… image addresses -> files of the manuscript's uploads copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from blog2book.diagnostics import Diagnostic, Level, Location
from blog2book.uploads import resolve, upload_path

SITE = "https://www.exemple-blogue.com/"


@pytest.mark.parametrize(
    "target,site,expected",
    [
        ("/wp-content/uploads/2010/03/a.jpg", SITE, "2010/03/a.jpg"),
        ("https://www.exemple-blogue.com/wp-content/uploads/2010/03/a%20b.jpg?w=300", SITE, "2010/03/a b.jpg"),
        ("http://exemple-blogue.com/wp-content/uploads/x.png", SITE, "x.png"),  # http, without www.
        ("https://i2.wp.com/www.exemple-blogue.com/wp-content/uploads/2011/x.png?resize=1", SITE, "2011/x.png"),
        ("https://autre-blogue.com/wp-content/uploads/x.png", SITE, None),  # another site's image
        ("https://autre-blogue.com/wp-content/uploads/x.png", None, "x.png"),  # no site: any blog's uploads
        ("/blogue/wp-content/uploads/x.png", SITE, "x.png"),  # WordPress in a sub-folder
        ("images/a.png", SITE, None),
        ("../wp-content/uploads/a.png", SITE, None),  # relative: a file of the project
        ("data:image/png;base64,xx", SITE, None),
        ("https://www.exemple-blogue.com/2010/03/billet/", SITE, None),
    ],
)
def test_upload_path(target: str, site: str | None, expected: str | None) -> None:
    assert upload_path(target, site) == expected


def test_resolve(tmp_path: Path) -> None:
    root = tmp_path / "projet"
    uploads = root / "wp-uploads"
    (uploads / "2010" / "03").mkdir(parents=True)
    (uploads / "2010" / "03" / "a.jpg").write_bytes(b"x")
    loc = Location(root / "posts" / "p.md", 7)
    assert resolve("2010/03/a.jpg", "t", uploads, root, loc) == uploads / "2010" / "03" / "a.jpg"
    assert resolve("2010/03/a-300x200.jpg", "t", uploads, root, loc) == uploads / "2010" / "03" / "a.jpg"  # the original
    missing = resolve("2010/03/b.jpg", "/wp-content/uploads/2010/03/b.jpg", uploads, root, loc)
    assert isinstance(missing, Diagnostic) and missing.code == "image.missing" and missing.location == loc
    escape = resolve("../../etc/passwd", "t", uploads, root, loc)
    assert isinstance(escape, Diagnostic) and escape.code == "image.outside"
    none = resolve("2010/03/a.jpg", "t", None, root, loc)
    assert isinstance(none, Diagnostic) and none.level == Level.WARNING and none.code == "image.uploads"
    outside = tmp_path / "ailleurs"
    (outside / "2010").mkdir(parents=True)
    (outside / "2010" / "c.jpg").write_bytes(b"x")
    far = resolve("2010/c.jpg", "t", outside, root, loc)
    assert isinstance(far, Diagnostic) and far.code == "image.outside"
