"""A press file that passes a printer's preflight (issue 23, item 2), on the sample built with
``--print press``: one font program per subset name, a black-only interior unless the manuscript
asks for colour, total ink at most 300 % and small cover text on the black plate, crop marks."""

import hashlib
import shutil
import subprocess
from collections import defaultdict

import pytest

from conftest import REPO, SAMPLE, run_cli

pytestmark = pytest.mark.slow
TINY = REPO / "tests" / "roots" / "tiny"


@pytest.fixture(scope="module")
def press(tmp_path_factory):
    out = tmp_path_factory.mktemp("press")
    result = run_cli("build", SAMPLE, "-f", "pdf", "-f", "cover", "--print", "press", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def programs_by_name(path) -> dict[str, set[str]]:
    """BaseFont -> the digests of the font programs it names."""
    import pikepdf

    found: dict[str, set[str]] = defaultdict(set)
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        found[str(obj.FontName)].add(hashlib.sha256(obj[key].read_bytes()).hexdigest())
    return found


@pytest.mark.parametrize("name", ["medias-sociaux-press.pdf", "medias-sociaux.pdf", "medias-sociaux-cover.pdf"])
def test_one_font_program_per_subset_name(press, name):
    programs = programs_by_name(press / name)
    assert programs
    assert {n: len(d) for n, d in programs.items() if len(d) > 1} == {}
