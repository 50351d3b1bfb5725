"""`graphsvc synth --counties N`: adjacent counties that import whole, linked across their lines."""

from __future__ import annotations

import csv
import json


def _rows(folder, name):
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_three_counties_import_with_no_rejected_row_and_cross_county_links(run_cli, store,
                                                                             tmp_path):
    out = tmp_path / "counties"
    made = run_cli("synth", "--scale", "small", "--counties", "3", "--out", str(out),
                   "--seed", "5", "--as-of", "2025-06-30")
    assert made.returncode == 0, made.stderr
    assert "3 synthetic counties" in made.stdout
    result = run_cli("import", str(out), "--as-of", "2025-06-30")
    assert result.returncode == 0, result.stdout + result.stderr
    addresses = _rows(out, "addresses")
    areas = {row["postcode"][:2] for row in addresses if row["postcode"]}
    assert {"WX", "KB", "KC"} <= areas
    assert store.counts()["nodes"]["Address"] == len(addresses)
    by_county = {}
    for row in _rows(out, "people"):
        by_county.setdefault(row["person_id"].split("-")[0] if row["person_id"].startswith("K")
                             else "K1", []).append(row)
    assert set(by_county) == {"K1", "K2", "K3"}
    assert abs(len(by_county["K2"]) - len(by_county["K1"])) < len(by_county["K1"]) / 5
    across = [row for row in _rows(out, "placements")
              if row["placement_id"].startswith("K3-")
              and row["placing_authority"] == "County 2 Council"]
    assert across, "children of county 2 are placed in county 3"
    expected = json.loads((out / "expected_flags.json").read_text())
    assert expected["expected"], "county 1 keeps its planted cases"


def test_a_county_count_out_of_range_is_a_plain_error(run_cli, tmp_path):
    result = run_cli("synth", "--counties", "0", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "--counties must be between 1 and 9" in result.stderr
    assert "Traceback" not in result.stderr
