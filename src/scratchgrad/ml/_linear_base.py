"""What the linear classifiers share: float64 alias, label encoding, base class, a solver.

The solver is LinearSVC's Newton method for the squared-hinge primal.

Used by `linear`, `logistic`, `perceptron` and `svm` (LinearSVC); shapes follow
scikit-learn: X is (n_samples, n_features).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchgrad.backend import Array

F64 = NDArray[np.floating[Any]]


def encode_labels(y: Array) -> tuple[Array, NDArray[np.intp]]:
    """Classes (n_classes,) and integer codes (n_samples,); rejects continuous or single class."""
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise ValueError("Unknown label type: continuous. Classification needs discrete labels.")
    classes, codes = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            "This solver needs samples of at least 2 classes in the data, but the data "
            f"contains only one class: {classes[0]!r}"
        )
    return classes, codes.astype(np.intp)


def ovr_targets(codes: NDArray[np.intp], n_classes: int) -> F64:
    """±1 targets, shape (n_samples, 1) for binary, (n_samples, n_classes) otherwise."""
    if n_classes == 2:
        return (2.0 * codes - 1.0)[:, None]
    return np.where(codes[:, None] == np.arange(n_classes)[None, :], 1.0, -1.0)


class _LinearClassifier(ClassifierMixin, BaseEstimator):
    """Shared predict/decision_function for classifiers holding coef_ and intercept_."""

    coef_: F64  # (1, n_features) binary, (n_classes, n_features) multiclass
    intercept_: F64  # (1,) or (n_classes,)
    classes_: Array  # (n_classes,)

    def decision_function(self, X: Array) -> F64:
        """Scores, shape (n_samples,) for binary, (n_samples, n_classes) otherwise."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores: F64 = X @ self.coef_.T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X: Array) -> Array:
        """Predicted class labels, shape (n_samples,)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            idx: NDArray[np.intp] = (scores > 0).astype(np.intp)
        else:
            idx = scores.argmax(axis=1)
        return self.classes_[idx]

    def _validate_fit(self, X: Array, y: Array) -> tuple[F64, NDArray[np.intp]]:
        """Validate X, y; set classes_; return X (n_samples, n_features) and codes (n_samples,)."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        self.classes_, codes = encode_labels(y)
        return X, codes


def _squared_hinge(w: F64, X: F64, t: F64, C: float) -> tuple[float, F64, Array]:
    """0.5 ||w||^2 + C sum max(0, 1 - t (X w))^2, its gradient, and the active rows' mask.

    Args:
        w: weights, shape (d,).
        X: rows with the bias column, shape (n, d).
        t: targets in {-1, +1}, shape (n,).
        C: inverse penalty strength.
    """
    slack = np.maximum(0.0, 1.0 - t * (X @ w))  # (n,)
    loss = 0.5 * float(w @ w) + C * float(slack @ slack)
    grad: F64 = w - 2.0 * C * (X.T @ (t * slack))
    return loss, grad, slack > 0


def newton_squared_hinge(X: F64, t: F64, C: float, tol: float, max_iter: int) -> tuple[F64, int]:
    """Minimise the squared-hinge primal by Newton steps with backtracking; (w (d,), steps).

    The objective is piecewise quadratic: on the rows with slack its Hessian is
    ``I + 2C X_a' X_a`` (a (d, d) solve), so a few steps reach max |gradient| <= tol, as
    liblinear's primal trust-region Newton (scikit-learn's choice when n > d) does.
    """
    w = np.zeros(X.shape[1])
    loss, grad, active = _squared_hinge(w, X, t, C)
    for it in range(1, max_iter + 1):
        Xa = X[active]
        H = 2.0 * C * (Xa.T @ Xa)
        H[np.diag_indices_from(H)] += 1.0
        p = -scipy.linalg.solve(H, grad, assume_a="pos", check_finite=False)
        step, slope = 1.0, float(grad @ p)
        while True:  # Armijo backtracking (the full step is taken near the optimum)
            new = _squared_hinge(w + step * p, X, t, C)
            if new[0] <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        w = w + step * p
        loss, grad, active = new
        if np.abs(grad).max() <= tol:
            return w, it
    return w, max_iter
