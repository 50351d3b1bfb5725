-- Meetings, newest first, with how many decisions each took.
SELECT m.*, (SELECT count(*) FROM tasking_decisions d WHERE d.meeting_id = m.meeting_id)
    AS decisions
FROM tasking_meetings m ORDER BY m.meeting_id DESC LIMIT :limit;
