"""Samplers: the order in which a DataLoader visits a dataset's indices, one epoch at a time.

PyTorch's samplers, with its signatures: each is iterable (``__iter__``, ``__len__``). For
exact resume, a sampler also splits an epoch into two steps the DataLoader can record:
``epoch_seed()`` draws the epoch's seed from the sampler's generator (the global one when
None; deterministic samplers draw nothing and return None), and ``index_chunks(seed)``
replays that epoch's indices from the seed alone, lazily, in arrays of at most
``CHUNK_SIZE`` indices. So a sampler of 10**10 draws never holds them all, and a loader
that saved the seed gives the same order after a restart.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from scratchgrad import random as sg_random
from scratchgrad.random import Generator

Indices = NDArray[np.int64]
T_co = TypeVar("T_co", covariant=True)

CHUNK_SIZE = 32768
"""The most indices a random sampler draws at once (with replacement; torch draws 32)."""


def draw_seed(generator: Generator | None = None) -> int:
    """A fresh 63-bit seed from ``generator`` (the global generator when None)."""
    source = generator if generator is not None else sg_random.default_generator
    return int(source.numpy.integers(0, 2**63))


def _rng(seed: int | None) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


def chunked(items: Iterable[int], size: int = CHUNK_SIZE) -> Iterator[Indices]:
    """Consecutive arrays of at most ``size`` items of an iterable of indices."""
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield np.asarray(chunk, dtype=np.int64)


class Sampler(ABC, Generic[T_co]):
    """Base class: subclasses define ``__iter__`` (and usually ``__len__``), as in PyTorch.

    The two hooks below make a sampler exactly resumable in a DataLoader; the defaults suit
    a sampler with no randomness of its own making (``index_chunks`` just iterates it).
    """

    @abstractmethod
    def __iter__(self) -> Iterator[T_co]:
        """The indices of one epoch."""

    def epoch_seed(self) -> int | None:
        """Draw the seed of a new epoch (None: this sampler needs none)."""
        return None

    def index_chunks(self, seed: int | None) -> Iterator[Indices]:
        """The epoch that ``seed`` determines, as consecutive index arrays, drawn lazily."""
        return chunked(iter(self))  # type: ignore[arg-type]


class _SeededSampler(Sampler[int]):
    """A random sampler: ``__iter__`` is ``index_chunks`` from a seed drawn from ``generator``."""

    generator: Generator | None

    def epoch_seed(self) -> int | None:
        """A seed drawn from ``generator``, or from the global generator when None."""
        return draw_seed(self.generator)

    def __iter__(self) -> Iterator[int]:
        for chunk in self.index_chunks(self.epoch_seed()):
            yield from chunk.tolist()

    @abstractmethod
    def index_chunks(self, seed: int | None) -> Iterator[Indices]:
        """The epoch's indices, drawn from a generator seeded with ``seed``."""


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1 every epoch.

    Args:
        data_source: the dataset (anything with ``len``).

    >>> list(SequentialSampler(range(4)))
    [0, 1, 2, 3]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)

    def index_chunks(self, seed: int | None) -> Iterator[Indices]:
        """0..n-1 in ranges of ``CHUNK_SIZE``."""
        n = len(self.data_source)
        for start in range(0, n, CHUNK_SIZE):
            yield np.arange(start, min(n, start + CHUNK_SIZE), dtype=np.int64)


class RandomSampler(_SeededSampler):
    """A new random order every epoch; with ``replacement``, ``num_samples`` independent draws.

    Args:
        data_source: the dataset (anything with ``len``).
        replacement: draw with replacement.
        num_samples: draws per epoch (default: the dataset's size). Without replacement and
            more than the dataset's size, whole permutations follow one another.
        generator: the random source (the global generator when None).

    Raises:
        TypeError: if ``replacement`` is not a bool.
        ValueError: if ``num_samples`` is not a positive int.

    >>> sorted(RandomSampler(range(5)))
    [0, 1, 2, 3, 4]
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.data_source, self.replacement = data_source, replacement
        self._num_samples, self.generator = num_samples, generator
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        n = self.num_samples
        if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={n}"
            )

    @property
    def num_samples(self) -> int:
        """Indices per epoch: ``num_samples`` if given, else the dataset's current size."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __len__(self) -> int:
        return self.num_samples

    def index_chunks(self, seed: int | None) -> Iterator[Indices]:
        """Permutations of the dataset, or chunks of ``CHUNK_SIZE`` draws with replacement."""
        rng, n, left = _rng(seed), len(self.data_source), self.num_samples
        while left > 0:
            if self.replacement:
                chunk = rng.integers(0, n, min(left, CHUNK_SIZE), dtype=np.int64)
            else:
                chunk = rng.permutation(n).astype(np.int64)[:left]
            left -= len(chunk)
            yield chunk


