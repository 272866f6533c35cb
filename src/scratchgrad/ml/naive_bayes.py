"""Naive Bayes classifiers: Gaussian and multinomial likelihoods, in NumPy.

Both score a joint log-likelihood ``log P(c) + log P(x | c)`` per class and normalise it
with log-sum-exp, so probabilities never underflow to 0/0.
"""

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import (
    check_is_fitted,
    validate_data,
)

from scratchgrad.backend import Array

__all__ = ["GaussianNB", "MultinomialNB"]


def _logsumexp(a: Array) -> Array:
    """log(sum(exp(a), axis=1)), stable. a: (n, c) -> (n, 1)."""
    m = np.max(a, axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    out: Array = m + np.log(np.sum(np.exp(a - m), axis=1, keepdims=True))
    return out


def _is_non_negative_number(v: Any) -> bool:
    """True for a real, finite, non-negative scalar (bools excluded)."""
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        return False
    return bool(np.isfinite(v) and v >= 0)


def _encode_labels(y: Array) -> tuple[Array, Array]:
    """Sorted classes and the one-hot matrix of ``y``, shape (n_samples, n_classes)."""
    if y.dtype.kind == "f" and not np.all(y == np.round(y)):
        raise ValueError(
            "Unknown label type: continuous. Maybe you are trying to fit a classifier, "
            "which expects discrete classes on a regression target with continuous values."
        )
    classes, inverse = np.unique(y, return_inverse=True)
    onehot = np.zeros((y.shape[0], classes.size))
    onehot[np.arange(y.shape[0]), inverse] = 1.0
    return classes, onehot


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Prediction from a joint log-likelihood; abstract, subclasses define ``_jll``."""

    classes_: Array

    def _jll(self, X: Array) -> Array:
        raise NotImplementedError

    def _validated_input(self, X: Any) -> Array:
        check_is_fitted(self)
        out: Array = validate_data(self, X, reset=False)
        return out

    def predict_log_proba(self, X: Any) -> Array:
        """Log class probabilities.

        Args:
            X: inputs, shape (n_samples, n_features).

        Returns:
            Log-probabilities, shape (n_samples, n_classes).
        """
        jll = self._jll(self._validated_input(X))
        out: Array = jll - _logsumexp(jll)
        return out

    def predict_proba(self, X: Any) -> Array:
        """Class probabilities.

        Args:
            X: inputs, shape (n_samples, n_features).

        Returns:
            Probabilities, shape (n_samples, n_classes); rows sum to 1.
        """
        out: Array = np.exp(self.predict_log_proba(X))
        return out

    def predict(self, X: Any) -> Array:
        """Most probable class.

        Args:
            X: inputs, shape (n_samples, n_features).

        Returns:
            Labels, shape (n_samples,).
        """
        jll = self._jll(self._validated_input(X))
        out: Array = self.classes_[np.argmax(jll, axis=1)]
        return out


class GaussianNB(_BaseNB):
    """Gaussian naive Bayes: one normal per class and feature.

    Args:
        var_smoothing: share of the largest feature variance added to every variance.
        priors: class prior probabilities, shape (n_classes,); ``None`` uses class
            frequencies.

    Attributes:
        classes_: sorted labels, shape (n_classes,).
        class_count_: samples per class, shape (n_classes,).
        class_prior_: priors used, shape (n_classes,).
        theta_: class means, shape (n_classes, n_features).
        var_: class variances plus ``epsilon_``, shape (n_classes, n_features).
        epsilon_: ``var_smoothing * max(np.var(X, axis=0))``.

    >>> X = np.array([[0.0], [0.2], [5.0], [5.2]])
    >>> GaussianNB().fit(X, [0, 0, 1, 1]).predict([[4.0]])
    array([1])
    """

    def __init__(self, *, priors: Any = None, var_smoothing: float = 1e-9) -> None:
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X: Any, y: Any) -> "GaussianNB":
        """Estimate per-class means, variances and priors.

        Args:
            X: inputs, shape (n_samples, n_features).
            y: labels, shape (n_samples,).

        Returns:
            self.
        """
        if not _is_non_negative_number(self.var_smoothing):
            raise ValueError(f"var_smoothing must be >= 0, got {self.var_smoothing!r}.")
        X, y = validate_data(self, X, y)
        self.classes_, onehot = _encode_labels(y)
        self.class_count_: Array = onehot.sum(axis=0)  # (n_classes,)
        self.epsilon_: float = float(self.var_smoothing * np.var(X, axis=0).max())
        groups = [X[y == c] for c in self.classes_]  # one (n_c, n_features) block per class
        self.theta_: Array = np.stack([g.mean(axis=0) for g in groups])  # (n_classes, n_features)
        self.var_: Array = np.stack([g.var(axis=0) for g in groups])  # two-pass, like np.var
        self.var_ += self.epsilon_
        self.class_prior_: Array = self._priors()
        return self

    def _priors(self) -> Array:
        """Validated user priors, or the class frequencies."""
        if self.priors is None:
            out: Array = self.class_count_ / self.class_count_.sum()
            return out
        priors = np.asarray(self.priors, dtype=np.float64)
        if priors.shape != self.classes_.shape:
            raise ValueError("Number of priors must match number of classes.")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError("The sum of the priors should be 1.")
        if (priors < 0).any():
            raise ValueError("Priors must be non-negative.")
        return priors

    def _jll(self, X: Array) -> Array:
        """log P(c) + sum_j log N(x_j | theta_cj, var_cj); X: (n, f) -> (n, n_classes)."""
        with np.errstate(divide="ignore"):
            log_prior = np.log(self.class_prior_)  # (n_classes,)
        norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)  # (n_classes,)
        diff = X[:, None, :] - self.theta_[None, :, :]  # (n, n_classes, f)
        quad = -0.5 * np.sum(diff**2 / self.var_[None, :, :], axis=2)  # (n, n_classes)
        out: Array = log_prior + norm + quad
        return out


class MultinomialNB(_BaseNB):
    """Multinomial naive Bayes for count features, with additive (Laplace) smoothing.

    Args:
        alpha: smoothing count added to every feature of every class.
        fit_prior: learn class priors from frequencies; else uniform priors.

    Attributes:
        classes_: sorted labels, shape (n_classes,).
        class_count_: samples per class, shape (n_classes,).
        feature_count_: summed counts, shape (n_classes, n_features).
        feature_log_prob_: log P(feature | class), shape (n_classes, n_features).
        class_log_prior_: log P(class), shape (n_classes,).

    >>> X = np.array([[3, 0], [2, 1], [0, 4], [1, 3]])
    >>> MultinomialNB().fit(X, [0, 0, 1, 1]).predict([[5, 1]])
    array([0])
    """

    def __init__(self, *, alpha: float = 1.0, fit_prior: bool = True) -> None:
        self.alpha = alpha
        self.fit_prior = fit_prior

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.classifier_tags.poor_score = True  # as scikit-learn's discrete naive Bayes
        return tags

    def _validated_input(self, X: Any) -> Array:
        out = super()._validated_input(X)
        _check_non_negative(out)
        return out

    def fit(self, X: Any, y: Any) -> "MultinomialNB":
        """Count features per class and smooth them into log-probabilities.

        Args:
            X: non-negative counts, shape (n_samples, n_features).
            y: labels, shape (n_samples,).

        Returns:
            self.
        """
        if not _is_non_negative_number(self.alpha):
            raise ValueError(f"alpha must be >= 0, got {self.alpha!r}.")
        X, y = validate_data(self, X, y)
        _check_non_negative(X)
        self.classes_, onehot = _encode_labels(y)
        self.class_count_: Array = onehot.sum(axis=0)
        self.feature_count_: Array = onehot.T @ X  # (n_classes, n_features)
        smoothed = self.feature_count_ + self.alpha
        with np.errstate(divide="ignore"):
            self.feature_log_prob_: Array = np.log(smoothed) - np.log(
                smoothed.sum(axis=1, keepdims=True)
            )
            if self.fit_prior:
                self.class_log_prior_: Array = np.log(self.class_count_) - np.log(
                    self.class_count_.sum()
                )
            else:
                self.class_log_prior_ = np.full(self.classes_.size, -np.log(self.classes_.size))
        return self

    def _jll(self, X: Array) -> Array:
        """log P(c) + x . log P(feature | c); X: (n, f) -> (n, n_classes)."""
        out: Array = X @ self.feature_log_prob_.T + self.class_log_prior_
        return out


def _check_non_negative(X: Array) -> None:
    """Raise scikit-learn's error for negative counts."""
    if X.size and X.min() < 0:
        raise ValueError("Negative values in data passed to MultinomialNB (input X)")
