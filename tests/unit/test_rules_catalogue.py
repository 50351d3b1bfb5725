"""The rule catalogue read from the Cypher headers, parameters, and rules.toml."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graphsvc.errors import ConfigError, InputError
from graphsvc.rules import catalogue, get_rule
from graphsvc.rules.config import load_config, parse_interval, parse_param_options
from graphsvc.rules.runner import moment_of, query_params
from graphsvc.settings import Settings

PACK = {"ooa_child_near_high_risk_offender", "offender_household_with_child",
        "offender_linked_to_care_setting", "order_breach", "repeat_missing_child",
        "shared_exploitation_link", "unnotified_placement", "repeat_domestic_abuse_with_child",
        "overdue_return_interview", "long_running_child_abuse_investigation",
        "offender_unnotified_address"}


def test_the_pack_has_the_eleven_rules_each_described_by_its_header():
    rules = catalogue()
    assert set(rules) == PACK
    for rule in rules.values():
        assert rule.query == f"rules/{rule.id}"
        assert rule.description.endswith(".") and rule.finding
        assert rule.severity.split(";")[0] in ("medium", "high", "critical")
    assert get_rule("ooa_child_near_high_risk_offender").params["radius_m"].default == 1000
    assert get_rule("shared_exploitation_link").params["critical_children"].default == 3


def test_a_rules_material_statement_exists_and_takes_the_keys_and_its_parameters():
    """`// material_from:` (graphsvc/rules/material.py) names a statement that is read with
    `$keys` and the rule's own parameters: a misspelt name or parameter fails here, not in a
    rule run."""
    from graphsvc import queries
    from graphsvc.rules.material import material_statement

    named = {rule.id: material_statement(rule) for rule in catalogue().values()}
    assert named["shared_exploitation_link"] == "material/child_concerns"
    for rule_id, name in named.items():
        if name is None:
            continue
        rule = get_rule(rule_id)
        given = set(query_params(rule.values(None), date(2025, 6, 30))) | {"keys"}
        assert "keys" in queries.get(name).parameters, rule_id
        assert set(queries.get(name).parameters) <= given, rule_id


def test_unknown_rule_lists_the_valid_ones():
    with pytest.raises(InputError, match="There is no rule 'nope'. The rules are: .*order_breach"):
        get_rule("nope")


def test_parameters_are_checked_and_typed():
    rule = get_rule("ooa_child_near_high_risk_offender")
    assert rule.values({"radius_m": "800"})["radius_m"] == 800
    assert rule.values({"rosh_levels": "very_high"})["rosh_levels"] == ["very_high"]
    assert rule.values({"rosh_levels": "['high']"})["rosh_levels"] == ["high"]
    with pytest.raises(InputError, match="must be a whole number"):
        rule.values({"radius_m": "800.5"})
    with pytest.raises(InputError, match="has no parameter 'radius'"):
        rule.values({"radius": 5})


def test_command_line_params_name_rule_and_parameter():
    assert parse_param_options(["repeat_missing_child.min_episodes=4"]) == {
        "repeat_missing_child": {"min_episodes": "4"}}
    with pytest.raises(InputError, match="rule.name=value"):
        parse_param_options(["min_episodes=4"])


def test_rules_toml_sets_params_and_schedules(tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHSVC_RULES_CONFIG", raising=False)
    (tmp_path / "rules.toml").write_text(
        '[params.repeat_missing_child]\nmin_episodes = 4\n\n'
        '[schedule]\ndefault = "30m"\norder_breach = "5m"\nrepeat_missing_child = "off"\n')
    config = load_config(Settings(data_dir=tmp_path))
    assert config.params == {"repeat_missing_child": {"min_episodes": 4}}
    assert config.interval_s("order_breach") == 300
    assert config.interval_s("unnotified_placement") == 1800
    assert config.interval_s("repeat_missing_child") is None


def test_a_bad_rules_toml_is_a_plain_config_error(tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHSVC_RULES_CONFIG", raising=False)
    (tmp_path / "rules.toml").write_text('[params.repeat_missing_child]\nmin_episodes = "x"\n')
    with pytest.raises(ConfigError, match="rules.toml: Parameter repeat_missing_child"):
        load_config(Settings(data_dir=tmp_path))
    with pytest.raises(ConfigError, match="not an interval"):
        parse_interval("soon", "here")


def test_dates_are_worked_out_in_python_for_the_rules():
    params = query_params({"window_days": 90, "overdue_hours": 72}, date(2024, 2, 29),
                          now=datetime(2025, 1, 1, 12, 0))
    assert params["window_days_since"] == date(2023, 12, 1)
    assert params["born_after"] == date(2006, 2, 28)
    assert params["as_at"] == datetime(2024, 2, 29, 23, 59, 59)
    assert params["overdue_hours_before"] == datetime(2024, 2, 26, 23, 59, 59)
    assert moment_of(date(2025, 1, 1), now=datetime(2025, 1, 1, 12, 0, 5)) == datetime(
        2025, 1, 1, 12, 0, 5)
