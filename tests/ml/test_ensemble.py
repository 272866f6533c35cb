# ruff: noqa: N803, N806
from typing import Any

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn.exceptions import NotFittedError

from scratchgrad.ml.ensemble import RandomForestClassifier, RandomForestRegressor
from scratchgrad.ml.tree import DecisionTreeClassifier
from tests.ml._common import DATASETS, assert_score_close, run_check_estimator, split

CLASSIFICATION = ("iris", "wine", "breast_cancer", "digits")
N_TREES = 50  # 100 costs ~4 s per fit on digits/diabetes; 50 keeps the file well under 60 s


def _pair(dataset: str, **kw: Any) -> tuple[Any, Any]:
    if dataset == "diabetes":
        return RandomForestRegressor(**kw), sk_ensemble.RandomForestRegressor(**kw)
    return RandomForestClassifier(**kw), sk_ensemble.RandomForestClassifier(**kw)


@pytest.mark.parametrize(
    "est", [RandomForestClassifier(n_estimators=5), RandomForestRegressor(n_estimators=5)]
)
def test_check_estimator(est: Any) -> None:
    run_check_estimator(est, expected_failed={})


# Single-seed scores differ from scikit-learn's by more than 1 point through bootstrap noise
# (the RNG streams cannot match: wine, 45 test rows, seed 0: 0.956 vs 0.978, i.e. one sample).
# So parity within 1 point is asserted on the mean over 5 seeds (measured, 50 trees: iris
# 0.974/0.974, wine 0.978/0.973, breast_cancer 0.969/0.972, digits 0.972/0.971, diabetes R^2
# 0.229/0.230), and the single-seed assert_score_close allows one wine/iris test sample.
@pytest.mark.parametrize("dataset", [*CLASSIFICATION, "diabetes"])
def test_mean_score_matches_sklearn(dataset: str) -> None:
    X_tr, X_te, y_tr, y_te = split(dataset)
    ours, theirs = [], []
    for seed in range(5):
        a, b = _pair(dataset, n_estimators=N_TREES, random_state=seed)
        ours.append(a.fit(X_tr, y_tr).score(X_te, y_te))
        theirs.append(b.fit(X_tr, y_tr).score(X_te, y_te))
    assert np.mean(ours) >= np.mean(theirs) - 0.01, (np.mean(ours), np.mean(theirs))


@pytest.mark.parametrize("dataset", [*CLASSIFICATION, "diabetes"])
def test_score_close_to_sklearn(dataset: str) -> None:
    ours, theirs = _pair(dataset, n_estimators=N_TREES, random_state=0)
    assert_score_close(ours, theirs, dataset, points=0.025)


def test_forest_beats_single_tree_on_digits() -> None:
    X_tr, X_te, y_tr, y_te = split("digits")
    forest = RandomForestClassifier(n_estimators=N_TREES, random_state=0).fit(X_tr, y_tr)
    trees = [
        DecisionTreeClassifier(random_state=s).fit(X_tr, y_tr).score(X_te, y_te) for s in range(3)
    ]
    assert forest.score(X_te, y_te) > max(trees) + 0.05, (forest.score(X_te, y_te), trees)


@pytest.mark.parametrize("dataset", ["breast_cancer", "digits", "diabetes"])
def test_oob_score_close_to_test_score(dataset: str) -> None:
    X_tr, X_te, y_tr, y_te = split(dataset)
    est = _pair(dataset, n_estimators=N_TREES, oob_score=True, random_state=0)[0]
    est.fit(X_tr, y_tr)
    tol = 0.3 if dataset == "diabetes" else 0.03  # diabetes: R^2 on 111 test rows is noisy
    assert abs(est.oob_score_ - est.score(X_te, y_te)) < tol
    if dataset == "diabetes":
        assert est.oob_prediction_.shape == (len(y_tr),)
    else:
        dec = est.oob_decision_function_
        assert dec.shape == (len(y_tr), len(est.classes_))
        np.testing.assert_allclose(dec.sum(axis=1), 1.0)


def test_oob_matches_sklearn_on_iris() -> None:
    # Same bootstrap seeding as scikit-learn, so the same rows are out of bag; the trees'
    # random feature orders differ, so single scores may differ by a sample. Over eight
    # seeds the mean OOB scores agree within one percentage point.
    X_tr, _, y_tr, _ = split("iris")
    ours, theirs = [], []
    for seed in range(8):
        kw = {"n_estimators": N_TREES, "oob_score": True, "random_state": seed}
        ours.append(RandomForestClassifier(**kw).fit(X_tr, y_tr).oob_score_)
        theirs.append(sk_ensemble.RandomForestClassifier(**kw).fit(X_tr, y_tr).oob_score_)
    assert np.mean(ours) == pytest.approx(np.mean(theirs), abs=0.01)


