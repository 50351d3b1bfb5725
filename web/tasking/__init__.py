"""The tasking board: clusters ranked, meetings with their agenda, decisions in place on the
cluster page, minutes, actions and referrals.

Role `tasking` only: a tasking meeting's board is personal data about children and offenders,
and admins who chair a meeting use a tasking account (least privilege). The routes are split by
concern into the modules imported at the end; they all hang on this one blueprint.
"""

from __future__ import annotations

from flask import Blueprint, session

from graphsvc import tasking
from graphsvc.model import TASKING_ROLES
from web.context import get_settings

bp = Blueprint("tasking", __name__, url_prefix="/tasking")
NAV = [("tasking.board", "Tasking board"), ("tasking.actions", "Actions")]
ROLES = TASKING_ROLES
REASON_KEY = "tasking_reason"


def justification() -> str | None:
    """Why the user is looking: the open meeting, or the reason they gave this session."""
    meeting = tasking.current_meeting(get_settings())
    if meeting:
        return f"Tasking meeting {meeting['meeting_id']} of {meeting['held_on']}"
    return session.get(REASON_KEY)


from web.tasking import cluster_views, meeting_views, referral_views  # noqa: E402,F401
