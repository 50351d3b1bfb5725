"""The linkage model: what Splink compares, how it blocks, and how it is trained.

Fellegi–Sunter: each comparison of two records has levels (exact, nickname, close, ...), and the
weight of each level (its m and u probabilities) is trained on the data, never set by hand: u by
random sampling of record pairs, m by expectation maximisation on blocked pairs.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

log = logging.getLogger(__name__)

# Columns whose exact agreement is weighed by how common the value is.
TF_COLUMNS = ("given_name", "family_name")
# Pairs are only ever proposed between records of different source systems.
_CROSS_SOURCE = "l.source <> r.source"


def _cross(rule: str) -> str:
    return f"({rule}) AND {_CROSS_SOURCE}"


# Blocking rules suited to these sources: a date of birth recorded alike (or with day and month
# transposed), a name recorded alike, a PNC id, a name and birth year, or a home and birth
# year. Each admits a pair only across sources; together they admit the variations the sources
# show.
PREDICTION_BLOCKS = [
    _cross("l.pnc_id = r.pnc_id"),
    _cross("l.dob = r.dob"),
    _cross("l.dob = r.dob_swapped"),
    _cross("l.given_canon = r.given_canon AND l.family_name = r.family_name"),
    _cross("l.given_canon = r.given_canon AND l.dob_year = r.dob_year"),
    _cross("l.family_name = r.family_name AND l.dob_year = r.dob_year"),
    _cross("l.given_canon = r.given_canon AND l.postcode1 = r.postcode1"),
    _cross("l.family_name = r.family_name AND l.postcode1 = r.postcode1"),
    # One home and one birth year, both names keyed wrong (Charlotet Watst / Charlotte Watts).
    _cross("l.postcode1 = r.postcode1 AND l.dob_year = r.dob_year"),
]
# Pairs EM trains on: each leaves out the fields it blocks on, so all are trained between them.
TRAINING_BLOCKS = [block_on("dob"), block_on("family_name", "given_canon")]
# Rules that admit almost no false match, for the prior (share of pairs that match).
DETERMINISTIC = ["l.pnc_id = r.pnc_id",
                 "l.given_name = r.given_name AND l.family_name = r.family_name "
                 "AND l.dob = r.dob"]


# The few conditions Splink's level library has no level for, in each engine's SQL (Splink
# renders its own levels for the engine it runs on; these are written once per engine).
_SQL = {
    "duckdb": {"shares_part": "len(list_intersect(family_parts_l, family_parts_r)) > 0",
               "no_postcodes": "len(postcodes_l) = 0 OR len(postcodes_r) = 0",
               "dob_keyed": "damerau_levenshtein(dob_l, dob_r) <= 1 AND abs(date_diff('day', "
                            "try_cast(dob_l AS DATE), try_cast(dob_r AS DATE))) <= 31"},
    "spark": {"shares_part": "size(array_intersect(family_parts_l, family_parts_r)) > 0",
              "no_postcodes": "size(postcodes_l) = 0 OR size(postcodes_r) = 0",
              "dob_keyed": "damerau_levenshtein(dob_l, dob_r) <= 1 AND "
                           "abs(datediff(to_date(dob_l), to_date(dob_r))) <= 31"},
}
DIALECTS = tuple(_SQL)


def _given_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given_name",
        comparison_description="given name",
        comparison_levels=[
            cll.NullLevel("given_name"),
            # Term frequency: agreeing on "Jessica" says less than agreeing on "Saoirse".
            cll.ExactMatchLevel("given_name", term_frequency_adjustments=True),
            cll.CustomLevel("given_canon_l = given_canon_r", "a short form of the same name"),
            cll.JaroWinklerLevel("given_name", 0.92),
            # A typo in one record and a short form in the other (Jsesica / Jess): the names'
            # formal forms are close though the names as written are not.
            cll.JaroWinklerLevel("given_canon", 0.92).configure(
                label_for_charts="formal forms of the names are close"),
            cll.JaroWinklerLevel("given_name", 0.8),
            cll.ElseLevel(),
        ])


def _family_name(sql: dict[str, str]) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="family_name",
        comparison_description="family name",
        comparison_levels=[
            cll.NullLevel("family_name"),
            cll.ExactMatchLevel("family_name", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("family_name", 0.92),
            cll.JaroWinklerLevel("family_name", 0.8),
            cll.CustomLevel(sql["shares_part"],
                            "shares a part of a double-barrelled or hyphenated name"),
            cll.CustomLevel("array_contains(other_families_l, family_name_r) "
                            "OR array_contains(other_families_r, family_name_l)",
                            "one's family name is among the other's aliases"),
            cll.ElseLevel(),
        ])


def _date_of_birth(sql: dict[str, str]) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel("dob_l = dob_swapped_r", "day and month transposed"),
            # A digit of the day keyed wrong: far rarer between strangers than any one-character
            # difference (which includes the year's digits), so it weighs on its own.
            cll.CustomLevel(sql["dob_keyed"], "one character out, within a month"),
            cll.DamerauLevenshteinLevel("dob", 1),
            cll.CustomLevel("abs(date_diff('day', try_cast(dob_l AS DATE), "
                            "try_cast(dob_r AS DATE))) <= 31", "within a month",
                            base_dialect_str="duckdb"),
            cll.CustomLevel("dob_year_l = dob_year_r", "same year of birth"),
            cll.ElseLevel(),
        ])


def _postcodes(sql: dict[str, str]) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="postcodes",
        comparison_description="postcodes of the addresses lived at",
        comparison_levels=[
            cll.CustomLevel(sql["no_postcodes"], "no address on one side").configure(
                is_null_level=True),
            cll.ArrayIntersectLevel("postcodes", 1),
            cll.ArrayIntersectLevel("districts", 1),
            cll.ElseLevel(),
        ])


def settings_creator(dialect: str = "duckdb") -> SettingsCreator:
    """The model's shape: its comparisons and blocking rules (the weights are trained), for
    Splink on DuckDB (in process) or on Spark (graphsvc.identities.spark)."""
    sql = _SQL[dialect]
    return SettingsCreator(
        # Records are linked across sources only (one system's duplicates are its own
        # business), so the prior is the chance that two records of different sources match.
        link_type="link_only",
        unique_id_column_name="person_id",
        comparisons=[
            _given_name(),
            _family_name(sql),
            _date_of_birth(sql),
            cl.ExactMatch("gender"),
            cl.ExactMatch("pnc_id"),
            _postcodes(sql),
        ],
        # Splink takes SQL strings here, though its type hints name only rule objects.
        blocking_rules_to_generate_predictions=cast("list[Any]", PREDICTION_BLOCKS),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source"],
        max_iterations=20,
    )


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """For each comparison of a saved model, its gamma values and their labels."""
    labels = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        named = {}
        value = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
        for level in levels:
            if level.get("is_null_level"):
                named[-1] = level.get("label_for_charts", "missing")
            else:
                named[value] = level.get("label_for_charts", level["sql_condition"])
                value -= 1
        labels[comparison["output_column_name"]] = named
    return labels


def model_in_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A trained model (Splink settings JSON) with its weights kept and its SQL written for
    another engine: a model trained on DuckDB scores the same pairs on Spark.

    The comparisons and their levels are those of settings_creator() whatever the engine, so
    the trained levels and the other engine's levels correspond one to one, in order.
    """
    shape = settings_creator(dialect).create_settings_dict(dialect)
    comparisons = []
    for trained, blank in zip(model["comparisons"], shape["comparisons"], strict=True):
        levels = [{**level, "sql_condition": other["sql_condition"]}
                  for level, other in zip(trained["comparison_levels"],
                                          blank["comparison_levels"], strict=True)]
        comparisons.append({**trained, "comparison_levels": levels})
    return {**model, "comparisons": comparisons, "sql_dialect": dialect,
            "blocking_rules_to_generate_predictions":
                shape["blocking_rules_to_generate_predictions"]}
