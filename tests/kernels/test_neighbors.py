"""The k-nearest kernel against the NumPy reference selection and scikit-learn's neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import neighbors

from scratchgrad import kernels
from scratchgrad.kernels.neighbors import k_smallest_update
from scratchgrad.ml import KNeighborsClassifier, KNeighborsRegressor
from scratchgrad.ml.neighbors import _k_smallest


def test_update_matches_reference_selection_with_ties() -> None:
    rng = np.random.default_rng(0)
    Q = rng.integers(0, 3, (40, 4)).astype(float)  # small integers: many equal distances
    F = rng.integers(0, 3, (300, 4)).astype(float)
    q_sq, f_sq = (Q * Q).sum(1), (F * F).sum(1)
    k = 7
    best, where = np.full((40, k), np.inf), np.zeros((40, k), dtype=np.intp)
    for start in range(0, 300, 64):  # tiles that do not divide 300
        D = Q @ F[start : start + 64].T
        k_smallest_update(D, q_sq, f_sq[start : start + 64], start, best, where)
    sq = np.maximum(q_sq[:, None] - 2.0 * (Q @ F.T) + f_sq[None, :], 0.0)
    d_ref, i_ref = _k_smallest(sq, k)
    np.testing.assert_array_equal(where, i_ref)
    np.testing.assert_allclose(best, d_ref)


@pytest.mark.parametrize("cls", [KNeighborsClassifier, KNeighborsRegressor])
def test_estimators_match_sklearn_in_both_modes(cls: type) -> None:
    rng = np.random.default_rng(1)
    X, Xq = rng.standard_normal((3000, 6)), rng.standard_normal((200, 6))
    y = (X[:, 0] > 0).astype(int)
    theirs = getattr(neighbors, cls.__name__)().fit(X, y)
    d_ref, i_ref = theirs.kneighbors(Xq)
    for mode in kernels.MODES:
        with kernels.use(mode):
            ours = cls().fit(X, y)
            d, i = ours.kneighbors(Xq)
            np.testing.assert_array_equal(i, i_ref)
            np.testing.assert_allclose(d, d_ref, atol=1e-10)
            np.testing.assert_array_equal(ours.predict(Xq), theirs.predict(Xq))
