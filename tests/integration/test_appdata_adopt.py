"""An app.db written before the tasking and cluster tables had a migration (they were created
with IF NOT EXISTS on every open) is adopted by migration 0003 with its rows kept."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from graphsvc import appdata, clusters, tasking
from graphsvc.appdata import migrate
from graphsvc.settings import Settings


def test_an_existing_sqlite_app_db_keeps_its_meetings_and_clusters(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert migrate.upgrade(settings, "app", target=2) == 2
    appdata.dispose_all()
    old_ddl = (migrate.ROOT / "app" / "0003_clusters_tasking.sqlite.sql").read_text()
    with closing(sqlite3.connect(tmp_path / "app.db", isolation_level=None)) as db:
        db.executescript(old_ddl)  # what tasking.open_db used to run on every open
        db.execute("INSERT INTO tasking_meetings (held_on, chair, attendees, opened_at, "
                   "opened_by) VALUES ('2026-11-03', 'DI Shaw', '[\"DS Reed\"]', "
                   "'2026-11-03T09:00:00', 'shaw')")
        db.execute("INSERT INTO tasking_decisions (meeting_id, cluster_id, flag_id, scope, "
                   "status, reason, decided_by, decided_at) VALUES (1, 'C-1', 'r:1', 'flag', "
                   "'under_review', 'More to learn', 'shaw', '2026-11-03T09:30:00')")
        db.execute("INSERT INTO cluster_runs (computed_at, as_of, flags, clusters, seconds) "
                   "VALUES ('2026-11-03T08:00:00', '2026-11-03', 1, 1, 0.1)")
    [meeting] = tasking.list_meetings(settings)
    assert meeting["chair"] == "DI Shaw" and meeting["attendees"] == ["DS Reed"]
    assert meeting["decisions"] == 1 and meeting["is_open"]
    assert clusters.latest_run(settings)["as_of"] == "2026-11-03"
    with appdata.transaction(settings, write=False) as conn:
        assert migrate.current_version(conn, "app") == len(migrate.migrations("app", "sqlite"))
    appdata.dispose_all()
