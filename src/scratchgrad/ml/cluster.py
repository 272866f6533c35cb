"""K-means clustering (k-means++ seeding, Lloyd iterations), NumPy inside, scikit-learn's API."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    check_random_state,
    validate_data,
)

from scratchgrad.backend import Array
from scratchgrad.ml._blas import one_blas_thread

__all__ = ["KMeans"]

Labels = NDArray[np.intp]


def sq_distances(X: Array, C: Array, x_sq: Array | None = None) -> Array:
    """Squared Euclidean distances via ||x||^2 - 2 x.c + ||c||^2, clipped at 0.

    Args:
        X: points, shape (N, F).
        C: centres, shape (K, F).
        x_sq: precomputed ``(X * X).sum(1)``, shape (N,), or None.

    Returns:
        Distances, shape (N, K).

    >>> sq_distances(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]))
    array([[25.]])
    """
    if x_sq is None:
        x_sq = (X * X).sum(1)
    d: Array = X @ (-2.0 * C.T)  # (N, K)
    d += x_sq[:, None]
    d += (C * C).sum(1)[None, :]
    np.maximum(d, 0.0, out=d)
    return d


def kmeans_plusplus(X: Array, k: int, w: Array, rng: np.random.RandomState) -> Array:
    """Greedy k-means++ seeding: 2 + floor(log k) candidates per step, keep the best.

    Args:
        X: points, shape (N, F).
        k: number of centres.
        w: sample weights, shape (N,).
        rng: random state.

    Returns:
        Initial centres, shape (k, F).
    """
    n = X.shape[0]
    trials = 2 + int(np.log(k))
    centers = np.empty((k, X.shape[1]), dtype=X.dtype)
    centers[0] = X[rng.choice(n, p=w / w.sum())]
    x_sq = (X * X).sum(1)
    closest = sq_distances(X, centers[:1], x_sq)[:, 0]  # (N,)
    potential = float(closest @ w)
    for c in range(1, k):
        draws = rng.uniform(size=trials) * potential
        ids = np.searchsorted(np.cumsum(w * closest, dtype=np.float64), draws)
        ids = np.clip(ids, None, n - 1)
        cand = np.minimum(closest, sq_distances(X, X[ids], x_sq).T)  # (trials, N)
        pots = cand @ w  # (trials,)
        best = int(np.argmin(pots))
        potential, closest = float(pots[best]), cand[best]
        centers[c] = X[ids[best]]
    return centers


def _update_centers(X: Array, w: Array, labels: Labels, centers: Array, d: Array) -> Array:
    """Weighted means of each cluster; an empty cluster takes the farthest unclaimed point.

    Args:
        X: points, shape (N, F).
        w: sample weights, shape (N,).
        labels: nearest centre per point, shape (N,).
        centers: current centres, shape (K, F).
        d: squared distances to current centres, shape (N, K).

    Returns:
        New centres, shape (K, F).
    """
    k = centers.shape[0]
    mass = np.bincount(labels, weights=w, minlength=k)  # (K,)
    member = np.zeros((k, X.shape[0]))  # (K, N): weight of each point in its cluster
    member[labels, np.arange(X.shape[0])] = w
    sums = member @ X  # one BLAS product instead of a scatter-add
    new = centers.astype(np.float64, copy=True)
    full = mass > 0
    new[full] = sums[full] / mass[full, None]
    empty = np.flatnonzero(~full)
    if empty.size:
        far = np.argsort(-d[np.arange(X.shape[0]), labels], kind="stable")[: empty.size]
        new[empty] = X[far]
    return new.astype(X.dtype)


def lloyd(
    X: Array, w: Array, centers: Array, max_iter: int, tol: float
) -> tuple[Labels, float, Array, int]:
    """Lloyd iterations until labels stop changing or centres move less than `tol`.

    Args:
        X: points, shape (N, F).
        w: sample weights, shape (N,).
        centers: initial centres, shape (K, F).
        max_iter: iteration cap.
        tol: absolute bound on the summed squared centre shift.

    Returns:
        (labels (N,), inertia, centres (K, F), iterations run).
    """
    labels: Labels = np.full(X.shape[0], -1, dtype=np.intp)
    x_sq = (X * X).sum(1)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007
        d = sq_distances(X, centers, x_sq)
        new_labels: Labels = d.argmin(1)
        new_centers = _update_centers(X, w, new_labels, centers, d)
        shift = float(((new_centers - centers) ** 2).sum())
        converged = np.array_equal(new_labels, labels) or shift <= tol
        centers, labels = new_centers, new_labels
        if converged:
            break
    d = sq_distances(X, centers, x_sq)
    labels = d.argmin(1)
    inertia = float(d[np.arange(X.shape[0]), labels] @ w)
    return labels, inertia, centers, n_iter


class KMeans(ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin, BaseEstimator):
    """K-means clustering with k-means++ seeding and Lloyd's algorithm.

    Args:
        n_clusters: number of clusters K.
        init: "k-means++", "random", or an array of initial centres, shape (K, F).
        n_init: number of seedings, the best (lowest inertia) kept; "auto" means 1 for
            k-means++ or an array, 10 for "random" (scikit-learn >= 1.4).
        max_iter: Lloyd iteration cap per run.
        tol: tolerance on centre movement, relative to the mean feature variance.
        random_state: seed or RandomState.

    >>> X = np.array([[0.0], [0.1], [10.0], [10.1]])
    >>> sorted(KMeans(n_clusters=2, random_state=0).fit(X).cluster_centers_.ravel().round(2))
    [np.float64(0.05), np.float64(10.05)]
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: str | Array = "k-means++",
        n_init: int | str = "auto",
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def _check_params(self, n_samples: int) -> int:
        """Validate hyperparameters against the data; return the number of seedings."""
        if not isinstance(self.n_clusters, Integral) or self.n_clusters < 1:
            raise ValueError(f"n_clusters must be a positive int, got {self.n_clusters!r}")
        if n_samples < self.n_clusters:
            raise ValueError(f"n_samples={n_samples} should be >= n_clusters={self.n_clusters}.")
        if not isinstance(self.max_iter, Integral) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive int, got {self.max_iter!r}")
        if isinstance(self.init, str) and self.init not in ("k-means++", "random"):
            raise ValueError(f"init must be 'k-means++', 'random' or an array, got {self.init!r}")
        if self.n_init == "auto":
            return 10 if isinstance(self.init, str) and self.init == "random" else 1
        if not isinstance(self.n_init, Integral) or self.n_init < 1:
            raise ValueError(f"n_init must be a positive int or 'auto', got {self.n_init!r}")
        return 1 if not isinstance(self.init, str) else int(self.n_init)

    def _init_centers(self, X: Array, w: Array, rng: np.random.RandomState, shift: Array) -> Array:
        """Initial centres, shape (K, F), for centred X; `shift` (F,) is the removed mean."""
        k = int(self.n_clusters)
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, k, w, rng)
        if isinstance(self.init, str):
            return X[rng.choice(X.shape[0], size=k, replace=False, p=w / w.sum())].copy()
        centers = np.array(self.init, dtype=X.dtype)
        if centers.shape != (k, X.shape[1]):
            raise ValueError(
                f"init array must have shape (n_clusters, n_features)={(k, X.shape[1])}, "
                f"got {centers.shape}"
            )
        return centers - shift

    def fit(self, X: Array, y: Any = None, sample_weight: Array | None = None) -> KMeans:
        """Cluster X, keeping the best of `n_init` seedings.

        Args:
            X: data, shape (N, F).
            y: ignored.
            sample_weight: per-sample weights, shape (N,), or None for all ones.

        Returns:
            self, with cluster_centers_ (K, F), labels_ (N,), inertia_, n_iter_.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=True)
        w = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        n_init = self._check_params(X.shape[0])
        rng = check_random_state(self.random_state)
        tol = float(np.mean(np.var(X, axis=0))) * self.tol
        shift = X.mean(axis=0)
        Xc = X - shift  # centring improves the precision of the distance trick
        # Lloyd's products are small, (N, F) x (F, K): BLAS threads spin between them and, on
        # a busy machine, slow them tenfold; one thread is as fast (scikit-learn does the same)
        with one_blas_thread():
            runs = [
                lloyd(Xc, w, self._init_centers(Xc, w, rng, shift), int(self.max_iter), tol)
                for _ in range(n_init)
            ]
        labels, inertia, centers, n_iter = min(runs, key=lambda run: run[1])
        self.cluster_centers_: Array = centers + shift
        self.labels_: Labels = labels
        self.inertia_: float = inertia
        self.n_iter_: int = n_iter
        return self

    def fit_predict(self, X: Array, y: Any = None, sample_weight: Array | None = None) -> Labels:
        """Fit and return the training labels, shape (N,)."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def _distances(self, X: Array) -> Array:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return sq_distances(X, self.cluster_centers_.astype(X.dtype))

    def predict(self, X: Array) -> Labels:
        """Index of the nearest centre for each row of X.

        Args:
            X: data, shape (M, F).

        Returns:
            Labels, shape (M,).
        """
        labels: Labels = self._distances(X).argmin(1)
        return labels

    def transform(self, X: Array) -> Array:
        """Euclidean distance from each row of X to each centre.

        Args:
            X: data, shape (M, F).

        Returns:
            Distances, shape (M, K).
        """
        return np.sqrt(self._distances(X))

    def score(self, X: Array, y: Any = None, sample_weight: Array | None = None) -> float:
        """Opposite of the inertia of X against the fitted centres (higher is better).

        Args:
            X: data, shape (M, F).
            y: ignored.
            sample_weight: per-sample weights, shape (M,), or None.

        Returns:
            -sum_i w_i * min_k ||x_i - c_k||^2.
        """
        d = self._distances(X)
        w = _check_sample_weight(sample_weight, d, dtype=d.dtype)
        return -float(d.min(1) @ w)

    @property
    def _n_features_out(self) -> int:
        """Number of output features of transform, K."""
        return int(self.cluster_centers_.shape[0])


