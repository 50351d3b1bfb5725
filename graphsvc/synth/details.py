"""What officers must know that the county's other records do not decide: warning markers,
risk-management summaries, plans' lead professionals.

Drawn from a Random of their own, so adding them left the rest of the county (and the planted
scenarios' near misses) exactly as it was.
"""

from __future__ import annotations

import random

from graphsvc.synth.names import NameMaker

# Adults: about one in forty carries a marker; weights follow how often each is recorded.
_PERSON_MARKERS = {"drugs": 34, "mental_health": 24, "violence_to_officers": 16, "weapons": 12,
                   "self_harm": 9, "escape_risk": 3, "contagion": 2}
_CHILD_MARKERS = {"self_harm": 5, "mental_health": 4, "escape_risk": 2}
_ADDRESS_MARKERS = {"drugs": 40, "weapons": 20, "violence_to_officers": 25, "contagion": 5,
                    "mental_health": 10}

_VISITS = {"low": "every 6 months", "medium": "every 3 months", "high": "every 6 weeks",
           "very_high": "every 2 weeks, some unannounced"}
_MEASURES = [
    "Internet use monitored; devices to be made available for inspection.",
    "Polygraph examinations as a licence condition.",
    "Not to reside in a household with children under 18.",
    "Exclusion zone around schools and play areas in the home town.",
    "Approved premises curfew 23:00 to 07:00 while on licence.",
    "Alcohol misuse raises the risk: check for intoxication on contact.",
    "Known to groom through social media; any child contact to be reported at once.",
    "Victim lives in the county: contact with the victim's family prohibited.",
]
_TRIGGERS = ["Risk rises with unemployment and loss of accommodation.",
             "Risk rises with relationship breakdown.",
             "Risk rises with alcohol use.",
             "Risk rises when contact is made with single mothers of young children."]


def _pick(rng: random.Random, weights: dict[str, int], most: int) -> list[str]:
    count = 1 if rng.random() < 0.8 else most
    chosen: list[str] = []
    while len(chosen) < count:
        marker = rng.choices(list(weights), weights=list(weights.values()))[0]
        if marker not in chosen:
            chosen.append(marker)
    return chosen


def person_markers(rng: random.Random, adult: bool) -> list[str]:
    """Warning markers of a person: most have none."""
    if adult:
        return _pick(rng, _PERSON_MARKERS, 2) if rng.random() < 0.025 else []
    return _pick(rng, _CHILD_MARKERS, 1) if rng.random() < 0.004 else []


def address_markers(rng: random.Random, kind: str) -> list[str]:
    """Warning markers of an address: a few private homes and hostels, hardly any else."""
    share = {"private": 0.006, "approved_premises": 0.3, "supported_accommodation": 0.05,
             "hotel": 0.02}.get(kind, 0.0)
    return _pick(rng, _ADDRESS_MARKERS, 2) if rng.random() < share else []


def risk_management_summary(rng: random.Random, rosh: str, mappa_level: str, manager: str
                            ) -> str | None:
    """What officers must know of an offender's risk management plan; one in eight is blank."""
    if rng.random() < 0.125:
        return None
    measures = rng.sample(_MEASURES, 2 if rosh in ("high", "very_high") else 1)
    return (f"MAPPA level {mappa_level}. Home visits {_VISITS[rosh]} by {manager}. "
            + " ".join(measures) + " " + rng.choice(_TRIGGERS))


def plan_lead(rng: random.Random, names: NameMaker, council: str) -> tuple[str | None, str | None]:
    """A child protection plan's lead social worker and how to reach them; a few are missing."""
    if rng.random() < 0.05:
        return None, None
    female = rng.random() < 0.8
    name = f"{names.given('female' if female else 'male')} {names.family()}"
    phone = f"01632 960{rng.randrange(1000):03d}"  # Ofcom's drama range: no real line
    return name, f"{council} children's services, {phone}"
