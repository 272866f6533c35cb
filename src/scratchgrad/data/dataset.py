"""Datasets: the Dataset protocol, TensorDataset, Subset, random_split.

A dataset is anything with ``__len__`` and ``__getitem__(i)``. One that also has
``__getitems__(indices)`` hands the loader a whole batch at once: ``TensorDataset`` does,
so a batch is one fancy-indexing copy per tensor, not a Python loop over samples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor


@runtime_checkable
class Dataset(Protocol):
    """Samples by index: ``len(ds)`` and ``ds[i]``."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Any: ...


class TensorDataset:
    """Samples are rows of tensors (or arrays) sharing their first dim.

    Args:
        *tensors: tensors or NumPy arrays of shape (N, ...), all with the same N.

    Raises:
        ValueError: if the first dims differ.

    >>> import scratchgrad as sg
    >>> ds = TensorDataset(sg.zeros(4, 2), sg.arange(4))
    >>> len(ds), ds[1][1].item()
    (4, 1)
    """

    def __init__(self, *tensors: Tensor | np.ndarray) -> None:
        self.tensors = tuple(t if isinstance(t, Tensor) else Tensor(np.asarray(t)) for t in tensors)
        sizes = {t.shape[0] for t in self.tensors}
        if len(sizes) > 1:
            shapes = [t.shape for t in self.tensors]
            raise ValueError(
                f"TensorDataset: size mismatch between tensors: first dims of {shapes}"
            )

    def __len__(self) -> int:
        return self.tensors[0].shape[0] if self.tensors else 0

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(Tensor(t.array[index]) for t in self.tensors)

    def __getitems__(self, indices: Sequence[int]) -> tuple[Tensor, ...]:
        """A whole batch: one indexing copy per tensor. -> ((B, ...), ...)."""
        idx = np.asarray(indices)
        return tuple(Tensor(t.array[idx]) for t in self.tensors)


class Subset:
    """The samples of ``dataset`` at ``indices``.

    Args:
        dataset: any dataset.
        indices: positions in ``dataset``.
    """

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[index])]

    def __getitems__(self, indices: Sequence[int]) -> Any:
        """A batch from the underlying dataset, batched when it can be."""
        picked = self.indices[np.asarray(indices)]
        if hasattr(self.dataset, "__getitems__"):
            return self.dataset.__getitems__(picked)
        return [self.dataset[int(i)] for i in picked]


def _lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """Absolute lengths, from ints or from fractions summing to 1 (remainders spread)."""
    if all(isinstance(x, int) for x in lengths):
        if sum(lengths) != n:
            raise ValueError(
                f"random_split: lengths {list(lengths)} sum to {sum(lengths)}, not {n}"
            )
        return [int(x) for x in lengths]
    if abs(sum(lengths) - 1.0) > 1e-6 or any(x < 0 for x in lengths):
        raise ValueError(f"random_split: fractions {list(lengths)} must be >= 0 and sum to 1")
    sizes = [int(np.floor(n * f)) for f in lengths]
    for i in range(n - sum(sizes)):  # round-robin, as torch
        sizes[i % len(sizes)] += 1
    return sizes


def random_split(
    dataset: Any, lengths: Sequence[float], generator: Generator | None = None
) -> list[Subset]:
    """Split a dataset into non-overlapping random subsets of the given lengths or fractions."""
    sizes = _lengths(len(dataset), lengths)
    order = numpy_generator(generator).permutation(len(dataset))
    bounds = np.cumsum([0, *sizes])
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


__all__ = ["Dataset", "Subset", "TensorDataset", "random_split"]