def silhouette_score(X: Array, labels: Array) -> float:
    """Mean silhouette of a clustering: (b - a) / max(a, b) per sample, in [-1, 1].

    a is a sample's mean distance to the rest of its cluster, b its smallest mean distance
    to another cluster; samples alone in their cluster count 0, as scikit-learn does.

    Args:
        X: samples, shape (n_samples, n_features).
        labels: cluster of each sample, shape (n_samples,).

    Returns:
        The mean silhouette over the samples, a float in [-1, 1].

    Raises:
        ValueError: for mismatched lengths, or fewer than 2 or more than n - 1 clusters.

    >>> round(silhouette_score([[0.0], [0.1], [5.0], [5.1]], [0, 0, 1, 1]), 4)
    0.98
    """
    x = np.asarray(X, dtype=np.float64)
    _, lab = np.unique(np.asarray(labels), return_inverse=True)
    n, k = len(x), int(lab.max()) + 1 if len(lab) else 0
    if x.ndim != 2 or len(lab) != n:
        raise ValueError(f"silhouette_score: X {x.shape} and labels {lab.shape} don't match")
    if not 2 <= k <= n - 1:
        raise ValueError(f"silhouette_score: needs 2 to n_samples - 1 clusters, got {k}")
    sq = (x * x).sum(1)
    dist = np.sqrt(np.maximum(sq[:, None] - 2 * x @ x.T + sq[None, :], 0))  # (n, n)
    np.fill_diagonal(dist, 0.0)
    sums = dist @ np.eye(k)[lab]  # (n, k): each sample's total distance to each cluster
    counts = np.bincount(lab, minlength=k).astype(np.float64)
    own = counts[lab] - 1  # the rest of its cluster
    a = np.divide(sums[np.arange(n), lab], own, out=np.zeros(n), where=own > 0)
    means = sums / counts
    means[np.arange(n), lab] = np.inf
    b = means.min(1)
    s = np.where(own > 0, (b - a) / np.maximum(a, b), 0.0)
    return float(s.mean())


__all__ += ["silhouette_score"]
