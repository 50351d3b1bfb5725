-- The schema version of one store (no row: version 0, nothing applied yet).
SELECT version FROM graphsvc_schema WHERE store = :store;
