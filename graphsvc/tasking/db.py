"""The tasking tables of app.db and the words shared by the tasking modules."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from importlib import resources

from graphsvc import appdb, clusters
from graphsvc.settings import Settings

SCHEMA = resources.files("graphsvc.tasking").joinpath("schema.sql").read_text(encoding="utf-8")

# What a meeting may decide about a flag, with the words of the buttons that record it.
# The rules a decision must meet, shown beside the form before it is sent (check_decision
# enforces them and says which one failed).
DECISION_RULES = (
    "Every decision needs its rationale.",
    "'Action' needs the action agreed, who owns it and a due date (today or later).",
    "'Under review' and 'No further action' carry no action, owner or due date.",
)
MINUTES_FIELDS = ("meeting_id", "held_on", "chair", "attendees", "item", "cluster_id",
                  "subject", "address", "rule", "summary", "decision", "action", "owner",
                  "due_date", "rationale", "decided_by", "recorded_by", "decided_at", "flag_id",
                  "scope", "from_status")
INCIDENTS_SHOWN = 100
# Entities listed per flag on the cluster page (people, addresses, vehicles, phones first).
ENTITIES_SHOWN = 25


def open_db(settings: Settings) -> sqlite3.Connection:
    """app.db with the tasking (and cluster) tables in place."""
    conn = clusters.open_db(settings)
    appdb.ensure_schema(conn, SCHEMA)
    return conn


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


