"""Score pairs of person records with Splink on DuckDB: prepare, train, predict, explain.

Linking never changes a record: the values compared are derived here, in memory, from a copy.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

import duckdb
import pandas as pd
from splink import Linker
from splink.backends.duckdb import DuckDBAPI

from graphsvc.errors import InputError
from graphsvc.identities.model import (
    DETERMINISTIC,
    TF_COLUMNS,
    TRAINING_BLOCKS,
    level_labels,
    settings_creator,
)
from graphsvc.identities.nicknames import canonical_given
from graphsvc.importer.normalise import text_key

log = logging.getLogger(__name__)

# Where a trained model keeps the term frequencies of its training data (beside Splink's own
# settings, which are passed to Splink without it).
TF_KEY = "graphsvc_term_frequencies"
# Pairs sharing a PNC id needed before m is estimated from them rather than by EM alone.
MIN_LABELS = 50
COLUMNS = ["person_id", "source", "given_name", "given_canon", "family_name", "family_parts",
           "other_families", "dob", "dob_swapped", "dob_year", "gender", "pnc_id", "postcodes",
           "postcode1", "districts", "bare"]


@dataclass(frozen=True)
class Backend:
    """Where Splink runs: DuckDB in this process (the default), or another engine such as Spark
    (graphsvc.identities.spark): its SQL dialect, a new Splink database API, and how a pandas
    table of prepared records becomes one of the engine's tables."""

    dialect: str = "duckdb"
    make_api: Callable[[], Any] = DuckDBAPI
    table: Callable[[pd.DataFrame], Any] = lambda frame: frame


DUCKDB = Backend()


@dataclass(frozen=True)
class ScoredPair:
    """Two records (a before b), the probability they are one person, and why."""

    a: str
    b: str
    probability: float
    match_weight: float
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _swapped(dob: str | None) -> str | None:
    """The date with day and month exchanged, when that is a date too (`2010-04-03` → `-03-04`)."""
    if not dob or len(dob) != 10:
        return None
    year, month, day = dob[:4], dob[5:7], dob[8:10]
    if month == day:
        return None
    try:
        return date(int(year), int(day), int(month)).isoformat()
    except ValueError:
        return None


def prepare_record(row: dict[str, Any]) -> dict[str, Any]:
    """One record as linkage compares it: lower-case ASCII names, name parts, date forms."""
    family = text_key(row.get("family_name")) or None
    given = text_key(row.get("given_name")) or None
    if given and " " in given:  # a middle name: compare the first
        given = given.split()[0]
    others = []
    for alias in row.get("aliases") or []:
        words = text_key(alias).split()
        if len(words) >= 2:
            others.append(" ".join(words[1:]))
    dob = row.get("date_of_birth") or None
    postcodes = sorted({p for p in row.get("postcodes") or [] if p})
    return {
        "person_id": row["person_id"],
        "source": row.get("source") or "unknown",
        "given_name": given,
        "given_canon": canonical_given(given),
        "family_name": family,
        "family_parts": sorted(set(family.split())) if family else [],
        "other_families": sorted(set(others)),
        "dob": dob,
        "dob_swapped": _swapped(dob),
        "dob_year": dob[:4] if dob else None,
        "gender": row.get("gender") or None,
        "pnc_id": (row.get("pnc_id") or "").strip().upper() or None,
        "postcodes": postcodes,
        "postcode1": postcodes[0] if postcodes else None,
        "districts": sorted({p.split()[0] for p in postcodes}),
        # Neither a name nor a date of birth: such a record is never linked automatically.
        "bare": not (given or family or dob),
    }


