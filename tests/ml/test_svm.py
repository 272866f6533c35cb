"""SVC and LinearSVC: scikit-learn API, parity with LIBSVM and liblinear, inputs rejected."""
# ruff: noqa: N803, N806

import numpy as np
import pytest
from sklearn import svm as sk_svm
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from scratchgrad.ml.svm import SVC, LinearSVC
from tests.ml._common import (
    BAD_INPUT_CHECKS,
    assert_rejects_continuous_and_single_class,
    assert_score_close,
    run_check_estimator,
    split,
)


def _scaled(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X_tr, X_te, y_tr, y_te = split(name)
    sc = StandardScaler().fit(X_tr)
    return sc.transform(X_tr), sc.transform(X_te), y_tr, y_te


def _primal(model, X: np.ndarray, y: np.ndarray) -> float:
    """0.5 ||w||^2 + C * sum hinge, for a fitted binary model (either library)."""
    coef = model.dual_coef_[0]
    sv = X[model.support_]
    K = np.exp(-model._gamma * ((sv[:, None, :] - sv[None, :, :]) ** 2).sum(-1))
    ypm = np.where(y == model.classes_[1], 1.0, -1.0)
    margins = ypm * model.decision_function(X)
    return 0.5 * coef @ K @ coef + model.C * np.maximum(0.0, 1.0 - margins).sum()


# --- estimator API -----------------------------------------------------------------------------


@pytest.mark.parametrize("est", [SVC(), SVC(probability=True, random_state=0)], ids=["svc", "prob"])
def test_check_estimator(est: SVC) -> None:
    run_check_estimator(est, expected_failed={})  # every check passes


def test_init_stores_params_and_fit_returns_self() -> None:
    est = SVC(C=2.0, kernel="poly", gamma=0.5)
    assert est.get_params()["C"] == 2.0 and est.get_params()["gamma"] == 0.5
    X, _, y, _ = _scaled("iris")
    assert est.fit(X, y) is est


# --- score parity ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
@pytest.mark.parametrize("kernel", ["rbf", "linear", "poly"])
def test_score_close_scaled(name: str, kernel: str) -> None:
    ours = make_pipeline(StandardScaler(), SVC(kernel=kernel))
    theirs = make_pipeline(StandardScaler(), sk_svm.SVC(kernel=kernel))
    assert_score_close(ours, theirs, name)


def test_score_close_digits_raw() -> None:
    assert_score_close(SVC(gamma="scale"), sk_svm.SVC(gamma="scale"), "digits")


# --- solution parity ---------------------------------------------------------------------------


def test_binary_support_vectors_and_decision_match_sklearn() -> None:
    X_tr, X_te, y_tr, _ = _scaled("breast_cancer")
    ours = SVC(tol=1e-3).fit(X_tr, y_tr)
    theirs = sk_svm.SVC(tol=1e-3).fit(X_tr, y_tr)
    assert set(ours.support_) == set(theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    np.testing.assert_allclose(
        ours.decision_function(X_te), theirs.decision_function(X_te), atol=1e-3
    )
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=1e-2)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-3)


def test_linear_kernel_matches_sklearn() -> None:
    X_tr, X_te, y_tr, _ = _scaled("breast_cancer")
    ours = SVC(kernel="linear", C=0.1).fit(X_tr, y_tr)
    theirs = sk_svm.SVC(kernel="linear", C=0.1).fit(X_tr, y_tr)
    w = ours.dual_coef_ @ ours.support_vectors_  # (1, d)
    np.testing.assert_allclose(w, theirs.coef_, atol=5e-3)
    np.testing.assert_allclose(
        ours.decision_function(X_te), theirs.decision_function(X_te), atol=1e-2
    )
    np.testing.assert_array_equal(ours.predict(X_te), theirs.predict(X_te))


def test_hinge_objective_matches_sklearn() -> None:
    X_tr, _, y_tr, _ = _scaled("breast_cancer")
    ours = SVC().fit(X_tr, y_tr)
    theirs = sk_svm.SVC().fit(X_tr, y_tr)
    ours._gamma = theirs._gamma = 1.0 / (X_tr.shape[1] * X_tr.var())
    a, b = _primal(ours, X_tr, y_tr), _primal(theirs, X_tr, y_tr)
    assert abs(a - b) <= 1e-3 * abs(b), (a, b)


def test_multiclass_ovo_values_match_sklearn() -> None:
    X_tr, X_te, y_tr, _ = _scaled("wine")
    ours = SVC(decision_function_shape="ovo").fit(X_tr, y_tr)
    theirs = sk_svm.SVC(decision_function_shape="ovo").fit(X_tr, y_tr)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    np.testing.assert_allclose(
        ours.decision_function(X_te), theirs.decision_function(X_te), atol=1e-3
    )
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-3)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=1e-2)


