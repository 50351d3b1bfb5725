-- One recorded referral (no row when there is none with that id).
SELECT * FROM tasking_referrals WHERE referral_id = :referral_id;
