"""Support vector classification: the C-SVC dual solved by SMO with LIBSVM's WSS-2 selection.

The binary solver follows Fan, Chen and Lin (2005), "Working set selection using second order
information for training support vector machines" (JMLR 6), as implemented in LIBSVM. The
NumPy reference (:mod:`scratchgrad.ml._smo`, no shrinking) computes the kernel matrix once and
solves all one-vs-one pairs at once on it; the compiled kernel
(:mod:`scratchgrad.kernels.svm`) is LIBSVM's solver with shrinking and a cache of kernel rows,
pair by pair, so it scales past the rows whose full matrix fits in memory.

`LinearSVC` is the linear SVM with the squared hinge (liblinear's default), solved in the
primal by Newton's method, one-vs-rest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from scratchgrad import kernels
from scratchgrad.backend import Array
from scratchgrad.ml._blas import one_blas_thread
from scratchgrad.ml._linear_base import _LinearClassifier, newton_squared_hinge, ovr_targets
from scratchgrad.ml._platt import pairwise_coupling, sigmoid_train
from scratchgrad.ml._smo import smo_batch, smo_compiled

__all__ = ["LinearSVC", "SVC"]


def _kernel_matrix(
    A: Array, B: Array, kernel: str, gamma: float, degree: int, coef0: float
) -> Array:
    """Kernel values between the rows of two matrices.

    Args:
        A: shape (n, d).
        B: shape (m, d).
        kernel: "linear", "poly" or "rbf".
        gamma: kernel coefficient (rbf, poly).
        degree: polynomial degree (poly).
        coef0: independent term (poly).

    Returns:
        K, shape (n, m).

    >>> _kernel_matrix(np.ones((1, 2)), np.ones((1, 2)), "linear", 1.0, 3, 0.0)
    array([[2.]])
    """
    dot: Array = A @ B.T  # (n, m)
    if kernel == "linear":
        return dot
    if kernel == "poly":
        return np.asarray((gamma * dot + coef0) ** degree)
    # -gamma ||a - b||^2 = 2 gamma a.b - gamma ||a||^2 - gamma ||b||^2, built in place in `dot`
    # (no (n, m) temporaries: at a few thousand rows the passes over memory dominate)
    dot *= 2.0 * gamma
    dot -= gamma * (A * A).sum(1)[:, None]
    dot -= gamma * (B * B).sum(1)[None, :]
    np.minimum(dot, 0.0, out=dot)  # rounding can make a squared distance negative
    return np.exp(dot, out=dot)


def _ovr_decision(dec: Array, n_classes: int) -> Array:
    """Votes plus bounded confidences from one-vs-one values, as scikit-learn's SVC.

    Args:
        dec: one-vs-one values, shape (n, k(k-1)/2); positive favours the lower class.
        n_classes: k.

    Returns:
        shape (n, k).
    """
    votes = np.zeros((dec.shape[0], n_classes))
    conf = np.zeros((dec.shape[0], n_classes))
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            conf[:, i] += dec[:, k]
            conf[:, j] -= dec[:, k]
            votes[:, i] += dec[:, k] >= 0  # scikit-learn's convention at exactly 0
            votes[:, j] += dec[:, k] < 0
            k += 1
    return votes + conf / (3.0 * (np.abs(conf) + 1.0))


def _pair_index(n_classes: int) -> list[tuple[int, int]]:
    """The one-vs-one pairs (i, j), i < j, in LIBSVM's order."""
    return [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]


