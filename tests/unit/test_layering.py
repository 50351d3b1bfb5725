"""The domain package never reaches its front doors: `graphsvc/` imports nothing from `web/`,
`jobs/` or `cli/` (nor from the benches or tests), anywhere in a module, even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONT_DOORS = ("web", "jobs", "cli", "bench", "tests")


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import in a module's source, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def front_door_imports(folder: Path) -> list[str]:
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in imported_modules(path.read_text(encoding="utf-8")):
            if module.split(".")[0] in FRONT_DOORS:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return bad


def test_the_domain_package_imports_no_front_door():
    assert front_door_imports(ROOT / "graphsvc") == []


@pytest.mark.parametrize("source,found", [
    ("from jobs.scheduler import next_run_times", ["jobs.scheduler"]),
    ("def f():\n    import web.context\n", ["web.context"]),
    ("from cli import main\nfrom graphsvc import model\n", ["cli", "graphsvc"]),
    ("from . import sibling\n", []),
])
def test_imports_are_found_at_any_depth(source, found):
    assert [module for _, module in imported_modules(source)] == found


def test_a_front_door_import_in_the_domain_is_reported(tmp_path):
    package = tmp_path / "graphsvc"
    package.mkdir()
    (package / "bad.py").write_text("def f():\n    from web.context import get_store\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert front_door_imports(package) == ["graphsvc/bad.py:2 imports web.context"]
    finally:
        ROOT = saved
