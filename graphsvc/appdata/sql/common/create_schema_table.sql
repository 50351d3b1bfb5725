-- Creates the table that records each store's schema version (nothing to return).
CREATE TABLE IF NOT EXISTS graphsvc_schema (
    store TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    migrated_at TEXT NOT NULL
);
