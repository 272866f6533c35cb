"""Linear regression with the scikit-learn estimator API; fitting and prediction are ours.

`LinearRegression` (least squares or gradient descent) and `Ridge` (closed form). The linear
classifiers live in `logistic`, `perceptron` and `svm`. Everything runs in float64 NumPy;
shapes follow scikit-learn: X is (n_samples, n_features).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchgrad.backend import Array
from scratchgrad.ml._linear_base import F64

__all__ = ["LinearRegression", "Ridge"]


def _centre(X: F64, y: F64, fit_intercept: bool) -> tuple[F64, F64, F64, F64]:
    """Centre X (n_samples, n_features) and y (n_samples,) or (n_samples, n_targets).

    Returns:
        Xc, yc, X_mean (n_features,) and y_mean (() or (n_targets,)); zero means without
        an intercept.
    """
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), np.zeros(y.shape[1:])
    X_mean: F64 = X.mean(axis=0)
    y_mean: F64 = y.mean(axis=0)
    return X - X_mean, y - y_mean, X_mean, y_mean


def _set_solution(est: LinearRegression | Ridge, coef: F64, X_mean: F64, y_mean: F64) -> None:
    """Store coef_ and intercept_ in scikit-learn's shapes.

    Args:
        est: the estimator being fitted.
        coef: (n_features,) for one target, (n_features, n_targets) for several.
        X_mean: (n_features,).
        y_mean: () or (n_targets,).

    One target gives coef_ (n_features,) and a float intercept_; several give coef_
    (n_targets, n_features) and intercept_ (n_targets,), as scikit-learn's.
    """
    intercept = y_mean - X_mean @ coef
    est.coef_ = coef.T if coef.ndim == 2 else coef
    est.intercept_ = intercept if coef.ndim == 2 else float(intercept)


def _predict(est: LinearRegression | Ridge, X: Array) -> F64:
    """X (n_samples, n_features) -> (n_samples,) or (n_samples, n_targets)."""
    check_is_fitted(est)
    X = validate_data(est, X, reset=False, dtype=np.float64)
    out: F64 = X @ est.coef_.T + est.intercept_
    return out


class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares, by `np.linalg.lstsq` on centred data or by gradient descent.

    Args:
        fit_intercept: learn an intercept (data are centred first).
        solver: "lstsq" (closed form, minimum-norm) or "gd" (full-batch gradient descent on
            the mean squared error).
        lr: gd step size; None uses 1/L with L the largest eigenvalue of Xc^T Xc / n.
        max_iter: gd iterations at most.
        tol: gd stops when the gradient's max-abs entry falls below tol.

    Attributes:
        coef_: shape (n_features,), or (n_targets, n_features) for a 2-d y.
        intercept_: float, or (n_targets,) for a 2-d y.
        n_iter_: gd's iterations; None for "lstsq", which does not iterate.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> LinearRegression().fit(X, 2 * X[:, 0] + 1).predict([[3.0]]).round(6)
    array([7.])
    """

    def __init__(
        self,
        fit_intercept: bool = True,
        *,
        solver: str = "lstsq",
        lr: float | None = None,
        max_iter: int = 10000,
        tol: float = 1e-10,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol

    def __sklearn_tags__(self) -> Tags:
        """Several targets at once: y may be (n_samples, n_targets)."""
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X: Array, y: Array) -> LinearRegression:
        """Fit on X (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        if self.solver not in ("lstsq", "gd"):
            raise ValueError(f"solver must be 'lstsq' or 'gd', got {self.solver!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        Xc, yc, X_mean, y_mean = _centre(X, y, self.fit_intercept)
        self.n_iter_: int | None = None
        if self.solver == "lstsq":
            coef: F64 = np.linalg.lstsq(Xc, yc, rcond=None)[0]
        else:
            coef, self.n_iter_ = self._gd(Xc, yc)
        _set_solution(self, coef, X_mean, y_mean)
        return self

    def _gd(self, Xc: F64, yc: F64) -> tuple[F64, int]:
        """Gradient descent on 0.5 * mean((Xc w - yc)^2); returns w and the iterations.

        w is (n_features,) for yc (n_samples,), (n_features, n_targets) for a 2-d yc.
        """
        n = Xc.shape[0]
        lr = self.lr
        if lr is None:
            L = float(np.linalg.eigvalsh(Xc.T @ Xc / n).max()) if Xc.size else 0.0
            lr = 1.0 / L if L > 0 else 1.0
        w = np.zeros((Xc.shape[1], *yc.shape[1:]))
        for it in range(1, self.max_iter + 1):
            grad = Xc.T @ (Xc @ w - yc) / n  # w's shape
            w -= lr * grad
            if np.max(np.abs(grad), initial=0.0) < self.tol:
                return w, it
        return w, self.max_iter

    def predict(self, X: Array) -> F64:
        """Predictions, shape (n_samples,) or (n_samples, n_targets)."""
        return _predict(self, X)


class Ridge(RegressorMixin, BaseEstimator):
    """L2-penalised least squares: minimise ||y - Xw - b||^2 + alpha ||w||^2 in closed form.

    Args:
        alpha: penalty strength (>= 0); the intercept is not penalised.
        fit_intercept: learn an intercept (data are centred first).

    Attributes:
        coef_: shape (n_features,), or (n_targets, n_features) for a 2-d y.
        intercept_: float, or (n_targets,) for a 2-d y.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> Ridge(alpha=0.0).fit(X, 2 * X[:, 0]).coef_.round(6)
    array([2.])
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def __sklearn_tags__(self) -> Tags:
        """Several targets at once: y may be (n_samples, n_targets)."""
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X: Array, y: Array) -> Ridge:
        """Fit on X (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        Xc, yc, X_mean, y_mean = _centre(X, y, self.fit_intercept)
        A = Xc.T @ Xc + self.alpha * np.eye(X.shape[1])  # (n_features, n_features)
        coef: F64 = np.linalg.lstsq(A, Xc.T @ yc, rcond=None)[0]
        _set_solution(self, coef, X_mean, y_mean)
        return self

    def predict(self, X: Array) -> F64:
        """Predictions, shape (n_samples,) or (n_samples, n_targets)."""
        return _predict(self, X)
