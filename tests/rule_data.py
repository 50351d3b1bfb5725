"""Small graphs for the rule tests, in the import format, dated relative to one as-of date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from graphsvc import flags
from graphsvc.rules import run_rule
from tests.factories import load_graph

AS_OF = date(2025, 6, 30)
NORWICH = (52.6309, 1.2974)


def ago(days: int, *, base: date = AS_OF) -> str:
    """The ISO date `days` days before the as-of date (negative: after it)."""
    return (base - timedelta(days=days)).isoformat()


def born(age: int, *, extra_days: int = 30, base: date = AS_OF) -> str:
    """A date of birth making someone `age` whole years old on the as-of date."""
    try:
        birthday = base.replace(year=base.year - age)
    except ValueError:  # 29 February
        birthday = base.replace(year=base.year - age, day=28)
    return (birthday - timedelta(days=extra_days)).isoformat()


class Graph:
    """Rows per import file, added with one call each, loaded through the real importer."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: str, **row: Any) -> Graph:
        self.tables.setdefault(table, []).append(row)
        return self

    def person(self, pid: str, age: int | None = None, **row: Any) -> Graph:
        if age is not None:
            row.setdefault("date_of_birth", born(age))
        return self.add("people", person_id=pid, given_name="Sam", family_name=pid, **row)

    def address(self, aid: str, lat: float | None = NORWICH[0], lon: float | None = NORWICH[1],
                **row: Any) -> Graph:
        return self.add("addresses", address_id=aid, latitude=lat, longitude=lon, **row)

    def home(self, pid: str, aid: str, **row: Any) -> Graph:
        return self.add("residences", person_id=pid, address_id=aid, **row)

    def offender(self, pid: str, rosh: str = "high", registered_from: str = "2015-01-01",
                 **row: Any) -> Graph:
        return self.add("offenders", person_id=pid, registered_from=registered_from,
                        rosh_level=rosh, mappa_category="1", **row)

    def placement(self, plid: str, pid: str, aid: str, *, out_of_area: bool = True,
                  start: str | None = None, **row: Any) -> Graph:
        row.setdefault("placement_type", "childrens_home")
        row.setdefault("police_notified_date", start or ago(200))
        return self.add("placements", placement_id=plid, person_id=pid, address_id=aid,
                        placing_authority="Camden" if out_of_area else "Norfolk",
                        area_authority="Norfolk", start_date=start or ago(200), **row)

    def plan(self, plan_id: str, pid: str, start: str | None = None, **row: Any) -> Graph:
        return self.add("protection_plans", plan_id=plan_id, person_id=pid, category="neglect",
                        start_date=start or ago(100), **row)

    def order(self, oid: str, pid: str, order_type: str = "shpo", start: str | None = None,
              **row: Any) -> Graph:
        row.setdefault("prohibits_child_contact", order_type in ("shpo", "sro"))
        return self.add("orders", order_id=oid, person_id=pid, order_type=order_type,
                        start_date=start or ago(400), **row)

    def incident(self, iid: str, incident_type: str, days_ago: int, *people: tuple[str, str],
                 **row: Any) -> Graph:
        """An incident `days_ago` days before the as-of date, with (person_id, role) pairs."""
        self.add("incidents", incident_id=iid, incident_type=incident_type,
                 occurred_at=f"{ago(days_ago)}T21:30:00", **row)
        for pid, role in people:
            self.add("incident_people", incident_id=iid, person_id=pid, role=role)
        return self

    def associate(self, pid: str, target_type: str, target_id: str, relation: str = "associate",
                  **row: Any) -> Graph:
        return self.add("associations", person_id=pid, target_type=target_type,
                        target_id=target_id, relation=relation, **row)

    def load(self, store, settings, tmp_path) -> dict:
        return load_graph(store, settings, tmp_path, self.tables)


def run(store, rule_id: str, as_of: date | str = AS_OF, **params: Any) -> list[dict]:
    """Run the rule as of the date and return its live flags (not resolved), as users see them."""
    result = run_rule(store, rule_id, as_of=as_of, params=params or None)
    assert result.error is None, result.error
    return [f for f in flags.list_flags(store, rule=rule_id) if f["status"] != "resolved"]


def concerning(found: list[dict], **keys: list[str] | str) -> list[dict]:
    """The flags whose concerned entities include every given key (e.g. person_id=["C1", "O1"])."""
    wanted = {flags.entity_key(k, v) for k, vs in keys.items()
              for v in ([vs] if isinstance(vs, str) else vs)}
    return [f for f in found if wanted <= set(f["concerned_keys"])]


def load_repeat_missing_scene(store, settings, tmp_path) -> None:
    """One child missing three times in 40 days before AS_OF: one repeat_missing_child flag."""
    g = Graph().person("C1", 14).address("A1")
    for n, d in enumerate((5, 20, 40)):
        g.incident(f"M{n}", "missing", d, ("C1", "missing_person"), address_id="A1")
    g.load(store, settings, tmp_path)
