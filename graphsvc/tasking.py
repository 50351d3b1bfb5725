"""The tasking board: meetings, what changed since the last one, decisions and minutes.

Meetings, their snapshot of the clusters and the decisions they took live in `app.db`
(tables `tasking_*`); each decision is also recorded on its flag in the graph through
`graphsvc.flags.record_decision`, which keeps the flag's own history.
"""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any

from graphsvc import appdb, clusters
from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.settings import Settings
from graphsvc.spreadsheet import csv_row
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasking_meetings (
    meeting_id INTEGER PRIMARY KEY AUTOINCREMENT,
    held_on TEXT NOT NULL,
    chair TEXT NOT NULL,
    attendees TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT,
    cluster_run_id INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS tasking_one_open_meeting
    ON tasking_meetings ((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE TABLE IF NOT EXISTS tasking_meeting_clusters (
    meeting_id INTEGER NOT NULL REFERENCES tasking_meetings(meeting_id),
    cluster_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    score REAL NOT NULL,
    members_json TEXT NOT NULL,
    PRIMARY KEY (meeting_id, cluster_id)
);
CREATE TABLE IF NOT EXISTS tasking_decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES tasking_meetings(meeting_id),
    cluster_id TEXT,
    flag_id TEXT NOT NULL,
    rule_id TEXT,
    scope TEXT NOT NULL,
    from_status TEXT,
    status TEXT NOT NULL,
    action TEXT,
    owner TEXT,
    due_date TEXT,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasking_decisions_by_meeting ON tasking_decisions (meeting_id);
CREATE INDEX IF NOT EXISTS tasking_decisions_by_cluster ON tasking_decisions (cluster_id);
"""

# What a meeting may decide about a flag, with the words the board shows.
DECISIONS = {"under_review": "Under review", "actioned": "Actioned (action agreed)",
             "no_further_action": "No further action"}
OPEN_FLAG_STATUSES = ("new", "under_review", "actioned")
MINUTES_FIELDS = ("meeting_id", "held_on", "cluster_id", "flag_id", "rule_id", "scope",
                  "from_status", "decision", "action", "owner", "due_date", "rationale",
                  "decided_by", "decided_at")
INCIDENTS_SHOWN = 100
# Entities listed per flag on the cluster page (people, addresses, vehicles, phones first).
ENTITIES_SHOWN = 25


def open_db(settings: Settings) -> sqlite3.Connection:
    """app.db with the tasking (and cluster) tables in place."""
    conn = clusters.open_db(settings)
    appdb.ensure_schema(conn, SCHEMA)
    return conn


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


# ---- meetings -----------------------------------------------------------------------------------

def open_meeting(settings: Settings, *, held_on: date | str, chair: str,
                 attendees: Iterable[str] | str, by: str) -> dict[str, Any]:
    """Open a meeting and keep a copy of the clusters it starts from; one meeting at a time."""
    held = parse_date(held_on, "meeting date")
    chair = (chair or "").strip()
    if isinstance(attendees, str):
        attendees = attendees.replace("\n", ",").split(",")
    people = [a.strip() for a in attendees if a and a.strip()]
    problems = []
    if held is None:
        problems.append("Give the meeting's date.")
    if not chair:
        problems.append("Say who chairs the meeting.")
    if problems:
        raise InputError(" ".join(problems))
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            current = conn.execute("SELECT meeting_id, held_on FROM tasking_meetings "
                                   "WHERE closed_at IS NULL").fetchone()
            if current:
                raise InputError(f"Meeting {current['meeting_id']} of {current['held_on']} is "
                                 "still open; close it before opening another.")
            meeting_id = conn.execute(
                "INSERT INTO tasking_meetings (held_on, chair, attendees, opened_at, opened_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (held.isoformat(), chair, json.dumps(people), _now(), by)).lastrowid
            _snapshot(conn, meeting_id)
    finally:
        conn.close()
    log.info("Tasking meeting %s opened by %s", meeting_id, by)
    return get_meeting(settings, meeting_id)


def close_meeting(settings: Settings, meeting_id: int, *, by: str) -> dict[str, Any]:
    """Close a meeting; its copy of the clusters becomes what the next meeting compares with."""
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            row = conn.execute("SELECT closed_at FROM tasking_meetings WHERE meeting_id = ?",
                               (meeting_id,)).fetchone()
            if row is None:
                raise NotFound(f"There is no meeting {meeting_id}.")
            if row["closed_at"]:
                raise InputError(f"Meeting {meeting_id} was already closed at "
                                 f"{row['closed_at']}.")
            _snapshot(conn, meeting_id)
            conn.execute("UPDATE tasking_meetings SET closed_at = ?, closed_by = ? "
                         "WHERE meeting_id = ?", (_now(), by, meeting_id))
    finally:
        conn.close()
    log.info("Tasking meeting %s closed by %s", meeting_id, by)
    return get_meeting(settings, meeting_id)


def _snapshot(conn: sqlite3.Connection, meeting_id: int) -> None:
    """Copy the latest clustering's memberships into the meeting (replacing an earlier copy)."""
    run = conn.execute("SELECT max(run_id) AS run_id FROM cluster_runs").fetchone()["run_id"]
    conn.execute("DELETE FROM tasking_meeting_clusters WHERE meeting_id = ?", (meeting_id,))
    conn.execute("UPDATE tasking_meetings SET cluster_run_id = ? WHERE meeting_id = ?",
                 (run, meeting_id))
    if run is None:
        return
    members: dict[str, list[str]] = {}
    for row in conn.execute("SELECT cluster_id, member FROM cluster_members WHERE run_id = ?",
                            (run,)):
        members.setdefault(row["cluster_id"], []).append(row["member"])
    conn.executemany(
        "INSERT INTO tasking_meeting_clusters (meeting_id, cluster_id, rank, score, members_json) "
        "SELECT ?, cluster_id, rank, score, ? FROM cluster_snapshots "
        "WHERE run_id = ? AND cluster_id = ?",
        [(meeting_id, json.dumps(sorted(m)), run, cid) for cid, m in members.items()])


def _meeting(row: sqlite3.Row) -> dict[str, Any]:
    meeting = dict(row)
    meeting["attendees"] = json.loads(meeting["attendees"])
    meeting["is_open"] = meeting["closed_at"] is None
    return meeting


def get_meeting(settings: Settings, meeting_id: int) -> dict[str, Any]:
    conn = open_db(settings)
    try:
        row = conn.execute("SELECT * FROM tasking_meetings WHERE meeting_id = ?",
                           (meeting_id,)).fetchone()
    finally:
        conn.close()
    if row is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return _meeting(row)


def current_meeting(settings: Settings) -> dict[str, Any] | None:
    """The meeting now open, if any."""
    conn = open_db(settings)
    try:
        row = conn.execute("SELECT * FROM tasking_meetings WHERE closed_at IS NULL").fetchone()
    finally:
        conn.close()
    return _meeting(row) if row else None


def list_meetings(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Meetings, newest first, with how many decisions each took."""
    conn = open_db(settings)
    try:
        rows = conn.execute(
            "SELECT m.*, (SELECT count(*) FROM tasking_decisions d "
            "WHERE d.meeting_id = m.meeting_id) AS decisions FROM tasking_meetings m "
            "ORDER BY m.meeting_id DESC LIMIT ?", (limit,)).fetchall()
    finally:
        conn.close()
    return [_meeting(r) for r in rows]


def _last_closed(conn: sqlite3.Connection) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM tasking_meetings WHERE closed_at IS NOT NULL "
                       "ORDER BY closed_at DESC, meeting_id DESC LIMIT 1").fetchone()
    return _meeting(row) if row else None


def _baseline(conn: sqlite3.Connection, meeting_id: int) -> dict[str, set[str]]:
    return {r["cluster_id"]: set(json.loads(r["members_json"])) for r in conn.execute(
        "SELECT cluster_id, members_json FROM tasking_meeting_clusters WHERE meeting_id = ?",
        (meeting_id,))}


def compare_with(baseline: dict[str, set[str]] | None, cluster: dict[str, Any]) -> dict[str, Any]:
    """Whether a cluster is new or changed since a meeting's copy, and which of its flags are new.

    >>> compare_with({"C-1": {"flag:a", "person_id=P1"}},
    ...              {"cluster_id": "C-1", "members": ["flag:a", "flag:b", "person_id=P1"]})
    {'change': 'changed', 'note': '1 flag joined', 'new_flags': ['b']}
    >>> compare_with({}, {"cluster_id": "C-2", "members": ["flag:c"]})["change"]
    'new'
    """
    if baseline is None:
        return {"change": None, "note": "", "new_flags": []}
    before = baseline.get(cluster["cluster_id"])
    members = set(cluster["members"])
    seen_flags = set().union(*baseline.values()) if baseline else set()
    new_flags = sorted(m.split(":", 1)[1] for m in members
                       if m.startswith("flag:") and m not in seen_flags)
    if before is None:
        return {"change": "new", "note": "not on the board at the last meeting",
                "new_flags": new_flags}
    if before == members:
        return {"change": "unchanged", "note": "", "new_flags": new_flags}
    return {"change": "changed", "note": clusters.describe_change(before, members),
            "new_flags": new_flags}


# ---- the board ----------------------------------------------------------------------------------

BOARD_VIEWS = ("top", "changed", "all")
BOARD_TOP = 100


def board(store: GraphStore, settings: Settings, *, as_of: date | None = None,
          view: str = "top") -> dict[str, Any]:
    """Clusters best first, each marked new or changed since the last closed meeting, and the
    actions past their due date (listed first).

    `view` picks the clusters listed: the best BOARD_TOP, only the new and changed ones, or all.
    """
    if view not in BOARD_VIEWS:
        raise InputError(f"Unknown board view {view!r}: choose one of {', '.join(BOARD_VIEWS)}.")
    as_of = as_of or date.today()
    conn = open_db(settings)
    try:
        run = conn.execute("SELECT * FROM cluster_runs ORDER BY run_id DESC LIMIT 1").fetchone()
        run_id = run["run_id"] if run else -1
        meeting = conn.execute("SELECT * FROM tasking_meetings WHERE closed_at IS NULL"
                               ).fetchone()
        since = _last_closed(conn)
        baseline = _baseline(conn, since["meeting_id"]) if since else None
        ranked = [r["cluster_id"] for r in conn.execute(
            "SELECT cluster_id FROM cluster_snapshots WHERE run_id = ? ORDER BY rank",
            (run_id,))]
        members: dict[str, list[str]] = {cid: [] for cid in ranked}
        for row in conn.execute("SELECT cluster_id, member FROM cluster_members "
                                "WHERE run_id = ?", (run_id,)):
            members[row["cluster_id"]].append(row["member"])
    finally:
        conn.close()
    cluster_of = {m[5:]: cid for cid, ms in members.items() for m in ms if m.startswith("flag:")}
    overdue = []
    for row in store.read("read/cluster_overdue_actions", as_of=as_of.isoformat()):
        row["cluster_id"] = cluster_of.get(row["flag_id"])
        row["days_overdue"] = (as_of - row["due_date"]).days
        overdue.append(row)
    overdue_by_cluster: dict[str, list[str]] = {}
    for row in overdue:
        if row["cluster_id"]:
            overdue_by_cluster.setdefault(row["cluster_id"], []).append(row["flag_id"])
    changes = {cid: compare_with(baseline, {"cluster_id": cid, "members": ms})
               for cid, ms in members.items()}
    counts = {"clusters": len(ranked), "flags": len(cluster_of),
              "new": sum(1 for c in changes.values() if c["change"] == "new"),
              "changed": sum(1 for c in changes.values() if c["change"] == "changed"),
              "overdue": len(overdue)}
    if view == "top":
        listed = ranked[:BOARD_TOP]
    elif view == "changed":
        listed = [cid for cid in ranked if changes[cid]["change"] in ("new", "changed")
                  or cid in overdue_by_cluster]
    else:
        listed = ranked
    found = []
    for cid, data in zip(listed, _cluster_data(settings, run_id, listed), strict=True):
        data.update(changes[cid])
        data["overdue"] = sorted(overdue_by_cluster.get(cid, []))
        data.pop("members", None)
        data.pop("flag_records", None)
        found.append(data)
    return {"as_of": as_of, "run": dict(run) if run else None,
            "meeting": _meeting(meeting) if meeting else None, "since": since,
            "clusters": found, "view": view, "overdue": overdue, "counts": counts}


def _cluster_data(settings: Settings, run_id: int, cluster_ids: list[str]) -> list[dict]:
    """The stored clusters, in the order asked."""
    conn = open_db(settings)
    try:
        data = {}
        for start in range(0, len(cluster_ids), 500):
            chunk = cluster_ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in conn.execute(f"SELECT cluster_id, data_json FROM cluster_snapshots "
                                    f"WHERE run_id = ? AND cluster_id IN ({marks})",
                                    (run_id, *chunk)):
                data[row["cluster_id"]] = json.loads(row["data_json"])
    finally:
        conn.close()
    return [data[cid] for cid in cluster_ids]


def cluster_page(store: GraphStore, settings: Settings, cluster_id: str, *,
                 as_of: date | None = None) -> dict[str, Any]:
    """One cluster for the meeting: its flags now (evidence decoded, decisions), its graph
    picture, the timeline of its flags and incidents, and its history."""
    as_of = as_of or date.today()
    cluster = clusters.get_cluster(settings, cluster_id)
    conn = open_db(settings)
    try:
        since = _last_closed(conn)
        baseline = _baseline(conn, since["meeting_id"]) if since else None
        decisions = [dict(r) for r in conn.execute(
            "SELECT * FROM tasking_decisions WHERE cluster_id = ? ORDER BY decision_id DESC",
            (cluster_id,))]
    finally:
        conn.close()
    cluster.update(compare_with(baseline, cluster))
    flag_rows = store.read("read/cluster_flags", flag_ids=cluster["flags"],
                           max_entities=ENTITIES_SHOWN)
    events = store.read("read/cluster_flag_events", flag_ids=cluster["flags"])
    by_flag: dict[str, list[dict]] = {}
    for event in events:
        by_flag.setdefault(event["flag_id"], []).append(event)
    entities: dict[str, dict] = {}
    for flag in flag_rows:
        flag["entities"] = [e for e in flag["entities"] if e.get("key")]
        flag["entities_hidden"] = max(0, (flag.pop("entity_count", 0) or 0)
                                      - len(flag["entities"]))
        flag["evidence"] = decode_evidence(flag.pop("evidence_json", None))
        flag["events"] = by_flag.get(flag["flag_id"], [])
        flag["open"] = flag["status"] in OPEN_FLAG_STATUSES
        last = next((e for e in reversed(flag["events"]) if e["kind"] == "decision"), None)
        flag["last_decision"] = last
        flag["overdue"] = bool(flag["status"] == "actioned" and last and last.get("action")
                               and last.get("due_date") and last["due_date"] < as_of)
        for entity in flag["entities"]:
            entities.setdefault(entity["key"], {**entity, "roles": set(), "flags": []})
            entities[entity["key"]]["roles"].add(entity.get("role") or "")
            entities[entity["key"]]["flags"].append(flag["flag_id"])
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
            "open_flags": [f["flag_id"] for f in flag_rows if f["open"]],
            "entities": sorted(entities.values(), key=lambda e: (e["label"] or "", e["key"])),
            "picture": picture(cluster, flag_rows, links),
            "timeline": timeline(flag_rows, incidents), "incidents": incidents,
            "incidents_capped": len(incidents) >= INCIDENTS_SHOWN,
            "history": clusters.cluster_history(settings, cluster_id), "decisions": decisions}


def _keys_by_prefix(entities: Iterable[str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {p: [] for p in ("person_id", "address_id", "vrm", "number",
                                                  "incident_id")}
    for key in entities:
        prefix, _, value = key.partition("=")
        if prefix in keys:
            keys[prefix].append(value)
    return keys


def decode_evidence(text: str | None) -> list[tuple[str, str]]:
    """A flag's evidence JSON as (label, plain text) pairs for a table.

    >>> decode_evidence('{"distance_m": 412.5, "children": ["P1", "P2"], "note": null}')
    [('Distance m', '412.5'), ('Children', 'P1, P2'), ('Note', '—')]
    """
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return [("Evidence", text)]
    if not isinstance(value, dict):
        return [("Evidence", _plain(value))]
    return [(str(k).replace("_", " ").capitalize(), _plain(v)) for k, v in value.items()]


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {_plain(v)}" for k, v in value.items())
    return str(value)


_PICTURE_KINDS = {"Person": "person", "Address": "address", "Vehicle": "vehicle",
                  "Phone": "phone", "Incident": "incident", "Placement": "placement",
                  "Order": "order", "ProtectionPlan": "plan"}


def picture(cluster: dict[str, Any], flags: list[dict], links: list[dict]) -> dict[str, Any]:
    """Nodes and edges for the shared graph picture (web/static/js/graph.js): the flags, what
    they concern, and the direct links between those entities. Key people are the roots."""
    key_people = {p["key"] for p in cluster.get("key_people", [])}
    nodes: dict[str, dict] = {}
    edges = []
    for flag in flags:
        node_id = clusters.flag_node(flag["flag_id"])
        nodes[node_id] = {"id": node_id, "kind": "flag",
                          "label": f"{flag['rule_id'].replace('_', ' ')} ({flag['severity']})"}
        for entity in flag["entities"]:
            key = entity["key"]
            nodes.setdefault(key, {
                "id": key, "label": entity.get("name") or key.split("=", 1)[1],
                "kind": _PICTURE_KINDS.get(entity.get("label") or "", "other"),
                "offender": bool(entity.get("offender")), "root": key in key_people})
            edges.append({"id": f"{node_id}>{key}:{entity.get('role')}", "source": node_id,
                          "target": key, "type": entity.get("role") or "concerns"})
    for link in links:
        if link["source"] in nodes and link["target"] in nodes:
            edges.append({"id": f"{link['source']}>{link['target']}:{link['type']}",
                          "source": link["source"], "target": link["target"],
                          "type": link.get("detail") or link["type"]})
    return {"nodes": list(nodes.values()), "edges": edges}


def timeline(flags: list[dict], incidents: list[dict]) -> list[dict[str, Any]]:
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
            items.append({"at": event["at"], "kind": "flag", "title": f"{text}: {flag['rule_id']}",
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


# ---- decisions ----------------------------------------------------------------------------------

def check_decision(*, status: str, reason: str, action: str | None = None,
                   owner: str | None = None, due_date: date | str | None = None,
                   today: date | None = None) -> dict[str, Any]:
    """A decision's fields cleaned, or InputError listing every problem in plain words.

    >>> check_decision(status="actioned", reason="Joint visit", action="Visit", owner="",
    ...                due_date="2000-01-01", today=date(2025, 3, 31))
    Traceback (most recent call last):
    ...
    graphsvc.errors.InputError: An action needs an owner: say who will do it. The due date \
2000-01-01 is in the past; choose today or a later date.
    """
    today = today or date.today()
    status = (status or "").strip()
    reason, action, owner = ((v or "").strip() for v in (reason, action, owner))
    problems = []
    if status not in DECISIONS:
        choices = ", ".join(DECISIONS.values())
        problems.append(f"Choose a decision ({choices}), not {status!r}." if status
                        else f"Choose a decision: {choices}.")
    if not reason:
        problems.append("Give the rationale for the decision.")
    due = None
    try:
        due = parse_date(due_date, "due date")
    except InputError as exc:
        problems.append(str(exc))
    if status == "actioned" and not action:
        problems.append("An 'actioned' decision needs the action agreed.")
    if action and not owner:
        problems.append("An action needs an owner: say who will do it.")
    if action and due is None and not any("due date" in p for p in problems):
        problems.append("An action needs a due date.")
    if (owner or due) and not action:
        problems.append("An owner or a due date needs an action to go with it.")
    if due is not None and due < today:
        problems.append(f"The due date {due.isoformat()} is in the past; choose today or a "
                        "later date.")
    if status == "no_further_action" and action:
        problems.append("'No further action' cannot carry an action; choose 'actioned'.")
    if problems:
        raise InputError(" ".join(problems))
    return {"status": status, "reason": reason, "action": action or None,
            "owner": owner or None, "due_date": due}


def decide(store: GraphStore, settings: Settings, *, meeting_id: int, cluster_id: str,
           flag_id: str | None, by: str, status: str, reason: str, action: str | None = None,
           owner: str | None = None, due_date: date | str | None = None,
           today: date | None = None) -> list[dict[str, Any]]:
    """Record a meeting's decision on one flag of a cluster, or on each of its open flags.

    Everything is checked before anything is written; each flag's decision is then one atomic
    write in the graph and one row in the minutes.
    """
    from graphsvc import flags as flag_store  # the flags module owns flag statuses

    clean = check_decision(status=status, reason=reason, action=action, owner=owner,
                           due_date=due_date, today=today)
    meeting = get_meeting(settings, meeting_id)
    if not meeting["is_open"]:
        raise InputError(f"Meeting {meeting_id} is closed; open a meeting to record decisions.")
    cluster = clusters.get_cluster(settings, cluster_id)
    if flag_id and flag_id not in cluster["flags"]:
        raise InputError(f"Flag {flag_id} is not part of cluster {cluster_id}.")
    current = {f["flag_id"]: f for f in store.read("read/cluster_flags",
                                                   flag_ids=[flag_id] if flag_id
                                                   else cluster["flags"], max_entities=0)}
    targets = [flag_id] if flag_id else [f for f in cluster["flags"]
                                         if current.get(f, {}).get("status")
                                         in OPEN_FLAG_STATUSES]
    if not targets:
        raise InputError(f"Cluster {cluster_id} has no open flag left to decide on.")
    for target in targets:
        if target not in current:
            raise NotFound(f"Flag {target} is no longer in the graph.")
    recorded = []
    for target in targets:
        flag_store.record_decision(store, target, by=by, **clean)
        row = {"meeting_id": meeting_id, "cluster_id": cluster_id, "flag_id": target,
               "rule_id": current[target].get("rule_id"),
               "scope": "flag" if flag_id else "cluster",
               "from_status": current[target].get("status"), "status": clean["status"],
               "action": clean["action"], "owner": clean["owner"],
               "due_date": clean["due_date"].isoformat() if clean["due_date"] else None,
               "reason": clean["reason"], "decided_by": by, "decided_at": _now()}
        _insert_decision(settings, row)
        recorded.append(row)
    log.info("Meeting %s decided %s on %d flag(s) of %s", meeting_id, clean["status"],
             len(recorded), cluster_id)
    return recorded


def _insert_decision(settings: Settings, row: dict[str, Any]) -> None:
    conn = open_db(settings)
    try:
        names = ", ".join(row)
        conn.execute(f"INSERT INTO tasking_decisions ({names}) VALUES "
                     f"({', '.join('?' * len(row))})", tuple(row.values()))
    finally:
        conn.close()


# ---- minutes ------------------------------------------------------------------------------------

def minutes(settings: Settings, meeting_id: int) -> dict[str, Any]:
    """A meeting and every decision it took, in the order taken."""
    meeting = get_meeting(settings, meeting_id)
    conn = open_db(settings)
    try:
        rows = conn.execute("SELECT * FROM tasking_decisions WHERE meeting_id = ? "
                            "ORDER BY decision_id", (meeting_id,)).fetchall()
    finally:
        conn.close()
    decisions = [dict(r) for r in rows]
    return {"meeting": meeting, "decisions": decisions}


def write_minutes_csv(record: dict[str, Any], out: IO[str]) -> int:
    """Write the minutes as CSV (one row per decision on a flag); return the rows written."""
    writer = csv.writer(out)
    writer.writerow(MINUTES_FIELDS)
    meeting = record["meeting"]
    for d in record["decisions"]:
        writer.writerow(csv_row([
            meeting["meeting_id"], meeting["held_on"], d["cluster_id"], d["flag_id"],
            d["rule_id"], d["scope"], d["from_status"], d["status"], d["action"], d["owner"],
            d["due_date"], d["reason"], d["decided_by"], d["decided_at"]]))
    return len(record["decisions"])
