"""Linear regression: check_estimator, score parity with scikit-learn, coefficients, bad input."""

# scikit-learn names (X, X_tr, C) as in src/scratchgrad/ml, where pyproject ignores these rules.
# ruff: noqa: N803, N806

import numpy as np
import pytest
from sklearn import linear_model as sk_linear

from scratchgrad.ml.linear import LinearRegression, Ridge
from scratchgrad.selfcheck.estimators import EXPECTED_FAILED
from tests.ml._common import BAD_INPUT_CHECKS, assert_score_close, run_check_estimator, split

# --------------------------------------------------------------------------- check_estimator


@pytest.mark.parametrize(
    "est", [LinearRegression(solver="gd"), Ridge()], ids=lambda e: type(e).__name__
)
def test_check_estimator(est):
    run_check_estimator(est)


def test_check_estimator_linear_regression_lstsq():
    run_check_estimator(LinearRegression(), EXPECTED_FAILED["LinearRegression"])


# --------------------------------------------------------------------------- regressors


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (LinearRegression(), sk_linear.LinearRegression()),
        (LinearRegression(solver="gd"), sk_linear.LinearRegression()),
        (Ridge(), sk_linear.Ridge()),
        (Ridge(alpha=0.1, fit_intercept=False), sk_linear.Ridge(alpha=0.1, fit_intercept=False)),
    ],
    ids=["ols", "ols-gd", "ridge", "ridge-nointercept"],
)
def test_regressor_score_diabetes(ours, theirs):
    assert_score_close(ours, theirs, "diabetes")


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_regression_coef_matches_sklearn(fit_intercept):
    X, _, y, _ = split("diabetes")
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    theirs = sk_linear.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-6)
    assert abs(ours.intercept_ - theirs.intercept_) < 1e-6


@pytest.mark.parametrize("alpha", [0.01, 1.0, 10.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_coef_matches_sklearn(alpha, fit_intercept):
    X, _, y, _ = split("diabetes")
    ours = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    theirs = sk_linear.Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-6)
    assert abs(ours.intercept_ - theirs.intercept_) < 1e-6


def test_gd_agrees_with_lstsq():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5)) * [1.0, 2.0, 0.5, 3.0, 1.0] + 4.0
    y = X @ [1.0, -2.0, 0.5, 0.0, 3.0] + 7.0 + 0.1 * rng.normal(size=200)
    exact = LinearRegression().fit(X, y)
    gd = LinearRegression(solver="gd").fit(X, y)
    assert gd.n_iter_ < gd.max_iter  # converged, not cut off
    np.testing.assert_allclose(gd.coef_, exact.coef_, atol=1e-8)
    assert abs(gd.intercept_ - exact.intercept_) < 1e-7


def test_gd_with_fixed_lr_converges_on_diabetes():
    X, _, y, _ = split("diabetes")
    exact = LinearRegression().fit(X, y)
    gd = LinearRegression(solver="gd").fit(X, y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, atol=1e-4 * np.abs(exact.coef_).max())


def test_ridge_alpha_zero_is_ols():
    X, _, y, _ = split("diabetes")
    np.testing.assert_allclose(
        Ridge(alpha=0.0).fit(X, y).coef_, LinearRegression().fit(X, y).coef_, atol=1e-6
    )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("check", BAD_INPUT_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "est, dataset", [(LinearRegression(), "diabetes"), (Ridge(), "diabetes")], ids=str
)
def test_bad_input(check, est, dataset):
    check(est, dataset)


def test_bad_hyperparameters():
    X, _, y, _ = split("iris")
    with pytest.raises(ValueError, match="solver"):
        LinearRegression(solver="qr").fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=-1.0).fit(X, y)


# ------------------------------------------------------------------ several targets at once
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda: LinearRegression(), lambda: sk_linear.LinearRegression()),
        (
            lambda: LinearRegression(fit_intercept=False),
            lambda: sk_linear.LinearRegression(fit_intercept=False),
        ),
        (lambda: Ridge(alpha=0.5), lambda: sk_linear.Ridge(alpha=0.5)),
    ],
)
def test_two_dimensional_y_fits_every_target_like_scikit_learn(ours, theirs) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    Y = X @ rng.normal(size=(5, 3)) + rng.normal(size=3)
    a, b = ours().fit(X, Y), theirs().fit(X, Y)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-10)
    np.testing.assert_allclose(a.intercept_, b.intercept_, atol=1e-10)
    np.testing.assert_allclose(a.predict(X), b.predict(X), atol=1e-10)


def test_gradient_descent_fits_several_targets_and_counts_iterations() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 3))
    Y = X @ rng.normal(size=(3, 2)) + 1.0
    gd = LinearRegression(solver="gd").fit(X, Y)
    exact = sk_linear.LinearRegression().fit(X, Y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, atol=1e-6)
    assert 0 < gd.n_iter_ <= gd.max_iter
    assert LinearRegression().fit(X, Y).n_iter_ is None  # lstsq does not iterate
