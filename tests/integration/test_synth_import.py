"""The small synthetic county imports through the real importer with no rejected row."""

from __future__ import annotations

import json
from datetime import date

from graphsvc.synth import generate


def test_small_county_imports_with_zero_rejected_rows(run_cli, store, tmp_path):
    out = tmp_path / "county"
    counts = generate(out, scale="small", seed=7, as_of=date(2026, 3, 1))
    result = run_cli("import", str(out), "--as-of", "2026-03-01")
    assert result.returncode == 0, result.stdout + result.stderr
    nodes = store.counts()["nodes"]
    assert nodes["Person"] == counts["people"]
    assert nodes["Address"] == counts["addresses"]
    assert nodes["Incident"] == counts["incidents"]
    assert nodes["Placement"] == counts["placements"]
    planted = store.read("bench/person_by_id", person_id="P-SCN-OOA-01-CHILD")
    assert planted, "the planted child is in the graph"
    expected = json.loads((out / "expected_flags.json").read_text())
    assert expected["expected"] and expected["near_misses"]
