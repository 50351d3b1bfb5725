"""One cluster for the meeting: its flags, picture, timeline and history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from graphsvc import appdata, clusters, dates, flag_text, model
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.tasking.db import ENTITIES_SHOWN, INCIDENTS_SHOWN
from graphsvc.tasking.meetings import baseline, compare_with, last_closed


def cluster_page(store: GraphStore, settings: Settings, cluster_id: str, *,
                 as_of: date | None = None) -> dict[str, Any]:
    """One cluster for the meeting: its flags now (evidence decoded, decisions), its graph
    picture, the timeline of its flags and incidents, and its history."""
    as_of = as_of or dates.today()
    cluster = clusters.get_cluster(settings, cluster_id)
    with appdata.transaction(settings, write=False) as conn:
        since = last_closed(conn)
        base = baseline(conn, since["meeting_id"]) if since else None
        decisions = [dict(r) for r in appdata.run(conn, "tasking/decisions_on_cluster",
                                                  cluster_id=cluster_id).mappings()]
    cluster.update(compare_with(base, cluster))
    flag_rows = store.read("read/cluster_flags", flag_ids=cluster["flags"],
                           max_entities=ENTITIES_SHOWN)
    events = store.read("read/cluster_flag_events", flag_ids=cluster["flags"])
    by_flag: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_flag.setdefault(event["flag_id"], []).append(event)
    entities: dict[str, dict[str, Any]] = {}
    for flag in flag_rows:
        flag["entities"] = [e for e in flag["entities"] if e.get("key")]
        flag["entities_hidden"] = max(0, (flag.pop("entity_count", 0) or 0)
                                      - len(flag["entities"]))
        flag.pop("evidence_json", None)
        flag["events"] = by_flag.get(flag["flag_id"], [])
        flag["open"] = flag["status"] in model.LIVE
        last = next((e for e in reversed(flag["events"]) if e["kind"] == "decision"), None)
        flag["last_decision"] = last
        flag["overdue"] = bool(flag["status"] == "actioned" and last and last.get("action")
                               and last.get("due_date") and last["due_date"] < as_of)
        for entity in flag["entities"]:
            entities.setdefault(entity["key"], {**entity, "roles": set(), "flags": []})
            entities[entity["key"]]["roles"].add(entity.get("role") or "")
            entities[entity["key"]]["flags"].append(flag["flag_id"])
    texts = flag_text.describe_flags(store, [f["flag_id"] for f in flag_rows], as_of=as_of)
    for flag in flag_rows:
        flag["text"] = texts.get(flag["flag_id"])
        flag["title"] = model.rule_title(flag["rule_id"])
    # Open flags first, worst first: the order a meeting reads them in.
    flag_rows.sort(key=lambda f: (not f["open"], -clusters.SEVERITY_WEIGHTS.get(f["severity"], 0),
                                  f["rule_id"] or "", f["flag_id"]))
    keys = _keys_by_prefix(entities)
    links = store.read("read/cluster_links", person_ids=keys["person_id"],
                       address_ids=keys["address_id"], vrms=keys["vrm"],
                       numbers=keys["number"]) if keys["person_id"] else []
    incidents = store.read("read/cluster_incidents", person_ids=keys["person_id"],
                           address_ids=keys["address_id"], incident_ids=keys["incident_id"],
                           limit=INCIDENTS_SHOWN)
    for incident in incidents:
        incident["people"] = [p for p in incident["people"] if p.get("person_id")]
    for entity in entities.values():
        entity["roles"] = sorted(r for r in entity["roles"] if r)
    return {"as_of": as_of, "cluster": cluster, "flags": flag_rows,
            "summary": summarise(cluster, flag_rows),
            "open_flags": [f["flag_id"] for f in flag_rows if f["open"]],
            "entities": sorted(entities.values(), key=lambda e: (e["label"] or "", e["key"])),
            "picture": picture(cluster, flag_rows, links),
            "timeline": timeline(flag_rows, incidents), "incidents": incidents,
            "incidents_capped": len(incidents) >= INCIDENTS_SHOWN,
            "history": clusters.cluster_history(settings, cluster_id), "decisions": decisions}


ADULT_ROLES = ("offender", "order_subject", "adult", "suspect")


def summarise(cluster: dict[str, Any], flags: list[dict[str, Any]]) -> list[flag_text.Line]:
    """The cluster in a few sentences for the top of its page: who (children, then the adults
    of concern, with ages), where, and why it matters (its worst open flags, in words)."""
    open_flags = [f for f in flags if f["open"] and f.get("text")] or \
        [f for f in flags if f.get("text")]
    children: dict[str, flag_text.EntityRef] = {}
    adults: dict[str, flag_text.EntityRef] = {}
    places: dict[str, flag_text.EntityRef] = {}
    for flag in open_flags:
        for role, ref in flag["text"].concerned:
            if ref.kind == "person":
                (children if role == "child" else adults if role in ADULT_ROLES
                 else {}).setdefault(ref.key, ref)
            elif ref.kind == "address":
                places.setdefault(ref.key, ref)
    for ref in children:
        adults.pop(ref, None)
    lines = []

    def listed(refs: dict[str, flag_text.EntityRef], most: int = 6) -> list[Any]:
        shown = list(refs.values())[:most]
        more = len(refs) - len(shown)
        return flag_text.join(shown + ([f"{more} more"] if more else []))

    who: list[Any] = []
    if children:
        who += [f"{'Child' if len(children) == 1 else 'Children'}: "] + listed(children)
    if adults:
        who += (["; " if who else ""] + ["adults of concern: " if who else "Adults of concern: "]
                + listed(adults))
    if who:
        lines.append(flag_text.Line(who + ["."]))
    if places:
        lines.append(flag_text.Line(["Where: "] + listed(places, 4) + ["."]))
    if open_flags:
        counts = cluster.get("severity_counts") or {}
        severity = ", ".join(f"{n} {s}" for s, n in counts.items())
        worst = open_flags[0]
        lines.append(flag_text.Line(
            [f"Why it matters: {len(open_flags)} open flag{'s' if len(open_flags) != 1 else ''}"
             f"{f' ({severity})' if severity else ''}; the most serious: "]
            + list(worst["text"].summary)))
    return lines


def _keys_by_prefix(entities: Iterable[str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {p: [] for p in ("person_id", "address_id", "vrm", "number",
                                                  "incident_id")}
    for key in entities:
        prefix, _, value = key.partition("=")
        if prefix in keys:
            keys[prefix].append(value)
    return keys


def _picture_kind(label: str | None) -> str:
    kind = model.KIND_OF_LABEL.get(label or "", "other")
    return "other" if kind == "flag" else kind


def picture(cluster: dict[str, Any], flags: list[dict[str, Any]], links: list[dict[str, Any]]
            ) -> dict[str, Any]:
    """Nodes and edges for the shared graph picture (web/static/js/graph.js): the flags, what
    they concern, and the direct links between those entities. Key people are the roots."""
    key_people = {p["key"] for p in cluster.get("key_people", [])}
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for flag in flags:
        node_id = clusters.flag_node(flag["flag_id"])
        # Short enough to read on the picture; the full title is the node's tooltip.
        short = model.short_title(flag["rule_id"])
        nodes[node_id] = {"id": node_id, "kind": "flag", "label": short,
                          "title": f"{flag.get('title') or short} ({flag['severity']})"}
        for entity in flag["entities"]:
            key = entity["key"]
            nodes.setdefault(key, {
                "id": key, "label": entity.get("name") or key.split("=", 1)[1],
                "kind": _picture_kind(entity.get("label")),
                "offender": bool(entity.get("offender")), "root": key in key_people})
            edges.append({"id": f"{node_id}>{key}:{entity.get('role')}", "source": node_id,
                          "target": key, "type": entity.get("role") or "concerns"})
    for link in links:
        if link["source"] in nodes and link["target"] in nodes:
            edges.append({"id": f"{link['source']}>{link['target']}:{link['type']}",
                          "source": link["source"], "target": link["target"],
                          "type": link.get("detail") or link["type"]})
    return {"nodes": list(nodes.values()), "edges": edges}


def timeline(flags: list[dict[str, Any]], incidents: list[dict[str, Any]]
             ) -> list[dict[str, Any]]:
    """The flags' recorded changes and the incidents, newest first."""
    items = []
    for flag in flags:
        for event in flag["events"]:
            text = {"raised": "Flag raised", "decision": "Decision", "resolved": "Resolved by rule",
                    "reopened": "Reopened", "evidence_changed": "Evidence changed"}.get(
                        event["kind"], event["kind"] or "Change")
            detail = " → ".join(s for s in (event.get("from_status"), event.get("to_status")) if s)
            if event.get("action"):
                detail += f"; action: {event['action']} (owner {event.get('owner') or '?'}, " \
                          f"due {event.get('due_date') or '?'})"
            title = flag.get("title") or flag["rule_id"]
            items.append({"at": event["at"], "kind": "flag", "title": f"{text}: {title}",
                          "detail": detail.strip("; "), "reason": event.get("reason") or "",
                          "by": event.get("by") or "", "ref": flag["flag_id"]})
    for incident in incidents:
        who = ", ".join(f"{p['name'] or p['person_id']} ({p['role']})" for p in incident["people"])
        items.append({"at": incident["occurred_at"], "kind": "incident",
                      "title": f"Incident: {(incident['incident_type'] or '').replace('_', ' ')}",
                      "detail": "; ".join(x for x in (incident.get("address"), who,
                                                     incident.get("risk_grade")) if x),
                      "reason": "", "by": "", "ref": incident["incident_id"]})
    items.sort(key=lambda i: (_sortable(i["at"]), i["ref"]), reverse=True)
    return items


def _sortable(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")
