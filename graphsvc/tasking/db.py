"""The tasking tables of app.db and the words shared by the tasking modules."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from importlib import resources

from graphsvc import appdb, clusters
from graphsvc.settings import Settings

SCHEMA = resources.files("graphsvc.tasking").joinpath("schema.sql").read_text(encoding="utf-8")

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


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