class SVC(ClassifierMixin, BaseEstimator):
    """C-support vector classifier, one-vs-one for multiclass, as scikit-learn's SVC.

    Args:
        C: box bound on the dual variables (inverse regularisation), > 0.
        kernel: "rbf", "linear" or "poly".
        degree: degree of the polynomial kernel.
        gamma: "scale" (1 / (n_features * X.var())), "auto" (1 / n_features) or a float > 0.
        coef0: independent term of the polynomial kernel.
        tol: stopping tolerance on the maximal KKT violation.
        max_iter: SMO iteration cap per binary problem, -1 for none.
        probability: fit Platt sigmoids by internal 5-fold CV to enable `predict_proba`.
        decision_function_shape: "ovr" (votes plus confidences, scikit-learn's default) or "ovo".
        random_state: seed of the CV folds used when `probability=True`.
        shrinking: LIBSVM's shrinking heuristic (compiled solver only).
        cache_size: MB of kernel rows the compiled solver caches (the NumPy reference
            computes the whole kernel matrix).

    Attributes:
        classes_: shape (k,).
        support_: training indices of the support vectors, grouped by class, shape (n_SV,).
        support_vectors_: shape (n_SV, d).
        n_support_: support vectors per class, shape (k,).
        dual_coef_: alpha * y in LIBSVM's layout, shape (k - 1, n_SV).
        intercept_: shape (k(k-1)/2,).

    >>> X = np.array([[0.0], [1.0], [3.0], [4.0]]); y = np.array([0, 0, 1, 1])
    >>> SVC(kernel="linear").fit(X, y).predict(np.array([[0.5], [3.5]]))
    array([0, 1])
    """

    def __init__(
        self,
        C: float = 1.0,
        *,
        kernel: str = "rbf",
        degree: int = 3,
        gamma: str | float = "scale",
        coef0: float = 0.0,
        tol: float = 1e-3,
        max_iter: int = -1,
        probability: bool = False,
        decision_function_shape: str = "ovr",
        random_state: int | None = None,
        shrinking: bool = True,
        cache_size: float = 200.0,
    ) -> None:
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.max_iter = max_iter
        self.probability = probability
        self.decision_function_shape = decision_function_shape
        self.random_state = random_state
        self.shrinking = shrinking
        self.cache_size = cache_size

    def _check_params(self) -> None:
        if self.kernel not in ("rbf", "linear", "poly"):
            raise ValueError(f"SVC: kernel must be 'rbf', 'linear' or 'poly', got {self.kernel!r}")
        if not self.C > 0:
            raise ValueError(f"SVC: C must be > 0, got {self.C}")
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(f"SVC: bad decision_function_shape {self.decision_function_shape!r}")
        if not isinstance(self.gamma, str) and not self.gamma > 0:
            raise ValueError(f"SVC: gamma must be > 0, got {self.gamma}")
        if isinstance(self.gamma, str) and self.gamma not in ("scale", "auto"):
            raise ValueError(f"SVC: gamma must be 'scale', 'auto' or a float, got {self.gamma!r}")

    def _resolve_gamma(self, X: Array) -> float:
        if self.gamma == "scale":
            var = float(X.var())
            return 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        if self.gamma == "auto":
            return 1.0 / float(X.shape[1])
        return float(self.gamma)

    def _kernel(self, A: Array, B: Array) -> Array:
        return _kernel_matrix(A, B, self.kernel, self._gamma, self.degree, self.coef0)

    def fit(self, X: Any, y: Any) -> SVC:
        """Solve one dual per pair of classes.

        Args:
            X: shape (n, d).
            y: class labels, shape (n,).

        Returns:
            self.
        """
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError("SVC: the number of classes has to be greater than one; got 1 class")
        self._gamma = self._resolve_gamma(X)
        # Rows grouped by class (stable), as LIBSVM orders each pair's points: every pair's
        # points are then two contiguous blocks of the cached kernel matrix.
        order = np.argsort(y_enc, kind="stable")
        full = self.probability or not kernels.enabled()  # else rows are computed on demand
        K = self._kernel(X[order], X[order]) if full else None  # (n, n), shared by the pairs
        coefs, rhos = self._fit_pairs(X[order], K, y_enc[order])
        coefs[:, order] = coefs.copy()  # back to the caller's row order
        self._store_support(X, y_enc, coefs, rhos)
        if self.probability and K is not None:
            self._fit_platt(K, y_enc[order])
        return self

    def _fit_pairs(self, X: Array, K: Array | None, y_enc: Array) -> tuple[Array, Array]:
        """Dense alpha * y per pair over all training rows, shape (n_pairs, n), and rho.

        Reference: all pairs together by :func:`smo_batch` on the kernel matrix K (n, n).
        Kernel: :func:`smo_compiled`, LIBSVM's solver compiled, pair by pair on X (n, d).
        """
        pairs = _pair_index(self.classes_.size)
        idx = [np.flatnonzero((y_enc == ci) | (y_enc == cj)) for ci, cj in pairs]
        ys = [np.where(y_enc[ix] == ci, 1.0, -1.0) for ix, (ci, _) in zip(idx, pairs, strict=True)]
        args = (float(self.C), float(self.tol), int(self.max_iter))
        if K is None:
            spec = (self.kernel, self._gamma, float(self.coef0), int(self.degree))
            sols = smo_compiled(X, idx, ys, *args, spec, self.cache_size, self.shrinking)
        else:
            sols = smo_batch(K, idx, ys, *args)
        coefs, rhos = np.zeros((len(pairs), y_enc.size)), np.zeros(len(pairs))
        self.n_iter_ = np.zeros(len(pairs), dtype=np.int64)
        for k, (ix, (coef, rho, it)) in enumerate(zip(idx, sols, strict=True)):
            coefs[k, ix], rhos[k], self.n_iter_[k] = coef, rho, it
        return coefs, rhos

    def _store_support(self, X: Array, y_enc: Array, coefs: Array, rhos: Array) -> None:
        """Support vectors grouped by class and the dual coefficients in LIBSVM's layout."""
        is_sv = np.abs(coefs).max(0) > 0
        order = np.lexsort((np.arange(y_enc.size), y_enc))  # by class, then by index
        self.support_ = order[is_sv[order]].astype(np.int32)
        self.support_vectors_ = X[self.support_]
        k = self.classes_.size
        self.n_support_ = np.bincount(y_enc[self.support_], minlength=k).astype(np.int32)
        self._coefs = coefs[:, self.support_]  # (n_pairs, n_SV)
        self._rho = rhos
        dual = np.zeros((k - 1, self.support_.size))
        sv_class = y_enc[self.support_]
        for p, (ci, cj) in enumerate(_pair_index(k)):
            dual[cj - 1, sv_class == ci] = self._coefs[p, sv_class == ci]
            dual[ci, sv_class == cj] = self._coefs[p, sv_class == cj]
        sign = -1.0 if k == 2 else 1.0  # scikit-learn flips the binary sign
        self.dual_coef_ = sign * dual
        self.intercept_ = sign * -rhos

    def _ovo(self, X: Array) -> Array:
        """LIBSVM's pairwise decision values, positive for the lower class, (m, n_pairs)."""
        return np.asarray(self._kernel(X, self.support_vectors_) @ self._coefs.T - self._rho)

    def _validated(self, X: Any) -> Array:
        check_is_fitted(self)
        return np.asarray(validate_data(self, X, dtype=np.float64, reset=False))

    def decision_function(self, X: Any) -> Array:
        """Signed distances: shape (m,) for two classes (positive: classes_[1]), else (m, k).

        With decision_function_shape="ovo" a multiclass result has shape (m, k(k-1)/2).
        """
        dec = self._ovo(self._validated(X))
        if self.classes_.size == 2:
            return np.asarray(-dec[:, 0])
        if self.decision_function_shape == "ovo":
            return dec
        return _ovr_decision(dec, self.classes_.size)

    def predict(self, X: Any) -> Array:
        """One-vs-one voting; ties go to the lowest class, as LIBSVM. Shape (m,)."""
        dec = self._ovo(self._validated(X))
        k = self.classes_.size
        votes = np.zeros((dec.shape[0], k), dtype=np.int64)
        for p, (ci, cj) in enumerate(_pair_index(k)):
            votes[:, ci] += dec[:, p] > 0
            votes[:, cj] += dec[:, p] <= 0
        return np.asarray(self.classes_[votes.argmax(1)])

    def _cv_decisions(self, K: Array, yb: Array, rng: np.random.Generator) -> Array:
        """Held-out decision values of a binary problem by 5-fold CV, shape (n,).

        Args:
            K: the problem's kernel matrix, shape (n, n).
            yb: its labels in {-1, +1}, shape (n,).
            rng: generator of the fold permutation.
        """
        n = yb.size
        perm, dec = rng.permutation(n), np.zeros(n)
        folds, trains = [], []
        for fold in np.array_split(perm, min(5, n)):
            tr = np.setdiff1d(perm, fold)
            if np.all(yb[tr] > 0) or np.all(yb[tr] < 0):
                dec[fold] = 1.0 if yb[tr[0]] > 0 else -1.0
            else:
                folds.append(fold)
                trains.append(tr)
        sols = smo_batch(
            K, trains, [yb[tr] for tr in trains], float(self.C), float(self.tol), int(self.max_iter)
        )
        for fold, tr, (coef, rho, _) in zip(folds, trains, sols, strict=True):
            dec[fold] = K[np.ix_(fold, tr)] @ coef - rho
        return dec

    def _fit_platt(self, K: Array, y_enc: Array) -> None:
        """One Platt sigmoid per pair, fitted on 5-fold CV decision values."""
        rng = np.random.default_rng(self.random_state)
        pairs = _pair_index(self.classes_.size)
        self.probA_, self.probB_ = np.zeros(len(pairs)), np.zeros(len(pairs))
        for p, (ci, cj) in enumerate(pairs):
            idx = np.flatnonzero((y_enc == ci) | (y_enc == cj))
            yb = np.where(y_enc[idx] == ci, 1.0, -1.0)
            dec = self._cv_decisions(K[np.ix_(idx, idx)], yb, rng)
            self.probA_[p], self.probB_[p] = sigmoid_train(dec, yb > 0)

    def _has_proba(self) -> bool:
        return bool(self.probability)

    @available_if(_has_proba)  # type: ignore[untyped-decorator]
    def predict_proba(self, X: Any) -> Array:
        """Pairwise-coupled Platt probabilities, columns in classes_ order, shape (m, k)."""
        dec = self._ovo(self._validated(X))
        k = self.classes_.size
        if not hasattr(self, "probA_"):
            raise AttributeError("SVC: predict_proba needs probability=True at fit time")
        pr = 1.0 / (1.0 + np.exp(np.clip(dec * self.probA_ + self.probB_, -500, 500)))
        pr = np.clip(pr, 1e-7, 1 - 1e-7)  # (m, n_pairs)
        out = np.zeros((dec.shape[0], k))
        for m in range(dec.shape[0]):
            r = np.zeros((k, k))
            for p, (ci, cj) in enumerate(_pair_index(k)):
                r[ci, cj], r[cj, ci] = pr[m, p], 1.0 - pr[m, p]
            out[m] = pairwise_coupling(r)
        return out

    @available_if(_has_proba)  # type: ignore[untyped-decorator]
    def predict_log_proba(self, X: Any) -> Array:
        """Log of `predict_proba`, shape (m, k)."""
        return np.asarray(np.log(self.predict_proba(X)))


