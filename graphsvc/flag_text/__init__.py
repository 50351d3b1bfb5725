"""Flags in plain English: a summary sentence and evidence in words, naming people (with ages),
addresses and dates, each linked to its entity; internal ids never stand in for a name.

Interface (for the cluster page, minutes, referrals and entity pages):

    texts = describe_flags(store, ["order_breach:257feb05fa0248d8", ...], as_of=dates.today())
    text = texts["order_breach:257feb05fa0248d8"]      # a FlagText
    text.title        # "Order breach: contact with a child"
    text.summary      # a Line: one sentence; str(text.summary) is plain text
    text.evidence     # tuple of Lines, one fact each
    text.subject      # EntityRef of the person it is chiefly about (the child first), or None
    text.address      # EntityRef of the address it is chiefly about, or None
    text.concerned    # ((role, EntityRef), ...) for the people, addresses, vehicles, phones

A Line is a tuple of parts, each a plain `str` or an `EntityRef` (`key` such as `person_id=P1`,
`kind` as in entity page URLs, `text` such as "Cara Child (13)"). Templates render parts with
the macro in `web/templates/_flag_text.html` (entities become links, the key is a tooltip);
`str(line)` gives the plain sentence for CSV and JSON. `describe_flag` does one flag;
`render_flag` is the pure part (a flag dict and the records it names → FlagText).
"""

from graphsvc.flag_text.describe import (
    decode,
    describe_flag,
    describe_flags,
    flag_words,
    keys_named,
    read_records,
    render_flag,
)
from graphsvc.flag_text.wording import (
    ADDRESS_ROLES,
    ORDER_TYPES,
    PLACE_WORDS,
    RELATIONS,
    SEVERITY_WORDS,
    SUBJECT_ROLES,
    EntityRef,
    FlagText,
    Line,
    age_on,
    incident_words,
    join,
    long_date,
    plural,
    words,
)

__all__ = ["ADDRESS_ROLES", "ORDER_TYPES", "PLACE_WORDS", "RELATIONS", "SEVERITY_WORDS",
           "SUBJECT_ROLES", "EntityRef", "FlagText", "Line", "age_on", "decode", "describe_flag",
           "describe_flags", "flag_words", "incident_words", "join", "keys_named", "long_date",
           "plural", "read_records", "render_flag", "words"]
