"""The perceptron with the scikit-learn estimator API: the perceptron rule, one-vs-rest.

Everything runs in float64 NumPy (an epoch's loop compiled by
:func:`scratchgrad.kernels.linear.perceptron_epoch` when kernels are on); shapes follow
scikit-learn: X is (n_samples, n_features).
"""

from __future__ import annotations

import numpy as np

from scratchgrad import kernels
from scratchgrad.backend import Array
from scratchgrad.kernels import linear as linear_kernels
from scratchgrad.ml._linear_base import F64, _LinearClassifier, ovr_targets

__all__ = ["Perceptron"]


class Perceptron(_LinearClassifier):
    """The perceptron rule, one-vs-rest: on a mistake, w += eta0 * y_i * x_i, b += eta0 * y_i.

    Epochs run until the mean perceptron loss max(0, -y f(x)) fails to improve by `tol` for
    `n_iter_no_change` epochs in a row (scikit-learn's rule), or `max_iter` epochs.

    Args:
        eta0: step size.
        max_iter: epochs at most.
        tol: improvement needed to reset the patience counter; None runs all epochs.
        shuffle: shuffle samples every epoch.
        random_state: seed for shuffling.
        fit_intercept: learn intercepts.
        n_iter_no_change: patience in epochs.

    Attributes:
        classes_: shape (n_classes,).
        coef_: shape (1, n_features) binary, (n_classes, n_features) multiclass.
        intercept_: shape (1,) or (n_classes,).
        n_iter_: epochs used (largest over the one-vs-rest problems).

    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> Perceptron(random_state=0).fit(X, [0, 0, 1, 1]).predict([[-3.0], [3.0]])
    array([0, 1])
    """

    def __init__(
        self,
        *,
        eta0: float = 1.0,
        max_iter: int = 1000,
        tol: float | None = 1e-3,
        shuffle: bool = True,
        random_state: int | None = None,
        fit_intercept: bool = True,
        n_iter_no_change: int = 5,
    ) -> None:
        self.eta0 = eta0
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.random_state = random_state
        self.fit_intercept = fit_intercept
        self.n_iter_no_change = n_iter_no_change

    def fit(self, X: Array, y: Array) -> Perceptron:
        """Fit on X (n_samples, n_features) and labels y (n_samples,); returns self."""
        X, codes = self._validate_fit(X, y)
        T = ovr_targets(codes, self.classes_.shape[0])  # (n, k)
        rng = np.random.default_rng(self.random_state)
        fits = [self._fit_binary(X, T[:, j], rng) for j in range(T.shape[1])]
        self.coef_ = np.stack([w for w, _, _ in fits])
        self.intercept_ = np.array([b for _, b, _ in fits])
        self.n_iter_ = max(it for _, _, it in fits)
        return self

    def _fit_binary(self, X: F64, t: F64, rng: np.random.Generator) -> tuple[F64, float, int]:
        """One ±1 problem; returns w (n_features,), b, epochs."""
        n = X.shape[0]
        w, b = np.zeros(X.shape[1]), 0.0
        best, stall = np.inf, 0
        eta, with_b = float(self.eta0), bool(self.fit_intercept)
        for epoch in range(1, self.max_iter + 1):
            order = rng.permutation(n) if self.shuffle else np.arange(n)
            if kernels.enabled():  # kernel: the rule row by row, compiled
                b, total = linear_kernels.perceptron_epoch(X, t, order, w, b, eta, with_b)
            else:
                b, total = _perceptron_epoch(X[order], t[order], w, b, eta, with_b)
            loss = total / n
            if self.tol is not None:
                stall = stall + 1 if loss > best - self.tol else 0
                best = min(best, loss)
                if stall >= self.n_iter_no_change:
                    return w, b, epoch
        return w, b, self.max_iter


def _perceptron_epoch(
    X: F64, t: F64, w: F64, b: float, eta: float, with_b: bool, block: int = 64
) -> tuple[float, float]:
    """One pass of the perceptron rule over the rows of X in order; updates w in place.

    Exactly the sample-by-sample rule (on a mistake, t_i (x_i.w + b) <= 0: w += eta t_i x_i,
    b += eta t_i), but the margins of the next `block` rows are computed with one matrix-vector
    product; after a mistake the scan restarts at the following row with the updated w.

    Args:
        X: rows in visiting order, shape (n, d).
        t: ±1 targets, shape (n,).
        w: weights, shape (d,), updated in place.
        b: intercept.
        eta: step size.
        with_b: update the intercept.
        block: rows whose margins are computed at once.

    Returns:
        (new intercept, summed perceptron loss max(0, -margin) at the visits).
    """
    n, pos, total = t.shape[0], 0, 0.0
    while pos < n:
        end = min(pos + block, n)
        margins = t[pos:end] * (X[pos:end] @ w + b)
        bad = np.flatnonzero(margins <= 0)
        if bad.size == 0:
            pos = end
            continue
        i = pos + int(bad[0])
        total -= float(margins[bad[0]])
        step = eta * float(t[i])
        w += step * X[i]
        b += step if with_b else 0.0
        pos = i + 1
    return b, total
