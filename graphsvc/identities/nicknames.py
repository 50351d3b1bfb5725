"""Given names and the short forms people use for them, as linkage compares them.

A record of `Jon Ward` and one of `Jonathan Ward` compare as the same given name at a level of
its own (weaker than an exact match), its weight trained like every other level.
"""

from __future__ import annotations

from graphsvc.importer.normalise import text_key

# Formal name: short forms and spellings seen for it (lower-case ASCII).
FORMS = {
    "jonathan": ("jon", "jonny", "johnny"), "john": ("jack", "johnny"),
    "thomas": ("tom", "tommy"), "james": ("jim", "jimmy", "jamie"),
    "william": ("will", "bill", "billy", "liam"), "robert": ("rob", "bob", "bobby"),
    "richard": ("rich", "rick", "dick"), "michael": ("mick", "mike", "mikey"),
    "christopher": ("chris",), "anthony": ("tony", "ant"), "daniel": ("dan", "danny"),
    "matthew": ("matt", "matty"), "joshua": ("josh",), "stephen": ("steve", "steven"),
    "jessica": ("jess", "jessie"), "rebecca": ("becky", "becca"),
    "margaret": ("maggie", "peggy", "meg"), "patricia": ("pat", "trish"),
    "charlotte": ("lottie", "charlie"), "elizabeth": ("liz", "beth", "lizzie"),
    "samantha": ("sam", "sammy"), "kayleigh": ("kayley", "kaylee", "kay"),
    "nicola": ("nikki", "nicky"), "christine": ("chris", "chrissy"), "jacob": ("jake",),
    "alfred": ("alfie", "alf"), "frederick": ("freddie", "fred"), "henry": ("harry",),
    "edward": ("ed", "eddie", "ted"), "alexander": ("alex", "sandy"),
    "benjamin": ("ben", "benny"), "samuel": ("sam", "sammy"), "nathan": ("nat", "nate"),
    "andrew": ("andy", "drew"), "david": ("dave", "davey"), "peter": ("pete",),
    "kieran": ("kieron",), "leanne": ("lee-anne", "leann"), "zoe": ("zoey",),
    "catherine": ("kate", "katie", "cathy", "kathryn"), "rachel": ("rach",),
    "jennifer": ("jen", "jenny"), "victoria": ("vicky", "tori"), "gemma": ("jemma",),
}
_CANONICAL: dict[str, str] = {}
for _formal, _forms in FORMS.items():
    _CANONICAL.setdefault(_formal, _formal)
    for _form in _forms:
        _CANONICAL.setdefault(text_key(_form), _formal)


def canonical_given(name: str | None) -> str | None:
    """The formal name a given name stands for (`Jon` → `jonathan`), else the name itself.

    >>> canonical_given("Kayley"), canonical_given("Zoë"), canonical_given(None)
    ('kayleigh', 'zoe', None)
    """
    key = text_key(name)
    if not key:
        return None
    return _CANONICAL.get(key, key)
