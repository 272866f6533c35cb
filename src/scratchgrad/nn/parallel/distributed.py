"""DistributedDataParallel: one model replica per rank, gradients averaged after backward.

Each rank runs the same model on its own share of the batch. At construction rank 0's
parameters and buffers are broadcast, so every replica starts equal. During ``backward``
the first parameter gradient to arrive queues one callback for the end of the backward
pass; it packs the gradients into flat float32 buckets (``bucket_cap_mb`` each, in the
reverse order of the parameters, as torch does), starts one nonblocking Allreduce per
bucket on the raw buffers (no pickling), waits for all of them, and writes the averages
back into ``.grad``. With the same global batch, N ranks then take the same steps as one
process, up to the order of float summation.

In a world of one the wrapper only forwards: no hooks, the same numbers as the bare
model. The state dict keys carry a ``module.`` prefix, as torch's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from scratchgrad.autograd.engine import queue_callback
from scratchgrad.backend import xp
from scratchgrad.distributed import process_group as dist
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.tensor import Tensor, wrap


class DistributedDataParallel(Module):
    """Wraps ``module`` so ``backward`` averages its gradients over the ranks.

    Args:
        module: the model (the same architecture and seed on every rank).
        device_ids: accepted for torch's signature (CPU only here).
        output_device: likewise.
        dim: the batch dimension (each rank already holds its own share).
        broadcast_buffers: also broadcast the buffers (BatchNorm's running statistics)
            from rank 0 at construction.
        bucket_cap_mb: the size of a gradient bucket, in MiB of float32.
        find_unused_parameters: accepted; parameters without a gradient count as zeros.

    Shape:
        Whatever ``module`` takes and returns.
    """

    def __init__(
        self,
        module: Module,
        device_ids: Sequence[Any] | None = None,
        output_device: Any = None,
        dim: int = 0,
        broadcast_buffers: bool = True,
        bucket_cap_mb: float = 25.0,
        find_unused_parameters: bool = False,
    ) -> None:
        super().__init__()
        self.module = module
        self.dim = dim
        self.require_backward_grad_sync = True
        self._pending = False
        params = [p for p in module.parameters() if p.requires_grad]
        self._buckets = buckets(params, int(bucket_cap_mb * 2**20))
        if dist.get_world_size() > 1:
            for tensor in [*module.parameters(), *(module.buffers() if broadcast_buffers else [])]:
                dist.broadcast(tensor, src=0)
            for p in params:
                p.register_hook(self._on_grad)

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """``module(*inputs, **kwargs)``."""
        return self.module(*inputs, **kwargs)

    @contextmanager
    def no_sync(self) -> Iterator[None]:
        """Skip the averaging in the backward passes inside (gradient accumulation)."""
        before, self.require_backward_grad_sync = self.require_backward_grad_sync, False
        try:
            yield
        finally:
            self.require_backward_grad_sync = before

    def _on_grad(self, grad: Tensor) -> None:
        """A parameter's gradient arrived: queue the averaging once per backward pass."""
        if self.require_backward_grad_sync and not self._pending:
            self._pending = True
            queue_callback(self._average_gradients)

    def _average_gradients(self) -> None:
        """Allreduce every bucket (all in flight at once), then write the means back."""
        self._pending = False
        flats = [_flatten(bucket) for bucket in self._buckets]
        requests = [dist.all_reduce_start(flat) for flat in flats]
        for request, flat, bucket in zip(requests, flats, self._buckets, strict=True):
            dist.wait(request, "DistributedDataParallel gradient allreduce")
            flat /= dist.get_world_size()
            _unflatten(flat, bucket)


def buckets(params: Sequence[Parameter], cap_bytes: int) -> list[list[Parameter]]:
    """Parameters grouped, last first, into buckets of at most ``cap_bytes`` of float32.

    A parameter larger than the cap gets a bucket of its own.

    >>> from scratchgrad import nn
    >>> [len(b) for b in buckets(list(nn.Linear(4, 2).parameters()), cap_bytes=16)]
    [1, 1]
    """
    groups: list[list[Parameter]] = []
    size = cap_bytes
    for p in reversed(params):
        nbytes = p.numel() * 4
        if size + nbytes > cap_bytes and (not groups or groups[-1]):
            groups.append([])
            size = 0
        groups[-1].append(p)
        size += nbytes
    return groups


def _flatten(bucket: Sequence[Parameter]) -> Any:
    """The bucket's gradients in one float32 buffer (zeros where a gradient is missing)."""
    parts = [
        xp.zeros(p.numel(), xp.float32) if p.grad is None else p.grad.array.reshape(-1)
        for p in bucket
    ]
    return xp.concatenate(parts).astype(xp.float32, copy=False)


def _unflatten(flat: Any, bucket: Sequence[Parameter]) -> None:
    """Write the averaged buffer back into each parameter's ``.grad``."""
    offset = 0
    for p in bucket:
        values = flat[offset : offset + p.numel()].reshape(p.shape).astype(p.dtype, copy=False)
        offset += p.numel()
        if p.grad is None:
            p.grad = wrap(values.copy())
        else:
            p.grad.array[...] = values


__all__ = ["DistributedDataParallel", "buckets"]