def test_oob_requires_bootstrap() -> None:
    X, y = DATASETS["iris"]()
    with pytest.raises(ValueError, match="bootstrap"):
        RandomForestClassifier(n_estimators=3, bootstrap=False, oob_score=True).fit(X, y)


def test_oob_warns_when_rows_never_out_of_bag() -> None:
    X, y = DATASETS["iris"]()
    with pytest.warns(UserWarning, match="OOB"):
        est = RandomForestClassifier(n_estimators=2, oob_score=True, random_state=0).fit(X, y)
    assert np.isnan(est.oob_decision_function_).any()
    assert 0.0 <= est.oob_score_ <= 1.0


@pytest.mark.parametrize("dataset", ["wine", "diabetes"])
def test_deterministic_and_independent_of_n_jobs(dataset: str) -> None:
    X_tr, X_te, y_tr, _ = split(dataset)
    a = _pair(dataset, n_estimators=10, random_state=3)[0].fit(X_tr, y_tr)
    b = _pair(dataset, n_estimators=10, random_state=3, n_jobs=2)[0].fit(X_tr, y_tr)
    c = _pair(dataset, n_estimators=10, random_state=4)[0].fit(X_tr, y_tr)
    out = "predict" if dataset == "diabetes" else "predict_proba"
    np.testing.assert_array_equal(getattr(a, out)(X_te), getattr(b, out)(X_te))
    np.testing.assert_array_equal(a.feature_importances_, b.feature_importances_)
    assert not np.array_equal(getattr(a, out)(X_te), getattr(c, out)(X_te))


def test_predict_is_mean_of_trees() -> None:
    X_tr, X_te, y_tr, _ = split("wine")
    clf = RandomForestClassifier(n_estimators=7, random_state=0).fit(X_tr, y_tr)
    mean = np.mean([t.predict_proba(X_te) for t in clf.estimators_], axis=0)
    np.testing.assert_allclose(clf.predict_proba(X_te), mean)
    assert len(clf.estimators_) == 7 and clf.n_features_in_ == X_tr.shape[1]
    np.testing.assert_array_equal(clf.classes_, np.unique(y_tr))
    X_tr, X_te, y_tr, _ = split("diabetes")
    reg = RandomForestRegressor(n_estimators=7, random_state=0).fit(X_tr, y_tr)
    mean = np.mean([t.predict(X_te) for t in reg.estimators_], axis=0)
    np.testing.assert_allclose(reg.predict(X_te), mean)


def test_feature_importances_are_mean_of_trees() -> None:
    X, y = DATASETS["breast_cancer"]()
    est = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    mean = np.mean([t.feature_importances_ for t in est.estimators_], axis=0)
    np.testing.assert_allclose(est.feature_importances_, mean / mean.sum())
    assert est.feature_importances_.sum() == pytest.approx(1.0)
    theirs = sk_ensemble.RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    top_ours = set(np.argsort(est.feature_importances_)[-5:].tolist())
    top_theirs = set(np.argsort(theirs.feature_importances_)[-5:].tolist())
    assert len(top_ours & top_theirs) >= 3


def test_default_max_features() -> None:
    X, y = DATASETS["digits"]()
    clf = RandomForestClassifier(n_estimators=2, random_state=0).fit(X, y)
    assert {t.max_features_ for t in clf.estimators_} == {8}  # sqrt(64)
    reg = RandomForestRegressor(n_estimators=2, random_state=0).fit(X, y.astype(float))
    assert {t.max_features_ for t in reg.estimators_} == {64}  # 1.0


def test_bad_inputs() -> None:
    X, y = DATASETS["iris"]()
    with pytest.raises(NotFittedError):
        RandomForestClassifier().predict(X)
    with pytest.raises(NotFittedError):
        RandomForestRegressor().predict(X)
    est = RandomForestClassifier(n_estimators=3).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :3])
    with pytest.raises(ValueError, match="2D array"):
        RandomForestClassifier(n_estimators=3).fit(X[:, 0], y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        RandomForestClassifier(n_estimators=3).fit(X_nan, y)
    with pytest.raises(ValueError, match="NaN"):
        est.predict(X_nan)
    with pytest.raises(ValueError, match="Unknown label type"):
        RandomForestClassifier(n_estimators=3).fit(X, y + 0.5)


@pytest.mark.parametrize(
    "params",
    [{"n_estimators": 0}, {"criterion": "mse"}, {"max_depth": 0}, {"max_features": "all"}],
)
def test_bad_hyperparameters_raise_in_fit(params: dict[str, Any]) -> None:
    X, y = DATASETS["iris"]()
    est = RandomForestClassifier(**params)
    assert est.get_params()[next(iter(params))] == params[next(iter(params))]
    with pytest.raises(ValueError):
        est.fit(X, y)
