"""Session 12 A/B of shared_exploitation_link statement variants on one graph, alternately.

Not part of the service: the measurement behind docs/scale.md "Session 12". Each variant is a
.cypher file in VARIANTS_DIR (for example the rule file of main and of the branch); the
statement of each is run on the same parameters, alternately, `rounds` times, and the flags
they find (children and links ordered) compared. Without --full: after 1,000 changed rows
imported as bench/scale.py makes them, with the anchors the incremental runner would use
(without the record linkage run_rules does first); with --full: the full run.

  AB_DATA_DIR=D VARIANTS_DIR=V python docs/bench-s12-incr/ab_shared_link.py orig,merged 4 [--full]
"""

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import bench_settings
from bench.scale import AS_OF, _changed_rows
from graphsvc import flags
from graphsvc.changes import ANCHOR_PREFIX, ChangeSet
from graphsvc.flags.keys import ensure_keyed, flags_meeting
from graphsvc.identities.persons import with_linked_keys
from graphsvc.importer import import_folder
from graphsvc.rules import incremental as inc
from graphsvc.rules.catalogue import get_rule
from graphsvc.rules.runner import query_params
from graphsvc.store import open_store
from graphsvc.store.falkor import _translate
from graphsvc.synth import generate

variants = sys.argv[1].split(",")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
full = "--full" in sys.argv
folder_of_variants = Path(os.environ["VARIANTS_DIR"])
rule = get_rule("shared_exploitation_link")
with bench_settings(os.environ["AB_DATA_DIR"], graph_name="bench_rules_county") as s, \
        open_store(s) as store, tempfile.TemporaryDirectory() as tmp:
    params = query_params(rule.values(None), AS_OF)
    plain = store.statement
    store.statement = lambda name: (_translate((folder_of_variants / f"{name}.cypher").read_text())
                                    if name in variants else plain(name))
    keys: set[str] = set()
    if not full:
        folder = Path(tmp) / "county"
        generate(folder, scale="county", seed=7, as_of=AS_OF)
        changed = ChangeSet()
        _changed_rows(folder, Path(tmp) / "changes", random.Random())
        import_folder(store, Path(tmp) / "changes", settings=s, as_of=AS_OF, changed=changed)
        ensure_keyed(store)
        meeting = flags_meeting(store, rule.id, changed.entity_keys())
        keys = with_linked_keys(store, inc.affected_keys(store, rule, changed, params, meeting))
        roots = inc.entry_keys(store, rule, keys, params)
        params = {**params, "anchors": sorted(keys), **roots.params(ANCHOR_PREFIX)}
        print("changed", len(changed), "keys", len(keys), file=sys.stderr)  # noqa: T201
    times: dict[str, list[float]] = {v: [] for v in variants}
    results: dict[str, list[str]] = {}
    for _ in range(rounds):
        for v in variants:
            started = time.perf_counter()
            rows = store.read(v, **params)
            times[v].append(round(time.perf_counter() - started, 3))
            found = [f for f in flags.found_from_rows(rule.id, rows)
                     if full or keys.intersection(f.identity)]
            for f in found:
                f.evidence["children"] = sorted(({**c, "via": sorted(c["via"])}
                                                 for c in f.evidence["children"]),
                                                key=lambda c: c["child_id"])
            results[v] = sorted(json.dumps(f.__dict__, default=str, sort_keys=True)
                                for f in found)
    print(json.dumps({"full": full,  # noqa: T201 "load": open("/proc/loadavg").read().split()[:3],
                      **{v: {"flags": len(results[v]), "same": results[v] == results[variants[0]],
                             "seconds": times[v]} for v in variants}}))
