-- Appends entries (one array element per entry, in chain order) and moves the chain head to
-- the last of them, in one statement; the writer holds the chain's lock (audit/lock_head).
WITH added AS (
    INSERT INTO audit_log (seq, at, "user", role, kind, action, asked, shown, justification,
                           prev_hash, hash)
    SELECT * FROM unnest(CAST(:seqs AS BIGINT[]), CAST(:ats AS TEXT[]), CAST(:users AS TEXT[]),
                         CAST(:roles AS TEXT[]), CAST(:kinds AS TEXT[]),
                         CAST(:actions AS TEXT[]), CAST(:askeds AS TEXT[]),
                         CAST(:showns AS TEXT[]), CAST(:justifications AS TEXT[]),
                         CAST(:prev_hashes AS TEXT[]), CAST(:hashes AS TEXT[]))
    RETURNING seq
)
UPDATE audit_head SET seq = :seq, hash = :hash WHERE one = 1;
