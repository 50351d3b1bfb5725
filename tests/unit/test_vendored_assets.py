"""The browser libraries are package data: a plain `pip install` serves them, no copy step."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "web" / "static" / "vendor"
# vendored file → the npm file it is a copy of (scripts/vendor-assets.sh)
FILES = {"cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
         "layout-base.js": "layout-base/layout-base.js",
         "cose-base.js": "cose-base/cose-base.js",
         "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js"}


def test_the_vendored_libraries_are_in_the_source_tree_with_their_licences():
    for name in FILES:
        assert (VENDOR / name).stat().st_size > 10_000, name
        assert (VENDOR / name.replace(".min.js", ".js").replace(".js", ".LICENSE")).is_file()


def test_the_vendored_libraries_are_the_versions_package_json_pins():
    modules = ROOT / "node_modules"
    if not modules.is_dir():
        pytest.skip("node_modules is not installed (scripts/setup.sh)")
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for name, source in FILES.items():
        package = source.split("/")[0]
        installed = json.loads((modules / package / "package.json").read_text())["version"]
        if package in pinned:
            assert installed == pinned[package], f"npm ci: {package} differs from package.json"
        assert (VENDOR / name).read_bytes() == (modules / source).read_bytes(), \
            f"web/static/vendor/{name} is stale: run scripts/vendor-assets.sh"


@pytest.mark.slow
def test_the_wheel_carries_the_libraries_icons_and_scripts(tmp_path):
    # built as `pip install .` builds it (an isolated build with pyproject.toml's setuptools)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("graphsvc-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in FILES:
        assert f"web/static/vendor/{name}" in names
    assert {"web/static/js/graph.js", "web/static/js/timeline.js",
            "web/static/icons/child.svg"} <= names
