"""Every period the synthetic county writes runs forwards, for any seed and as_of: the importer
rejects an end before its start, and one rejected row fails the README's demo."""

from __future__ import annotations

import random
from datetime import date

import pytest

from graphsvc.synth import register
from graphsvc.synth.population import Background
from graphsvc.synth.verify import PERIODS, _check_periods
from graphsvc.synth.write import FolderWriter, read_rows

# Includes as_of dates the bug was seen with (2026-11-22), a leap day and a year's first day.
AS_OFS = [date(2026, 11, 22), date(2028, 2, 29), date(2027, 1, 1), date.today()]


def _placements(folder, seed: int, as_of: date) -> list[dict[str, str]]:
    """County-sized placements (2,000) on a handful of care addresses, so the test is cheap."""
    with FolderWriter(folder) as writer:
        background = Background(random.Random(seed), as_of, 1.0, writer, [])
        background.a_type = (["childrens_home"] * 3 + ["foster_home"] * 3
                             + ["supported_accommodation"] * 2 + ["private"] * 4)
        background.a_quiet = [False] * len(background.a_type)
        register.make_placements(background)
    return list(read_rows(folder, "placements"))


@pytest.mark.parametrize("as_of", AS_OFS, ids=str)
def test_background_placements_never_end_before_they_start(tmp_path, as_of):
    backwards = []
    for seed in range(6):
        folder = tmp_path / f"seed-{seed}"
        folder.mkdir()
        rows = _placements(folder, seed, as_of)
        backwards += [(seed, r["placement_id"], r["start_date"], r["end_date"]) for r in rows
                      if r["end_date"] and r["end_date"] < r["start_date"]]
        assert all(r["start_date"] < as_of.isoformat() for r in rows)
        assert any(r["end_date"] for r in rows), "some placements have ended"
    assert backwards == []


@pytest.mark.parametrize("as_of", AS_OFS, ids=str)
def test_a_child_moved_on_starts_the_next_placement_after_the_last_ended(tmp_path, as_of):
    rows = _placements(tmp_path, 3, as_of)
    by_child: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_child.setdefault(row["person_id"], []).append(row)
    moved = [placements for placements in by_child.values() if len(placements) > 1]
    assert moved, "some children have had two placements"
    for earlier, later in moved:
        assert earlier["end_date"] and earlier["end_date"] < later["start_date"]


def test_every_dated_file_has_its_periods_checked():
    assert set(PERIODS) == {"residences", "offenders", "orders", "protection_plans",
                            "placements", "incidents", "associations"}
    assert _check_periods("placements", 1537, {"start_date": "2026-11-21",
                                               "end_date": "2026-11-20"}) == [
        "placements line 1537: end_date 2026-11-20 is before start_date 2026-11-21"]
    assert _check_periods("placements", 2, {"start_date": "2026-11-21",
                                            "end_date": "2026-11-21"}) == []
