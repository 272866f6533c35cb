"""Samplers: the order in which a DataLoader visits a dataset's indices, one epoch at a time.

A sampler draws from the loader's generator (``indices(n, rng)``), so the loader can save
and restore its position exactly, whatever the sampler.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Indices = NDArray[np.int64]


class Sampler(ABC):
    """Base class: ``indices(n, rng)`` gives one epoch's indices into a dataset of size n."""

    @abstractmethod
    def indices(self, n: int, rng: np.random.Generator) -> Indices:
        """The indices of one epoch, shape (num_samples,)."""

    def num_samples(self, n: int) -> int:
        """How many indices an epoch has, for a dataset of size n."""
        return n


class SequentialSampler(Sampler):
    """0, 1, ..., n - 1 every epoch."""

    def indices(self, n: int, rng: np.random.Generator) -> Indices:
        """0..n-1."""
        return np.arange(n, dtype=np.int64)


class RandomSampler(Sampler):
    """A new random order every epoch; with ``replacement``, ``num_samples`` draws.

    Args:
        replacement: draw with replacement.
        num_samples: draws per epoch (default: the dataset's size).
    """

    def __init__(self, replacement: bool = False, num_samples: int | None = None) -> None:
        if num_samples is not None and num_samples < 1:
            raise ValueError(f"RandomSampler: num_samples must be >= 1, got {num_samples}")
        self.replacement, self._num_samples = replacement, num_samples

    def num_samples(self, n: int) -> int:
        """``num_samples`` if given, else n."""
        return n if self._num_samples is None else self._num_samples

    def indices(self, n: int, rng: np.random.Generator) -> Indices:
        """A permutation (or draws with replacement)."""
        k = self.num_samples(n)
        if self.replacement:
            return rng.integers(0, n, k).astype(np.int64)
        order = rng.permutation(n)
        reps = -(-k // n)  # more samples than the dataset: several permutations
        if reps > 1:
            order = np.concatenate([order, *(rng.permutation(n) for _ in range(reps - 1))])
        return order[:k].astype(np.int64)


class SubsetRandomSampler(Sampler):
    """The given indices, in a new random order every epoch.

    Args:
        subset: positions in the dataset.
    """

    def __init__(self, subset: Sequence[int] | NDArray[np.integer]) -> None:
        self.subset = np.asarray(subset, dtype=np.int64)

    def num_samples(self, n: int) -> int:
        """The subset's size."""
        return len(self.subset)

    def indices(self, n: int, rng: np.random.Generator) -> Indices:
        """The subset, shuffled."""
        if len(self.subset) and (self.subset.min() < 0 or self.subset.max() >= n):
            raise IndexError(f"SubsetRandomSampler: indices must be in [0, {n})")
        return self.subset[rng.permutation(len(self.subset))]


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    Args:
        weights: one non-negative weight per sample, shape (n,).
        num_samples: draws per epoch.
        replacement: draw with replacement (without: each index at most once).

    Raises:
        ValueError: for negative weights, all-zero weights, or too many draws without
            replacement.
    """

    def __init__(
        self,
        weights: Sequence[float] | NDArray[np.floating],
        num_samples: int,
        replacement: bool = True,
    ) -> None:
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim != 1 or (w < 0).any() or w.sum() <= 0:
            raise ValueError(
                "WeightedRandomSampler: weights must be a 1-d, non-negative, non-zero sequence"
            )
        if not replacement and num_samples > np.count_nonzero(w):
            raise ValueError(
                f"WeightedRandomSampler: {num_samples} draws without replacement but only "
                f"{np.count_nonzero(w)} samples have weight"
            )
        self.p, self._num_samples, self.replacement = w / w.sum(), num_samples, replacement

    def num_samples(self, n: int) -> int:
        """``num_samples``."""
        return self._num_samples

    def indices(self, n: int, rng: np.random.Generator) -> Indices:
        """Weighted draws."""
        if len(self.p) != n:
            raise ValueError(f"WeightedRandomSampler: {len(self.p)} weights for {n} samples")
        return rng.choice(n, self._num_samples, replace=self.replacement, p=self.p).astype(np.int64)


__all__ = [
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]
