"""Minutes of a meeting, as a page and as CSV."""

from __future__ import annotations

import csv
from typing import IO, Any

from graphsvc.settings import Settings
from graphsvc.tasking.db import MINUTES_FIELDS, open_db
from graphsvc.tasking.meetings import get_meeting

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
        writer.writerow([_csv_safe(v) for v in (
            meeting["meeting_id"], meeting["held_on"], d["cluster_id"], d["flag_id"],
            d["rule_id"], d["scope"], d["from_status"], d["status"], d["action"], d["owner"],
            d["due_date"], d["reason"], d["decided_by"], d["decided_at"])])
    return len(record["decisions"])


def _csv_safe(value: Any) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
