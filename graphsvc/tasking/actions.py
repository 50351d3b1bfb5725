"""Actions agreed in meetings and still outstanding: who owns each, when it is due, and about
whom; an overdue one also comes back to the next meeting's agenda (graphsvc.tasking.agenda)."""

from __future__ import annotations

from datetime import date
from typing import Any

from graphsvc import clusters, dates, flag_text
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore


def list_actions(store: GraphStore, settings: Settings, *, owner: str | None = None,
                 as_of: date | None = None) -> dict[str, Any]:
    """Outstanding actions, soonest due first, each with the flag in words, its cluster on the
    board and whether it is overdue; and the owners there are, to choose from."""
    as_of = as_of or dates.today()
    owner = (owner or "").strip() or None
    rows = store.read("read/open_actions", owner=owner)
    texts = flag_text.describe_flags(store, [r["flag_id"] for r in rows], as_of=as_of)
    cluster_of = {f: c["cluster_id"] for c in clusters.list_clusters(settings)
                  for f in c["flags"]}
    for row in rows:
        row["text"] = texts.get(row["flag_id"])
        row["cluster_id"] = cluster_of.get(row["flag_id"])
        due = row.get("due_date")
        row["days_left"] = (due - as_of).days if isinstance(due, date) else None
        row["overdue"] = row["days_left"] is not None and row["days_left"] < 0
    owners = sorted({r["owner"] for r in store.read("read/open_actions", owner=None)
                     if r.get("owner")}, key=str.lower)
    return {"as_of": as_of, "owner": owner, "actions": rows, "owners": owners,
            "overdue": sum(1 for r in rows if r["overdue"])}
