"""k-nearest-neighbour classifier and regressor: vectorised brute force in NumPy.

Distances are squared Euclidean, ``||a||^2 - 2 a.b + ||b||^2``, computed for a chunk of
query rows at a time so memory stays ``O(chunk_size * n_samples_fit)``. The NumPy
reference selects the k nearest with :func:`_k_smallest`; the compiled kernel
(:mod:`scratchgrad.kernels.neighbors`) merges cache-sized tiles of training points. Among equally
distant training points the one with the smaller index is taken, as scikit-learn's brute
force search does.
"""

from contextlib import nullcontext
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.validation import (
    check_is_fitted,
    validate_data,
)

from scratchgrad import kernels
from scratchgrad.backend import Array
from scratchgrad.kernels import neighbors as knn_kernels
from scratchgrad.ml._blas import one_blas_thread

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]

Weights = Literal["uniform", "distance"]

_BLOCK = 1 << 21
"""Distances per block of the NumPy reference when ``chunk_size`` is None (16 MB)."""

_ROWS, _TILE = 128, 2048
"""The kernel's blocks: query rows (when ``chunk_size`` is None) and training points."""


def _check_label_type(y: Array) -> None:
    """Reject continuous targets for a classifier, in scikit-learn's wording."""
    if y.dtype.kind == "f" and not np.all(y == np.round(y)):
        raise ValueError(
            "Unknown label type: continuous. Maybe you are trying to fit a classifier, "
            "which expects discrete classes on a regression target with continuous values."
        )


def _k_smallest(sq: Array, k: int) -> tuple[Array, Array]:
    """The k smallest entries of each row, ties broken by the smaller column index.

    Args:
        sq: squared distances, shape (n_queries, n_fit).
        k: how many neighbours, 1 <= k <= n_fit.

    Returns:
        (squared distances, column indices), both shape (n_queries, k), sorted by distance.
    """
    part: NDArray[np.intp] = np.argpartition(sq, k - 1, axis=1)[:, k - 1 : k]
    kth = np.take_along_axis(sq, part, axis=1)  # (n_queries, 1): k-th smallest value
    below = sq < kth
    n_below = below.sum(axis=1, keepdims=True)
    at = sq == kth
    keep = below | (at & (np.cumsum(at, axis=1) <= k - n_below))  # exactly k per row
    ind = np.nonzero(keep)[1].reshape(sq.shape[0], k)  # ascending index in each row
    dist = np.take_along_axis(sq, ind, axis=1)
    order = np.argsort(dist, axis=1, kind="stable")
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(ind, order, axis=1)


def _k_nearest_tiled(q: Array, q_sq: Array, F: Array, f_sq: Array, k: int) -> tuple[Array, Array]:
    """What :func:`_k_smallest` gives, by :func:`~scratchgrad.kernels.neighbors.k_smallest_update`.

    The dot products come a tile of ``_TILE`` training points at a time, so each (c, tile)
    block is still in cache when the kernel reads it. The caller runs BLAS on one thread:
    its threads spin between such small products and, on a busy machine, slow them tenfold.

    Args:
        q: queries, shape (c, d).
        q_sq: their squared norms, shape (c,).
        F: training points, shape (n_fit, d).
        f_sq: their squared norms, shape (n_fit,).
        k: neighbours, 1 <= k <= n_fit.
    """
    best = np.full((q.shape[0], k), np.inf, dtype=np.result_type(q, F))
    where = np.zeros((q.shape[0], k), dtype=np.intp)
    for start in range(0, F.shape[0], _TILE):
        D = q @ F[start : start + _TILE].T  # (c, tile)
        knn_kernels.k_smallest_update(D, q_sq, f_sq[start : start + _TILE], start, best, where)
    return best, where


def _neighbour_weights(dist: Array, weights: str) -> Array:
    """Vote weights for neighbours at Euclidean distances ``dist``, shape (n_queries, k).

    ``"distance"`` uses 1/d; a query with any zero-distance neighbour counts only those
    (weight 1 each), exactly like scikit-learn.
    """
    if weights == "uniform":
        return np.ones_like(dist)
    with np.errstate(divide="ignore"):
        w = 1.0 / dist
    inf_mask = np.isinf(w)
    inf_row = inf_mask.any(axis=1)
    w[inf_row] = inf_mask[inf_row]
    return w


