"""The rules of input every front door shares: a consultation's justification."""

from __future__ import annotations

from graphsvc.errors import InputError

# The reason or incident number the law requires before records are consulted: a few words or
# an incident number, never blank; whitespace runs count as one space.
MIN_JUSTIFICATION = 3
MAX_JUSTIFICATION = 500


def check_justification(text: str | None, ask: str = "Give the reason or an incident number",
                        why: str = "") -> str:
    """The justification, whitespace tidied and cut to MAX_JUSTIFICATION; else InputError.

    `ask` says what to give (e.g. "Give the reason for this search or an incident number"),
    `why` what follows the rule in the message (e.g. ": it is recorded in the audit log").

    >>> check_justification("  Incident   42 ")
    'Incident 42'
    """
    reason = " ".join((text or "").split())
    if len(reason) < MIN_JUSTIFICATION:
        raise InputError(f"{ask} (at least {MIN_JUSTIFICATION} characters){why}.")
    return reason[:MAX_JUSTIFICATION]
