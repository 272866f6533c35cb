import numpy as np
import pytest
from sklearn import decomposition as skd
from sklearn.exceptions import NotFittedError

from scratchgrad.ml.decomposition import PCA
from tests.ml._common import DATASETS, run_check_estimator

CASES = [{}, {"n_components": 2}, {"n_components": 0.95}, {"n_components": 0.5}, {"whiten": True}]


def test_check_estimator():
    run_check_estimator(PCA())


@pytest.mark.parametrize("kw", CASES)
@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_matches_sklearn(kw, name):
    X, _ = DATASETS[name]()
    ours, theirs = PCA(**kw).fit(X), skd.PCA(**kw).fit(X)  # both "auto"
    assert ours.n_components_ == theirs.n_components_
    # same sign convention as sklearn 1.9 (v-based svd_flip); compare up to sign only where
    # a component's variance is degenerate enough for LAPACK to pick another basis
    k = ours.n_components_
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=1e-6, atol=1e-10
    )
    np.testing.assert_allclose(
        ours.explained_variance_, theirs.explained_variance_, rtol=1e-6, atol=1e-8
    )
    # singular values at the rounding floor (rank-deficient data) are noise of size
    # sqrt(eps) * S[0] in the covariance route both libraries take by default
    floor = np.sqrt(np.finfo(float).eps) * theirs.singular_values_[0]
    np.testing.assert_allclose(
        ours.singular_values_, theirs.singular_values_, rtol=1e-6, atol=floor
    )
    np.testing.assert_allclose(ours.mean_, theirs.mean_, rtol=1e-12)
    distinct = np.flatnonzero(
        np.diff(theirs.singular_values_, append=-1.0) < -1e-6 * theirs.singular_values_[0]
    )
    distinct = distinct[
        (distinct < k) & (theirs.singular_values_[distinct] > floor)
    ]  # null space: any basis
    np.testing.assert_allclose(ours.components_[distinct], theirs.components_[distinct], atol=1e-6)
    np.testing.assert_allclose(
        ours.transform(X)[:, distinct],
        theirs.transform(X)[:, distinct],
        atol=1e-6 * max(1.0, np.abs(theirs.transform(X)).max()),
    )
    np.testing.assert_allclose(
        ours.fit_transform(X)[:, distinct],
        theirs.transform(X)[:, distinct],
        atol=1e-6 * max(1.0, np.abs(theirs.transform(X)).max()),
    )
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-6, atol=1e-8)


def test_float_n_components_threshold():
    X, _ = DATASETS["wine"]()
    pca = PCA(n_components=0.99).fit(X)
    cum = np.cumsum(pca.explained_variance_ratio_)
    assert cum[-1] > 0.99 and (pca.n_components_ == 1 or cum[-2] <= 0.99)


@pytest.mark.parametrize("whiten", [False, True])
def test_inverse_transform_round_trip(whiten):
    X, _ = DATASETS["iris"]()
    pca = PCA(whiten=whiten).fit(X)
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(X)), X, atol=1e-10)
    if whiten:
        np.testing.assert_allclose(np.var(pca.transform(X), axis=0, ddof=1), 1.0, rtol=1e-10)


def test_feature_names_out():
    pca = PCA(n_components=2).fit(DATASETS["iris"]()[0])
    assert list(pca.get_feature_names_out()) == ["pca0", "pca1"]


def test_bad_inputs():
    X, _ = DATASETS["iris"]()
    with pytest.raises(NotFittedError):
        PCA().transform(X)
    with pytest.raises(ValueError, match="NaN"):
        PCA().fit(np.where(X > 7, np.nan, X))
    with pytest.raises(ValueError, match="2D array"):
        PCA().fit(X[:, 0])
    with pytest.raises(ValueError, match="features"):
        PCA().fit(X).transform(X[:, :3])
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=5).fit(X)
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=1.5).fit(X)
    with pytest.raises(ValueError, match="svd_solver"):
        PCA(svd_solver="arpack").fit(X)


@pytest.mark.parametrize("solver", ["covariance_eigh", "auto"])
@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_covariance_solver_matches_sklearn(solver, name):
    X, _ = DATASETS[name]()
    ours, theirs = PCA(svd_solver=solver).fit(X), skd.PCA(svd_solver=solver).fit(X)
    scale = theirs.explained_variance_[0]
    np.testing.assert_allclose(
        ours.explained_variance_, theirs.explained_variance_, atol=1e-9 * scale
    )
    top = min(10, ours.n_components_)  # well-separated leading components
    np.testing.assert_allclose(ours.components_[:top], theirs.components_[:top], atol=1e-6)
    full = PCA().fit(X)
    np.testing.assert_allclose(
        ours.explained_variance_, full.explained_variance_, atol=1e-9 * scale
    )
