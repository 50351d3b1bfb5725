"""The rule pack: a catalogue read from `cypher/rules/`, configuration, locks and the runner."""

from graphsvc.rules.catalogue import Param, Rule, catalogue, get_rule
from graphsvc.rules.runner import (
    evaluate_rule,
    latest_runs,
    moment_of,
    run_rule,
    run_rules,
    runs_of,
)

__all__ = ["Param", "Rule", "catalogue", "evaluate_rule", "get_rule", "latest_runs", "moment_of",
           "run_rule", "run_rules", "runs_of"]
