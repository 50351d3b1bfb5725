-- Keeps in every session of a user the graph bookmarks (JSON list) of the user's last write.
UPDATE sessions SET bookmarks = :bookmarks WHERE user_id = :user_id;