class SubsetRandomSampler(_SeededSampler):
    """The given indices, in a new random order every epoch.

    Args:
        indices: positions in the dataset.
        generator: the random source (the global generator when None).

    >>> sorted(SubsetRandomSampler([3, 5, 9]))
    [3, 5, 9]
    """

    def __init__(
        self, indices: Sequence[int] | NDArray[np.integer], generator: Generator | None = None
    ) -> None:
        self.indices, self.generator = indices, generator

    def __len__(self) -> int:
        return len(self.indices)

    def index_chunks(self, seed: int | None) -> Iterator[Indices]:
        """The indices, shuffled (one array)."""
        subset = np.asarray(self.indices, dtype=np.int64)
        yield subset[_rng(seed).permutation(len(subset))]


class WeightedRandomSampler(_SeededSampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    Args:
        weights: one non-negative weight per sample, shape (n,).
        num_samples: draws per epoch.
        replacement: draw with replacement (without: each index at most once).
        generator: the random source (the global generator when None).

    Raises:
        ValueError: for a non-positive ``num_samples``, weights that are not 1-d, negative
            or all zero, or more draws without replacement than samples with weight.

    >>> sorted(WeightedRandomSampler([0.0, 1.0, 1.0], 2, replacement=False))
    [1, 2]
    """

    def __init__(
        self,
        weights: Sequence[float] | NDArray[np.floating] | Any,
        num_samples: int,
        replacement: bool = True,
        generator: Generator | None = None,
    ) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        w = np.asarray(getattr(weights, "data", weights), dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {w.shape}"
            )
        if (w < 0).any() or w.sum() <= 0:
            raise ValueError("WeightedRandomSampler: weights must be non-negative, non-zero")
        if not replacement and num_samples > np.count_nonzero(w):
            raise ValueError(
                f"WeightedRandomSampler: {num_samples} draws without replacement but only "
                f"{np.count_nonzero(w)} samples have weight"
            )
        self.weights, self.num_samples = w, num_samples
        self.replacement, self.generator = replacement, generator

    def __len__(self) -> int:
        return self.num_samples

    def index_chunks(self, seed: int | None) -> Iterator[Indices]:
        """Weighted draws, in chunks of ``CHUNK_SIZE`` with replacement."""
        rng, n, p = _rng(seed), len(self.weights), self.weights / self.weights.sum()
        if not self.replacement:
            yield rng.choice(n, self.num_samples, replace=False, p=p).astype(np.int64)
            return
        cdf = np.cumsum(p)
        cdf[-1] = 1.0
        for start in range(0, self.num_samples, CHUNK_SIZE):
            u = rng.random(min(CHUNK_SIZE, self.num_samples - start))
            yield np.searchsorted(cdf, u, side="right").astype(np.int64)


class BatchSampler(Sampler[list[int]]):
    """Group another sampler's indices into batches of ``batch_size``.

    Args:
        sampler: a sampler, or any iterable of indices.
        batch_size: indices per batch.
        drop_last: drop the last batch when it is smaller than ``batch_size``.

    Raises:
        ValueError: if ``batch_size`` is not a positive int or ``drop_last`` not a bool.

    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[list[int]]:
        for batch in self.index_batches(self.epoch_seed()):
            yield batch.tolist()

    def epoch_seed(self) -> int | None:
        """The wrapped sampler's epoch seed."""
        return self.sampler.epoch_seed() if isinstance(self.sampler, Sampler) else None

    def index_batches(self, seed: int | None) -> Iterator[Indices]:
        """The epoch's batches as index arrays, cut from the wrapped sampler's chunks."""
        if isinstance(self.sampler, Sampler):
            chunks = self.sampler.index_chunks(seed)
        else:
            chunks = chunked(self.sampler)
        return _batches(chunks, self.batch_size, self.drop_last)


def _batches(chunks: Iterator[Indices], size: int, drop_last: bool) -> Iterator[Indices]:
    """Cut a stream of index arrays into arrays of ``size`` (the last one may be short)."""
    pending: list[Indices] = []
    have = 0
    for chunk in chunks:
        pending.append(chunk)
        have += len(chunk)
        if have < size:
            continue
        buf = np.concatenate(pending)
        full = len(buf) - len(buf) % size
        yield from np.split(buf[:full], full // size)
        pending, have = [buf[full:]], len(buf) - full
    if have and not drop_last:
        yield np.concatenate(pending)


__all__ = [
    "CHUNK_SIZE",
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "chunked",
    "draw_seed",
]
