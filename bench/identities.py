"""Linkage benchmark: the three-source county linked with Splink, measured against its truth.

Generates the county (graphsvc.synth.linkage), holds back 1,000 records, imports the rest and
links the whole graph (training the model), then imports the 1,000 and links only them. Prints
precision and recall of the records linked as one person per pair of sources, the review
queue's size, and the times.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import bench_settings
from graphsvc.identities.evaluate import evaluate_links
from graphsvc.identities.links import read_links
from graphsvc.identities.resolve import resolve_identities
from graphsvc.importer import import_folder
from graphsvc.store import open_store
from graphsvc.synth.linkage import TRUTH_FILE, generate_linkage_county

HELD_BACK = 1_000


def _split(folder: Path, first: Path, second: Path, held: int) -> None:
    """Copy the county into two imports: all but the last `held` people, then those."""
    for target in (first, second):
        target.mkdir(parents=True)
    with open(folder / "people.csv", encoding="utf-8", newline="") as handle:
        people = list(csv.DictReader(handle))
    later = {row["person_id"] for row in people[-held:]}
    for name in ("people", "residences", "offenders"):
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = reader.fieldnames
        for target, keep in ((first, False), (second, True)):
            with open(target / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, columns)
                writer.writeheader()
                writer.writerows(r for r in rows if (r["person_id"] in later) == keep)
    shutil.copy(folder / "addresses.csv", first / "addresses.csv")


def run(args) -> dict:
    with bench_settings(args.data_dir, graph_name="bench_identities") as settings, \
            tempfile.TemporaryDirectory(prefix="graphsvc-linkage-") as tmp:
        folder, first, second = (Path(tmp) / n for n in ("county", "first", "second"))
        start = time.perf_counter()
        counts = generate_linkage_county(folder, scale=args.scale, seed=args.seed or 15,
                                         as_of=date.today())
        _split(folder, first, second, HELD_BACK)
        truth = json.loads((folder / TRUTH_FILE).read_text(encoding="utf-8"))["records"]
        generated_s = time.perf_counter() - start
        store = open_store(settings)
        try:
            store.clear()
            store.apply_schema()
            shutil.rmtree(settings.data_dir / "identities" / settings.graph_name,
                          ignore_errors=True)
            start = time.perf_counter()
            import_folder(store, first, settings=settings)
            imported_s = time.perf_counter() - start
            full = resolve_identities(store, settings, by="bench", role="bench", train=True)
            again = resolve_identities(store, settings, by="bench", role="bench")
            import_folder(store, second, settings=settings)
            incremental = resolve_identities(store, settings, by="bench", role="bench",
                                             incremental=True)
            links = [{"a": x.a, "b": x.b, "a_source": x.a_source, "b_source": x.b_source,
                      "status": x.status, "probability": x.probability}
                     for x in read_links(store)]
            sources = {r["person_id"]: r["source"] for r in store.read("identities/records")}
        finally:
            store.drop()
            store.close()
    figures = evaluate_links(links, truth, sources)
    records = len(sources)
    return {
        "scale": args.scale, "records": records, "true_people": counts["true_people"],
        "generate_s": round(generated_s, 1), "import_s": round(imported_s, 1),
        "full_link_with_training_s": full.seconds, "full_link_saved_model_s": again.seconds,
        "incremental": {"new_records": incremental.compared, "seconds": incremental.seconds,
                        "new_links": len(incremental.new_links)},
        "automatic_pairs": sum(1 for x in links if x["status"] == "automatic"),
        "review_queue": figures["review_queue"],
        "review_queue_share_of_records": round(figures["review_queue"] / records, 4),
        "precision": figures["precision"], "recall": figures["recall"],
        "per_source_pair": figures["per_source_pair"],
        "targets": {"precision": 0.995, "recall": 0.97, "review_queue_share": 0.01,
                    "full_link_s": 120, "incremental_1000_s": 10},
    }
