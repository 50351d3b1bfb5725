"""`graphsvc synth` as a user runs it: a summary on success, one plain sentence on bad input."""

from __future__ import annotations

import json


def test_synth_writes_the_county_and_prints_a_summary(run_cli, tmp_path):
    out = tmp_path / "county"
    result = run_cli("synth", "--scale", "small", "--out", str(out), "--seed", "3",
                     "--as-of", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert "written to" in result.stdout and "incidents.jsonl" in result.stdout
    assert "people.csv" in result.stdout and "expected_flags.json" in result.stdout
    expected = json.loads((out / "expected_flags.json").read_text())
    assert (expected["as_of"], expected["seed"], expected["scale"]) == ("2026-01-15", 3, "small")
    assert "Traceback" not in result.stderr


def test_a_bad_date_is_a_plain_error(run_cli, tmp_path):
    result = run_cli("synth", "--out", str(tmp_path / "x"), "--as-of", "2026-02-30")
    assert result.returncode == 2
    assert "--as-of must be a date written YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_an_out_folder_that_is_a_file_is_a_plain_error(run_cli, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    result = run_cli("synth", "--out", str(target))
    assert result.returncode == 2
    assert "is a file, not a folder" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "keep me"


def test_an_unknown_scale_is_refused(run_cli, tmp_path):
    result = run_cli("synth", "--scale", "country", "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and "country" in result.stderr


def test_two_processes_with_different_hash_seeds_write_identical_files(run_cli, tmp_path):
    for name, hash_seed in (("a", "1"), ("b", "2")):
        result = run_cli("synth", "--out", str(tmp_path / name), "--as-of", "2026-05-05",
                         env={"PYTHONHASHSEED": hash_seed})
        assert result.returncode == 0, result.stderr
    first = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert first == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
