-- Recorded referrals, newest first.
SELECT referral_id, kind, recipient, scope, ref, severity, created_by, created_at
FROM tasking_referrals ORDER BY referral_id DESC LIMIT :limit;
