"""Malformed import folders, made by hand (over 30 shapes) and by Hypothesis: each is refused
or read with a plain message per file or row, the engine never crashes, and nothing is half
written (the graph's counts change by exactly the rows reported imported)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from graphsvc.errors import InputError
from graphsvc.importer import import_folder
from graphsvc.importer.files import BY_NAME
from graphsvc.store.engine import EmbeddedEngine
from tests.fuzz.conftest import EXAMPLES, FUZZ, INTERNAL, NASTY, ODD, graph_state


def _csv(folder: Path, name: str, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / name).write_bytes(data)


def _jsonl(folder: Path, name: str, *objects: object) -> None:
    (folder / name).write_text("".join(json.dumps(o) + "\n" for o in objects),
                               encoding="utf-8")


# name → what to put in the folder. Every shape is imported into a graph holding P0 and A0.
SHAPES: dict[str, Callable[[Path], None]] = {
    "id of 5000 characters": lambda d: _csv(d, "people.csv", "person_id\n" + "Y" * 5000 + "\n"),
    "phone of 6000 digits": lambda d: _csv(d, "people.csv",
                                           "person_id,phone_numbers\nP1," + "7" * 6000 + "\n"),
    "name of 201 characters": lambda d: _csv(d, "people.csv",
                                             "person_id,given_name\nP1," + "n" * 201 + "\n"),
    "summary of 4001 characters": lambda d: _csv(
        d, "incidents.csv", "incident_id,incident_type,occurred_at,summary\n"
        "I1,other,2024-01-01," + "s" * 4001 + "\n"),
    "51 aliases": lambda d: _csv(d, "people.csv",
                                 "person_id,aliases\nP1," + ";".join(["al"] * 51) + "\n"),
    "U+0001 in an id": lambda d: _jsonl(d, "people.jsonl", {"person_id": "P\x01"}),
    "every control character in an id": lambda d: _jsonl(
        d, "people.jsonl", *({"person_id": f"P{chr(c)}"} for c in range(1, 32) if c not in
                             (9, 10, 13) and chr(c).strip())),
    "NUL in a JSON value": lambda d: _jsonl(d, "people.jsonl",
                                            {"person_id": "P1", "given_name": "a\x00b"}),
    "NUL in a CSV file": lambda d: _csv(d, "people.csv", "person_id,given_name\nP1,a\x00b\n"),
    "Latin-1 bytes": lambda d: _csv(d, "people.csv", "person_id,given_name\nP1,Ren\xe9\n"
                                    .encode("latin-1")),
    "UTF-16 file": lambda d: _csv(d, "people.csv", "person_id\nP1\n".encode("utf-16")),
    "binary garbage": lambda d: _csv(d, "people.csv", bytes(range(256)) * 4),
    "symlink to /etc/passwd": lambda d: (d / "people.csv").symlink_to("/etc/passwd"),
    "symlink to a folder": lambda d: (d / "addresses.csv").symlink_to(d.parent),
    "a folder named people.csv": lambda d: (d / "people.csv").mkdir(),
    "a FIFO named people.csv": lambda d: os.mkfifo(d / "people.csv"),
    "duplicate JSON key": lambda d: _csv(d, "people.jsonl",
                                         '{"person_id": "P1", "person_id": "P2"}\n'),
    "a number of 5000 digits": lambda d: _csv(d, "people.jsonl",
                                              '{"person_id": ' + "9" * 5000 + "}\n"),
    "JSON nested 100000 deep": lambda d: _csv(d, "people.jsonl",
                                              '{"person_id": ' + "[" * 100000 + "\n"),
    "a JSON array line": lambda d: _csv(d, "people.jsonl", '["P1"]\n'),
    "an object as a value": lambda d: _jsonl(d, "people.jsonl",
                                             {"person_id": "P1", "given_name": {"a": 1}}),
    "formula cells": lambda d: _csv(d, "people.csv", 'person_id,given_name,gender\n'
                                    'P1,"=HYPERLINK(""x"")",@SUM(1)\nP2,+1,=1\n'),
    "impossible date": lambda d: _csv(d, "people.csv", "person_id,date_of_birth\n"
                                      "P1,2023-02-30\nP2,0001-01-01\nP3,9999-12-31\n"),
    "impossible datetime offset": lambda d: _csv(
        d, "incidents.csv", "incident_id,incident_type,occurred_at\n"
        "I1,other,2024-01-01T00:00:00+25:00\nI2,other,0001-01-01T00:00:00+01:00\n"),
    "header only": lambda d: _csv(d, "people.csv", "person_id,given_name\n"),
    "empty file": lambda d: _csv(d, "people.csv", ""),
    "blank lines only": lambda d: _csv(d, "people.csv", "\n\n\n"),
    "unclosed quote": lambda d: _csv(d, "people.csv", 'person_id,given_name\nP1,"open\n'),
    "ragged rows": lambda d: _csv(d, "people.csv", "person_id,given_name\nP1\nP2,a,b,c\n"),
    "a column twice": lambda d: _csv(d, "people.csv", "person_id,person_id\nP1,P2\n"),
    "required column missing": lambda d: _csv(d, "offenders.csv", "person_id\nP0\n"),
    "both formats of one file": lambda d: (_csv(d, "people.csv", "person_id\nP1\n"),
                                           _jsonl(d, "people.jsonl", {"person_id": "P1"})),
    "reference to nobody": lambda d: _csv(d, "residences.csv",
                                          "person_id,address_id\nNOBODY,A0\nP0,NOWHERE\n"),
    "coordinates not numbers": lambda d: _csv(
        d, "addresses.csv", "address_id,latitude,longitude\nA1,nan,inf\nA2,1e309,-1e309\n"
        "A3,91,181\n"),
    "dash score of 50 digits": lambda d: _csv(
        d, "incidents.csv", "incident_id,incident_type,occurred_at,dash_score\n"
        "I1,domestic_abuse,2024-01-01," + "9" * 50 + "\n"),
    "an id that is only spaces and tabs": lambda d: _csv(d, "people.csv",
                                                         "person_id\n\" \t \"\n"),
    "a Cypher injection": lambda d: _csv(
        d, "people.csv", "person_id,given_name\n\"P1'}) MATCH (n) DETACH DELETE n //\","
        "\"x\"\"}) DETACH DELETE n\"\n"),
}


@pytest.fixture
def seeded(store, settings, tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    _csv(seed, "people.csv", "person_id\nP0\n")
    _csv(seed, "addresses.csv", "address_id\nA0\n")
    import_folder(store, seed, settings=settings)
    return store


def _imported(report: dict) -> int:
    return sum(s["imported"] for s in report["files"].values())


def _check_plain(report: dict) -> None:
    text = json.dumps(report)
    for marker in INTERNAL:
        assert marker not in text, marker
    for reject in report["rejects"]:
        assert reject["field"] is not None and reject["reason"].strip(), reject
    for stats in report["files"].values():
        assert stats["refused"] == "" or stats["refused"].strip()


def _nodes(state: dict) -> int:
    return sum(state["nodes"].values())


def test_there_are_at_least_thirty_shapes():
    assert len(SHAPES) >= 30


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_a_malformed_folder_is_refused_plainly_and_writes_nothing_bad(seeded, settings,
                                                                       tmp_path, shape):
    folder = tmp_path / "bad"
    folder.mkdir()
    SHAPES[shape](folder)
    engine = EmbeddedEngine(settings)
    pid = engine.pid()
    before = graph_state(seeded)
    try:
        report = import_folder(seeded, folder, settings=settings)
    except InputError as exc:  # nothing importable at all: said in one sentence
        assert str(exc).strip() and "Traceback" not in str(exc)
        assert graph_state(seeded) == before
    else:
        _check_plain(report)
        after = graph_state(seeded)
        if _imported(report) == 0:
            assert after == before
        else:
            assert _nodes(after) - _nodes(before) <= _imported(report)
        rejects = (Path(report["report_path"]).parent / "rejects.csv").read_text("utf-8")
        for row in list(csv.reader(io.StringIO(rejects)))[1:]:
            for cell in row:
                assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")), row
    assert engine.pid() == pid, "the engine crashed"
    assert seeded.read_one("tests_import/node", label="Person", key="person_id",
                           value="P0") is not None


def _rows(spec_name: str) -> st.SearchStrategy:
    columns = [c.name for c in BY_NAME[spec_name].columns]
    return st.fixed_dictionaries({c: st.one_of(ODD, st.sampled_from(NASTY)) for c in columns})


@pytest.mark.parametrize("spec_name", ["people", "addresses", "incidents", "orders",
                                       "associations"])
def test_odd_cells_in_any_column_are_imported_whole_or_rejected_whole(seeded, settings,
                                                                      tmp_path, spec_name):
    engine = EmbeddedEngine(settings)
    pid = engine.pid()
    folders = iter(range(10**6))

    @hypothesis_settings(FUZZ, max_examples=3 * EXAMPLES)  # an import of one row is quick
    @given(row=_rows(spec_name), fmt=st.sampled_from(["csv", "jsonl"]))
    def one(row, fmt):
        folder = tmp_path / f"f{next(folders)}"
        folder.mkdir()
        if fmt == "jsonl":
            _jsonl(folder, f"{spec_name}.jsonl", row)
        else:
            with open(folder / f"{spec_name}.csv", "w", newline="", encoding="utf-8",
                      errors="surrogatepass") as handle:
                writer = csv.writer(handle)
                writer.writerow(list(row))
                writer.writerow(list(row.values()))
        before = graph_state(seeded)
        try:
            report = import_folder(seeded, folder, settings=settings)
        except InputError as exc:
            assert str(exc).strip()
            assert graph_state(seeded) == before
            return
        _check_plain(report)
        if _imported(report) == 0:
            assert graph_state(seeded) == before, "a rejected row left something behind"
        assert engine.pid() == pid, "the engine crashed"

    one()
