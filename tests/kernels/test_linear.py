"""The compiled perceptron epoch against the NumPy reference and scikit-learn's Perceptron."""

from __future__ import annotations

import numpy as np
from sklearn import datasets, linear_model

from scratchgrad import kernels
from scratchgrad.kernels.linear import perceptron_epoch
from scratchgrad.ml import Perceptron
from scratchgrad.ml.perceptron import _perceptron_epoch


def test_epoch_matches_numpy_reference() -> None:
    X, y = datasets.make_classification(n_samples=500, n_features=6, random_state=0)
    t = np.where(y == 1, 1.0, -1.0)
    order = np.random.default_rng(0).permutation(500)
    w_ref, w = np.zeros(6), np.zeros(6)
    b_ref, b = 0.0, 0.0
    for _ in range(3):
        b_ref, loss_ref = _perceptron_epoch(X[order], t[order], w_ref, b_ref, 0.5, True)
        b, loss = perceptron_epoch(X, t, order, w, b, 0.5, True)
        np.testing.assert_allclose(w, w_ref, rtol=1e-12, atol=1e-12)
        assert abs(b - b_ref) < 1e-12 and abs(loss - loss_ref) < 1e-9


def test_perceptron_without_shuffle_matches_sklearn_in_both_modes() -> None:
    X, y = datasets.load_iris(return_X_y=True)
    theirs = linear_model.Perceptron(shuffle=False).fit(X, y)
    for mode in kernels.MODES:
        with kernels.use(mode):
            ours = Perceptron(shuffle=False).fit(X, y)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-9)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-9)
