"""Decisions of a meeting on a flag or a whole cluster."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from graphsvc import appdata, clusters, flag_text
from graphsvc.dates import stamp
from graphsvc.decisions import decide_flags
from graphsvc.errors import InputError, NotFound
from graphsvc.flags.decisions import check_decision
from graphsvc.model import LIVE
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.tasking.meetings import get_meeting

log = logging.getLogger(__name__)

# ---- decisions ----------------------------------------------------------------------------------

def decide(store: GraphStore, settings: Settings, *, meeting_id: int, cluster_id: str,
           flag_id: str | None, by: str, status: str, reason: str, action: str | None = None,
           owner: str | None = None, due_date: date | str | None = None,
           today: date | None = None) -> list[dict[str, Any]]:
    """Record a meeting's decision on one flag of a cluster, or on each of its open flags.

    Everything is checked before anything is written; the flags' decisions are then one atomic
    write in the graph, the minutes' rows one transaction, and the board follows at once.
    The minutes keep, with each decision, the flag in words (subject, address, rule, summary)
    and the chair who took it, so they stand alone when the flags change later.
    """
    clean = check_decision(status=status, reason=reason, action=action, owner=owner,
                           due_date=due_date, today=today)
    meeting = get_meeting(settings, meeting_id)
    if not meeting["is_open"]:
        raise InputError(f"Meeting {meeting_id} is closed; open a meeting to record decisions.")
    cluster = clusters.get_cluster(settings, cluster_id)
    if flag_id and flag_id not in cluster["flags"]:
        raise InputError(f"That flag is not part of cluster {cluster_id} any more; reload the "
                         "cluster and decide again.")
    current = {f["flag_id"]: f for f in store.read(
        "flags/statuses", flag_ids=[flag_id] if flag_id else cluster["flags"])}
    targets = [flag_id] if flag_id else [f for f in cluster["flags"]
                                         if current.get(f, {}).get("status")
                                         in LIVE]
    if not targets:
        raise InputError(f"Cluster {cluster_id} has no open flag left to decide on.")
    for target in targets:
        if target not in current:
            raise NotFound(f"Flag {target} is no longer in the graph.")
    texts = flag_text.describe_flags(store, targets)
    decide_flags(store, settings, targets, by=by, status=clean.status,
                 reason=clean.reason, action=clean.action, owner=clean.owner,
                 due_date=clean.due_date)
    at = stamp()
    recorded = []
    for target in targets:
        text = texts.get(target)
        recorded.append({
            "meeting_id": meeting_id, "cluster_id": cluster_id, "flag_id": target,
            "rule_id": current[target].get("rule_id"), "scope": "flag" if flag_id else "cluster",
            "from_status": current[target].get("status"), "status": clean.status,
            "action": clean.action, "owner": clean.owner,
            "due_date": clean.due_date.isoformat() if clean.due_date else None,
            "reason": clean.reason, "decided_by": by, "decided_at": at,
            "context": {"subject": text.subject.text if text and text.subject else None,
                        "address": text.address.text if text and text.address else None,
                        "rule_title": text.title if text else None,
                        "summary": str(text.summary) if text else None,
                        "chair": meeting["chair"]}})
    _insert_decisions(settings, recorded)
    log.info("Meeting %s decided %s on %d flag(s) of %s", meeting_id, clean.status,
             len(recorded), cluster_id)
    return recorded


def _insert_decisions(settings: Settings, rows: list[dict[str, Any]]) -> None:
    """The minutes' rows of one decision, in one transaction."""
    with appdata.transaction(settings) as conn:
        for row in rows:
            fields = {k: v for k, v in row.items() if k != "context"}
            decision_id = int(appdata.run(conn, "tasking/insert_decision", **fields).scalar_one())
            appdata.run(conn, "tasking/insert_decision_context", decision_id=decision_id,
                        **row["context"])
            row["decision_id"] = decision_id
