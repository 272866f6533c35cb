"""DataLoader: PyTorch's loader, batches of a dataset, in the main process or in workers.

Each epoch (each ``iter(loader)``) draws, as torch does, a ``base_seed`` for the workers from
the loader's ``generator`` (the global generator when None), and the sampler draws its own
seed (a shuffling loader's sampler shares the loader's generator). So ``manual_seed(s)``
then the same program gives the same batches, and each epoch a new order.

The loader's position can be saved and restored (``state_dict``): the epoch's seeds, the
batches already given out, and the states of the non-global generators it drew from, so a
training run stopped mid-epoch resumes with exactly the batches it would have seen, with
or without workers. (The global generator's state is the caller's to save: the Trainer
keeps it in its checkpoints.)
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from multiprocessing.context import BaseContext
from typing import Any

import numpy as np

from scratchgrad import random as sg_random
from scratchgrad.data.samplers import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    draw_seed,
)
from scratchgrad.data.worker import WorkerPool, get_context
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor

_PIN_MEMORY_WARNING = (
    "'pin_memory' argument is set as true but no accelerator is found, "
    "then device pinned memory won't be used."
)


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, keeping their structure.

    Tensors and arrays (*) -> (B, *); numbers -> (B,); tuples and dicts element by element.
    """
    first = samples[0]
    if isinstance(first, Tensor):
        return Tensor(np.stack([s.array for s in samples]))
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


def default_convert(sample: Any) -> Any:
    """One sample as tensors without batching (``batch_size=None``): arrays become tensors."""
    if isinstance(sample, np.ndarray):
        return Tensor(sample)
    if isinstance(sample, Mapping):
        return {k: default_convert(v) for k, v in sample.items()}
    if isinstance(sample, tuple | list):
        return type(sample)(default_convert(v) for v in sample)
    return sample


class _Fetcher:
    """Indices -> batch: fetch the samples, transform them, collate (picklable for workers)."""

    def __init__(
        self,
        dataset: Any,
        collate_fn: Callable[[Any], Any] | None,
        transform: Callable[[Any], Any] | None,
        batched: bool,
    ) -> None:
        self.dataset, self.collate_fn, self.transform = dataset, collate_fn, transform
        self.batched = batched

    def __call__(self, idx: Any) -> Any:
        if not self.batched:  # one index, no batching (batch_size=None)
            sample = self.dataset[int(idx)]
            sample = self.transform(sample) if self.transform is not None else sample
            return (self.collate_fn or default_convert)(sample)
        collate = self.collate_fn or default_collate
        if self.collate_fn is None and self.transform is None:
            getitems = getattr(self.dataset, "__getitems__", None)
            if getitems is not None:  # batched fetching (TensorDataset: already a batch)
                batch = getitems(idx)
                return collate(batch) if isinstance(batch, list) else batch
        samples = [self.dataset[int(i)] for i in idx]
        if self.transform is not None:
            samples = [self.transform(s) for s in samples]
        return collate(samples)


def _check_workers(
    num_workers: int, timeout: float, prefetch_factor: int | None, persistent: bool
) -> None:
    if num_workers < 0:
        raise ValueError(
            "num_workers option should be non-negative; "
            "use num_workers=0 to disable multiprocessing."
        )
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing."
            "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
        )
    if prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")


def _check_context(context: Any, num_workers: int) -> BaseContext | None:
    if context is None:
        return None
    if num_workers == 0:
        raise ValueError(
            "multiprocessing_context can only be used with multi-process loading "
            f"(num_workers > 0), but got num_workers={num_workers}"
        )
    if isinstance(context, str):
        import multiprocessing

        valid = multiprocessing.get_all_start_methods()
        if context not in valid:
            raise ValueError(
                f"multiprocessing_context option should specify a valid start method in "
                f"{valid!r}, but got multiprocessing_context={context!r}"
            )
        return get_context(context)
    if not isinstance(context, BaseContext):
        raise TypeError(
            "multiprocessing_context option should be a valid context object or a string "
            f"specifying the start method, but got multiprocessing_context={context}"
        )
    return context


