"""Feature scaling: StandardScaler and MinMaxScaler, NumPy inside, scikit-learn's API outside."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from scratchgrad.backend import Array

__all__ = ["MinMaxScaler", "StandardScaler"]


def _constant_mask(
    var: Array, mean: Array | np.floating[Any], n_samples: Array | int
) -> NDArray[np.bool_]:
    """Features whose variance is within floating-point error of zero, as scikit-learn decides.

    Args:
        var: per-feature variance, shape (F,).
        mean: per-feature mean, shape (F,).
        n_samples: samples seen, an int or shape (F,).

    Returns:
        Boolean mask, shape (F,).
    """
    eps = np.finfo(np.float64).eps
    upper = n_samples * eps * var + (n_samples * mean * eps) ** 2
    mask: NDArray[np.bool_] = var <= upper
    return mask


def _safe_scale(scale: Array, constant: NDArray[np.bool_] | None = None) -> Array:
    """Replace (near) zero scales by 1 so constant features are left unscaled.

    Args:
        scale: per-feature scale, shape (F,).
        constant: features already known to be constant, shape (F,), or None.

    Returns:
        A copy of `scale`, shape (F,), with no near-zero entries.
    """
    out = np.array(scale, copy=True)
    if constant is None:
        constant = out < 10 * np.finfo(out.dtype).eps
    out[constant] = 1.0
    return out


class StandardScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardize features: subtract the mean, divide by the standard deviation.

    NaNs are ignored when fitting and kept when transforming, as in scikit-learn.

    Args:
        copy: if False, transform in place where possible.
        with_mean: centre the data before scaling.
        with_std: scale the data to unit variance.

    >>> StandardScaler().fit_transform(np.array([[0.0], [2.0]])).ravel()
    array([-1.,  1.])
    """

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True) -> None:
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def fit(self, X: Array, y: Any = None) -> StandardScaler:
        """Learn per-feature mean and variance.

        Args:
            X: data, shape (N, F).
            y: ignored.

        Returns:
            self, with mean_, var_, scale_ of shape (F,) (None when disabled).
        """
        X = validate_data(self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=True)
        counts = np.sum(~np.isnan(X), axis=0)
        self.n_samples_seen_: int | Array = (
            int(counts[0]) if np.all(counts == X.shape[0]) else counts.astype(np.int64)
        )
        if not self.with_std and not self.with_mean:
            self.mean_: Array | None = None
            self.var_: Array | None = None
            self.scale_: Array | None = None
            return self
        has_nan = bool(np.any(counts != X.shape[0]))  # nan-aware reductions copy X: slow
        mean: Array = np.asarray((np.nanmean if has_nan else np.mean)(X, axis=0, dtype=np.float64))
        self.mean_ = mean.astype(X.dtype)
        if not self.with_std:
            self.var_ = None
            self.scale_ = None
            return self
        var = (np.nanvar if has_nan else np.var)(X, axis=0, dtype=np.float64)
        self.var_ = var.astype(X.dtype)
        constant = _constant_mask(var, mean, counts)
        self.scale_ = _safe_scale(np.sqrt(var), constant).astype(X.dtype)
        return self

    def transform(self, X: Array, copy: bool | None = None) -> Array:
        """Standardize X with the fitted statistics.

        Args:
            X: data, shape (M, F).
            copy: override `self.copy` for this call.

        Returns:
            Scaled data, shape (M, F).
        """
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X = validate_data(
            self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=False, copy=copy
        )
        if self.with_mean and self.mean_ is not None:
            X -= self.mean_
        if self.with_std and self.scale_ is not None:
            X /= self.scale_
        return X

    def inverse_transform(self, X: Array, copy: bool | None = None) -> Array:
        """Undo the scaling.

        Args:
            X: scaled data, shape (M, F).
            copy: override `self.copy` for this call.

        Returns:
            Data in the original units, shape (M, F).
        """
        check_is_fitted(self)
        copy = self.copy if copy is None else copy
        X = validate_data(
            self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=False, copy=copy
        )
        if self.with_std and self.scale_ is not None:
            X *= self.scale_
        if self.with_mean and self.mean_ is not None:
            X += self.mean_
        return X


class MinMaxScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each feature linearly to `feature_range` using the training min and max.

    NaNs are ignored when fitting and kept when transforming, as in scikit-learn.

    Args:
        feature_range: (low, high) of the transformed training data, low < high.
        copy: if False, transform in place where possible.
        clip: clip transformed values to `feature_range`.

    >>> MinMaxScaler().fit_transform(np.array([[1.0], [3.0], [2.0]])).ravel()
    array([0. , 1. , 0.5])
    """

    def __init__(
        self, feature_range: tuple[float, float] = (0, 1), *, copy: bool = True, clip: bool = False
    ) -> None:
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    def fit(self, X: Array, y: Any = None) -> MinMaxScaler:
        """Learn per-feature min and max.

        Args:
            X: data, shape (N, F).
            y: ignored.

        Returns:
            self, with data_min_, data_max_, data_range_, scale_, min_ of shape (F,).

        Raises:
            ValueError: if feature_range[0] >= feature_range[1].
        """
        low, high = self.feature_range
        if low >= high:
            raise ValueError(
                f"Minimum of desired feature range must be smaller than maximum. Got {low, high}."
            )
        X = validate_data(self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=True)
        self.n_samples_seen_ = X.shape[0]
        self.data_min_: Array = np.nanmin(X, axis=0)
        self.data_max_: Array = np.nanmax(X, axis=0)
        self.data_range_: Array = self.data_max_ - self.data_min_
        self.scale_: Array = (high - low) / _safe_scale(self.data_range_)
        self.min_: Array = low - self.data_min_ * self.scale_
        return self

    def transform(self, X: Array) -> Array:
        """Scale X to the feature range.

        Args:
            X: data, shape (M, F).

        Returns:
            Scaled data, shape (M, F).
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=False, copy=self.copy
        )
        X *= self.scale_
        X += self.min_
        if self.clip:
            np.clip(X, self.feature_range[0], self.feature_range[1], out=X)
        return X

    def inverse_transform(self, X: Array) -> Array:
        """Undo the scaling.

        Args:
            X: scaled data, shape (M, F).

        Returns:
            Data in the original units, shape (M, F).
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=False, copy=self.copy
        )
        X -= self.min_
        X /= self.scale_
        return X
