-- How many live sessions a user has.
SELECT count(*) FROM sessions WHERE user_id = :user_id;
