-- Forgets sessions idle since before a time (they can never be used again).
DELETE FROM sessions WHERE seen_at < :before;
