"""Logistic regression with the scikit-learn estimator API; the loss and its gradient are ours.

L2-penalised, binary or multinomial, solved by SciPy's L-BFGS-B. Everything runs in float64
NumPy; shapes follow scikit-learn: X is (n_samples, n_features).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from scratchgrad.backend import Array
from scratchgrad.ml._linear_base import F64, _LinearClassifier

__all__ = ["LogisticRegression"]


def _logistic_loss(w: F64, X: F64, Y: F64, alpha: float, fit_intercept: bool) -> tuple[float, F64]:
    """Mean cross-entropy + 0.5 * alpha * ||W||^2 and its gradient.

    Binary when Y is (n_samples, 1) of {0, 1}; multinomial softmax when Y is one-hot
    (n_samples, n_classes). w packs W (k, n_features) then, if fitted, the intercepts (k,).
    """
    n, d = X.shape
    k = Y.shape[1]
    W = w[: k * d].reshape(k, d)
    b = w[k * d :] if fit_intercept else np.zeros(k)
    Z = X @ W.T + b  # (n, k)
    if k == 1:
        z = Z[:, 0]
        loss = float(np.sum(np.logaddexp(0.0, z) - Y[:, 0] * z))
        R = (1.0 / (1.0 + np.exp(-z)) - Y[:, 0])[:, None]  # (n, 1)
    else:
        Z = Z - Z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(Z).sum(axis=1))  # (n,)
        loss = float(np.sum(lse - (Z * Y).sum(axis=1)))
        R = np.exp(Z - lse[:, None]) - Y  # (n, k)
    grad_W = R.T @ X / n + alpha * W
    loss = loss / n + 0.5 * alpha * float(np.sum(W * W))
    parts = [grad_W.ravel()] + ([R.mean(axis=0)] if fit_intercept else [])
    return loss, np.concatenate(parts)


class LogisticRegression(_LinearClassifier):
    """L2-penalised logistic regression (binary or multinomial), solved by L-BFGS-B.

    Minimises sum_i loss_i + 0.5 / C * ||W||^2 (the intercept is not penalised), the same
    objective as scikit-learn's default lbfgs solver; internally divided by n_samples, as
    scikit-learn does, so `tol` means the same thing.

    Args:
        C: inverse penalty strength (> 0).
        fit_intercept: learn intercepts.
        max_iter: L-BFGS-B iterations at most.
        tol: projected-gradient tolerance (L-BFGS-B `gtol`).

    Attributes:
        classes_: shape (n_classes,).
        coef_: shape (1, n_features) binary, (n_classes, n_features) multiclass.
        intercept_: shape (1,) or (n_classes,).
        n_iter_: shape (1,), iterations used.

    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> LogisticRegression().fit(X, [0, 0, 1, 1]).predict([[-3.0], [3.0]])
    array([0, 1])
    """

    def __init__(
        self, C: float = 1.0, *, fit_intercept: bool = True, max_iter: int = 100, tol: float = 1e-4
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Array, y: Array) -> LogisticRegression:
        """Fit on X (n_samples, n_features) and labels y (n_samples,); returns self."""
        if self.C <= 0:
            raise ValueError(f"C must be > 0, got {self.C}")
        X, codes = self._validate_fit(X, y)
        n, d = X.shape
        n_classes = self.classes_.shape[0]
        k = 1 if n_classes == 2 else n_classes
        Y = codes[:, None].astype(np.float64) if k == 1 else np.eye(k)[codes]
        w0 = np.zeros(k * d + (k if self.fit_intercept else 0))
        res = minimize(
            _logistic_loss,
            w0,
            args=(X, Y, 1.0 / (self.C * n), self.fit_intercept),
            method="L-BFGS-B",
            jac=True,
            options={
                "maxiter": self.max_iter,
                "maxls": 50,
                "gtol": self.tol,
                "ftol": 64 * np.finfo(float).eps,
            },
        )
        w: F64 = res.x
        self.coef_ = w[: k * d].reshape(k, d)
        self.intercept_ = w[k * d :] if self.fit_intercept else np.zeros(k)
        self.n_iter_ = np.array([res.nit])
        return self

    def predict_proba(self, X: Array) -> F64:
        """Class probabilities, shape (n_samples, n_classes); rows sum to 1."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p = 1.0 / (1.0 + np.exp(-scores))
            return np.column_stack([1.0 - p, p])
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs: F64 = e / e.sum(axis=1, keepdims=True)
        return probs

    def predict_log_proba(self, X: Array) -> F64:
        """Log of `predict_proba`, shape (n_samples, n_classes)."""
        out: F64 = np.log(self.predict_proba(X))
        return out
