-- Leases: the scheduler's leadership and each rule's run lock, held by one process of any host
-- until it lets go or stops renewing (a dead holder's lease runs out).
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
);
