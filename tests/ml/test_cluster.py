import numpy as np
import pytest
from sklearn import cluster as skc
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

from scratchgrad.ml.cluster import KMeans
from scratchgrad.selfcheck.estimators import EXPECTED_FAILED as EXPECTED_BY_CLASS
from tests.ml._common import DATASETS, run_check_estimator

EXPECTED_FAILED = EXPECTED_BY_CLASS["KMeans"]  # one list, shared with `scratchgrad selfcheck`


def _blobs():
    return make_blobs(n_samples=600, centers=5, cluster_std=0.5, random_state=0)


def test_check_estimator():
    run_check_estimator(KMeans(random_state=0), EXPECTED_FAILED)


def test_check_estimator_two_clusters():
    run_check_estimator(KMeans(n_clusters=2, random_state=0), EXPECTED_FAILED)


@pytest.mark.parametrize(("name", "k"), [("iris", 3), ("iris", 5), ("blobs", 5), ("wine", 3)])
def test_inertia_within_one_percent(name, k):
    X = _blobs()[0] if name == "blobs" else DATASETS[name]()[0]
    ours = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    theirs = skc.KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    assert ours.inertia_ <= theirs.inertia_ * 1.01
    assert ours.inertia_ >= theirs.inertia_ * 0.99  # not suspiciously better either
    np.testing.assert_allclose(ours.score(X), -ours.inertia_, rtol=1e-10)
    assert ours.n_iter_ <= 300


def test_blobs_labels_agree_up_to_permutation():
    X, y = _blobs()
    ours = KMeans(n_clusters=5, n_init=10, random_state=1).fit(X)
    theirs = skc.KMeans(n_clusters=5, n_init=10, random_state=1).fit(X)
    assert adjusted_rand_score(ours.labels_, theirs.labels_) == 1.0
    assert adjusted_rand_score(ours.labels_, y) == 1.0
    np.testing.assert_array_equal(ours.predict(X), ours.labels_)
    np.testing.assert_array_equal(ours.fit_predict(X), ours.labels_)


def test_transform_is_distance_to_centres():
    X, _ = _blobs()
    km = KMeans(n_clusters=5, random_state=0).fit(X)
    D = np.linalg.norm(X[:, None, :] - km.cluster_centers_[None], axis=2)
    np.testing.assert_allclose(km.transform(X), D, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(km.inertia_, (D.min(1) ** 2).sum(), rtol=1e-9)
    assert list(km.get_feature_names_out()) == [f"kmeans{i}" for i in range(5)]


def test_n_init_auto_random_init_and_array_init():
    X, _ = _blobs()
    ref = skc.KMeans(n_clusters=5, n_init=10, random_state=0).fit(X).inertia_
    assert KMeans(n_clusters=5, n_init="auto", random_state=0).fit(X).inertia_ <= ref * 1.01
    assert KMeans(n_clusters=5, init="random", random_state=0).fit(X).inertia_ <= ref * 1.01
    init = skc.KMeans(n_clusters=5, n_init=10, random_state=0).fit(X).cluster_centers_
    km = KMeans(n_clusters=5, init=init, n_init=1).fit(X)
    np.testing.assert_allclose(km.cluster_centers_, init, atol=1e-8)


def test_empty_cluster_is_relocated():
    X = np.array([[0.0], [0.1], [10.0], [10.1]])
    init = np.array([[0.05], [10.05], [100.0]])  # third centre attracts no point
    km = KMeans(n_clusters=3, init=init, n_init=1).fit(X)
    assert len(np.unique(km.labels_)) == 3
    assert np.isfinite(km.cluster_centers_).all()


def test_sample_weight_equals_repetition_with_fixed_init():
    X, _ = _blobs()
    w = np.random.default_rng(0).integers(1, 4, len(X))
    init = X[:5]
    a = KMeans(n_clusters=5, init=init, n_init=1).fit(X, sample_weight=w)
    b = KMeans(n_clusters=5, init=init, n_init=1).fit(np.repeat(X, w, axis=0))
    np.testing.assert_allclose(a.cluster_centers_, b.cluster_centers_, rtol=1e-10)
    np.testing.assert_allclose(a.inertia_, b.inertia_, rtol=1e-10)


def test_bad_inputs():
    X, _ = _blobs()
    with pytest.raises(NotFittedError):
        KMeans().predict(X)
    with pytest.raises(NotFittedError):
        KMeans().transform(X)
    with pytest.raises(ValueError, match="NaN"):
        KMeans(n_clusters=2).fit(np.where(X > 5, np.nan, X))
    with pytest.raises(ValueError, match="2D array"):
        KMeans(n_clusters=2).fit(X[:, 0])
    with pytest.raises(ValueError, match="features"):
        KMeans(n_clusters=2).fit(X).predict(np.ones((3, 3)))
    with pytest.raises(ValueError, match="n_samples"):
        KMeans(n_clusters=8).fit(X[:5])
    with pytest.raises(ValueError, match="init"):
        KMeans(n_clusters=2, init="bogus").fit(X)
    with pytest.raises(ValueError, match="n_init"):
        KMeans(n_clusters=2, n_init=0).fit(X)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_silhouette_matches_sklearn(seed: int) -> None:
    from sklearn.metrics import silhouette_score as sk_silhouette

    from scratchgrad.ml import silhouette_score

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((60, 3)) + np.repeat(np.eye(3) * 4, 20, axis=0)
    labels = rng.integers(0, 4, 60)
    labels[0] = 9  # a lone sample counts 0
    assert silhouette_score(x, labels) == pytest.approx(sk_silhouette(x, labels), abs=1e-10)


def test_silhouette_errors() -> None:
    from scratchgrad.ml import silhouette_score

    with pytest.raises(ValueError, match="needs 2 to n_samples - 1 clusters, got 1"):
        silhouette_score(np.zeros((4, 2)), [0, 0, 0, 0])
    with pytest.raises(ValueError, match="don't match"):
        silhouette_score(np.zeros((4, 2)), [0, 1])
