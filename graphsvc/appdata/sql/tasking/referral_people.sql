-- Every recorded referral with the people it is about (JSON), oldest first.
SELECT referral_id, kind, recipient, created_at, people_json FROM tasking_referrals
ORDER BY referral_id;
