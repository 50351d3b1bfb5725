"""Python's cyclic garbage collector told to leave alone what a process loaded at its start.

Why: a process that runs rules holds about 145,000 objects the collector tracks before it has
read a single row: the modules of Flask, NumPy, pandas and Splink (the linkage), the Cypher
files, the settings. A rule run makes hundreds of thousands of short-lived rows and maps, so
the collector runs a full collection every so often, and a full collection walks every one of
those start-up objects: 35-40 ms each, in two of every three reads of the proximity rule
(docs/benchmarks.md, "Session 20"). None of them will ever be garbage: modules stay loaded.

`settle` imports what the process will load anyway, collects once, and freezes what is left
(`gc.freeze`): the collector no longer looks at those objects, and everything made afterwards
is collected as before. Python's documentation suggests the same for a server's parent before
it forks. Each long-running front door settles once, when it has started (the scheduler, the
web server, `jobs run`, `import --run-rules`), and so do the benchmarks, which stand in for
those processes. The search indexes freeze themselves after each build (graphsvc/search/index.py).

`collect_seldom` is for the import's reader process, which makes rows and nothing else: it
collects after every 50,000 new containers instead of every 700.
"""

from __future__ import annotations

import gc
import importlib

# The import's reader process (graphsvc/importer/reader.py) turns a county's files into batches of
# rows: millions of dicts and tuples, of which none is part of a reference cycle (24 objects of
# cyclic garbage in all, over a county read with the collector off). At Python's default (a
# young collection every 700 new containers) the collector took about 2 of the reader's 23 s of
# CPU; collecting after every 50,000 saves most of that, and still collects.
SELDOM = (50_000, 20, 20)

# What a process that runs rules loads at its first run: record linkage (pandas and Splink),
# which graphsvc.rules.run imports only when a run starts, so that listing jobs stays quick.
RULE_RUNNER_MODULES = ("graphsvc.identities.resolve",)


def collect_seldom() -> None:
    """For a process that only turns a stream of rows into other rows: collect far less often
    (`SELDOM`)."""
    gc.set_threshold(*SELDOM)


def settle(*modules: str) -> int:
    """Import `modules`, collect once, and freeze every object alive now out of the cyclic
    collector's sight; return how many objects are frozen. Call once a process has started
    (calling it again freezes what has been loaded since)."""
    for name in modules:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
