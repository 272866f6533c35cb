"""Principal component analysis by SVD or covariance eigendecomposition, scikit-learn's API."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
import scipy.linalg
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from scratchgrad.backend import Array

__all__ = ["PCA"]


def svd_flip_v(u: Array, vt: Array) -> tuple[Array, Array]:
    """Make the largest-magnitude entry of each row of `vt` positive (scikit-learn's v-based rule).

    Args:
        u: left singular vectors, shape (N, K).
        vt: right singular vectors, shape (K, F).

    Returns:
        (u, vt) with columns of u and rows of vt flipped together, same shapes.

    >>> svd_flip_v(np.ones((1, 1)), np.array([[1.0, -2.0]]))[1]
    array([[-1.,  2.]])
    """
    idx = np.argmax(np.abs(vt), axis=1)  # (K,)
    signs = np.sign(vt[np.arange(vt.shape[0]), idx])
    signs[signs == 0] = 1.0
    return u * signs, vt * signs[:, None]


def _svd_centred(X: Array, mean: Array) -> tuple[Array, Array]:
    """Singular values (K,) and flipped right singular vectors (K, F) of X - mean (N, F).

    For tall data the SVD is taken of the F x F triangle R of a Householder QR of the centred
    data (same singular values and right vectors, and as accurate), so the N x K left vectors,
    which PCA never needs, are not formed.
    """
    Xc = X - mean  # a fresh array: LAPACK may overwrite it
    if Xc.shape[0] > Xc.shape[1]:
        Xc = scipy.linalg.qr(Xc, mode="r", overwrite_a=True, check_finite=False)[0]
        Xc = Xc[: Xc.shape[1]]
    _, S, Vt = scipy.linalg.svd(
        Xc, full_matrices=False, overwrite_a=True, check_finite=False, lapack_driver="gesdd"
    )
    return S, svd_flip_v(np.empty((1, Vt.shape[0])), Vt)[1]


def _covariance_eigh(X: Array, mean: Array) -> tuple[Array, Array]:
    """Singular values (F,) and flipped components (F, F) from the F x F scatter matrix.

    The scatter of the centred data is ``X'X - N mean mean'``, so no centred copy is made.
    Eigenvalues that rounding makes slightly negative are clipped to 0.

    Args:
        X: data, shape (N, F).
        mean: column means, shape (F,).
    """
    C = X.T @ X  # (F, F)
    C -= X.shape[0] * np.outer(mean, mean)
    evals, evecs = scipy.linalg.eigh(C, check_finite=False, overwrite_a=True)
    evals, evecs = evals[::-1], evecs[:, ::-1]  # descending
    S = np.sqrt(np.maximum(evals, 0.0))
    return S, svd_flip_v(np.empty((1, evecs.shape[1])), evecs.T)[1]


def _resolve_n_components(n_components: Any, ratio: Array, n_samples: int, n_features: int) -> int:
    """Turn the n_components hyperparameter into a count, as scikit-learn does.

    Args:
        n_components: None, an int in [0, min(N, F)], or a float in (0, 1).
        ratio: explained variance ratio of every component, shape (min(N, F),).
        n_samples: N.
        n_features: F.

    Returns:
        The number of components to keep.

    Raises:
        ValueError: if n_components is out of range or of the wrong type.
    """
    limit = min(n_samples, n_features)
    if n_components is None:
        return limit
    if isinstance(n_components, Integral) and not isinstance(n_components, bool):
        if not 0 <= int(n_components) <= limit:
            raise ValueError(
                f"n_components={n_components} must be between 0 and "
                f"min(n_samples, n_features)={limit} with svd_solver='full'"
            )
        return int(n_components)
    if isinstance(n_components, Real) and 0 < float(n_components) < 1:
        cumsum = np.cumsum(ratio, dtype=np.float64)
        return int(np.searchsorted(cumsum, float(n_components), side="right")) + 1
    raise ValueError(
        f"n_components must be None, an int in [0, {limit}] or a float in (0, 1); "
        f"got {n_components!r}"
    )


class PCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Linear dimensionality reduction onto the directions of largest variance.

    Args:
        n_components: None (keep min(N, F)), an int, or a float in (0, 1) meaning the smallest
            number of components whose cumulative explained variance ratio exceeds it.
        copy: kept for scikit-learn compatibility; X is never modified.
        whiten: scale projections to unit variance.
        svd_solver: "full" (SVD of the centred data), "covariance_eigh" (eigendecomposition of
            the F x F covariance matrix: one BLAS product, much faster when N >> F) or "auto"
            (scikit-learn's rule and default: "covariance_eigh" when F <= 1000 and N >= 10 F,
            else "full").

    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    >>> PCA(n_components=1).fit(X).explained_variance_ratio_
    array([1.])
    """

    def __init__(
        self,
        n_components: int | float | None = None,
        *,
        copy: bool = True,
        whiten: bool = False,
        svd_solver: str = "auto",
    ) -> None:
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def fit(self, X: Array, y: Any = None) -> PCA:
        """Centre X and keep the leading right singular vectors.

        Args:
            X: data, shape (N, F).
            y: ignored.

        Returns:
            self, with components_ of shape (K, F) and mean_ of shape (F,).
        """
        self._fit(X)
        return self

    def fit_transform(self, X: Array, y: Any = None) -> Array:
        """Fit and return the projection of X.

        Args:
            X: data, shape (N, F).
            y: ignored.

        Returns:
            Projected data, shape (N, K).
        """
        X = self._fit(X)
        return self._project(X - self.mean_)

    def _fit(self, X: Array) -> Array:
        """Fit the model and return the validated training data, shape (N, F)."""
        if self.svd_solver not in ("auto", "full", "covariance_eigh"):
            raise ValueError(
                f"svd_solver={self.svd_solver!r} is not supported; use 'auto', 'full' or "
                "'covariance_eigh'"
            )
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2, reset=True)
        n_samples, n_features = X.shape
        self.mean_: Array = X.mean(axis=0)
        solver = self.svd_solver
        if solver == "auto":
            small = n_features <= 1000 and n_samples >= 10 * n_features
            solver = "covariance_eigh" if small else "full"
        if solver == "full":
            S, Vt = _svd_centred(X, self.mean_)
        else:
            S, Vt = _covariance_eigh(X, self.mean_)
            S, Vt = S[: min(X.shape)], Vt[: min(X.shape)]
        variance = S**2 / (n_samples - 1)  # (min(N, F),)
        total = variance.sum()
        ratio = variance / total if total > 0 else np.zeros_like(variance)
        k = _resolve_n_components(self.n_components, ratio, n_samples, n_features)
        self.noise_variance_: float = (
            float(variance[k:].mean()) if k < min(n_samples, n_features) else 0.0
        )
        self.n_samples_ = n_samples
        self.n_components_ = k
        self.components_: Array = Vt[:k].copy()
        self.explained_variance_: Array = variance[:k].copy()
        self.explained_variance_ratio_: Array = ratio[:k].copy()
        self.singular_values_: Array = S[:k].copy()
        return X

    def _project(self, Xc: Array) -> Array:
        """Project centred data onto the components, whitening if asked; (M, F) -> (M, K)."""
        Z: Array = Xc @ self.components_.T
        if self.whiten:
            scale = np.sqrt(self.explained_variance_)
            scale[scale < np.finfo(scale.dtype).eps] = np.finfo(scale.dtype).eps
            Z /= scale
        return Z

    def transform(self, X: Array) -> Array:
        """Project X onto the principal components.

        Args:
            X: data, shape (M, F).

        Returns:
            Projected data, shape (M, K).
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return self._project(X - self.mean_)

    def inverse_transform(self, X: Array) -> Array:
        """Map projections back to the original feature space.

        Args:
            X: projected data, shape (M, K).

        Returns:
            Reconstruction, shape (M, F).
        """
        check_is_fitted(self)
        X = check_array(X, dtype=[np.float64, np.float32])
        if self.whiten:
            out: Array = X @ (np.sqrt(self.explained_variance_)[:, None] * self.components_)
        else:
            out = X @ self.components_
        restored: Array = out + self.mean_
        return restored

    @property
    def _n_features_out(self) -> int:
        """Number of output features, K."""
        return int(self.components_.shape[0])
