"""KNeighborsClassifier / KNeighborsRegressor against scikit-learn's brute-force search."""

import numpy as np
import pytest
from sklearn import neighbors as sk
from sklearn.exceptions import NotFittedError

from scratchgrad.ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from tests.ml._common import assert_score_close, run_check_estimator, split

CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]
WEIGHTS = ["uniform", "distance"]


@pytest.mark.parametrize(
    "estimator",
    [
        KNeighborsClassifier(),
        KNeighborsClassifier(weights="distance", chunk_size=7),
        KNeighborsRegressor(),
        KNeighborsRegressor(weights="distance", chunk_size=7),
    ],
    ids=repr,
)
def test_check_estimator(estimator: object) -> None:
    run_check_estimator(estimator, expected_failed={})  # every check passes


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("dataset", CLASSIFICATION)
def test_classifier_score_close(dataset: str, weights: str) -> None:
    assert_score_close(
        KNeighborsClassifier(weights=weights), sk.KNeighborsClassifier(weights=weights), dataset
    )


@pytest.mark.parametrize("weights", WEIGHTS)
def test_regressor_score_close(weights: str) -> None:
    assert_score_close(
        KNeighborsRegressor(weights=weights), sk.KNeighborsRegressor(weights=weights), "diabetes"
    )


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("dataset", CLASSIFICATION)
def test_classifier_matches_sklearn(dataset: str, weights: str) -> None:
    X_tr, X_te, y_tr, _ = split(dataset)
    ours = KNeighborsClassifier(weights=weights).fit(X_tr, y_tr)
    theirs = sk.KNeighborsClassifier(weights=weights, algorithm="brute").fit(X_tr, y_tr)
    np.testing.assert_array_equal(ours.predict(X_te), theirs.predict(X_te))
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te), atol=1e-10)


@pytest.mark.parametrize("weights", WEIGHTS)
def test_regressor_matches_sklearn(weights: str) -> None:
    X_tr, X_te, y_tr, _ = split("diabetes")
    ours = KNeighborsRegressor(weights=weights).fit(X_tr, y_tr)
    theirs = sk.KNeighborsRegressor(weights=weights, algorithm="brute").fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.predict(X_te), theirs.predict(X_te), rtol=1e-12)


@pytest.mark.parametrize("query_train", [False, True])
def test_kneighbors_matches_sklearn(query_train: bool) -> None:
    X_tr, X_te, y_tr, _ = split("wine")
    ours = KNeighborsClassifier(n_neighbors=4).fit(X_tr, y_tr)
    theirs = sk.KNeighborsClassifier(n_neighbors=4, algorithm="brute").fit(X_tr, y_tr)
    X = None if query_train else X_te
    d, i = ours.kneighbors(X)
    d_sk, i_sk = theirs.kneighbors(X)
    assert d.shape == i.shape == (len(X_tr) if query_train else len(X_te), 4)
    np.testing.assert_array_equal(i, i_sk)
    np.testing.assert_allclose(d, d_sk, rtol=1e-7)
    np.testing.assert_array_equal(ours.kneighbors(X, 2, return_distance=False), i_sk[:, :2])


@pytest.mark.parametrize("cls", [KNeighborsClassifier, KNeighborsRegressor])
@pytest.mark.parametrize("chunk_size", [1, 3, 50, 10_000])
def test_chunking_matches_no_chunking(cls: type, chunk_size: int) -> None:
    X_tr, X_te, y_tr, _ = split("digits")
    for weights in WEIGHTS:
        whole = cls(weights=weights).fit(X_tr, y_tr)
        chunked = cls(weights=weights, chunk_size=chunk_size).fit(X_tr, y_tr)
        np.testing.assert_array_equal(chunked.predict(X_te), whole.predict(X_te))
        for a, b in zip(chunked.kneighbors(X_te), whole.kneighbors(X_te), strict=True):
            np.testing.assert_array_equal(a, b)


def test_ties_in_distance_take_smaller_index() -> None:
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    knn = KNeighborsClassifier(n_neighbors=2).fit(X, [0, 1, 2, 3])
    np.testing.assert_array_equal(np.sort(knn.kneighbors([[0.0]])[1]), [[0, 1]])


def test_vote_tie_goes_to_smallest_label() -> None:
    X = np.array([[0.0], [1.0], [-1.0], [2.0]])
    knn = KNeighborsClassifier(n_neighbors=2).fit(X, ["b", "a", "c", "c"])
    np.testing.assert_array_equal(knn.predict([[0.4]]), ["a"])
    np.testing.assert_allclose(knn.predict_proba([[0.4]]), [[0.5, 0.5, 0.0]])


def test_distance_weights_exact_match_counts_only_zero_distance() -> None:
    X = np.array([[0.0], [0.0], [0.1], [0.2], [0.3]])
    y = np.array([1, 1, 0, 0, 0])
    clf = KNeighborsClassifier(n_neighbors=5, weights="distance").fit(X, y)
    np.testing.assert_allclose(clf.predict_proba([[0.0]]), [[0.0, 1.0]])
    reg = KNeighborsRegressor(n_neighbors=5, weights="distance").fit(X, [5.0, 7.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(reg.predict([[0.0]]), [6.0])
    sk_reg = sk.KNeighborsRegressor(n_neighbors=5, weights="distance").fit(X, [5, 7, 0, 0, 0])
    np.testing.assert_allclose(sk_reg.predict([[0.0]]), [6.0])


@pytest.mark.parametrize("cls", [KNeighborsClassifier, KNeighborsRegressor])
def test_bad_inputs(cls: type) -> None:
    X_tr, X_te, y_tr, _ = split("iris")
    with pytest.raises(NotFittedError):
        cls().predict(X_te)
    with pytest.raises(NotFittedError):
        cls().kneighbors(X_te)
    est = cls().fit(X_tr, y_tr)
    with pytest.raises(ValueError, match="features"):
        est.predict(X_te[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        est.predict(np.where(X_te > 5, np.nan, X_te))
    with pytest.raises(ValueError, match="Expected 2D array"):
        est.predict(X_te[:, 0])
    with pytest.raises(ValueError, match="NaN"):
        cls().fit(np.where(X_tr > 5, np.nan, X_tr), y_tr)
    with pytest.raises(ValueError, match="Expected 2D array"):
        cls().fit(X_tr[:, 0], y_tr)
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        cls(n_neighbors=200).fit(X_tr, y_tr).predict(X_te)
    for bad in [{"n_neighbors": 0}, {"weights": "cubic"}, {"chunk_size": 0}]:
        with pytest.raises(ValueError):
            cls(**bad).fit(X_tr, y_tr)


def test_classifier_rejects_continuous_target() -> None:
    X_tr, _, _, _ = split("iris")
    with pytest.raises(ValueError, match="Unknown label type"):
        KNeighborsClassifier().fit(X_tr, np.linspace(0, 1, len(X_tr)))


def test_init_only_stores_params() -> None:
    knn = KNeighborsClassifier(n_neighbors=-3, weights="nope", chunk_size=0)  # type: ignore[arg-type]
    assert knn.get_params() == {"n_neighbors": -3, "weights": "nope", "chunk_size": 0}
