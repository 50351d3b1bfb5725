"""Minutes of a meeting that stand alone: for each item the subject and address, the rule in
words, the decision, action, owner, due date, rationale and the chair who decided; the items
reviewed without a decision and those not reached; who attended. As a page and as CSV."""

from __future__ import annotations

import csv
from typing import IO, Any

from graphsvc import appdata, flag_text, model
from graphsvc.model import DECISIONS
from graphsvc.settings import Settings
from graphsvc.spreadsheet import csv_row
from graphsvc.store.base import GraphStore
from graphsvc.tasking.agenda import items_of
from graphsvc.tasking.db import MINUTES_FIELDS
from graphsvc.tasking.meetings import get_meeting


def minutes(settings: Settings, meeting_id: int, *,
            store: GraphStore | None = None) -> dict[str, Any]:
    """A meeting, every decision it took in order (with the flag in words as it stood), the
    agenda items reviewed without a decision and those not reached. With `store`, those items
    are named by subject and address too."""
    meeting = get_meeting(settings, meeting_id)
    with appdata.transaction(settings, write=False) as conn:
        rows = appdata.run(conn, "tasking/minutes_decisions",
                           meeting_id=meeting_id).mappings().all()
        items = items_of(conn, meeting_id)
    decisions = []
    for row in rows:
        d = dict(row)
        d["decision"] = DECISIONS.get(d["status"], d["status"])
        d["rule_title"] = d["rule_title"] or model.rule_title(d["rule_id"], d["rule_id"] or "")
        d["decision_maker"] = d["chair"] or meeting["chair"]
        decisions.append(d)
    reviewed = [i for i in items if i["state"] == "reviewed"]
    not_reached = [i for i in items if i["state"] in ("not reached", "to review")]
    if store is not None:
        texts = flag_text.describe_flags(store, [f for i in reviewed + not_reached
                                                 for f in i["flags"]])
        for item in reviewed + not_reached:
            found = [texts[f] for f in item["flags"] if f in texts]
            found.sort(key=lambda t: -{"critical": 3, "high": 2, "medium": 1}.get(t.severity, 0))
            item["subject"] = next((t.subject.text for t in found if t.subject), None)
            item["address"] = next((t.address.text for t in found if t.address), None)
            item["rules"] = sorted({t.title for t in found})
    return {"meeting": meeting, "decisions": decisions, "reviewed": reviewed,
            "not_reached": not_reached, "items": items}


def write_minutes_csv(record: dict[str, Any], out: IO[str]) -> int:
    """Write the minutes as CSV: a row per decision on a flag, then a row per item reviewed
    without a decision; return the rows written."""
    writer = csv.writer(out)
    writer.writerow(MINUTES_FIELDS)
    m = record["meeting"]
    attendees = "; ".join(m["attendees"])
    written = 0
    for d in record["decisions"]:
        writer.writerow(csv_row([
            m["meeting_id"], m["held_on"], m["chair"], attendees, "decision", d["cluster_id"],
            d["subject"], d["address"], d["rule_title"], d["summary"], d["status"],
            d["action"], d["owner"], d["due_date"], d["reason"], d["decision_maker"],
            d["decided_by"], d["decided_at"], d["flag_id"], d["scope"], d["from_status"]]))
        written += 1
    for item in record["reviewed"]:
        writer.writerow(csv_row([
            m["meeting_id"], m["held_on"], m["chair"], attendees, "reviewed, no decision",
            item["cluster_id"], item.get("subject"), item.get("address"),
            "; ".join(item.get("rules") or []), item["why"], "", "", "", "", "", m["chair"],
            item["added_by"], item["reviewed_at"], "", "cluster", ""]))
        written += 1
    return written

