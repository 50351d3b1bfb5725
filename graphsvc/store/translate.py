"""The few spellings where FalkorDB's Cypher differs from Neo4j's, rewritten for FalkorDB, and
the query options a file asks of Neo4j alone.

The Cypher files are written in Neo4j's dialect (the linter checks them against it); each
rewrite here is small, textual and unit-tested.
"""

from __future__ import annotations

import re

# (pattern, replacement, why)
REWRITES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"\bpoint\.distance\s*\("), "distance(", "FalkorDB names the function distance()"),
    # Neo4j 5 deprecates importing variables into a subquery with a leading WITH; FalkorDB 4.16
    # knows only that form.
    (re.compile(r"\bCALL\s*\(\s*\)\s*\{"), "CALL {", "FalkorDB has no empty scope clause"),
    (re.compile(r"\bCALL\s*\(\s*(\w+(?:\s*,\s*\w+)*)\s*\)\s*\{"), r"CALL { WITH \1",
     "FalkorDB imports variables into a subquery with WITH"),
]

# Header lines `// neo4j replan: skip` ask Neo4j to keep a statement's cached plan however the
# graph's statistics move (docs/neo4j.md, "Plans kept"); FalkorDB has no such option, and reads
# `CYPHER name=value` in front of a statement as a parameter, so it is added for Neo4j only.
NEO4J_OPTIONS = {"replan": ("skip", "force", "default")}


def to_neo4j(text: str, options: tuple[str, ...] = ()) -> str:
    """The statement as Neo4j runs it: `CYPHER option=value` in front for each `// neo4j option:
    value` header line of its file (`options` holds their "option: value" texts); ValueError
    naming an option or value Neo4j does not take."""
    settings = []
    for line in options:
        option, _, value = (part.strip() for part in line.partition(":"))
        if value not in NEO4J_OPTIONS.get(option, ()):
            known = ", ".join(f"{k}: {'|'.join(v)}" for k, v in NEO4J_OPTIONS.items())
            raise ValueError(f"'// neo4j {line}' is not a Neo4j query option graphsvc knows "
                             f"({known})")
        settings.append(f"{option}={value}")
    return f"CYPHER {' '.join(settings)}\n{text}" if settings else text


def planned_only(text: str, fresh: str = "") -> str:
    """The Neo4j statement with `EXPLAIN` in front: the server plans it and runs nothing. With
    `fresh`, a comment holding it ends the text, which then misses the plan cache (keyed by the
    text) and is planned anew (bench/planning.py)."""
    return f"EXPLAIN {text}" + (f"\n// {fresh}" if fresh else "")


# Neo4j schema statements the FalkorDB schema file may use, turned into FalkorDB commands.
UNIQUE_CONSTRAINT = re.compile(
    r"CREATE\s+CONSTRAINT\s+\w+\s+IF\s+NOT\s+EXISTS\s+FOR\s+\(\s*\w+\s*:\s*(\w+)\s*\)\s+"
    r"REQUIRE\s+\w+\.(\w+)\s+IS\s+UNIQUE",
    re.IGNORECASE,
)


def to_falkordb(text: str) -> str:
    """Rewrite a Neo4j-dialect statement into the form FalkorDB accepts."""
    # Strings and comments are left alone: rewrite only code segments.
    parts = re.split(r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*)", text)
    for index in range(0, len(parts), 2):
        for pattern, replacement, _why in REWRITES:
            parts[index] = pattern.sub(replacement, parts[index])
    return "".join(parts)


def unique_constraint(statement: str) -> tuple[str, str] | None:
    """(label, property) when the statement is a Neo4j uniqueness constraint."""
    m = UNIQUE_CONSTRAINT.search(statement)
    return (m.group(1), m.group(2)) if m else None
