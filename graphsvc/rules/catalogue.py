"""The rule catalogue: each rule is one Cypher file in `cypher/rules/`, described by its header.

Header lines: `// id:`, `// title:`, `// short_title:`, `// phrase:` (the names people read,
see graphsvc.model.rule_titles), `// description:`, `// severity:`,
`// param NAME: DEFAULT  (meaning)` and `// finding:`. The defaults are Cypher-like literals
(`1000`, `['high', 'very_high']`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graphsvc import queries
from graphsvc.errors import InputError, QueryFileError

GROUP = "rules/"
_PARAM = re.compile(r"^([A-Za-z_]\w*):\s*(.+?)(?:\s{2,}\((.*)\))?\s*$")


@dataclass(frozen=True)
class Param:
    """One rule parameter: its default (which also fixes its type) and what it means."""

    name: str
    default: Any
    meaning: str = ""

    def coerce(self, value: Any, rule_id: str) -> Any:
        """The value as this parameter's type; InputError naming rule and parameter if not."""
        where = f"{rule_id}.{self.name}"
        kind = type(self.default)
        if isinstance(value, str) and kind is not str:
            value = parse_literal(value)
        try:
            if kind is bool:
                if not isinstance(value, bool):
                    raise ValueError
                return value
            if kind is int:
                if isinstance(value, bool) or float(value) != int(float(value)):
                    raise ValueError
                return int(float(value))
            if kind is float:
                if isinstance(value, bool):
                    raise ValueError
                return float(value)
            if kind is list:
                if isinstance(value, str):
                    value = [v.strip() for v in value.split(",") if v.strip()]
                if not isinstance(value, (list, tuple)):
                    raise ValueError
                return [str(v) for v in value]
            return str(value)
        except (TypeError, ValueError):
            raise InputError(f"Parameter {where} must be {_kind_name(kind)} "
                             f"(default {self.default!r}), not {value!r}.") from None


def _kind_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number",
            list: "a list such as ['a', 'b'] or a,b"}.get(kind, "text")


def parse_literal(text: str) -> Any:
    """A header or command-line literal as a Python value: numbers, true/false, lists, text."""
    text = text.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if text.startswith("["):
        try:
            return json.loads(text.replace("'", '"'))
        except json.JSONDecodeError:
            raise InputError(f"{text!r} is not a list: write it as ['a', 'b'].") from None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


@dataclass(frozen=True)
class Rule:
    """One rule of the pack, as its Cypher file describes it."""

    id: str
    query: str
    description: str
    severity: str
    finding: str
    params: dict[str, Param] = field(default_factory=dict)

    def values(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The parameter values to run with: defaults, replaced by checked overrides."""
        values = {name: p.default for name, p in self.params.items()}
        for name, value in (overrides or {}).items():
            if name not in self.params:
                known = ", ".join(self.params) or "none"
                raise InputError(f"Rule {self.id} has no parameter {name!r} "
                                 f"(its parameters: {known}).")
            values[name] = self.params[name].coerce(value, self.id)
        return values


def _rule_from(query: queries.Query) -> Rule:
    rule_id = query.first("id")
    expected = query.name[len(GROUP):]
    if rule_id != expected:
        raise QueryFileError(f"Rule file {query.path} must begin with '// id: {expected}'.")
    for key in ("title", "short_title", "phrase", "description", "severity", "finding"):
        if not query.first(key):
            raise QueryFileError(f"Rule file {query.path} has no '// {key}:' header line.")
    params = {}
    for line in query.meta.get("param", []):
        m = _PARAM.match(line)
        if not m:
            raise QueryFileError(f"Rule file {query.path}: cannot read parameter line "
                                 f"'// param {line}' (write '// param name: default  (meaning)').")
        try:
            default = parse_literal(m.group(2))
        except InputError as exc:
            raise QueryFileError(f"Rule file {query.path}: parameter {m.group(1)}: {exc}") from None
        params[m.group(1)] = Param(m.group(1), default, (m.group(3) or "").strip())
    return Rule(id=rule_id, query=query.name, description=query.first("description"),
                severity=query.first("severity"), finding=query.first("finding"), params=params)


@cache
def _catalogue() -> dict[str, Rule]:
    return {rule.id: rule for rule in (_rule_from(queries.get(name))
                                        for name in sorted(queries.names(GROUP)))}


def catalogue() -> dict[str, Rule]:
    """Every rule of the pack by id, read from the headers of `cypher/rules/*.cypher`."""
    return dict(_catalogue())


def get_rule(rule_id: str) -> Rule:
    """The rule with this id; an unknown id is an InputError listing the valid ones."""
    rules = _catalogue()
    if rule_id not in rules:
        raise InputError(f"There is no rule {rule_id!r}. The rules are: {', '.join(rules)}.")
    return rules[rule_id]
