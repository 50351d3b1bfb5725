-- Records the version a store's schema has just been migrated to.
INSERT INTO graphsvc_schema (store, version, migrated_at) VALUES (:store, :version, :at)
ON CONFLICT (store) DO UPDATE SET version = excluded.version, migrated_at = excluded.migrated_at;