def _check_sampling(
    batch_size: int | None, shuffle: bool, sampler: Any, batch_sampler: Any, drop_last: bool
) -> None:
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError(
                "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                "sampler, and drop_last"
            )
    elif batch_size is None:
        if drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive "
                "with drop_last"
            )
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(
            f"batch_size should be a positive integer value, but got batch_size={batch_size}"
        )


class DataLoader:
    """Iterate over a dataset in batches, as ``torch.utils.data.DataLoader``.

    Args:
        dataset: anything with ``__len__`` and ``__getitem__`` (``__getitems__`` for
            batched fetching).
        batch_size: samples per batch; None yields single samples, unbatched.
        shuffle: a new order every epoch, drawn from ``generator``.
        sampler: the order of indices each epoch (a ``Sampler`` or an iterable of
            indices); excludes ``shuffle``.
        batch_sampler: yields whole batches of indices; excludes ``batch_size``,
            ``shuffle``, ``sampler`` and ``drop_last``.
        num_workers: worker processes that fetch and collate batches (0: the main process).
        collate_fn: turns a list of samples into a batch (``default_collate``).
        pin_memory: accepted; no effect without an accelerator (a warning says so).
        drop_last: drop the last batch when it is smaller than ``batch_size``.
        timeout: seconds to wait for a batch from the workers (0: no limit).
        worker_init_fn: called with the worker id in each worker, after seeding.
        multiprocessing_context: a start method ("fork", "spawn", "forkserver") or a
            context; the platform's default when None.
        generator: the random source for shuffling and worker seeds (the global
            generator when None).
        prefetch_factor: batches loaded in advance per worker (2 with workers).
        persistent_workers: keep the worker processes from one epoch to the next.
        pin_memory_device: accepted and ignored, as ``pin_memory``.
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
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler[Any] | Iterable[int] | None = None,
        batch_sampler: Sampler[Any] | Iterable[Sequence[int]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: str | BaseContext | None = None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        transform: Callable[[Any], Any] | None = None,
    ) -> None:
        _check_workers(num_workers, timeout, prefetch_factor, persistent_workers)
        self.multiprocessing_context = _check_context(multiprocessing_context, num_workers)
        shuffle = bool(shuffle)
        _check_sampling(batch_size, shuffle, sampler, batch_sampler, drop_last)
        self.dataset, self.num_workers, self.timeout = dataset, num_workers, timeout
        self.prefetch_factor = 2 if num_workers > 0 and prefetch_factor is None else prefetch_factor
        self.persistent_workers, self.worker_init_fn = persistent_workers, worker_init_fn
        self.pin_memory, self.pin_memory_device = pin_memory, pin_memory_device
        self.generator, self.transform = generator, transform
        if sampler is None:
            sampler = (
                RandomSampler(dataset, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        self.batch_size = batch_size if batch_sampler is None else None
        if batch_sampler is None and batch_size is not None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.sampler, self.batch_sampler, self.drop_last = sampler, batch_sampler, drop_last
        self.collate_fn = collate_fn
        self._fetch = _Fetcher(dataset, collate_fn, transform, batch_sampler is not None)
        self._pool: WorkerPool | None = None
        self._warned_pin_memory = False
        self._base_seed: int | None = None  # seeds of the current epoch (None between epochs)
        self._seed: int | None = None
        self._done = 0  # batches already given out in the current epoch
        self._resume: int | None = None  # set by load_state_dict: batches to skip

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __len__(self) -> int:
        return len(self._index_sampler)

    def _generators(self) -> list[Generator | None]:
        """The non-global generators this loader draws from: its own and its sampler's."""
        own = self.generator
        inner = self.batch_sampler.sampler if isinstance(self.batch_sampler, BatchSampler) else None
        sampler_gen = getattr(
            inner if inner is not None else self._index_sampler, "generator", None
        )
        gens = [own, sampler_gen if sampler_gen is not own else None]
        return [g if g is not sg_random.default_generator else None for g in gens]

    def _epoch_seed(self) -> int | None:
        """The sampler's seed for a new epoch (None for foreign or deterministic samplers)."""
        index_sampler = self._index_sampler
        if isinstance(index_sampler, BatchSampler) or (
            self.batch_sampler is None and isinstance(index_sampler, Sampler)
        ):
            return index_sampler.epoch_seed()
        return None

    def _index_batches(self, seed: int | None) -> Iterator[Any]:
        """The epoch's batches of indices (single indices when batch_size is None)."""
        if isinstance(self.batch_sampler, BatchSampler):
            return self.batch_sampler.index_batches(seed)
        if self.batch_sampler is not None:  # a foreign batch sampler: lists of indices
            return (np.asarray(b, dtype=np.int64) for b in self.batch_sampler)
        if isinstance(self.sampler, Sampler):
            return (int(i) for chunk in self.sampler.index_chunks(seed) for i in chunk)
        return iter(self.sampler)

    def __iter__(self) -> Iterator[Any]:
        if self.pin_memory and not self._warned_pin_memory:
            warnings.warn(_PIN_MEMORY_WARNING, UserWarning, stacklevel=2)
            self._warned_pin_memory = True
        if self._resume is None:  # a new epoch: draw its seeds, as torch at iterator start
            self._base_seed, self._seed = draw_seed(self.generator), self._epoch_seed()
            skip = 0
        else:  # continue a saved epoch: same seeds, minus the batches already given out
            skip, self._resume = self._resume, None
        batches = itertools.islice(self._index_batches(self._seed), skip, None)
        self._done = skip
        if self.num_workers == 0:
            return self._serial(batches)
        return self._parallel(batches, skip)

    def _serial(self, batches: Iterator[Any]) -> Iterator[Any]:
        for idx in batches:
            batch = self._fetch(idx)
            self._done += 1
            yield batch
        self._end_epoch()

    def _parallel(self, batches: Iterator[Any], skip: int) -> Iterator[Any]:
        pool = self._pool if self._pool is not None and self._pool.alive else self._start_pool()
        try:
            for batch in pool.run(batches, skip):
                self._done += 1
                yield batch
        finally:
            if not self.persistent_workers:
                pool.shutdown()
        self._end_epoch()

    def _start_pool(self) -> WorkerPool:
        if self._pool is not None:
            self._pool.shutdown()
        assert self._base_seed is not None
        pool = WorkerPool(
            self.num_workers,
            self._base_seed,
            self.dataset,
            self._fetch,
            self.worker_init_fn,
            self.multiprocessing_context or get_context(None),
            self.prefetch_factor or 2,
            self.timeout,
        )
        self._pool = pool if self.persistent_workers else None
        return pool

    def _end_epoch(self) -> None:
        self._base_seed = self._seed = None
        self._done = 0

    def state_dict(self) -> dict[str, Any]:
        """The loader's position: the epoch's seeds, batches given out, generator states."""
        own, sampler_gen = self._generators()
        return {
            "base_seed": self._base_seed,
            "sampler_seed": self._seed,
            "batches_done": self._done,
            "generator": own.get_state() if own is not None else None,
            "sampler_generator": sampler_gen.get_state() if sampler_gen is not None else None,
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Resume at a saved position: the next iteration continues that epoch."""
        own, sampler_gen = self._generators()
        for gen, key in ((own, "generator"), (sampler_gen, "sampler_generator")):
            if gen is not None and state.get(key) is not None:
                gen.set_state(dict(state[key]))
        self._base_seed, self._seed = state["base_seed"], state["sampler_seed"]
        self._done = int(state["batches_done"])
        in_epoch = self._base_seed is not None
        self._resume = self._done if in_epoch else None

    def __del__(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown()


__all__ = ["DataLoader", "default_collate", "default_convert"]
