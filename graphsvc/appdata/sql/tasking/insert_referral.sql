-- Records a referral as reviewed and sent; returns its id.
INSERT INTO tasking_referrals (kind, recipient, scope, ref, meeting_id, severity, people_json,
    body_json, created_by, created_at)
VALUES (:kind, :recipient, :scope, :ref, :meeting_id, :severity, :people_json, :body_json,
    :created_by, :created_at)
RETURNING referral_id;
