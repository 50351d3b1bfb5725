-- One meeting (no row when there is none with that id).
SELECT * FROM tasking_meetings WHERE meeting_id = :meeting_id;
