"""Rule configuration kept in the data dir's `rules.toml`: parameter values and schedules.

    [params.ooa_child_near_high_risk_offender]
    radius_m = 800

    [schedule]
    default = "15m"                       # every rule unless named below
    repeat_missing_child = "5m"           # s, m, h or d; "off" to not schedule a rule

`GRAPHSVC_RULES_CONFIG` names another file. Command-line `--param rule.name=value` wins over it.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphsvc.errors import ConfigError, InputError
from graphsvc.rules.catalogue import get_rule
from graphsvc.settings import Settings

DEFAULT_INTERVAL_S = 15 * 60
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class RulesConfig:
    """Parameter overrides per rule and each rule's interval in seconds (None: not scheduled)."""

    path: Path | None = None
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    intervals: dict[str, float | None] = field(default_factory=dict)
    default_interval_s: float | None = DEFAULT_INTERVAL_S

    def interval_s(self, rule_id: str) -> float | None:
        return self.intervals.get(rule_id, self.default_interval_s)


def config_path(settings: Settings) -> Path:
    """Where rules.toml lives: GRAPHSVC_RULES_CONFIG, else the data dir."""
    named = os.environ.get("GRAPHSVC_RULES_CONFIG", "").strip()
    return Path(named) if named else Path(settings.data_dir) / "rules.toml"


def parse_interval(text: Any, where: str) -> float | None:
    """`"15m"`, `"30s"`, `"2h"`, `"1d"` or a number of minutes → seconds; `"off"` → None."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if isinstance(text, str) and text.strip().lower() in ("off", "never", "none"):
        return None
    m = _INTERVAL.match(text) if isinstance(text, str) else None
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"{where}: {text!r} is not an interval; write e.g. \"15m\", \"30s\", "
                          "\"2h\" or \"off\".")
    return float(m.group(1)) * _UNITS[m.group(2)]


# rules.toml as last read, by path: (modification time, size, inode) and what it said. Every address
# check asks for the proximity radius; a stat is cheaper than reading and checking the file.
_read: dict[Path, tuple[tuple[int, int, int], RulesConfig]] = {}


def load_config(settings: Settings) -> RulesConfig:
    """Read rules.toml if it exists; every rule and parameter it names is checked. A file not
    changed since the last read (same modification time and size) is not read again."""
    path = config_path(settings)
    try:
        found = path.stat()
    except OSError:
        return RulesConfig(path=None)
    if not stat.S_ISREG(found.st_mode):
        return RulesConfig(path=None)
    seen = (found.st_mtime_ns, found.st_size, found.st_ino)
    known = _read.get(path)
    if known and known[0] == seen:
        return known[1]
    config = _parse_config(path)
    _read[path] = (seen, config)
    return config


def _parse_config(path: Path) -> RulesConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"The rule configuration {path} cannot be read: {exc}.") from None
    unknown = sorted(set(data) - {"params", "schedule"})
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(unknown)}; "
                          "use [params.<rule>] and [schedule].")
    params: dict[str, dict[str, Any]] = {}
    for rule_id, values in (data.get("params") or {}).items():
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: [params.{rule_id}] must be a table of name = value.")
        try:
            rule = get_rule(rule_id)
            rule.values(values)  # checks names and types now, not at the first run
        except InputError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        params[rule_id] = dict(values)
    schedule = dict(data.get("schedule") or {})
    default = parse_interval(schedule.pop("default", "15m"), f"{path} [schedule] default")
    intervals = {}
    for rule_id, text in schedule.items():
        try:
            get_rule(rule_id)
        except InputError as exc:
            raise ConfigError(f"{path} [schedule]: {exc}") from None
        intervals[rule_id] = parse_interval(text, f"{path} [schedule] {rule_id}")
    return RulesConfig(path=path, params=params, intervals=intervals, default_interval_s=default)


def parse_param_options(options: list[str] | tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """`["rule.name=value", ...]` from the command line → `{rule: {name: value}}` (checked)."""
    out: dict[str, dict[str, Any]] = {}
    for option in options:
        target, sep, value = option.partition("=")
        rule_id, dot, name = target.strip().rpartition(".")
        if not sep or not dot or not rule_id or not name:
            raise InputError(f"--param {option!r}: write it as rule.name=value, e.g. "
                             "ooa_child_near_high_risk_offender.radius_m=800.")
        rule = get_rule(rule_id)
        out.setdefault(rule_id, {})[name] = value
        rule.values(out[rule_id])
    return out


PROXIMITY_RULE = "ooa_child_near_high_risk_offender"


def proximity_radius_m(settings: Settings | None) -> int:
    """The proximity rule's radius in metres (rules.toml, else the rule's default): one value
    that the rule and the address check's default radius both use."""
    config = load_config(settings) if settings is not None else RulesConfig()
    return int(round(get_rule(PROXIMITY_RULE).values(config.params.get(PROXIMITY_RULE))[
        "radius_m"]))


def merged_params(config: RulesConfig, overrides: dict[str, dict[str, Any]] | None
                  ) -> dict[str, dict[str, Any]]:
    """Configuration file values, with command-line values on top."""
    merged = {rule: dict(values) for rule, values in config.params.items()}
    for rule, values in (overrides or {}).items():
        merged.setdefault(rule, {}).update(values)
    return merged
