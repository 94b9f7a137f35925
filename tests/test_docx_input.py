"""Bad input for ``blog2book corrections`` with a Word document (issue 26): a DOCX that blog2book did
not make (no bookmarks naming the posts), a damaged zip, a file named .docx that is no zip: a message
with its code, exit 1, the posts untouched."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from conftest import run_cli

from blog2book import pandoc

REPO = Path(__file__).resolve().parents[1]


def _project(dest: Path) -> Path:
    for folder in ("posts", "manuscripts"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def _posts(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "posts").glob("*.md")}


def test_a_docx_from_elsewhere_is_refused_with_a_clear_message(tmp_path):
    root = _project(tmp_path)
    before = _posts(root)
    other = pandoc.run_bytes(["-f", "markdown", "-t", "docx", "-o", "-"], "# Un titre\n\nUn paragraphe avec ~~une suppression~~.\n")
    (root / "other.docx").write_bytes(other)
    result = run_cli("corrections", "other.docx", cwd=root)
    assert result.exit_code == 1
    assert "corrections.no-sourcemap" in result.stderr and "other.docx" in result.stderr and "build -f docx" in result.stderr
    assert "Traceback" not in result.output
    assert _posts(root) == before


def test_a_damaged_docx_is_refused(tmp_path):
    root = _project(tmp_path)
    before = _posts(root)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>" + "<w:p/>" * 5000 + "</w:document>")
    data = buf.getvalue()
    (root / "cut.docx").write_bytes(data[: len(data) // 2])
    (root / "text.docx").write_text("not a Word document", "utf-8")
    for name in ("cut.docx", "text.docx"):
        result = run_cli("corrections", name, "--apply", cwd=root)
        assert result.exit_code == 1, result.output
        assert "corrections.unreadable" in result.stderr and name in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert _posts(root) == before
