"""Settings read from the environment: sensible defaults, a plain error for a bad value."""

from __future__ import annotations

import pytest

from graphsvc.errors import ConfigError
from graphsvc.settings import Settings


def test_rules_run_two_at_a_time_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("GRAPHSVC_RULE_WORKERS", raising=False)
    assert Settings.from_env().rule_workers == 2
    monkeypatch.setenv("GRAPHSVC_RULE_WORKERS", "1")
    assert Settings.from_env().rule_workers == 1


@pytest.mark.parametrize(("value", "reason"), [("0", "must be 1 or more, not 0"),
                                               ("-3", "must be 1 or more, not -3"),
                                               ("two", "must be a whole number, not 'two'")])
def test_a_bad_number_of_rule_workers_is_refused_in_plain_english(monkeypatch, value, reason):
    monkeypatch.setenv("GRAPHSVC_RULE_WORKERS", value)
    with pytest.raises(ConfigError, match=f"GRAPHSVC_RULE_WORKERS {reason}"):
        Settings.from_env()
