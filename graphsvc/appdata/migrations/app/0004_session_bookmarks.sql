-- Each session keeps the graph bookmarks of its user's last write (Neo4j causal consistency), so
-- the user's next read on any web process waits until the member serving it has that write.
ALTER TABLE sessions ADD COLUMN bookmarks TEXT;