class _KNeighborsBase(BaseEstimator):
    """Shared fitting and neighbour search; abstract, see the two public subclasses."""

    n_neighbors: int
    weights: Weights
    chunk_size: int | None

    def _check_params(self) -> None:
        k = self.n_neighbors
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
            raise ValueError(f"n_neighbors must be an int >= 1, got {k!r}.")
        if self.weights not in ("uniform", "distance"):
            raise ValueError(f"weights must be 'uniform' or 'distance', got {self.weights!r}.")
        c = self.chunk_size
        if c is not None and (isinstance(c, bool) or not isinstance(c, int | np.integer) or c < 1):
            raise ValueError(f"chunk_size must be None or an int >= 1, got {c!r}.")

    def _store_fit(self, X: Any, y: Any, *, y_numeric: bool) -> tuple[Array, Array]:
        self._check_params()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], y_numeric=y_numeric)
        self.fit_X_: Array = X
        self.n_samples_fit_: int = X.shape[0]
        return X, y

    def kneighbors(
        self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any:
        """Find the k nearest training points of each query row.

        Args:
            X: queries, shape (n_queries, n_features). ``None`` queries the training
                points themselves, each excluded from its own neighbours.
            n_neighbors: k; defaults to the constructor's ``n_neighbors``.
            return_distance: also return the Euclidean distances.

        Returns:
            ``(distances, indices)``, each shape (n_queries, k), nearest first; only
            ``indices`` when ``return_distance`` is False.
        """
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
            raise ValueError(f"n_neighbors must be an int >= 1, got {k!r}.")
        query_is_train = X is None
        if query_is_train:
            Q = self.fit_X_
            k += 1
        else:
            Q = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        if k > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                f"n_samples_fit = {self.n_samples_fit_}, n_samples = {Q.shape[0]}"
            )
        with one_blas_thread() if kernels.enabled() else nullcontext():
            sq, ind = self._search(Q, k)  # kernel path: small GEMMs, see _k_nearest_tiled
        if query_is_train:
            sq, ind = _drop_self(sq, ind)
        dist = np.sqrt(sq)
        return (dist, ind) if return_distance else ind

    def _search(self, Q: Array, k: int) -> tuple[Array, Array]:
        """Squared distances and indices of the k nearest, shapes (n_queries, k)."""
        F = self.fit_X_
        f_sq = np.einsum("ij,ij->i", F, F)  # (n_fit,)
        step = self.chunk_size or (_ROWS if kernels.enabled() else _BLOCK // max(len(F), 1))
        step = max(step, 1)
        dists, inds = [], []
        for start in range(0, Q.shape[0], step):
            q = Q[start : start + step]  # (c, n_features)
            q_sq = np.einsum("ij,ij->i", q, q)  # (c,)
            if kernels.enabled():  # kernel: tiles of dot products, insertion of the k best
                d, i = _k_nearest_tiled(q, q_sq, F, f_sq, k)
            else:
                sq = q_sq[:, None] - 2.0 * (q @ F.T) + f_sq[None, :]  # (c, n_fit)
                np.maximum(sq, 0.0, out=sq)  # round-off can make it slightly negative
                d, i = _k_smallest(sq, k)
            dists.append(d)
            inds.append(i)
        if not dists:
            return np.empty((0, k), dtype=F.dtype), np.empty((0, k), dtype=np.intp)
        return np.concatenate(dists), np.concatenate(inds)

    def _neighbours_and_weights(self, X: Any) -> tuple[Array, Array]:
        """Neighbour indices and vote weights, both shape (n_queries, n_neighbors)."""
        dist, ind = self.kneighbors(X)
        return ind, _neighbour_weights(dist, self.weights)


def _drop_self(sq: Array, ind: Array) -> tuple[Array, Array]:
    """Remove each training point from its own k+1 neighbours, as scikit-learn does.

    Args:
        sq: squared distances, shape (n_fit, k + 1).
        ind: indices, shape (n_fit, k + 1).

    Returns:
        Both with one column fewer: the point itself, or the farthest when duplicates
        crowd it out.
    """
    n, k1 = ind.shape
    is_self = ind == np.arange(n)[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    is_self &= np.cumsum(is_self, axis=1) == 1  # drop one column per row
    keep = ~is_self
    return sq[keep].reshape(n, k1 - 1), ind[keep].reshape(n, k1 - 1)


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """Majority vote among the k nearest training points (brute force, Euclidean).

    Args:
        n_neighbors: k, the number of neighbours that vote.
        weights: ``"uniform"`` (one vote each) or ``"distance"`` (vote 1/d).
        chunk_size: query rows per distance block; ``None``: about 2M distances a block.

    Attributes:
        classes_: sorted class labels, shape (n_classes,).
        fit_X_: training inputs, shape (n_samples_fit, n_features).

    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> KNeighborsClassifier(n_neighbors=1).fit(X, [0, 0, 1, 1]).predict([[9.0]])
    array([1])
    """

    def __init__(
        self, n_neighbors: int = 5, *, weights: Weights = "uniform", chunk_size: int | None = None
    ) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.chunk_size = chunk_size

    def fit(self, X: Any, y: Any) -> "KNeighborsClassifier":
        """Store the training set.

        Args:
            X: inputs, shape (n_samples, n_features).
            y: class labels, shape (n_samples,).

        Returns:
            self.
        """
        _, y = self._store_fit(X, y, y_numeric=False)
        _check_label_type(y)
        self.classes_, self.y_encoded_ = np.unique(y, return_inverse=True)
        return self

    def predict_proba(self, X: Any) -> Array:
        """Share of (weighted) neighbour votes per class.

        Args:
            X: queries, shape (n_queries, n_features).

        Returns:
            Probabilities, shape (n_queries, n_classes); rows sum to 1.
        """
        ind, w = self._neighbours_and_weights(X)
        labels = self.y_encoded_[ind]  # (n_queries, k)
        proba = np.zeros((ind.shape[0], self.classes_.size))
        rows = np.arange(ind.shape[0])
        for j in range(ind.shape[1]):
            proba[rows, labels[:, j]] += w[:, j]
        total = proba.sum(axis=1, keepdims=True)
        total[total == 0.0] = 1.0
        out: Array = proba / total
        return out

    def predict(self, X: Any) -> Array:
        """Most voted class; ties go to the smallest label.

        Args:
            X: queries, shape (n_queries, n_features).

        Returns:
            Labels, shape (n_queries,).
        """
        proba = self.predict_proba(X)  # (n_queries, n_classes); checks fitted first
        out: Array = self.classes_[np.argmax(proba, axis=1)]
        return out


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """Mean target of the k nearest training points (brute force, Euclidean).

    Args:
        n_neighbors: k, the number of neighbours averaged.
        weights: ``"uniform"`` (plain mean) or ``"distance"`` (weights 1/d).
        chunk_size: query rows per distance block; ``None``: about 2M distances a block.

    Attributes:
        fit_X_: training inputs, shape (n_samples_fit, n_features).

    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> KNeighborsRegressor(n_neighbors=2).fit(X, [0.0, 1.0, 10.0, 12.0]).predict([[10.5]])
    array([11.])
    """

    def __init__(
        self, n_neighbors: int = 5, *, weights: Weights = "uniform", chunk_size: int | None = None
    ) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.chunk_size = chunk_size

    def fit(self, X: Any, y: Any) -> "KNeighborsRegressor":
        """Store the training set.

        Args:
            X: inputs, shape (n_samples, n_features).
            y: targets, shape (n_samples,).

        Returns:
            self.
        """
        _, y = self._store_fit(X, y, y_numeric=True)
        self.y_fit_: Array = y
        return self

    def predict(self, X: Any) -> Array:
        """(Weighted) mean of the neighbours' targets.

        Args:
            X: queries, shape (n_queries, n_features).

        Returns:
            Predictions, shape (n_queries,).
        """
        ind, w = self._neighbours_and_weights(X)
        y_nb = self.y_fit_[ind]  # (n_queries, k)
        if self.weights == "uniform":
            out: Array = np.mean(y_nb, axis=1)
            return out
        out = np.sum(y_nb * w, axis=1) / np.sum(w, axis=1)
        return out
