"""Estimator check of the self-check: scikit-learn's check_estimator on every estimator.

Each class of ``scratchgrad.ml`` that is a scikit-learn estimator runs with its default
settings; the checks listed in :data:`EXPECTED_FAILED` are the only ones allowed to fail,
each with its reason (the same lists the test suite uses).
"""

from __future__ import annotations

import warnings
from typing import Any

from scratchgrad.selfcheck.report import Status, summarize

EXPECTED_FAILED: dict[str, dict[str, str]] = {
    "KMeans": {
        "check_sample_weight_equivalence_on_dense_data": (
            "k-means++ draws differ when samples are repeated instead of weighted; "
            "scikit-learn's own KMeans lists the same expected failure"
        ),
    },
    "LinearRegression": {
        "check_non_transformer_estimators_n_iter": (
            "max_iter applies to solver='gd' only; the closed-form lstsq solver does not "
            "iterate, so it sets no n_iter_"
        ),
    },
}

_SLOW = ("RandomForestClassifier", "RandomForestRegressor")  # left out by --quick


def estimator_classes(quick: bool = False) -> list[type]:
    """Every estimator class exported by ``scratchgrad.ml`` (--quick: all but the slowest)."""
    from sklearn.base import BaseEstimator

    from scratchgrad import ml

    found = [getattr(ml, n) for n in ml.__all__]
    classes = [c for c in found if isinstance(c, type) and issubclass(c, BaseEstimator)]
    return [c for c in classes if not (quick and c.__name__ in _SLOW)]


def _failed_checks(cls: type) -> list[str]:
    from sklearn.utils.estimator_checks import check_estimator

    expected = EXPECTED_FAILED.get(cls.__name__, {})
    kwargs: dict[str, Any] = {"random_state": 0} if cls.__name__ == "KMeans" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = check_estimator(cls(**kwargs), expected_failed_checks=expected, on_fail=None)
    return [r["check_name"] for r in rows if r["status"] == "failed"]


def check_estimators(quick: bool) -> tuple[Status, str]:
    """check_estimator on every estimator; fails listing each failed check."""
    classes = estimator_classes(quick)
    failed = {cls.__name__: _failed_checks(cls) for cls in classes}
    failures = [f"{name} ({', '.join(checks)})" for name, checks in failed.items() if checks]
    status, detail = summarize(len(classes), failures, "estimators")
    left_out = f"; --quick leaves out {', '.join(_SLOW)}" if quick else ""
    return status, detail + left_out
