"""The proximity rule's rows, built from its pairs and what the engine reads of each child.

The rule (`cypher/rules/ooa_child_near_high_risk_offender.cypher`) is given its pairs made
outside the engine (graphsvc/rules/pairs.py: each pair of an active out-of-area placement and a
candidate adult's home within the radius, measured with the rule's formula). What is left for
the engine is what the pairs do not carry: each child's protection plans and recent missing
episodes, one flat row per child. The rest is arithmetic and grouping, done here: one row per
child and adult, with the same identity, entities, severity, summary, evidence and material
items as the rule's statement returned when it built them itself (sending and decoding
thousands of nested rows took most of the rule's time).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

# Per child record: its adults, keyed by (adult record, RoSH level, orders, high risk), each with
# its shortest distance and its pairs.
ByChild = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def _round(value: float, places: int = 0) -> float:
    """Cypher's round(): halves away from zero (the distances are never negative)."""
    scale = 10.0 ** places
    return math.floor(value * scale + 0.5) / scale


def identity(child_id: str, adult_id: str) -> list[str]:
    """A row's identity: the child's record, then the adult's."""
    return [f"person_id={child_id}", f"person_id={adult_id}"]


def adults(pairs: Iterable[dict[str, Any]], radius_m: float,
           keep: Callable[[list[str]], bool] | None = None) -> ByChild:
    """Per child record with a pair within the radius (the records the engine is asked about),
    its adults (one per adult record and its orders), each with the shortest distance and its
    pairs in placement then home address order; only the child and adult records whose
    identity `keep` keeps, when given."""
    children: ByChild = {}
    kept: dict[tuple[str, str], bool] = {}
    for p in sorted(pairs, key=lambda p: (p["placement_placement_id"], p["home_address_id"])):
        if p["distance_m"] > radius_m:
            continue
        if keep is not None:
            ends = (p["placement_person_id"], p["home_person_id"])
            if ends not in kept:
                kept[ends] = keep(identity(*ends))
            if not kept[ends]:
                continue
        adult = (p["home_person_id"], p["home_rosh_level"], tuple(p["home_orders"]),
                 p["home_high_risk"])
        group = children.setdefault(p["placement_person_id"], {}).setdefault(
            adult, {"distance_m": p["distance_m"], "pairs": [], "seen": set()})
        group["distance_m"] = min(group["distance_m"], p["distance_m"])
        pair = {"placement_id": p["placement_placement_id"],
                "placement_address_id": p["placement_address_id"],
                "home_address_id": p["home_address_id"],
                "distance_m": _round(p["distance_m"], 2)}
        seen = tuple(pair.values())
        if seen not in group["seen"]:
            group["seen"].add(seen)
            group["pairs"].append(pair)
    return children


def rows(by_child: ByChild, per_child: list[dict[str, Any]],
         params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule's rows from `adults(...)` and the statement's rows (child_id, plans, missing,
    as_of)."""
    radius_m = params["radius_m"]
    facts = {r["child_id"]: r for r in per_child}
    out = []
    for child_id, adults_of in by_child.items():
        child = facts.get(child_id)
        if child is None:  # the record is gone: the statement found no such person
            continue
        plans, missing = list(child["plans"]), list(child["missing"])
        for (adult_id, rosh_level, orders, high_risk), group in adults_of.items():
            out.append(_row(child_id, adult_id, rosh_level, list(orders), high_risk, group,
                            plans, missing, radius_m, child["as_of"]))
    return out


def _row(child_id: str, adult_id: str, rosh_level: str | None, orders: list[str],
         high_risk: bool, group: dict[str, Any], plans: list[str], missing: list[str],
         radius_m: float, as_of: Any) -> dict[str, Any]:
    pairs, distance = group["pairs"], group["distance_m"]
    adult_role = "offender" if high_risk else "order_subject"
    adult = (f"{rosh_level} RoSH registered offender " if high_risk else "order subject ")
    return {
        "identity": identity(child_id, adult_id),
        "entities": [{"label_key": "person_id", "key": child_id, "role": "child"},
                     {"label_key": "person_id", "key": adult_id, "role": adult_role}]
        + [{"label_key": "placement_id", "key": p["placement_id"], "role": "placement"}
           for p in pairs]
        + [{"label_key": "address_id", "key": p["placement_address_id"],
            "role": "placement_address"} for p in pairs]
        + [{"label_key": "address_id", "key": p["home_address_id"], "role": "offender_home"}
           for p in pairs]
        + [{"label_key": "order_id", "key": x, "role": "order"} for x in orders]
        + [{"label_key": "plan_id", "key": x, "role": "plan"} for x in plans]
        + [{"label_key": "incident_id", "key": x, "role": "incident"} for x in missing],
        "severity": "critical" if plans or missing else "high",
        "summary": f"Child {child_id} is placed out of area {int(_round(distance))} m from the "
                   f"home of {adult}{adult_id}.",
        "evidence": {"distance_m": _round(distance, 2), "radius_m": radius_m, "pairs": pairs,
                     "high_risk_offender": high_risk, "rosh_level": rosh_level,
                     "orders": orders, "plans": plans, "missing_incidents": missing,
                     "as_of": as_of},
        "material": [f"incident_id={x}" for x in missing] + [f"plan_id={x}" for x in plans]
        + [f"order_id={x}" for x in orders],
    }
