"""The rule pack: a catalogue read from `cypher/rules/`, configuration, locks and the runner.

Front doors run rules through `run_rules` (graphsvc.rules.run); `run_rule` runs one rule with no
lock, configuration or clusters (the building block, and for tests of a single rule).
"""

from graphsvc.rules.catalogue import Param, Rule, catalogue, get_rule
from graphsvc.rules.run import RunReport, run_rules
from graphsvc.rules.runner import (
    RuleRun,
    evaluate_rule,
    latest_runs,
    moment_of,
    run_rule,
    runs_of,
)

__all__ = ["Param", "Rule", "RuleRun", "RunReport", "catalogue", "evaluate_rule", "get_rule",
           "latest_runs", "moment_of", "run_rule", "run_rules", "runs_of"]
