"""Perceptron: check_estimator, scores against scikit-learn, separable data, bad input."""

# scikit-learn names (X, X_tr) as in src/scratchgrad/ml, where pyproject ignores these rules.
# ruff: noqa: N803, N806

import numpy as np
import pytest
from sklearn import linear_model as sk_linear
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from scratchgrad.ml.perceptron import Perceptron
from tests.ml._common import (
    BAD_INPUT_CHECKS,
    assert_rejects_continuous_and_single_class,
    run_check_estimator,
    split,
)

CLASSIFICATION = ["iris", "wine", "breast_cancer"]


def _scaled(est):
    return make_pipeline(StandardScaler(), est)


def test_check_estimator():
    run_check_estimator(Perceptron())


@pytest.mark.parametrize("dataset", CLASSIFICATION)
def test_perceptron_score(dataset):
    # The perceptron is order-sensitive and our shuffles differ from scikit-learn's, so one
    # seed is a coin toss on non-separable data (iris: 0.55 to 0.97 across seeds for us,
    # 0.82 to 0.97 for sklearn). Compare means over 10 seeds, within 6 points.
    X_tr, X_te, y_tr, y_te = split(dataset)
    ours, theirs = [], []
    for seed in range(10):
        ours.append(_scaled(Perceptron(random_state=seed)).fit(X_tr, y_tr).score(X_te, y_te))
        theirs.append(
            _scaled(sk_linear.Perceptron(random_state=seed)).fit(X_tr, y_tr).score(X_te, y_te)
        )
    assert np.mean(ours) >= np.mean(theirs) - 0.06


def test_perceptron_separates_separable_data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 3))
    y = (X @ [1.0, -1.0, 0.5] + 0.2 > 0).astype(int)
    clf = Perceptron(random_state=0, tol=None, max_iter=200).fit(X, y)
    assert clf.score(X, y) == 1.0


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("check", BAD_INPUT_CHECKS, ids=lambda c: c.__name__)
def test_bad_input(check):
    check(Perceptron(), "iris")


def test_rejects_continuous_and_single_class():
    assert_rejects_continuous_and_single_class(Perceptron())
