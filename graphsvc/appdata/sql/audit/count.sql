-- How many entries the log holds.
SELECT count(*) FROM audit_log;
