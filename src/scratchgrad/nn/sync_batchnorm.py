"""SyncBatchNorm: batch normalisation whose statistics span every rank's share of the batch.

Under data parallelism each rank sees ``B / N`` samples. Plain BatchNorm would normalise
each share with its own mean and variance; SyncBatchNorm allreduces the per-channel
sums (count and sum, then the sum of squared deviations) so every rank normalises with
the statistics of the whole global batch, and its backward allreduces ``sum(g)`` and
``sum(g * (x - mean))`` likewise. N ranks then compute what one process with the whole
batch would. In a world of one, or in eval, it is BatchNorm.

``SyncBatchNorm.convert_sync_batchnorm(model)`` swaps every BatchNorm layer of a model
for one, keeping its parameters and running statistics, as torch's does.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.distributed import process_group as dist
from scratchgrad.nn.module import Module
from scratchgrad.nn.normalization import _BatchNorm
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.neural.norm import _channel_sum, _channels_view, _per_channel, _update_running
from scratchgrad.tensor import Tensor


def _sum_over_ranks(local: Array, what: str) -> Array:
    """``local`` summed over every rank (a float64 copy, so counts stay exact)."""
    total = local.astype(xp.float64)
    if dist.get_world_size() > 1:
        dist.wait(dist.all_reduce_start(total), f"SyncBatchNorm {what}")
    return total


class SyncBatchNormFunction(Function):
    """out = (x - mean_c) * rstd_c * w_c + b_c with mean and variance over all ranks.

    Works on x viewed as (N, C) or (N, C, S); ``n`` counts the samples of every rank.
    """

    def forward(
        self,
        x: Array,
        w: Array | None,
        b: Array | None,
        *,
        running_mean: Array | None,
        running_var: Array | None,
        momentum: float,
        eps: float,
    ) -> Array:
        """Normalise with the statistics of every rank's samples; (N, C, *) -> same."""
        v = _channels_view(x)
        c = x.shape[1]
        local = xp.concatenate([_channel_sum(v), [x.size // c]])
        totals = _sum_over_ranks(local, "mean")  # (C + 1,): per-channel sums, count
        n = int(totals[-1])
        mean = (totals[:-1] / n).astype(x.dtype)  # (C,)
        xc = v - _per_channel(mean, v.ndim)
        var = (_sum_over_ranks(_channel_sum(xc * xc), "variance") / n).astype(x.dtype)
        _update_running(running_mean, running_var, mean, var, n, momentum)
        rstd = xp.reciprocal(xp.sqrt(var + eps))  # (C,)
        scale = rstd * w if w is not None else rstd
        self.shape, self.xc, self.rstd, self.w, self.n = x.shape, xc, rstd, w, n
        out = xc * _per_channel(scale, v.ndim)
        if b is not None:
            out += _per_channel(b, v.ndim)
        return out.reshape(x.shape)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None, Array | None]:
        """dx from the sums over all ranks; dw, db from this rank's (DDP averages them)."""
        g = _channels_view(grad)
        xc, rstd, n = self.xc, self.rstd, self.n
        gb = _channel_sum(g)  # this rank's sum(g); DDP averages the parameter gradients
        gxc = _channel_sum(g * xc)  # this rank's sum(g (x - mean))
        both = _sum_over_ranks(xp.concatenate([gb, gxc]), "backward").astype(g.dtype)
        gb_all, gxc_all = both[: len(gb)], both[len(gb) :]
        a = rstd * self.w if self.w is not None else rstd
        t = xc * _per_channel(rstd * rstd * gxc_all / n, xc.ndim)
        t += _per_channel(gb_all / n, xc.ndim)
        gx = (g - t) * _per_channel(a, xc.ndim)
        return gx.reshape(self.shape), gxc * rstd, gb


def sync_batch_norm(
    x: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    momentum: float,
    eps: float,
) -> Tensor:
    """Training-mode batch norm with the statistics of every rank's samples.

    Args:
        x: this rank's input, shape (N, C) or (N, C, *).
        running_mean: shape (C,), updated in place (the same on every rank), or None.
        running_var: shape (C,), likewise, with the unbiased variance of all samples.
        weight: scale, shape (C,), or None.
        bias: shift, shape (C,), or None.
        momentum: weight of the batch in the running update.
        eps: added to the variance.

    Returns:
        Shape like x.
    """
    rm = running_mean.array if running_mean is not None else None
    rv = running_var.array if running_var is not None else None
    return SyncBatchNormFunction.apply(
        _as_float(x), weight, bias, running_mean=rm, running_var=rv, momentum=momentum, eps=eps
    )


class SyncBatchNorm(_BatchNorm):
    """Batch normalisation over the whole global batch of a data-parallel run.

    Takes the arguments of :class:`~scratchgrad.nn.BatchNorm2d` (and ``process_group``,
    accepted for torch's signature: the group is MPI's world). Inputs (N, C) or (N, C, *).
    """

    _ranks = (2, 3, 4, 5)
    _expected = "at least 2D"

    def __init__(self, num_features: int, *args: Any, process_group: Any = None, **kw: Any):
        super().__init__(num_features, *args, **kw)
        self.process_group = process_group

    def _normalize(
        self,
        x: Tensor,
        running: tuple[Tensor | None, Tensor | None],
        use_batch: bool,
        momentum: float,
    ) -> Tensor:
        if not (self.training and use_batch and dist.get_world_size() > 1):
            return super()._normalize(x, running, use_batch, momentum)
        mean, var = running
        return sync_batch_norm(x, mean, var, self.weight, self.bias, momentum, self.eps)

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group: Any = None) -> Module:
        """``module`` with every BatchNorm layer replaced by a SyncBatchNorm (same state).

        Returns the module itself, changed in place, or the new layer if ``module`` is a
        BatchNorm layer.
        """
        if isinstance(module, _BatchNorm) and not isinstance(module, SyncBatchNorm):
            sync = cls(module.num_features, module.eps, module.momentum, module.affine,
                       module.track_running_stats, bias=module.bias is not None)  # fmt: skip
            sync.load_state_dict(module.state_dict())
            sync.train(module.training)
            return sync
        for name, child in list(module.named_children()):
            setattr(module, name, cls.convert_sync_batchnorm(child, process_group))
        return module


__all__ = ["SyncBatchNorm", "SyncBatchNormFunction", "sync_batch_norm"]
