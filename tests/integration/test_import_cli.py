"""`graphsvc import` as a user runs it: summary, report path, exit codes, audit entry."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from graphsvc import audit
from tests.factories import write_folder

DATA = Path(__file__).parent.parent / "data" / "import"


def test_a_clean_import_exits_zero_and_prints_the_summary(run_cli, settings, tmp_path, store):
    folder = write_folder(tmp_path / "clean", {
        "people": [{"person_id": "P1"}, {"person_id": "P2"}],
        "addresses": [{"address_id": "A1", "postcode": "NR1 3AB"}]})
    result = run_cli("import", str(folder), env={"GRAPHSVC_APP_DIR": str(tmp_path / "app")})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "read", "imported", "rejected"]
    assert lines[1].split() == ["people.csv", "2", "2", "0"]
    assert lines[2].split() == ["addresses.csv", "1", "1", "0"]
    assert lines[3].split() == ["total", "3", "3", "0"]
    assert "Warning: 1 addresses have no coordinates and take no part in distance rules." \
        in lines
    report_path = Path(lines[-1].removeprefix("Report: "))
    assert json.loads(report_path.read_text())["totals"]["imported"] == 3
    assert result.stderr == ""  # no progress bar when output is not a terminal
    assert store.counts()["nodes"] == {"Address": 1, "Person": 2}


def test_rejected_rows_exit_three_and_name_the_rejects_file(run_cli, tmp_path, store):
    result = run_cli("import", str(DATA / "ragged"),
                     env={"GRAPHSVC_APP_DIR": str(tmp_path / "app")})
    assert result.returncode == 3
    assert "Rejected: people.csv line 3: the row has 2 cells but the header has 3" \
        in result.stdout
    rejects = Path(result.stdout.splitlines()[-1].removeprefix("Rejected rows: "))
    assert rejects.name == "rejects.csv" and rejects.read_text().count("\n") == 3
    assert "Traceback" not in result.stderr


def test_a_refused_file_is_shown_and_exits_three(run_cli, tmp_path, store):
    result = run_cli("import", str(DATA / "latin1"),
                     env={"GRAPHSVC_APP_DIR": str(tmp_path / "app")})
    assert result.returncode == 3
    assert "people.csv" in result.stdout and "is not UTF-8 text" in result.stdout


def test_a_missing_folder_exits_two_with_one_sentence(run_cli, tmp_path, store):
    result = run_cli("import", str(tmp_path / "nowhere"),
                     env={"GRAPHSVC_APP_DIR": str(tmp_path / "app")})
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: The folder {tmp_path / 'nowhere'} does not exist " \
        "(or is not a folder)."


def test_each_import_is_recorded_in_the_audit_log(run_cli, settings, tmp_path, store):
    folder = write_folder(tmp_path / "audited", {"people": [{"person_id": "P1"}]})
    app = tmp_path / "app"
    assert run_cli("import", str(folder), env={"GRAPHSVC_APP_DIR": str(app)}).returncode == 0
    [entry] = audit.search(replace(settings, app_data_dir=app), kind="alteration")
    assert entry.action == "import" and entry.role == "cli" and entry.user
    assert entry.asked["folder"] == str(folder) and entry.asked["imported"] == 1
    assert audit.verify(replace(settings, app_data_dir=app)) == []
