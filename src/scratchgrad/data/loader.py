"""DataLoader: batches of a dataset, shuffled each epoch by a seeded generator.

The loader's position can be saved and restored (``state_dict``), so a training run
stopped mid-epoch resumes with exactly the batches it would have seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from scratchgrad.data.samplers import RandomSampler, Sampler, SequentialSampler
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, keeping their structure.

    Tensors and arrays (*) -> (B, *); numbers -> (B,); tuples and dicts element by element.
    """
    first = samples[0]
    if isinstance(first, Tensor):
        return Tensor(np.stack([s.data for s in samples]))
    if isinstance(first, np.ndarray | np.generic):
        return Tensor(np.stack(samples))
    if isinstance(first, bool | int | float):
        from scratchgrad.creation import tensor

        return tensor(list(samples))  # PyTorch's dtypes: int64, float32, bool
    if isinstance(first, Mapping):
        return {k: default_collate([s[k] for s in samples]) for k in first}
    if isinstance(first, tuple | list):
        return type(first)(default_collate(list(col)) for col in zip(*samples, strict=True))
    raise TypeError(f"default_collate: can't batch samples of type {type(first).__name__}")


class DataLoader:
    """Iterate over a dataset in batches.

    Args:
        dataset: anything with ``__len__`` and ``__getitem__`` (``__getitems__`` for
            batched fetching).
        batch_size: samples per batch.
        shuffle: a new order every epoch, drawn from ``generator``.
        drop_last: drop the last batch when it is smaller than ``batch_size``.
        collate_fn: turns a list of samples into a batch (``default_collate``).
        generator: the random source for shuffling (a fresh seeded one when None, so
            runs are reproducible; pass one to control the seed).
        sampler: the order of indices each epoch (a ``Sampler``); excludes ``shuffle``.
        transform: applied to each sample before collation (per-sample augmentation).

    >>> import scratchgrad as sg
    >>> from scratchgrad.data import TensorDataset
    >>> loader = DataLoader(TensorDataset(sg.arange(5)), batch_size=2)
    >>> [b[0].tolist() for b in loader]
    [[0, 1], [2, 3], [4]]
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        collate_fn: Callable[[Sequence[Any]], Any] | None = None,
        generator: Generator | None = None,
        transform: Callable[[Any], Any] | None = None,
        sampler: Sampler | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be >= 1, got {batch_size}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        self.dataset, self.batch_size = dataset, batch_size
        self.sampler = sampler or (RandomSampler() if shuffle else SequentialSampler())
        self.drop_last, self.transform = drop_last, transform
        self.collate_fn = collate_fn or default_collate
        self.generator = generator or Generator(0)
        self._epoch_state = self.generator.get_state()  # the generator as the epoch began
        self._done = 0  # batches already given out in the current epoch
        self._resume: int | None = None  # set by load_state_dict: batches to skip

    def __len__(self) -> int:
        n = self.sampler.num_samples(len(self.dataset))
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _order(self) -> np.ndarray:
        return self.sampler.indices(len(self.dataset), self.generator.numpy)

    def _fetch(self, idx: np.ndarray) -> Any:
        if self.transform is None and hasattr(self.dataset, "__getitems__"):
            return self.dataset.__getitems__(idx)
        samples = [self.dataset[int(i)] for i in idx]
        if self.transform is not None:
            samples = [self.transform(s) for s in samples]
        return self.collate_fn(samples)

    def __iter__(self) -> Iterator[Any]:
        if self._resume is None:  # a new epoch: its order comes from the generator as it is
            self._epoch_state, skip = self.generator.get_state(), 0
        else:  # continue a saved epoch: same order, minus the batches already given out
            self.generator.set_state(self._epoch_state)
            skip, self._resume = self._resume, None
        order = self._order()
        self._done = skip
        for start in range(self.batch_size * skip, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            if self.drop_last and len(idx) < self.batch_size:
                break
            self._done += 1
            yield self._fetch(idx)
        self._epoch_state, self._done = self.generator.get_state(), 0

    def state_dict(self) -> dict[str, Any]:
        """The loader's position: the epoch's generator state and batches given out."""
        return {"epoch_generator_state": self._epoch_state, "batches_done": self._done}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Resume at a saved position: the next iteration continues that epoch."""
        self._epoch_state = dict(state["epoch_generator_state"])
        self._done = self._resume = int(state["batches_done"])


__all__ = ["DataLoader", "default_collate"]
