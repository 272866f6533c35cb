"""What the linear classifiers share: the float64 alias, label encoding and a base class.

Used by `linear`, `logistic`, `perceptron` and `svm` (LinearSVC); shapes follow
scikit-learn: X is (n_samples, n_features).
"""

from __future__ import annotations

from typing import Any

import numpy as np
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
