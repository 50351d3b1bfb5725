-- The flags and clusters a meeting has decided on.
SELECT cluster_id, flag_id FROM tasking_decisions WHERE meeting_id = :meeting_id;
