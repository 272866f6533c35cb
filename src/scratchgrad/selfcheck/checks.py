"""The self-check's list of checks, in report order, and the function that runs them."""

from __future__ import annotations

import functools
from collections.abc import Callable

from scratchgrad.selfcheck.estimators import check_estimators
from scratchgrad.selfcheck.ops import check_gradcheck, check_torch_parity
from scratchgrad.selfcheck.report import CheckResult, Status, timed
from scratchgrad.selfcheck.training import check_training, check_weights

Check = Callable[[bool], tuple[Status, str]]

CHECKS: dict[str, Check] = {
    "ops: gradcheck (float64)": check_gradcheck,
    "ops: parity with torch": check_torch_parity,
    "ml: check_estimator": check_estimators,
    "train: loss falls (a recipe per family)": check_training,
    "weights: safetensors round trip": check_weights,
}


def run_selfcheck(quick: bool = False, only: list[str] | None = None) -> list[CheckResult]:
    """Run the checks (all, or those whose names start with one of ``only``).

    Args:
        quick: fewer cases (one gradcheck case per op, contiguous inputs only, no
            random forests): under a minute.
        only: name prefixes, e.g. ["ops", "weights"].

    Returns:
        One result per check, in :data:`CHECKS` order.
    """
    chosen = [n for n in CHECKS if only is None or any(n.startswith(o) for o in only)]
    return [timed(name, functools.partial(CHECKS[name], quick)) for name in chosen]
