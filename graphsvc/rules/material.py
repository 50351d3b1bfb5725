"""Material items a rule's rows name by key, read once for every row of a run.

A rule whose header has a line `// material_from: STATEMENT` returns in each row's `material`
keys whose own material items STATEMENT gives (the shared-link rule names its children there,
and STATEMENT gives each child's missing episodes and CSE concerns). After the rule's statement,
STATEMENT is read once, with the rule's parameters and `$keys` (every material key of every
row), and returns rows `{key, material}`; each row's material then also holds the material of
each of its keys. A rule with a `// per_child:` line also has each child entry of its evidence
hold that child's material items (`material`).

Why: a child linked to several hubs had its concerns sent once per hub. On the county a day's
100 hub flags carried about 130,000 incident ids for 6,500 distinct ones, and sending and
parsing them took a third of the rule's time.
"""

from __future__ import annotations

from typing import Any

from graphsvc import queries
from graphsvc.rules.catalogue import Rule
from graphsvc.store.base import GraphStore


def material_statement(rule: Rule) -> str | None:
    """The statement that gives the material of the keys the rule's rows name, or None."""
    return queries.get(rule.query).first("material_from") or None


def per_child(rule: Rule) -> tuple[str, str] | None:
    """(evidence list, threshold parameter) of a rule whose header has a line `// per_child:
    LIST THRESHOLD`: its evidence lists one entry per child under LIST, each with `child_id`,
    and a flag needs THRESHOLD children (graphsvc/rules/hubs.py); else None."""
    line = queries.get(rule.query).first("per_child").split()
    if not line:
        return None
    if len(line) != 2:
        raise ValueError(f"rule {rule.id}: the per_child line must name an evidence list and "
                         f"a parameter, not {' '.join(line)!r}")
    return line[0], line[1]


def with_material(store: GraphStore, rule: Rule, params: dict[str, Any],
                  rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, each row's material extended by the material of its keys (`material_from`)."""
    name = material_statement(rule)
    if name is None or not rows:
        return rows
    keys = sorted({str(k) for row in rows for k in row.get("material") or [] if k is not None})
    statement = queries.get(name)
    of_key = {str(r["key"]): list(r.get("material") or [])
              for r in store.read(name, **statement.only_its_parameters({**params, "keys": keys}))}
    listed = per_child(rule)
    out = []
    for row in rows:
        own = [k for k in row.get("material") or [] if k is not None]
        row = {**row, "material": own + [m for k in own for m in of_key.get(str(k), ())]}
        if listed and isinstance(row.get("evidence"), dict):
            row["evidence"] = _with_child_material(row["evidence"], listed[0], of_key)
        out.append(row)
    return out


def _with_child_material(evidence: dict[str, Any], list_name: str,
                         of_key: dict[str, list[Any]]) -> dict[str, Any]:
    """The evidence with each child entry of its list given the child's material items, sorted
    (`material`): a flag then holds what each child brought to it, which lets an incremental
    run compare a changed child's entry alone (graphsvc/rules/hubs.py)."""
    entries = [{**entry, "material": sorted(map(str, of_key.get(
                   f"person_id={entry.get('child_id')}", ())))}
               for entry in evidence.get(list_name) or [] if isinstance(entry, dict)]
    return {**evidence, list_name: entries}
