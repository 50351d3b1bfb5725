-- Remembers the number the next new cluster id takes.
INSERT INTO cluster_sequence (name, next_number) VALUES ('cluster', :next_number)
ON CONFLICT (name) DO UPDATE SET next_number = excluded.next_number;
