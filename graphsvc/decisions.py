"""One orchestration for a decision on flags, whichever door it comes through (the CLI's
`flags decide`, the tasking board): record it in one atomic write, then bring the board's
clusters up to date at once by re-clustering only the clusters it touches."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from graphsvc import cluster_update, flags
from graphsvc.errors import AppDbError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decided:
    """A decision recorded on flags: each flag's status `before` it, and the board's update
    (`cluster_update.recluster_flags`' summary; None when the clusters could not be updated
    now: the decision stands, and the next recompute catches the board up)."""

    before: dict[str, str]
    board: dict[str, Any] | None


def decide_flags(store: GraphStore, settings: Settings, flag_ids: list[str], *, by: str,
                 status: str, reason: str, action: str | None = None, owner: str | None = None,
                 due_date: date | str | None = None) -> Decided:
    """Record one decision on these flags (all or none) and update the board's clusters."""
    before = flags.record_decisions(store, flag_ids, by=by, status=status, reason=reason,
                                    action=action, owner=owner, due_date=due_date)
    try:
        board = cluster_update.recluster_flags(store, settings, flag_ids)
    except (SQLAlchemyError, AppDbError):
        log.exception("The decision on %s was recorded but the clusters could not be updated",
                      ", ".join(flag_ids))
        board = None
    return Decided(before=before, board=board)