def test_multiclass_ovr_shape_matches_sklearn() -> None:
    X_tr, X_te, y_tr, _ = _scaled("iris")
    ours, theirs = SVC().fit(X_tr, y_tr), sk_svm.SVC().fit(X_tr, y_tr)
    d = ours.decision_function(X_te)
    assert d.shape == (X_te.shape[0], 3)
    np.testing.assert_allclose(d, theirs.decision_function(X_te), atol=1e-3)
    np.testing.assert_array_equal(d.argmax(1), np.searchsorted(ours.classes_, ours.predict(X_te)))


@pytest.mark.filterwarnings("ignore:The `probability` parameter:FutureWarning")
def test_predict_proba_platt() -> None:
    X_tr, X_te, y_tr, _ = _scaled("iris")
    ours = SVC(probability=True, random_state=0).fit(X_tr, y_tr)
    theirs = sk_svm.SVC(probability=True, random_state=0).fit(X_tr, y_tr)
    p = ours.predict_proba(X_te)
    assert p.shape == (X_te.shape[0], 3)
    np.testing.assert_allclose(p.sum(1), 1.0, atol=1e-6)
    assert np.abs(p - theirs.predict_proba(X_te)).mean() < 0.05
    assert np.mean(p.argmax(1) == theirs.predict_proba(X_te).argmax(1)) >= 0.95
    assert not hasattr(SVC(), "predict_proba")


def test_binary_predict_proba_orders_classes() -> None:
    X_tr, X_te, y_tr, _ = _scaled("breast_cancer")
    ours = SVC(probability=True, random_state=0).fit(X_tr, y_tr)
    p = ours.predict_proba(X_te)
    agree = (p[:, 1] > 0.5) == (ours.decision_function(X_te) > 0)
    assert agree.mean() >= 0.95


def test_gamma_auto_and_float_match_sklearn() -> None:
    X_tr, X_te, y_tr, _ = _scaled("breast_cancer")
    for gamma in ("auto", 0.05):
        ours = SVC(gamma=gamma).fit(X_tr, y_tr)
        theirs = sk_svm.SVC(gamma=gamma).fit(X_tr, y_tr)
        np.testing.assert_allclose(
            ours.decision_function(X_te), theirs.decision_function(X_te), atol=1e-3
        )


def test_max_iter_warns() -> None:
    X_tr, _, y_tr, _ = _scaled("breast_cancer")
    with pytest.warns(ConvergenceWarning):
        SVC(max_iter=3).fit(X_tr, y_tr)


# --- bad inputs --------------------------------------------------------------------------------


def test_rejects_nan() -> None:
    X = np.array([[0.0, 1.0], [np.nan, 2.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="NaN"):
        SVC().fit(X, [0, 1, 0])


def test_rejects_wrong_feature_count() -> None:
    X_tr, X_te, y_tr, _ = _scaled("iris")
    est = SVC().fit(X_tr, y_tr)
    with pytest.raises(ValueError, match="features"):
        est.predict(X_te[:, :2])


def test_rejects_1d_x() -> None:
    with pytest.raises(ValueError, match="2D"):
        SVC().fit(np.arange(4.0), [0, 1, 0, 1])


def test_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        SVC().predict(np.zeros((2, 2)))
    with pytest.raises(NotFittedError):
        SVC().decision_function(np.zeros((2, 2)))


@pytest.mark.parametrize(
    ("params", "match"),
    [({"kernel": "sigmoidal"}, "kernel"), ({"C": 0.0}, "C must"), ({"gamma": "x"}, "gamma")],
)
def test_rejects_bad_params(params: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        SVC(**params).fit(np.eye(3), [0, 1, 0])


def test_rejects_single_class() -> None:
    with pytest.raises(ValueError, match="class"):
        SVC().fit(np.eye(3), [1, 1, 1])


# --- LinearSVC ---------------------------------------------------------------------------------


def test_linear_svc_check_estimator():
    run_check_estimator(LinearSVC())


@pytest.mark.parametrize("dataset", ["iris", "wine", "breast_cancer"])
def test_linear_svc_score(dataset):
    ours = make_pipeline(StandardScaler(), LinearSVC())
    assert_score_close(ours, make_pipeline(StandardScaler(), sk_svm.LinearSVC()), dataset)


@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_linear_svc_coef_close_to_sklearn(dataset):
    # liblinear's dual coordinate descent stops at tol=1e-4; coefficients agree to ~2e-2.
    X_tr, _, y_tr, _ = split(dataset)
    X_tr = StandardScaler().fit_transform(X_tr)
    ours = LinearSVC().fit(X_tr, y_tr)
    theirs = sk_svm.LinearSVC().fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=2e-2)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=2e-2)


@pytest.mark.parametrize("check", BAD_INPUT_CHECKS, ids=lambda c: c.__name__)
def test_linear_svc_bad_input(check):
    check(LinearSVC(), "iris")


def test_linear_svc_rejects_continuous_and_single_class():
    assert_rejects_continuous_and_single_class(LinearSVC())


def test_linear_svc_bad_hyperparameters():
    X, _, y, _ = split("iris")
    with pytest.raises(ValueError, match="C must be"):
        LinearSVC(C=-1.0).fit(X, y)
