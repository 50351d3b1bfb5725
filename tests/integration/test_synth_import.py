"""The small synthetic county imports through the real importer with no rejected row."""

from __future__ import annotations

import json
from datetime import date

import pytest

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


# The README's demo: `graphsvc synth` then `graphsvc import`, which exits 3 on any rejected row.
# 2026-11-22 is an as_of on which a placement once ended the day before it started.
@pytest.mark.parametrize(("seed", "as_of"), [(7, date(2026, 11, 22)), (13, date(2026, 11, 22)),
                                             (29, date(2028, 2, 29)), (7, None)],
                         ids=["seed7-2026-11-22", "seed13-2026-11-22", "seed29-leap-day",
                              "seed7-today"])
def test_synth_then_import_rejects_no_row(run_cli, store, tmp_path, seed, as_of):
    out = tmp_path / "county"
    dated = ["--as-of", as_of.isoformat()] if as_of else []
    made = run_cli("synth", "--scale", "small", "--seed", str(seed), "--out", str(out), *dated)
    assert made.returncode == 0, made.stdout + made.stderr
    result = run_cli("import", str(out), *dated)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = json.loads((out / "expected_flags.json").read_text())
    assert expected["as_of"] == (as_of or date.today()).isoformat()
    assert store.counts()["nodes"]["Placement"] > 0
