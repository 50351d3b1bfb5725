-- Keeps with a decision the flag in words as it stood and the chair who took it.
INSERT INTO tasking_decision_context (decision_id, subject, address, rule_title, summary, chair)
VALUES (:decision_id, :subject, :address, :rule_title, :summary, :chair);
