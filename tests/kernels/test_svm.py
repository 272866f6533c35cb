"""The compiled SMO against the NumPy reference (smo_batch) and against scikit-learn's LIBSVM."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import datasets, svm

from scratchgrad import kernels
from scratchgrad.kernels import _svm_rows as rows
from scratchgrad.kernels import svm as ks
from scratchgrad.ml import SVC
from scratchgrad.ml._smo import smo_batch
from scratchgrad.ml.svm import _kernel_matrix


def _problem(n: int = 240) -> tuple[np.ndarray, np.ndarray]:
    X, y = datasets.make_classification(n_samples=n, n_features=8, flip_y=0.1, random_state=0)
    return X, np.where(y == 0, 1.0, -1.0)


SPECS = [("rbf", 0.1, 0.0, 3), ("linear", 1.0, 0.0, 1), ("poly", 0.1, 1.0, 3)]


@pytest.mark.parametrize("spec", SPECS)
def test_smo_matches_numpy_reference(spec: tuple[str, float, float, int]) -> None:
    X, y = _problem()
    K = _kernel_matrix(X, X, spec[0], spec[1], spec[3], spec[2])
    [(coef_ref, _, _)] = smo_batch(K, [np.arange(y.size)], [y], 1.0, 1e-3, -1)
    a, G, _ = ks.smo(X, y, 1.0, 1e-3, -1, spec)
    np.testing.assert_array_equal(a > 0, coef_ref != 0)  # same support vectors
    np.testing.assert_allclose(a * y, coef_ref, atol=5e-3)  # within the stopping tolerance
    np.testing.assert_allclose(G, K @ (a * y) * y - 1.0, atol=1e-4)  # gradient kept exact


@pytest.mark.parametrize("shrinking", [True, False])
def test_shrinking_and_a_tiny_cache_change_nothing(shrinking: bool) -> None:
    X, y = _problem(400)
    spec = ("rbf", 0.1, 0.0, 3)
    a_ref, _, it_ref = ks.smo(X, y, 1.0, 1e-3, -1, spec, cache_mb=100.0, shrinking=False)
    # 0.01 MB holds 6 rows of 400: rows are evicted and recomputed all along
    a, _, it = ks.smo(X, y, 1.0, 1e-3, -1, spec, cache_mb=0.01, shrinking=shrinking)
    np.testing.assert_allclose(a, a_ref, atol=1e-9)
    assert it == it_ref


def test_exp_matches_numpy() -> None:
    x = np.linspace(0.0, 100.0, 20_001)
    got = x.copy()
    rows.exp_neg(got, got.size)
    keep = x < 87.0
    np.testing.assert_allclose(got[keep], np.exp(-x[keep]), rtol=2e-8)
    assert np.all(got[~keep] < 1e-37)


@pytest.mark.parametrize("kernel", ["rbf", "linear", "poly"])
def test_svc_matches_sklearn_in_both_modes(kernel: str) -> None:
    X, y = datasets.load_iris(return_X_y=True)
    theirs = svm.SVC(kernel=kernel).fit(X, y)
    for mode in kernels.MODES:
        with kernels.use(mode):
            ours = SVC(kernel=kernel).fit(X, y)
        np.testing.assert_array_equal(ours.support_, theirs.support_)
        # the NumPy reference stops at another point within tol on iris/rbf (0.024 off);
        # the compiled solver, float32 rows like LIBSVM's, is within 0.004
        atol = 1e-2 if mode == "numba" else 3e-2
        np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=atol)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-2)
        np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_binary_svc_matches_sklearn() -> None:
    X, y = datasets.load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    theirs = svm.SVC().fit(X, y)
    ours = SVC().fit(X, y)
    assert abs(int(ours.n_support_.sum()) - int(theirs.n_support_.sum())) <= 2
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-2)
    assert np.mean(ours.predict(X) == theirs.predict(X)) > 0.99
