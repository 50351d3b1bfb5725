"""The address check: what officers going to an address must know, in a few milliseconds.

`check_address(store, query, role=...)` resolves the query to one address (or lists candidates
when it is ambiguous, never guessing), then reads everything about it in one Cypher round trip
and the open flags in one more. A control room sees only what it needs to deploy safely
(warnings and counts, no names of children or details of plans); other roles see names and ids.
`query` reads and resolves the query, `facts` reads what is known, `check` puts them together
and `presentation` cuts the answer to what the role may see (the briefing). The answer is a
typed value, one type per view (`answer`: FullBriefing, ControlRoomBriefing, Candidates); the
front doors turn it into JSON with `as_json`.
"""

from graphsvc.address_check.answer import (
    Answer,
    Briefing,
    Candidates,
    ControlRoomBriefing,
    Counts,
    FullBriefing,
    Warning,
    as_json,
)
from graphsvc.address_check.check import (
    check_address,
)
from graphsvc.address_check.facts import (
    as_date,
    care_settings_near,
    echo_query,
    offender_homes_near,
    one_year_before,
    open_flags_here,
    people_tied,
    person_name,
    plural_text,
    read_facts,
)
from graphsvc.address_check.presentation import (
    present,
)
from graphsvc.address_check.query import (
    ADDRESS_TYPES,
    CARE_SETTINGS,
    DA_GRADE_ORDER,
    EARLIEST_DATE,
    GB_LATITUDE,
    GB_LONGITUDE,
    HOMES_RECHECK_S,
    MAPPA_CATEGORY,
    MAX_CANDIDATES,
    MAX_CARE_SETTINGS,
    MAX_RADIUS_M,
    MISSING_DAYS,
    ORDER_TYPES,
    POINT_CANDIDATE_M,
    POINT_RESOLVE_M,
    QUERY_KEYS,
    ROSH_ORDER,
    SAFETY_TYPES,
    SCHEMA_VERSION,
    interpret,
    parse_as_of,
    parse_query,
    parse_radius,
    resolve,
)

__all__ = [
    "Answer",
    "Briefing",
    "Candidates",
    "ControlRoomBriefing",
    "Counts",
    "FullBriefing",
    "Warning",
    "as_json",
    "ADDRESS_TYPES",
    "CARE_SETTINGS",
    "DA_GRADE_ORDER",
    "EARLIEST_DATE",
    "GB_LATITUDE",
    "GB_LONGITUDE",
    "HOMES_RECHECK_S",
    "MAPPA_CATEGORY",
    "MAX_CANDIDATES",
    "MAX_CARE_SETTINGS",
    "MAX_RADIUS_M",
    "MISSING_DAYS",
    "ORDER_TYPES",
    "POINT_CANDIDATE_M",
    "POINT_RESOLVE_M",
    "QUERY_KEYS",
    "ROSH_ORDER",
    "SAFETY_TYPES",
    "SCHEMA_VERSION",
    "as_date",
    "care_settings_near",
    "check_address",
    "echo_query",
    "interpret",
    "offender_homes_near",
    "one_year_before",
    "open_flags_here",
    "parse_as_of",
    "parse_query",
    "parse_radius",
    "people_tied",
    "person_name",
    "plural_text",
    "present",
    "read_facts",
    "resolve",
]
