"""The tasking meeting: an agenda built from the board, decisions on flags or whole clusters
that update the board at once, minutes that stand alone, actions tracked and referrals.

Meetings, their copy of the clusters, agendas, decisions and referrals live in the application
database (tables `tasking_*`, on SQLite or PostgreSQL: graphsvc.appdata); each decision is also
recorded on its flags in the graph (`graphsvc.flags.record_decisions`, one atomic write), which
keeps the flags' own history.
"""

from graphsvc.flags.decisions import DECISION_RULES, Decision, check_decision
from graphsvc.model import DECISIONS
from graphsvc.tasking.actions import list_actions
from graphsvc.tasking.agenda import add_item, agenda, mark_reviewed, move_item, remove_item
from graphsvc.tasking.board import BOARD_TOP, BOARD_VIEWS, board
from graphsvc.tasking.cluster_page import cluster_page, picture, summarise, timeline
from graphsvc.tasking.db import (
    ENTITIES_SHOWN,
    INCIDENTS_SHOWN,
    MINUTES_FIELDS,
)
from graphsvc.tasking.decisions import decide
from graphsvc.tasking.meetings import (
    close_meeting,
    compare_with,
    current_meeting,
    get_meeting,
    list_meetings,
    open_meeting,
    set_attendance,
)
from graphsvc.tasking.minutes import minutes, write_minutes_csv
from graphsvc.tasking.referrals import (
    draft_referral,
    get_referral,
    list_referrals,
    record_referral,
    referral_json,
)

__all__ = [
    "BOARD_TOP", "BOARD_VIEWS", "DECISION_RULES", "DECISIONS", "ENTITIES_SHOWN", "INCIDENTS_SHOWN",
    "MINUTES_FIELDS", "Decision", "add_item", "agenda", "board", "check_decision",
    "close_meeting", "cluster_page", "compare_with", "current_meeting", "decide", "draft_referral",
    "get_meeting", "get_referral", "list_actions", "list_meetings", "list_referrals",
    "mark_reviewed", "minutes", "move_item", "open_meeting", "picture",
    "record_referral", "referral_json", "remove_item", "set_attendance", "summarise", "timeline",
    "write_minutes_csv",
]
