-- SQLite has no advisory locks: a write transaction already holds the only write lock.
SELECT :key;
