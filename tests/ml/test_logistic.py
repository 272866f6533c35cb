"""LogisticRegression: check_estimator, parity with scikit-learn's lbfgs, probabilities, errors."""

# scikit-learn names (X, X_tr, C) as in src/scratchgrad/ml, where pyproject ignores these rules.
# ruff: noqa: N803, N806

import numpy as np
import pytest
from sklearn import linear_model as sk_linear
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from scratchgrad.ml.logistic import LogisticRegression
from tests.ml._common import (
    BAD_INPUT_CHECKS,
    assert_rejects_continuous_and_single_class,
    assert_score_close,
    run_check_estimator,
    split,
)

CLASSIFICATION = ["iris", "wine", "breast_cancer"]


def _scaled(est):
    return make_pipeline(StandardScaler(), est)


def test_check_estimator():
    run_check_estimator(LogisticRegression())


@pytest.mark.parametrize("dataset", CLASSIFICATION)
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (LogisticRegression(), sk_linear.LogisticRegression()),
        (LogisticRegression(C=0.1), sk_linear.LogisticRegression(C=0.1)),
    ],
    ids=["logreg", "logreg-C0.1"],
)
def test_classifier_score(ours, theirs, dataset):
    assert_score_close(_scaled(ours), _scaled(theirs), dataset)


@pytest.mark.parametrize("dataset", CLASSIFICATION)
@pytest.mark.parametrize("C", [1.0, 0.1])
def test_logistic_coef_matches_sklearn_lbfgs(dataset, C):
    # Same objective and solver as sklearn's lbfgs default: coefficients agree to 1e-4.
    X_tr, _, y_tr, _ = split(dataset)
    X_tr = StandardScaler().fit_transform(X_tr)
    ours = LogisticRegression(C=C).fit(X_tr, y_tr)
    theirs = sk_linear.LogisticRegression(C=C).fit(X_tr, y_tr)
    assert ours.coef_.shape == theirs.coef_.shape
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    np.testing.assert_allclose(ours.predict_proba(X_tr), theirs.predict_proba(X_tr), atol=1e-5)


def test_logistic_without_intercept_matches_sklearn():
    X_tr, _, y_tr, _ = split("iris")
    X_tr = StandardScaler().fit_transform(X_tr)
    ours = LogisticRegression(fit_intercept=False).fit(X_tr, y_tr)
    theirs = sk_linear.LogisticRegression(fit_intercept=False).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_array_equal(ours.intercept_, 0.0)


def test_proba_and_string_labels():
    X_tr, X_te, y_tr, _ = split("iris")
    names = np.array(["setosa", "versicolor", "virginica"])[y_tr]
    clf = _scaled(LogisticRegression()).fit(X_tr, names)
    proba = clf.predict_proba(X_te)
    assert proba.shape == (X_te.shape[0], 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(clf[-1].classes_) == ["setosa", "versicolor", "virginica"]
    np.testing.assert_array_equal(clf.predict(X_te), clf[-1].classes_[proba.argmax(axis=1)])


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("check", BAD_INPUT_CHECKS, ids=lambda c: c.__name__)
def test_bad_input(check):
    check(LogisticRegression(), "iris")


def test_rejects_continuous_and_single_class():
    assert_rejects_continuous_and_single_class(LogisticRegression())


def test_bad_hyperparameters():
    X, _, y, _ = split("iris")
    with pytest.raises(ValueError, match="C must be"):
        LogisticRegression(C=0.0).fit(X, y)
