"""Malformed files: each is refused or read with a clear message, and the other files still land."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from graphsvc.errors import EngineError, InputError
from graphsvc.importer import import_folder
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.engine import EmbeddedEngine

DATA = Path(__file__).parent.parent / "data" / "import"


def _import(store, settings, case: str) -> dict:
    return import_folder(store, DATA / case, settings=settings)


def _rejects(report) -> dict[tuple[str, int], tuple[str, str]]:
    return {(r["file"], r["line"]): (r["field"], r["reason"]) for r in report["rejects"]}


def _ids(store, label, key):
    return sorted(r["n"][key] for r in store.read("tests_import/nodes", label=label))


def test_a_file_not_in_utf8_is_refused_by_name_and_the_others_import(store, settings):
    report = _import(store, settings, "latin1")
    assert report["files"]["people"]["refused"] == (
        "people.csv is not UTF-8 text (byte 0xe9 on line 3 cannot be read as UTF-8). "
        "Save it as UTF-8 and import it again.")
    assert report["files"]["people"]["imported"] == 0
    assert _ids(store, "Person", "person_id") == []  # nothing of the refused file, not even P1
    assert _ids(store, "Address", "address_id") == ["A1"]
    assert not report["clean"] and report["totals"]["files_refused"] == 1


def test_a_byte_order_mark_is_accepted(store, settings):
    report = _import(store, settings, "bom")
    assert report["clean"]
    assert _ids(store, "Person", "person_id") == ["P1", "P2"]


def test_ragged_rows_are_rejected_and_the_rest_imported(store, settings):
    report = _import(store, settings, "ragged")
    assert _rejects(report) == {
        ("people.csv", 3): ("", "the row has 2 cells but the header has 3"),
        ("people.csv", 4): ("", "the row has 4 cells but the header has 3"),
    }
    assert _ids(store, "Person", "person_id") == ["P1", "P4"]


def test_quoted_newlines_are_kept_and_lines_counted_from_the_record_start(store, settings):
    report = _import(store, settings, "quoted_newlines")
    assert _rejects(report) == {
        ("addresses.csv", 8): ("", "the row has 5 cells but the header has 4")}
    assert _ids(store, "Address", "address_id") == ["A1", "A2", "A3"]
    a1 = store.read_one("tests_import/node", label="Address", key="address_id", value="A1")["n"]
    assert a1["line1"] == "Flat 1\nThe Old Mill"
    assert a1["text_key"] == "flat 1 the old mill mill lane norwich"


def test_windows_line_endings_are_read(store, settings):
    report = _import(store, settings, "crlf")
    assert report["clean"] and report["files"]["people"]["read"] == 2
    assert _ids(store, "Person", "person_id") == ["P1", "P2"]


def test_an_unclosed_quote_rejects_from_where_it_opens(store, settings):
    report = _import(store, settings, "unclosed_quote")
    assert _rejects(report) == {("people.csv", 3): (
        "", "the row is not valid CSV: a quoted cell opened here is never closed "
        "(the file ends inside quotes)")}
    assert _ids(store, "Person", "person_id") == ["P1"]


def test_an_empty_file_is_refused_and_rows_that_need_it_are_rejected(store, settings):
    report = _import(store, settings, "empty")
    assert report["files"]["people"]["refused"] == "people.csv is empty."
    assert _rejects(report) == {("residences.csv", 2): (
        "person_id", "'P1' is not a person in this import or in the graph")}


def test_a_header_without_a_required_column_refuses_that_file_only(store, settings):
    report = _import(store, settings, "missing_column")
    assert report["files"]["offenders"]["refused"] == (
        "offenders.csv: the header has no rosh_level column (it is required); "
        "the file was not imported.")
    assert _ids(store, "Person", "person_id") == ["P1"]
    assert _ids(store, "Offender", "person_id") == []


def test_bad_json_lines_are_rejected_one_by_one(store, settings):
    report = _import(store, settings, "bad_json")
    assert _rejects(report) == {
        ("people.jsonl", 2): ("", "the line is not valid JSON (Expecting ',' delimiter at the "
                              "end of the line)"),
        ("people.jsonl", 4): ("", "the line is not a JSON object"),
        ("people.jsonl", 5): ("given_name", "the value holds an object where a value was "
                              "expected"),
    }
    assert _ids(store, "Person", "person_id") == ["5", "P1"]
    p1 = store.read_one("tests_import/node", label="Person", key="person_id", value="P1")["n"]
    assert p1["aliases"] == ["Annie", "A. Smith"] and p1["alias_keys"] == ["annie", "a smith"]


def test_the_same_file_as_csv_and_jsonl_is_refused(store, settings):
    report = _import(store, settings, "both_formats")
    assert report["files"]["people"]["refused"] == (
        "both people.csv and people.jsonl are present; keep one of them (neither was imported)")
    assert _ids(store, "Address", "address_id") == ["A1"]
    assert _ids(store, "Person", "person_id") == []


def test_unknown_files_and_columns_are_reported_and_ignored(store, settings):
    report = _import(store, settings, "unknown")
    assert report["clean"]
    assert report["unknown_files"] == ["README.txt", "vehicles.csv"]
    assert report["files"]["people"]["unknown_columns"] == ["shoe_size", "colour"]
    assert "people.csv: unknown column(s) shoe_size, colour were ignored." in report["warnings"]
    p1 = store.read_one("tests_import/node", label="Person", key="person_id", value="P1")["n"]
    assert "shoe_size" not in p1 and p1["given_name"] == "Ann"


def test_a_missing_folder_is_a_plain_error(store, settings, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        import_folder(store, tmp_path / "nowhere", settings=settings)


def test_a_folder_without_known_files_is_a_plain_error(store, settings, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="holds none of the files the import format names"):
        import_folder(store, tmp_path, settings=settings)


def test_column_names_are_matched_ignoring_case_and_spaces(store, settings, tmp_path):
    folder = tmp_path / "headers"
    folder.mkdir()
    (folder / "people.csv").write_text(" Person_ID , Given_Name \nP1,Ann\n", encoding="utf-8")
    report = import_folder(store, folder, settings=settings)
    assert report["clean"]
    p1 = store.read_one("tests_import/node", label="Person", key="person_id", value="P1")["n"]
    assert p1["given_name"] == "Ann"


def test_an_engine_failure_part_way_is_reported_with_what_landed(tmp_path):
    # Its own engine, stopped for real once people.csv has landed, and in a crash loop (so it
    # is not restarted behind the import's back).
    own = Settings(data_dir=tmp_path / "data", graph_name="stops")
    folder = tmp_path / "stops"
    folder.mkdir()
    (folder / "people.csv").write_text("person_id\nP1\n", encoding="utf-8")
    (folder / "addresses.csv").write_text("address_id\nA1\n", encoding="utf-8")
    engine = EmbeddedEngine(own)

    def stop_after_people(name, done, total):
        if name == "people.csv" and done == total:
            now = time.time()
            engine.restarts_path.write_text(f"{now}\n{now}\n{now}\n")
            engine.stop()

    store = open_store(own)
    try:
        store.apply_schema()
        with pytest.raises(EngineError, match="The import stopped part-way") as caught:
            import_folder(store, folder, settings=own, progress=stop_after_people)
    finally:
        store.close()
        engine.stop()
    report_path = Path(str(caught.value).rsplit(" in ", 1)[1].rstrip("."))
    report = json.loads(report_path.read_text())
    assert report["files"]["people"]["imported"] == 1
    assert report["files"]["addresses"]["imported"] == 0
    assert not report["clean"] and "not being restarted" in report["error"]


def test_a_symlinked_file_is_refused_and_not_followed(store, settings, tmp_path):
    folder = tmp_path / "linked"
    folder.mkdir()
    secret = tmp_path / "elsewhere.csv"
    secret.write_text("person_id\nSECRET1\n", encoding="utf-8")
    (folder / "people.csv").symlink_to(secret)
    (folder / "addresses.csv").write_text("address_id\nA1\n", encoding="utf-8")
    report = import_folder(store, folder, settings=settings)
    assert "symbolic link" in report["files"]["people"]["refused"]
    assert _ids(store, "Person", "person_id") == []
    assert _ids(store, "Address", "address_id") == ["A1"]


def test_a_json_line_giving_a_field_twice_is_rejected(store, settings, tmp_path):
    folder = tmp_path / "dupkey"
    folder.mkdir()
    (folder / "people.jsonl").write_text(
        '{"person_id": "P1", "given_name": "Ann", "given_name": "Bea"}\n'
        '{"person_id": "P2", "dash": ' + "9" * 5000 + '}\n'
        '{"person_id": "P3"}\n', encoding="utf-8")
    report = import_folder(store, folder, settings=settings)
    rejects = _rejects(report)
    assert rejects[("people.jsonl", 1)] == ("given_name",
                                            "the line gives the field 'given_name' more than once")
    assert "too large" in rejects[("people.jsonl", 2)][1]
    assert _ids(store, "Person", "person_id") == ["P3"]


@pytest.mark.parametrize(("column", "value", "limit"), [
    ("person_id", "P" * 101, 100), ("given_name", "a" * 201, 200),
    ("aliases", "ok;" + "b" * 201, 200), ("gender", "f" * 41, 40),
])
def test_each_field_has_a_maximum_length(store, settings, tmp_path, column, value, limit):
    folder = tmp_path / "long"
    folder.mkdir()
    row = {"person_id": "P1", column: value}
    (folder / "people.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = import_folder(store, folder, settings=settings)
    field, reason = _rejects(report)[("people.jsonl", 1)]
    assert field == column and f"at most {limit} are accepted" in reason
    assert _ids(store, "Person", "person_id") == []


def test_a_control_character_in_an_id_is_rejected_and_the_engine_stays_up(store, settings,
                                                                          tmp_path):
    from graphsvc.store.engine import EmbeddedEngine as Engine

    pid = Engine(settings).pid()
    folder = tmp_path / "ctl"
    folder.mkdir()
    rows = [{"person_id": "P\x01X"}, {"person_id": "P2", "given_name": "Bell\x07"},
            {"person_id": "P3", "family_name": "nul\x00"}]
    (folder / "people.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                         encoding="utf-8")
    report = import_folder(store, folder, settings=settings)
    rejects = _rejects(report)
    assert rejects[("people.jsonl", 1)] == (
        "person_id", "holds a control character (U+0001), which an id may not hold")
    assert rejects[("people.jsonl", 3)][0] == "family_name"
    assert _ids(store, "Person", "person_id") == ["P2"]
    assert Engine(settings).pid() == pid
