"""DistributedSampler: each rank's share of the data set, as ``torch.utils.data``'s.

Every rank draws the same permutation (seeded with ``seed + epoch``; call ``set_epoch``
at each epoch, as the Trainer does), pads it by repeating its start so it splits evenly
(or drops the tail with ``drop_last``), and takes every ``num_replicas``-th index from
its rank: rank r gets positions r, r + N, r + 2N, .... With per-rank batches of B / N,
the ranks' k-th batches together are the k-th batch of B one process would draw from
the same permutation.

>>> s = DistributedSampler(range(10), num_replicas=3, rank=1, shuffle=False)
>>> list(s), len(s)
([1, 4, 7, 0], 4)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

from scratchgrad.backend import xp
from scratchgrad.data.samplers import Sampler
from scratchgrad.distributed import process_group as dist


class DistributedSampler(Sampler[int]):
    """The indices of one rank's share of ``dataset``, the same split on every rank.

    Args:
        dataset: anything with ``len``.
        num_replicas: the number of ranks (default: the world size).
        rank: this rank (default: the process group's).
        shuffle: a new permutation each epoch (``seed + epoch``); else 0..n-1.
        seed: the permutation's seed, the same on every rank.
        drop_last: drop the tail that does not split evenly, instead of padding.

    Raises:
        ValueError: for a rank outside 0..num_replicas - 1.
    """

    def __init__(
        self,
        dataset: Sized,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        self.num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
        self.rank = dist.get_rank() if rank is None else rank
        if not 0 <= self.rank < self.num_replicas:
            raise ValueError(
                f"Invalid rank {self.rank}, rank should be in the interval "
                f"[0, {self.num_replicas - 1}]"
            )
        self.dataset, self.shuffle, self.seed, self.drop_last = dataset, shuffle, seed, drop_last
        self.epoch = 0
        n = len(dataset)
        if drop_last and n % self.num_replicas:
            self.num_samples = math.ceil((n - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(n / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas

    def set_epoch(self, epoch: int) -> None:
        """Use the permutation of ``epoch`` (every rank must set the same)."""
        self.epoch = epoch

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            order = xp.random.default_rng(self.seed + self.epoch).permutation(n)
        else:
            order = xp.arange(n)
        if self.total_size > n:  # pad by repeating the start, as often as needed
            order = xp.resize(order, self.total_size)
        order = order[: self.total_size]
        return iter(order[self.rank : self.total_size : self.num_replicas].tolist())

    def __len__(self) -> int:
        return self.num_samples


__all__ = ["DistributedSampler"]
