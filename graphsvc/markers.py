"""Warning markers: the fixed list a person or an address may carry, defined once.

The import accepts only these (an unknown one rejects the row with its reason); the address
check shows them to officers in the plain words given here.
"""

from __future__ import annotations

WARNING_MARKERS: dict[str, str] = {
    "weapons": "weapons",
    "violence_to_officers": "violence to officers",
    "drugs": "drugs",
    "mental_health": "mental health",
    "self_harm": "self-harm",
    "escape_risk": "escape risk",
    "contagion": "contagion",
}


def parse_marker(value: str) -> str:
    """One marker of a `;`-separated cell, lower-cased; ValueError naming the list otherwise."""
    marker = value.strip().lower()
    if marker not in WARNING_MARKERS:
        raise ValueError(f"'{value.strip()}' is not a warning marker (one of "
                         f"{', '.join(WARNING_MARKERS)})")
    return marker


def describe(markers: list[str] | None) -> list[str]:
    """The plain words for stored markers, in the list's order."""
    held = set(markers or [])
    return [label for key, label in WARNING_MARKERS.items() if key in held]
