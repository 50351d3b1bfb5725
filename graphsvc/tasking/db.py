"""The words shared by the tasking modules (their tables are in the application database:
graphsvc/appdata/migrations/app, statements in graphsvc/appdata/sql/tasking)."""

from __future__ import annotations

from graphsvc import appdata

MINUTES_FIELDS = ("meeting_id", "held_on", "chair", "attendees", "item", "cluster_id",
                  "subject", "address", "rule", "summary", "decision", "action", "owner",
                  "due_date", "rationale", "decided_by", "recorded_by", "decided_at", "flag_id",
                  "scope", "from_status")
INCIDENTS_SHOWN = 100
# Entities listed per flag on the cluster page (people, addresses, vehicles, phones first).
ENTITIES_SHOWN = 25

# Held while a meeting is opened or closed, so two processes never open two meetings at once.
MEETINGS_LOCK = appdata.Lock.MEETINGS