def prepare_records(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The records as one DataFrame in the columns the model names."""
    return pd.DataFrame([prepare_record(r) for r in rows], columns=COLUMNS)


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Save prepared records (Parquet, written by DuckDB) for the next incremental run."""
    connection = duckdb.connect()
    try:
        connection.from_df(frame).write_parquet(str(path))
    finally:
        connection.close()


def read_frame(path: Path) -> pd.DataFrame:
    """Prepared records saved by write_frame, lists as Python lists again."""
    connection = duckdb.connect()
    try:
        frame = connection.read_parquet(str(path)).df()
    finally:
        connection.close()
    for column in ("family_parts", "other_families", "postcodes", "districts"):
        frame[column] = frame[column].map(lambda v: list(v) if v is not None else [])
    return frame[COLUMNS]


def _alias(source: str) -> str:
    return "src_" + re.sub(r"\W", "_", source)


def _linker(frame: pd.DataFrame | list[pd.DataFrame], model: Any,
            aliases: list[str] | None = None, backend: Backend = DUCKDB) -> Linker:
    """A linker over the records (one input table per source system unless given tables), with
    the term frequencies saved with a trained model, so that a name's weight is the one the
    training data gave it however few records are scored now."""
    if isinstance(frame, pd.DataFrame):
        groups = [(_alias(name), group) for name, group in frame.groupby("source", sort=True)]
        frame, aliases = [g for _, g in groups], [a for a, _ in groups]
    settings = model
    frequencies: dict[str, dict[str, float]] = {}
    if isinstance(model, dict):
        settings = {k: v for k, v in model.items() if k != TF_KEY}
        frequencies = model.get(TF_KEY) or {}
    linker = Linker([backend.table(f) for f in frame], settings, db_api=backend.make_api(),
                    set_up_basic_logging=False, input_table_aliases=aliases)
    for column, table in frequencies.items():
        linker.table_management.register_term_frequency_lookup(
            pd.DataFrame({column: list(table), f"tf_{column}": [float(x) for x in table.values()]}),
            column)
    return linker


def train_model(frame: pd.DataFrame, *, seed: int = 42, max_pairs: float = 2e6,
                backend: Backend = DUCKDB) -> dict[str, Any]:
    """Train the model's weights on these records; return it as Splink's settings JSON."""
    if len(frame) < 200 or frame["source"].nunique() < 2:
        raise InputError(f"Linkage cannot be trained on {len(frame)} records from "
                         f"{frame['source'].nunique()} source(s): it needs at least 200 records "
                         "from two or more sources. Train on a full extract, or give a saved "
                         "model.")
    linker = _linker(frame, settings_creator(backend.dialect), backend=backend)
    linker.training.estimate_probability_two_random_records_match(
        cast("list[Any]", DETERMINISTIC), recall=0.7)  # SQL strings, as Splink takes them
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in TRAINING_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True)
    labels = pnc_labels(frame)
    if len(labels) >= MIN_LABELS:
        # Records of two systems that share a PNC id are one person: how their other fields
        # agree is the data's own measure of m, steadier than EM where look-alikes abound.
        table = linker.table_management.register_labels_table(labels)
        linker.training.estimate_m_from_pairwise_labels(table)
    model = linker.misc.save_model_to_json()
    model[TF_KEY] = {}
    for column in TF_COLUMNS:
        table = linker.table_management.compute_tf_table(column).as_pandas_dataframe()
        pairs = zip(table[column], table[f"tf_{column}"], strict=True)
        model[TF_KEY][column] = {str(k): float(v) for k, v in pairs if k is not None}
    return model


def pnc_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs of records from different sources that share a PNC id (a match, by the PNC)."""
    with_pnc = frame.loc[frame["pnc_id"].notna(), ["person_id", "source", "pnc_id"]]
    pairs = with_pnc.merge(with_pnc, on="pnc_id", suffixes=("_l", "_r"))
    pairs = pairs[(pairs["source_l"] != pairs["source_r"])
                  & (pairs["person_id_l"] < pairs["person_id_r"])]
    return pd.DataFrame({"source_dataset_l": pairs["source_l"].map(_alias),
                         "person_id_l": pairs["person_id_l"],
                         "source_dataset_r": pairs["source_r"].map(_alias),
                         "person_id_r": pairs["person_id_r"]}).reset_index(drop=True)


def score_pairs(frame: pd.DataFrame, model: dict[str, Any], *, threshold: float,
                backend: Backend = DUCKDB) -> list[ScoredPair]:
    """Pairs the blocking rules admit whose probability reaches the threshold, explained."""
    if len(frame) < 2:
        return []
    linker = _linker(frame, model, backend=backend)
    table = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return _explain(table, model)


def score_new_records(frame: pd.DataFrame, model: dict[str, Any], new_ids: set[str], *,
                      threshold: float) -> list[ScoredPair]:
    """As score_pairs, for pairs with at least one record in `new_ids` only (after an import)."""
    new = frame[frame["person_id"].isin(new_ids)]
    if new.empty or len(frame) < 2:
        return []
    linker = _linker([new, frame], model, ["new_records", "all_records"])
    table = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    pairs = {}
    for pair in _explain(table, model):
        pairs[(pair.a, pair.b)] = pair
    return list(pairs.values())


def _explain(table: pd.DataFrame, model: dict[str, Any]) -> list[ScoredPair]:
    labels = level_labels(model)
    pairs = []
    for row in table.to_dict("records"):
        a, b = sorted((row["person_id_l"], row["person_id_r"]))
        swap = a != row["person_id_l"]
        evidence = []
        for name, named in labels.items():
            gamma = int(row[f"gamma_{name}"])
            factor = float(row[f"bf_{name}"])
            left, right = row.get(f"{name}_l"), row.get(f"{name}_r")
            if swap:
                left, right = right, left
            evidence.append({"field": name, "level": named.get(gamma, str(gamma)),
                             "bayes_factor": round(factor, 4),
                             "weight": round(math.log2(factor), 2) if factor > 0 else None,
                             "a": _plain(left), "b": _plain(right)})
        pairs.append(ScoredPair(a, b, float(row["match_probability"]),
                                float(row["match_weight"]), evidence))
    return pairs


def _plain(value: Any) -> Any:
    """A cell as JSON can hold it (DuckDB lists arrive as numpy arrays)."""
    if value is None:
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