# --------------------------------------------------------------------------- linear


class LinearSVC(_LinearClassifier):
    """Linear SVM, L2 penalty and squared hinge (scikit-learn's default), one-vs-rest.

    Minimises 0.5 ||[w, b]||^2 + C sum_i max(0, 1 - y_i (w.x_i + b))^2 by Newton steps. As in
    liblinear, the intercept is a feature of value `intercept_scaling` and is penalised too.

    Args:
        C: inverse penalty strength (> 0).
        fit_intercept: learn intercepts.
        intercept_scaling: value of the synthetic bias feature.
        max_iter: Newton steps at most.
        tol: stop when the gradient's largest entry is below it.

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
        T = ovr_targets(codes, self.classes_.shape[0])  # (n, k)
        s = self.intercept_scaling if self.fit_intercept else 0.0
        Xb = np.column_stack([X, np.full(X.shape[0], s)])  # (n, d + 1)
        with one_blas_thread():  # matrix-vector work: threads only spin
            fits = [
                newton_squared_hinge(Xb, T[:, j], self.C, self.tol, self.max_iter)
                for j in range(T.shape[1])
            ]
        W = np.stack([w for w, _ in fits])  # (k, d + 1)
        self.n_iter_ = max(it for _, it in fits)
        self.coef_ = W[:, :-1]
        self.intercept_ = W[:, -1] * s
        return self
