"""Self-check of an installed scratchgrad: ops, torch parity, estimators, training, weights.

``run_selfcheck(quick=False)`` runs every check and returns one :class:`CheckResult` per
row of the report; ``scratchgrad selfcheck`` prints them as a table. A check that cannot
run here (torch missing, the parity tables not shipped) is "skipped" with its reason.
"""

from scratchgrad.selfcheck.checks import CHECKS, run_selfcheck
from scratchgrad.selfcheck.report import CheckResult, all_passed, results_json

__all__ = ["CHECKS", "CheckResult", "all_passed", "results_json", "run_selfcheck"]
