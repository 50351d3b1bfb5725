"""The same linkage code on Splink's Spark backend (pyspark, local mode), on a third of the small
county: the model trained on DuckDB scores the same pairs with the same probabilities on Spark.

Training on Spark runs the same train_model (backend=spark_backend(...)); it takes minutes in
local mode (dozens of small Spark jobs), too long for the suite, so it is not run here.
"""

from __future__ import annotations

import pytest

from graphsvc.identities.evaluate import evaluate_links
from graphsvc.identities.linkage import prepare_records, score_pairs, train_model
from graphsvc.identities.model import model_in_dialect
from graphsvc.identities.spark import local_session, spark_backend

THRESHOLD = 0.5


def test_a_model_scores_the_same_pairs_on_spark_as_on_duckdb(linked_county):
    store, truth = linked_county["store"], linked_county["truth"]["records"]
    rows = store.read("identities/records")
    people = set(sorted(set(truth.values()))[::3])
    kept = {r for r, p in truth.items() if p in people}
    frame = prepare_records(r for r in rows if r["person_id"] in kept)
    sources = {r["person_id"]: r["source"] for r in rows if r["person_id"] in kept}
    assert len(frame) >= 600 and len(set(sources.values())) == 3
    model = train_model(frame, seed=15, max_pairs=2e5)
    on_duckdb = {(p.a, p.b): p for p in score_pairs(frame, model, threshold=THRESHOLD)}
    spark_model = model_in_dialect(model, "spark")
    assert spark_model["sql_dialect"] == "spark"
    assert "jaro_winkler(" in str(spark_model["comparisons"])
    session = local_session()
    try:
        on_spark = {(p.a, p.b): p for p in score_pairs(frame, spark_model, threshold=THRESHOLD,
                                                       backend=spark_backend(session))}
    finally:
        session.stop()
    assert on_spark.keys() == on_duckdb.keys() and len(on_spark) >= 50
    for pair, scored in on_spark.items():
        assert scored.probability == pytest.approx(on_duckdb[pair].probability, abs=1e-6), pair
        assert [e["level"] for e in scored.evidence] == [e["level"] for e in
                                                         on_duckdb[pair].evidence], pair
    links = [{"a": a, "b": b, "status": "automatic", "probability": p.probability}
             for (a, b), p in on_spark.items() if p.probability >= 0.95]
    figures = evaluate_links(links, {r: truth[r] for r in kept}, sources)
    assert figures["precision"] >= 0.98 and figures["recall"] >= 0.85, figures
