-- Records which clustering a meeting's copy of the clusters came from.
UPDATE tasking_meetings SET cluster_run_id = :run_id WHERE meeting_id = :meeting_id;
