"""Referrals assembled from the graph: to children's social care, and to a MARAC for domestic
abuse. The inspection found referrals "lacking in important information and failing to
identify the level of concern clearly enough", so each one states, in words:

- the level of concern, derived from the flags' rules and severities (for repeated domestic
  abuse, the cumulative concern no single grading shows);
- what the flags found (each fact with its date);
- the history: incidents and missing episodes, plans, placements, orders and earlier referrals;
- the children involved with their ages;
- what the police have done (decisions recorded) and plan (actions outstanding).

A draft is built from a flag or a cluster, reviewed and edited by a person, then recorded with
its recipient (a disclosure in the audit log, by the caller) and exported as a printable page
or structured JSON.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from graphsvc import appdata, clusters, dates, flag_text
from graphsvc.dates import stamp
from graphsvc.errors import InputError, NotFound
from graphsvc.model import DECISIONS
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

KINDS = {"childrens_social_care": "Referral to children's social care",
         "marac": "Referral to the MARAC (multi-agency risk assessment conference)"}
DOMESTIC_RULES = ("repeat_domestic_abuse_with_child",)
# The level of concern a referral states, from the worst severity among its flags.
LEVELS = {
    "critical": "Immediate concern: a child is at risk of significant harm now; the police ask "
                "for a strategy discussion today.",
    "high": "Serious concern: a child is likely to be at risk of significant harm; the police "
            "ask for an assessment without delay.",
    "medium": "Concern: a child may be in need; the police ask for an assessment of the "
              "child's needs.",
}
SECTIONS = (("level", "Level of concern"), ("concern", "What the police found"),
            ("children", "Children involved"), ("history", "History"),
            ("police", "What the police have done and plan"))
HISTORY_LIMIT = 200
_SEVERITY_ORDER = {"critical": 3, "high": 2, "medium": 1}


def draft_referral(store: GraphStore, settings: Settings, *, kind: str,
                   flag_id: str | None = None, cluster_id: str | None = None,
                   as_of: date | None = None) -> dict[str, Any]:
    """A referral drafted from one flag or a cluster's flags: its sections as lines of text
    (for a person to review and edit) and the structured facts they came from."""
    as_of = as_of or dates.today()
    if kind not in KINDS:
        raise InputError(f"Choose a kind of referral: {', '.join(KINDS)}.")
    if bool(flag_id) == bool(cluster_id):
        raise InputError("Build a referral from one flag or from one cluster.")
    flag_ids = [flag_id] if flag_id else clusters.get_cluster(settings, str(cluster_id))["flags"]
    texts = list(flag_text.describe_flags(store, flag_ids, as_of=as_of).values())
    if not texts:
        raise NotFound(f"There is no flag {flag_id!r}.")
    texts.sort(key=lambda t: (-_SEVERITY_ORDER.get(t.severity, 0), t.rule_id, t.flag_id))
    if kind == "marac" and not any(t.rule_id in DOMESTIC_RULES for t in texts):
        raise InputError("A MARAC referral is for domestic abuse, and none of these flags is "
                         "about domestic abuse; refer to children's social care instead.")
    people = {ref.key: (role, ref) for t in texts for role, ref in t.concerned
              if ref.kind == "person"}
    children = {k: ref for k, (role, ref) in people.items() if role == "child"}
    adults = {k: ref for k, (role, ref) in people.items() if k not in children}
    addresses = {ref.key: ref for t in texts for _, ref in t.concerned if ref.kind == "address"}
    records = flag_text.read_records(store, list(children))
    person_ids = [k.split("=", 1)[1] for k in list(children) + list(adults)]

    worst = texts[0].severity
    level = [LEVELS.get(worst, LEVELS["medium"])]
    for t in texts:
        if t.rule_id in DOMESTIC_RULES:
            level.append(f"Cumulative concern: {t.summary}")
    level.append("Flags raised: " + "; ".join(f"{t.title} ({t.severity})" for t in texts) + ".")

    concern = []
    for t in texts:
        concern.append(f"{t.title}: {t.summary}")
        concern += [f"  - {line}" for line in t.evidence]

    child_lines = []
    for key, ref in children.items():
        rec = records.get(key) or {}
        born = rec.get("date_of_birth")
        child_lines.append(f"{ref.text}" + (f", born {flag_text.long_date(born)}" if born
                                            else ", date of birth not recorded"))
    if not child_lines:
        child_lines.append("No child is named in the flags.")
    for key, ref in adults.items():
        child_lines.append(f"Adult involved: {ref.text} ({people[key][0].replace('_', ' ')})")

    history, incidents = _history(store, person_ids,
                                  [k.split("=", 1)[1] for k in addresses], people)
    child_lines += _involved(incidents, people)
    history += _earlier_referrals(settings, list(children) + list(adults))
    police = _police(store, [t.flag_id for t in texts])

    sections = {"level": level, "concern": concern, "children": child_lines,
                "history": history or ["Nothing else is recorded."], "police": police}
    subject = next(iter(children.values()), None) or next(iter(adults.values()), None)
    return {"kind": kind, "title": KINDS[kind], "scope": "flag" if flag_id else "cluster",
            "ref": flag_id or cluster_id, "as_of": as_of.isoformat(), "severity": worst,
            "subject": subject.text if subject else None,
            "address": next(iter(addresses.values())).text if addresses else None,
            "flag_ids": [t.flag_id for t in texts],
            "people": sorted(people), "addresses": sorted(addresses),
            "sections": [{"name": name, "heading": heading, "text": "\n".join(sections[name])}
                         for name, heading in SECTIONS]}


def _history(store: GraphStore, person_ids: list[str], address_ids: list[str],
             people: dict[str, tuple[str, flag_text.EntityRef]]
             ) -> tuple[list[str], list[dict[str, Any]]]:
    """Incidents (newest first), then plans, placements and orders, each with its dates; and
    the incidents read."""
    lines = []
    incidents = store.read("read/cluster_incidents", person_ids=person_ids,
                           address_ids=address_ids, incident_ids=[], limit=HISTORY_LIMIT)
    for i in incidents:
        kind = flag_text.incident_words(i.get("incident_type")) or "incident"
        grade = f", graded {flag_text.words(i['risk_grade'])}" if i.get("risk_grade") else ""
        where = f" at {i['address']}" if i.get("address_id") else ""
        who = "; ".join(f"{_name(people, p)} ({flag_text.words(p['role'])})"
                        for p in i.get("people") or [])
        crime = f", crime {i['crime_ref']} ({i.get('status') or 'closed'})" \
            if i.get("crime_ref") else ""
        lines.append(f"{flag_text.long_date(i['occurred_at'])}: {kind}{where}{grade}{crime}"
                     + (f"; {who}" if who else "") + ".")
    if len(incidents) >= HISTORY_LIMIT:
        lines.append(f"(The {HISTORY_LIMIT} most recent incidents are listed.)")
    rows = store.read("read/referral_records", person_ids=person_ids)
    for r in sorted(rows, key=lambda r: str(r.get("start_date") or "")):
        who = people[f"person_id={r['person_id']}"][1].text
        until = (f" to {flag_text.long_date(r['end_date'])}" if r.get("end_date")
                 else " (current)")
        detail = flag_text.words(r.get("detail"))
        if r["kind"] == "plan":
            text = f"{who}: child protection plan ({detail})"
        elif r["kind"] == "placement":
            text = f"{who}: {detail} placement" + (f" by {r['authority']}"
                                                   if r.get("authority") else "")
        else:
            order = flag_text.ORDER_TYPES.get(str(r.get("detail")), detail)
            text = f"{who}: {'subject of' if r['kind'] == 'order' else 'protected by'} a {order}"
        lines.append(f"{text}, from {flag_text.long_date(r.get('start_date'))}{until}.")
    return lines, incidents


def _name(people: dict[str, tuple[str, flag_text.EntityRef]], p: dict[str, Any]) -> str:
    """A person of an incident: with their age when the flags name them, else their name."""
    known = people.get(f"person_id={p['person_id']}")
    return known[1].text if known else (p.get("name") or "a person with no recorded name")


def _involved(incidents: list[dict[str, Any]],
              people: dict[str, tuple[str, flag_text.EntityRef]]) -> list[str]:
    """The adults in the incidents the flags do not name (for a MARAC: victim and suspect)."""
    roles: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for i in incidents:
        for p in i.get("people") or []:
            if f"person_id={p['person_id']}" in people:
                continue
            names[p["person_id"]] = _name(people, p)
            counts = roles.setdefault(p["person_id"], {})
            counts[p["role"]] = counts.get(p["role"], 0) + 1
    return [f"Also involved: {names[pid]} (" + ", ".join(
        f"{flag_text.words(role)} in {flag_text.plural(n, 'incident')}"
        for role, n in sorted(counts.items())) + ")" for pid, counts in roles.items()]


def _earlier_referrals(settings: Settings, keys: list[str]) -> list[str]:
    """Referrals recorded earlier about any of these people."""
    if not keys:
        return []
    with appdata.transaction(settings, write=False) as conn:
        rows = appdata.run(conn, "tasking/referral_people").mappings().all()
    wanted = set(keys)
    return [f"Earlier referral {r['referral_id']} ({KINDS.get(r['kind'], r['kind'])}) to "
            f"{r['recipient']} on {flag_text.long_date(r['created_at'][:10])}."
            for r in rows if wanted & set(json.loads(r["people_json"]))]


def _police(store: GraphStore, flag_ids: list[str]) -> list[str]:
    """Decisions recorded on the flags (done) and actions still outstanding (planned)."""
    done, planned = [], []
    for e in store.read("read/cluster_flag_events", flag_ids=flag_ids):
        if e.get("kind") != "decision":
            continue
        words = DECISIONS.get(str(e.get("to_status")), flag_text.words(e.get("to_status")))
        line = f"{flag_text.long_date(e['at'])}: {words}. {e.get('reason') or ''}".strip()
        if e.get("action"):
            line += f" Action: {e['action']} (owner {e.get('owner') or 'not named'}, due " \
                    f"{flag_text.long_date(e.get('due_date'))})."
        done.append(line)
    for a in store.read("read/open_actions", owner=None):
        if a["flag_id"] in flag_ids:
            planned.append(f"Planned: {a['action']} (owner {a.get('owner') or 'not named'}, "
                           f"due {flag_text.long_date(a.get('due_date'))}).")
    return (done or ["No decision has been recorded on these flags yet."]) + planned


def record_referral(settings: Settings, draft: dict[str, Any], *, recipient: str,
                    texts: dict[str, str], by: str,
                    meeting_id: int | None = None) -> dict[str, Any]:
    """Record a reviewed referral (its sections as edited) with its recipient; return it.

    The caller writes the disclosure to the audit log, naming the recipient.
    """
    recipient = (recipient or "").strip()
    problems = []
    if not recipient:
        problems.append("Say who receives the referral (team or service, and person if known).")
    sections = []
    for name, heading in SECTIONS:
        text = (texts.get(name) or "").strip()
        if name in ("level", "children") and not text:
            problems.append(f"The section '{heading}' cannot be empty.")
        sections.append({"name": name, "heading": heading, "text": text})
    if problems:
        raise InputError(" ".join(problems))
    body = {**draft, "sections": sections, "recipient": recipient}
    with appdata.transaction(settings) as conn:
        referral_id = int(appdata.run(
            conn, "tasking/insert_referral", kind=draft["kind"], recipient=recipient,
            scope=draft["scope"], ref=draft["ref"], meeting_id=meeting_id,
            severity=draft["severity"], people_json=json.dumps(draft["people"]),
            body_json=json.dumps(body), created_by=by, created_at=stamp()).scalar_one())
    log.info("Referral %s (%s) recorded by %s", referral_id, draft["kind"], by)
    return get_referral(settings, referral_id)


def get_referral(settings: Settings, referral_id: int) -> dict[str, Any]:
    """A recorded referral as it was sent."""
    with appdata.transaction(settings, write=False) as conn:
        row = appdata.run(conn, "tasking/referral", referral_id=referral_id).mappings().first()
    if row is None:
        raise NotFound(f"There is no referral {referral_id}.")
    referral: dict[str, Any] = json.loads(row["body_json"])
    referral.update(referral_id=row["referral_id"], created_by=row["created_by"],
                    created_at=row["created_at"], meeting_id=row["meeting_id"])
    return referral


def referral_json(referral: dict[str, Any]) -> dict[str, Any]:
    """The structured export of a recorded referral (what another agency's system reads)."""
    keep = ("referral_id", "kind", "title", "recipient", "created_at", "created_by",
            "meeting_id", "scope", "ref", "as_of", "severity", "subject", "address", "flag_ids",
            "people", "addresses")
    out = {k: referral.get(k) for k in keep}
    out["level_of_concern"] = next(s["text"] for s in referral["sections"]
                                   if s["name"] == "level")
    out["sections"] = {s["name"]: {"heading": s["heading"], "lines": s["text"].splitlines()}
                       for s in referral["sections"]}
    return out


def list_referrals(settings: Settings, limit: int = 100) -> list[dict[str, Any]]:
    """Referrals recorded, newest first."""
    with appdata.transaction(settings, write=False) as conn:
        rows = appdata.run(conn, "tasking/list_referrals", limit=limit).mappings().all()
    return [{**dict(r), "title": KINDS.get(r["kind"], r["kind"])} for r in rows]
