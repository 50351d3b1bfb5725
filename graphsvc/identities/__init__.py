"""One person across ViSOR, the RMS and children's services: links between records, never merges.

Records of one person are joined by `SAME_AS` links. Linkage (Splink) proposes links with a
probability; officers confirm, reject or undo them. Every record keeps its own id and values.
"""

from __future__ import annotations

# A link's status: what linkage decided (automatic above the upper threshold, for_review
# between the two) or what an officer decided (confirmed, rejected).
AUTOMATIC = "automatic"
FOR_REVIEW = "for_review"
CONFIRMED = "confirmed"
REJECTED = "rejected"
STATUSES = (AUTOMATIC, FOR_REVIEW, CONFIRMED, REJECTED)
MODEL_STATUSES = (AUTOMATIC, FOR_REVIEW)
DECIDED_STATUSES = (CONFIRMED, REJECTED)
# Statuses under which two records count as one person.
LINKING = (AUTOMATIC, CONFIRMED)
# What an officer may do to a pair.
DECISIONS = ("confirm", "reject", "undo")


def ordered(a: str, b: str) -> tuple[str, str]:
    """A pair's ids in the order its link is stored (the smaller id first)."""
    return (a, b) if a <= b else (b, a)
