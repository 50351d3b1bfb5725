-- Stored clusterings and the tasking meetings (agenda, decisions, referrals).
-- Written with IF NOT EXISTS: an app.db made before migrations already has these tables
-- (created on every open then) and is adopted as it is, its rows kept.
CREATE TABLE IF NOT EXISTS cluster_runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    computed_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    flags INTEGER NOT NULL,
    clusters INTEGER NOT NULL,
    seconds REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS cluster_snapshots (
    run_id INTEGER NOT NULL REFERENCES cluster_runs(run_id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    score REAL NOT NULL,
    severity TEXT NOT NULL,
    flag_count INTEGER NOT NULL,
    entity_count INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (run_id, cluster_id)
);
CREATE TABLE IF NOT EXISTS cluster_members (
    run_id INTEGER NOT NULL REFERENCES cluster_runs(run_id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (run_id, member)
);
CREATE INDEX IF NOT EXISTS cluster_members_by_cluster ON cluster_members (run_id, cluster_id);
CREATE TABLE IF NOT EXISTS cluster_history (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    related_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cluster_history_by_cluster ON cluster_history (cluster_id, event_id);
CREATE TABLE IF NOT EXISTS cluster_sequence (
    name TEXT PRIMARY KEY,
    next_number INTEGER NOT NULL
);
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
-- With each decision, the flag in words as it stood and the chair who took it: the minutes
-- stand alone when the flags change later.
CREATE TABLE IF NOT EXISTS tasking_decision_context (
    decision_id INTEGER PRIMARY KEY REFERENCES tasking_decisions(decision_id),
    subject TEXT,
    address TEXT,
    rule_title TEXT,
    summary TEXT,
    chair TEXT NOT NULL
);
-- A meeting's agenda: clusters to review in order, why each is there, and what became of it.
-- flags_json keeps the cluster's flags when it was added, so an item follows its situation
-- when a later clustering gives it another id.
CREATE TABLE IF NOT EXISTS tasking_agenda_items (
    item_id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES tasking_meetings(meeting_id),
    position INTEGER NOT NULL,
    cluster_id TEXT NOT NULL,
    why TEXT NOT NULL,
    carried_from INTEGER,
    flags_json TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    reviewed_at TEXT,
    removed_at TEXT
);
CREATE INDEX IF NOT EXISTS tasking_agenda_by_meeting
    ON tasking_agenda_items (meeting_id, position);
-- Referrals to children's social care and to a MARAC, as reviewed and sent: body_json holds
-- the sections as edited and the facts they came from; people_json the people it is about
-- (so a later referral lists the earlier ones).
CREATE TABLE IF NOT EXISTS tasking_referrals (
    referral_id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    scope TEXT NOT NULL,
    ref TEXT NOT NULL,
    meeting_id INTEGER,
    severity TEXT NOT NULL,
    people_json TEXT NOT NULL,
    body_json TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
