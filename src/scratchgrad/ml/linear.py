"""Linear models with the scikit-learn estimator API; fitting and prediction are ours.

Regressors: `LinearRegression` (least squares or gradient descent) and `Ridge` (closed form).
Classifiers: `LogisticRegression` (L2, L-BFGS-B, binary or multinomial), `Perceptron`
(the perceptron rule, one-vs-rest) and `LinearSVC` (L2 squared hinge, one-vs-rest).
Everything runs in float64 NumPy; shapes follow scikit-learn: X is (n_samples, n_features).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
)
from sklearn.utils.validation import (
    check_is_fitted,
    validate_data,
)

from scratchgrad.backend import Array

F64 = NDArray[np.floating[Any]]

__all__ = ["LinearRegression", "LinearSVC", "LogisticRegression", "Perceptron", "Ridge"]


# --------------------------------------------------------------------------- shared helpers


def _centre(X: F64, y: F64, fit_intercept: bool) -> tuple[F64, F64, F64, float]:
    """Centre X (n_samples, n_features) and y (n_samples,) when fitting an intercept."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    X_mean: F64 = X.mean(axis=0)
    y_mean = float(y.mean())
    return X - X_mean, y - y_mean, X_mean, y_mean


def _encode_labels(y: Array) -> tuple[Array, NDArray[np.intp]]:
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


def _ovr_targets(codes: NDArray[np.intp], n_classes: int) -> F64:
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
        self.classes_, codes = _encode_labels(y)
        return X, codes


# --------------------------------------------------------------------------- regressors


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
        coef_: shape (n_features,).
        intercept_: float.

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

    def fit(self, X: Array, y: Array) -> LinearRegression:
        """Fit on X (n_samples, n_features) and y (n_samples,); returns self."""
        if self.solver not in ("lstsq", "gd"):
            raise ValueError(f"solver must be 'lstsq' or 'gd', got {self.solver!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        Xc, yc, X_mean, y_mean = _centre(X, y, self.fit_intercept)
        if self.solver == "lstsq":
            coef: F64 = np.linalg.lstsq(Xc, yc, rcond=None)[0]
        else:
            coef, self.n_iter_ = self._gd(Xc, yc)
        self.coef_ = coef
        self.intercept_ = float(y_mean - X_mean @ coef)
        return self

    def _gd(self, Xc: F64, yc: F64) -> tuple[F64, int]:
        """Gradient descent on 0.5 * mean((Xc w - yc)^2); returns w (n_features,), iterations."""
        n = Xc.shape[0]
        lr = self.lr
        if lr is None:
            L = float(np.linalg.eigvalsh(Xc.T @ Xc / n).max()) if Xc.size else 0.0
            lr = 1.0 / L if L > 0 else 1.0
        w = np.zeros(Xc.shape[1])
        for it in range(1, self.max_iter + 1):
            grad = Xc.T @ (Xc @ w - yc) / n  # (n_features,)
            w -= lr * grad
            if np.max(np.abs(grad), initial=0.0) < self.tol:
                return w, it
        return w, self.max_iter

    def predict(self, X: Array) -> F64:
        """Predictions, shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        out: F64 = X @ self.coef_ + self.intercept_
        return out


class Ridge(RegressorMixin, BaseEstimator):
    """L2-penalised least squares: minimise ||y - Xw - b||^2 + alpha ||w||^2 in closed form.

    Args:
        alpha: penalty strength (>= 0); the intercept is not penalised.
        fit_intercept: learn an intercept (data are centred first).

    Attributes:
        coef_: shape (n_features,).
        intercept_: float.

    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> Ridge(alpha=0.0).fit(X, 2 * X[:, 0]).coef_.round(6)
    array([2.])
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: Array, y: Array) -> Ridge:
        """Fit on X (n_samples, n_features) and y (n_samples,); returns self."""
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        Xc, yc, X_mean, y_mean = _centre(X, y, self.fit_intercept)
        A = Xc.T @ Xc + self.alpha * np.eye(X.shape[1])  # (n_features, n_features)
        coef: F64 = np.linalg.lstsq(A, Xc.T @ yc, rcond=None)[0]
        self.coef_ = coef
        self.intercept_ = float(y_mean - X_mean @ coef)
        return self

    def predict(self, X: Array) -> F64:
        """Predictions, shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        out: F64 = X @ self.coef_ + self.intercept_
        return out


# --------------------------------------------------------------------------- classifiers


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
        T = _ovr_targets(codes, self.classes_.shape[0])  # (n, k)
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


def _squared_hinge(w: F64, X: F64, t: F64, C: float) -> tuple[float, F64]:
    """0.5 ||w||^2 + C sum max(0, 1 - t (X w))^2 and its gradient; X carries a bias column."""
    slack = np.maximum(0.0, 1.0 - t * (X @ w))  # (n,)
    loss = 0.5 * float(w @ w) + C * float(slack @ slack)
    grad: F64 = w - 2.0 * C * (X.T @ (t * slack))
    return loss, grad


class LinearSVC(_LinearClassifier):
    """Linear SVM, L2 penalty and squared hinge (scikit-learn's default), one-vs-rest.

    Minimises 0.5 ||[w, b]||^2 + C sum_i max(0, 1 - y_i (w.x_i + b))^2 by L-BFGS-B. As in
    liblinear, the intercept is a feature of value `intercept_scaling` and is penalised too.

    Args:
        C: inverse penalty strength (> 0).
        fit_intercept: learn intercepts.
        intercept_scaling: value of the synthetic bias feature.
        max_iter: L-BFGS-B iterations at most.
        tol: projected-gradient tolerance.

    Attributes:
        classes_: shape (n_classes,).
        coef_: shape (1, n_features) binary, (n_classes, n_features) multiclass.
        intercept_: shape (1,) or (n_classes,).

    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> LinearSVC().fit(X, [0, 0, 1, 1]).predict([[-3.0], [3.0]])
    array([0, 1])
    """

    def __init__(
        self,
        C: float = 1.0,
        *,
        fit_intercept: bool = True,
        intercept_scaling: float = 1.0,
        max_iter: int = 1000,
        tol: float = 1e-5,
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Array, y: Array) -> LinearSVC:
        """Fit on X (n_samples, n_features) and labels y (n_samples,); returns self."""
        if self.C <= 0:
            raise ValueError(f"C must be > 0, got {self.C}")
        X, codes = self._validate_fit(X, y)
        T = _ovr_targets(codes, self.classes_.shape[0])  # (n, k)
        s = self.intercept_scaling if self.fit_intercept else 0.0
        Xb = np.column_stack([X, np.full(X.shape[0], s)])  # (n, d + 1)
        opts = {"maxiter": self.max_iter, "gtol": self.tol}
        results = [
            minimize(
                _squared_hinge,
                np.zeros(Xb.shape[1]),
                args=(Xb, T[:, j], self.C),
                method="L-BFGS-B",
                jac=True,
                options=opts,
            )
            for j in range(T.shape[1])
        ]
        W = np.stack([r.x for r in results])  # (k, d + 1)
        self.n_iter_ = max(int(r.nit) for r in results)
        self.coef_ = W[:, :-1]
        self.intercept_ = W[:, -1] * s
        return self
