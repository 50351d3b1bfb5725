"""Linkage on Spark: the same model and code as on DuckDB, through Splink's Spark backend.

A force links its county in process on DuckDB. A national deployment runs the same
`train_model` and `score_pairs` on a Spark cluster (docs/identities.md): only the backend
changes. pyspark is a dev and test dependency here, imported only when this module is.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import ArrayType, BooleanType, StringType, StructField, StructType
from splink.backends.spark import SparkAPI, similarity_jar_location

from graphsvc.identities.linkage import COLUMNS, Backend

_LISTS = {"family_parts", "other_families", "postcodes", "districts"}
# The prepared records' columns as Spark types (lists of strings are arrays; `bare` a flag).
SCHEMA = StructType([
    StructField(name, ArrayType(StringType()) if name in _LISTS
                else BooleanType() if name == "bare" else StringType())
    for name in COLUMNS])


def local_session(cores: int = 2, app_name: str = "graphsvc-linkage") -> SparkSession:
    """A Spark session in this process's JVM (local mode), sized for a small machine, with
    Splink's string-similarity functions (Jaro-Winkler, Damerau-Levenshtein) on its classpath."""
    return (SparkSession.builder.master(f"local[{cores}]").appName(app_name)
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.default.parallelism", str(cores))
            .config("spark.sql.warehouse.dir",
                    str(Path(tempfile.gettempdir()) / "graphsvc-spark-warehouse"))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "false")  # no pyarrow needed
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def _cell(name: str, value: Any) -> Any:
    if name in _LISTS:
        return [str(x) for x in value] if value is not None else []
    if name == "bare":
        return bool(value)
    return None if value is None or value != value else str(value)  # NaN is missing


def to_spark(session: SparkSession, frame: pd.DataFrame) -> DataFrame:
    """Prepared records (graphsvc.identities.linkage.prepare_records) as a Spark table."""
    rows = [tuple(_cell(name, row[name]) for name in COLUMNS)
            for row in frame[COLUMNS].to_dict("records")]
    return session.createDataFrame(rows, SCHEMA)


def _api(session: SparkSession) -> SparkAPI:
    """A Splink API on the session, whose temporary views from an earlier run are dropped
    first (Splink registers each input table under a fixed name)."""
    for table in session.catalog.listTables():
        if table.isTemporary:
            session.catalog.dropTempView(table.name)
    return SparkAPI(spark_session=session, break_lineage_method="persist",
                    num_partitions_on_repartition=2)


def spark_backend(session: SparkSession) -> Backend:
    """The Spark backend for train_model and score_pairs (tables kept in memory between steps:
    `persist`, which suits local mode; a cluster would checkpoint to shared storage). A model
    trained elsewhere scores here once its SQL is Spark's (model_in_dialect)."""
    return Backend(dialect="spark", make_api=lambda: _api(session),
                   table=lambda frame: to_spark(session, frame))
