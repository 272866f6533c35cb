"""Shared checks for classical estimators: scikit-learn's check_estimator and score parity."""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import check_estimator

DATASETS: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {}


def _register() -> None:
    from sklearn import datasets

    for name in ("iris", "wine", "breast_cancer", "digits", "diabetes"):
        loader = getattr(datasets, f"load_{name}")
        DATASETS[name] = lambda loader=loader: loader(return_X_y=True)


_register()


def split(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The issue's fixed split: test_size=0.25, random_state=0."""
    X, y = DATASETS[name]()
    return train_test_split(X, y, test_size=0.25, random_state=0)


def assert_score_close(ours: Any, theirs: Any, dataset: str, points: float = 0.01) -> None:
    """Our test score is within ``points`` of scikit-learn's, or better."""
    X_tr, X_te, y_tr, y_te = split(dataset)
    a = ours.fit(X_tr, y_tr).score(X_te, y_te)
    b = theirs.fit(X_tr, y_tr).score(X_te, y_te)
    assert a >= b - points, f"{type(ours).__name__} on {dataset}: {a:.4f} vs sklearn {b:.4f}"


def run_check_estimator(estimator: Any, expected_failed: dict[str, str] | None = None) -> None:
    """scikit-learn's check_estimator; checks we skip are listed with their reason."""
    check_estimator(estimator, expected_failed_checks=expected_failed or {})


# --------------------------------------------------------------------------- bad input
# Each check takes an unfitted estimator and a dataset name; it works on a clone, so the
# parametrized instances stay unfitted whatever order the tests run in.


def assert_not_fitted(est: Any, dataset: str) -> None:
    X, _, _, _ = split(dataset)
    with pytest.raises(NotFittedError):
        clone(est).predict(X)


def assert_nan_rejected(est: Any, dataset: str) -> None:
    X, _, y, _ = split(dataset)
    X = X.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clone(est).fit(X, y)


def assert_wrong_feature_count_rejected(est: Any, dataset: str) -> None:
    X, _, y, _ = split(dataset)
    est = clone(est).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :-1])


def assert_1d_x_rejected(est: Any, dataset: str) -> None:
    X, _, y, _ = split(dataset)
    with pytest.raises(ValueError, match="2D array"):
        clone(est).fit(X[:, 0], y)


BAD_INPUT_CHECKS = [
    assert_not_fitted,
    assert_nan_rejected,
    assert_wrong_feature_count_rejected,
    assert_1d_x_rejected,
]


def assert_rejects_continuous_and_single_class(est: Any) -> None:
    """A classifier refuses continuous labels and a single class."""
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="Unknown label type"):
        clone(est).fit(X, np.linspace(0, 1, 6))
    with pytest.raises(ValueError, match="one class"):
        clone(est).fit(X, np.zeros(6))
