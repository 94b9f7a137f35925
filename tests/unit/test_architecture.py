"""The code's layout, kept so: import-linter's contracts (pyproject.toml: layers, the one engine
boundary to WeasyPrint, independent editions, no cycles), no private name imported from another
module, nothing in render/ but the registry and the contract, no module past ~450 lines."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "blog2book"
LARGEST = 450


def test_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint).exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    done = subprocess.run([lint, "--config", str(REPO / "pyproject.toml")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_private_name_is_imported_from_another_module():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("blog2book")):
                found += [f"{path.relative_to(SRC)}:{node.lineno} {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


def test_render_holds_the_registry_the_contract_and_one_package_per_edition():
    modules = sorted(p.name for p in (SRC / "render").glob("*.py"))
    assert modules == ["__init__.py", "contract.py"]
    packages = sorted(p.name for p in (SRC / "render").iterdir() if (p / "__init__.py").is_file())
    assert packages == ["docx", "epub", "markdown", "pdf", "print", "review", "shared", "web"]


def test_no_module_is_past_the_size_that_asks_to_be_split():
    sizes = {str(p.relative_to(SRC)): len(p.read_text("utf-8").splitlines()) for p in SRC.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > LARGEST} == {}
