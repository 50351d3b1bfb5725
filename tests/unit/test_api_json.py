"""The API's JSON text (web/api.py `json_body`): the same bytes as Python's encoder with
Flask's settings (ASCII, sorted keys, compact), however it is written."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from flask import Flask

from graphsvc.store.values import Point
from web.api import json_body


@dataclass
class _Pair:
    b: int
    a: str


def _stdlib(value):
    def default(v):
        if isinstance(v, datetime):
            return v.isoformat(timespec="seconds")
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, _Pair):
            return {"b": v.b, "a": v.a}
        if isinstance(v, uuid.UUID):
            return str(v)
        raise TypeError(type(v).__name__)

    return (json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"),
                       default=default) + "\n").encode("ascii")


CASES = {
    "nested sections": {"z": [1, 2.5, None, True, False], "a": {"y": "x", "b": [{"d": 1,
                                                                                   "c": -0.0}]},
                        "m": 51.6234561, "n": -1.2345678, "big": 2 ** 62, "empty": {}},
    "dates": {"as_of": date(2026, 12, 2), "at": datetime(2026, 12, 2, 9, 45, 12, 123456)},
    "a point (a named tuple) and a tuple": {"p": Point(52.5, -1.25), "t": (1, "a")},
    "a dataclass and a UUID": {"pair": _Pair(2, "x"), "id": uuid.UUID(int=7)},
    "text that needs escapes": {"q": 'say "hi"\\ \t\n\u0001 </script>'},
    "text beyond ASCII": {"name": "Zoë Ó Súilleabháin – 東京 😀", "k\u00e9y": 1},
    "keys that are not text": {2: "two", 1: "one"},
    "an integer beyond 64 bits": {"n": 2 ** 70},
}


@pytest.mark.parametrize("value", CASES.values(), ids=CASES.keys())
def test_the_api_json_is_byte_for_byte_pythons_with_flasks_settings(value):
    with Flask(__name__).app_context():
        assert json_body(value) == _stdlib(value)


def test_a_value_no_encoder_can_write_is_refused_as_before():
    with Flask(__name__).app_context(), pytest.raises(TypeError):
        json_body({"x": object()})
