"""Metrics for generative models: the Fréchet distance between two sets of features.

The Fréchet distance (FID when the features are Inception's, Heusel et al., 2017) fits a
Gaussian to each set of feature vectors and measures the distance between the two:

    d² = |mu_1 - mu_2|² + tr(S_1 + S_2 - 2 (S_1 S_2)^(1/2)),

with means mu and covariances S (unbiased, as ``np.cov``). It is 0 for identical sets
and grows as the generated features drift from the real ones in mean or spread.
scratchgrad judges generated digits in the feature space of a digits classifier.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg

from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics._inputs import FloatArray, Input, to_numpy


def _features(op: str, x: Input, name: str) -> FloatArray:
    f = to_numpy(x).astype(np.float64)
    if f.ndim != 2 or f.shape[0] < 2:
        raise ShapeError(f"{op}: {name} must be features (N, D) with N >= 2, got {f.shape}")
    return f


def frechet_distance(features_1: Input, features_2: Input) -> float:
    """The Fréchet distance between Gaussians fitted to two sets of feature vectors.

    Args:
        features_1: feature vectors (N, D), e.g. a classifier's features of real images.
        features_2: feature vectors (M, D) of the other set, e.g. generated images.

    Returns:
        d² = |mu_1 - mu_2|² + tr(S_1 + S_2 - 2 sqrtm(S_1 S_2)), a float >= 0.

    Raises:
        ShapeError: if either is not (N, D) with N >= 2 or their D differ.

    >>> round(frechet_distance([[0.0, 0.0], [2.0, 2.0]], [[1.0, 1.0], [3.0, 3.0]]), 6)
    2.0
    """
    a = _features("frechet_distance", features_1, "features_1")
    b = _features("frechet_distance", features_2, "features_2")
    if a.shape[1] != b.shape[1]:
        raise ShapeError(
            f"frechet_distance: feature sizes differ: {a.shape[1]} != {b.shape[1]} "
            f"({a.shape}, {b.shape})"
        )
    mu = a.mean(axis=0) - b.mean(axis=0)
    s1, s2 = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    with warnings.catch_warnings():  # features that never vary make S_1 S_2 singular
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(s1 @ s2)
        if not np.isfinite(root).all():  # nudge both, as pytorch-fid does
            eps = np.eye(len(s1)) * 1e-6
            root = linalg.sqrtm((s1 + eps) @ (s2 + eps))
    trace = float(np.trace(s1) + np.trace(s2) - 2 * np.trace(np.real(root)))
    return max(float(mu @ mu) + trace, 0.0)


__all__ = ["frechet_distance"]
