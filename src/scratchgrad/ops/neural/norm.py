"""Normalisation ops, fused: ``layer_norm`` and ``batch_norm``, one node each.

Both normalise ``xhat = (x - mean) * rstd`` with ``rstd = 1 / sqrt(var + eps)`` (biased
variance) over some dims, then scale and shift: ``out = xhat * weight + bias``. Their
backward is the closed form, with ``g`` the gradient of xhat and means over the
normalised dims:

    dx = rstd * (g - mean(g) - xhat * mean(g * xhat))

Layer norm normalises each sample over its last dims; batch norm normalises each channel
over the batch and spatial dims, in training with the batch's statistics (and updates the
running estimates in place), in evaluation with the running ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scratchgrad import kernels
from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.kernels import norm as norm_kernels
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


@register("layer_norm")
class LayerNorm(Function):
    """out = (x - mean) * rstd * w + b over the trailing ``shape`` of x.

    Works on x viewed as (M, D), D = prod(shape), with w and b viewed as (D,). Saves
    xhat (M, D) and rstd (M, 1). Kernels: ``kernels.norm.layer_norm*``, one visit a row.
    """

    def forward(
        self,
        x: Array,
        w: Array | None,
        b: Array | None,
        *,
        shape: tuple[int, ...],
        eps: float,
    ) -> Array:
        size = math.prod(shape)
        x2 = x.reshape(-1, size)  # (M, D)
        self.shape, self.xshape = shape, x.shape
        if kernels.takes(x2, *(p for p in (w, b) if p is not None)):
            return self._kernel_forward(x2, w, b, eps).reshape(x.shape)
        xhat = x2 - (_row_sum(x2) / size)[:, None]
        sq = xhat * xhat  # a scratch buffer: becomes the output below
        var = _row_sum(sq) / size  # (M,), biased
        var += eps
        rstd = xp.sqrt(var, out=var)
        xp.reciprocal(rstd, out=rstd)
        rstd = rstd[:, None]  # (M, 1)
        xhat *= rstd
        w = None if w is None else w.reshape(size)  # (D,)
        self.xhat, self.rstd, self.w = xhat, rstd, w
        out: Array
        if w is not None:
            out = xp.multiply(xhat, w, out=sq)
            if b is not None:
                out += b.reshape(size)
        elif b is not None:
            out = xp.add(xhat, b.reshape(size), out=sq)
        else:
            out = xhat
        return out.reshape(x.shape)

    def _kernel_forward(self, x2: Array, w: Array | None, b: Array | None, eps: float) -> Array:
        """The forward below in one visit a row; ``w``/``b`` stand as ones/zeros."""
        size = x2.shape[1]
        self.w = None if w is None else w.reshape(size)
        ones = xp.ones(size, x2.dtype) if w is None else w.reshape(size)
        zeros = xp.zeros(size, x2.dtype) if b is None else b.reshape(size)
        out, self.xhat, self.rstd = norm_kernels.layer_norm(x2, ones, zeros, eps)
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None, Array | None]:
        xhat, w, shape = self.xhat, self.w, self.shape
        g2 = grad.reshape(xhat.shape)  # (M, D)
        need_x, need_w, need_b = self.needs_input_grad
        if kernels.takes(g2, xhat) and need_x:
            ones = xp.ones(xhat.shape[1], xhat.dtype) if w is None else w
            dx, dw, db = norm_kernels.layer_norm_backward(g2, xhat, self.rstd, ones)
            return (
                dx.reshape(self.xshape),
                dw.reshape(shape) if need_w else None,
                db.reshape(shape) if need_b else None,
            )
        gb = _col_sum(g2).reshape(shape) if need_b else None
        if not (need_x or need_w):
            return None, None, gb
        t = g2 * xhat
        gw = _col_sum(t).reshape(shape) if need_w else None
        if not need_x:
            return None, gw, gb
        # dx = rstd (gh - mean(gh) - xhat mean(gh xhat)), gh = g w the gradient of xhat
        size = xhat.shape[1]
        if w is not None:
            mean_gh, mean_ghx = (g2 @ w) / size, (t @ w) / size  # (M,) each
            dx = g2 * w
        else:
            mean_gh, mean_ghx = _row_sum(g2) / size, _row_sum(t) / size
            dx = g2.copy()
        xp.multiply(xhat, mean_ghx[:, None], out=t)
        t += mean_gh[:, None]
        dx -= t
        dx *= self.rstd
        return dx.reshape(self.xshape), gw, gb


def layer_norm(
    x: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the last dims, then scale by weight and shift by bias.

    Args:
        x: input, shape (*, *normalized_shape).
        normalized_shape: the trailing shape to normalise over, e.g. (C,).
        weight: scale, shape normalized_shape, or None.
        bias: shift, shape normalized_shape, or None.
        eps: added to the variance.

    Returns:
        Shape (*, *normalized_shape), like x.

    Raises:
        ShapeError: if x's trailing dims or weight/bias shapes differ from normalized_shape.

    >>> out = layer_norm(Tensor(xp.array([[1.0, 3.0]])), 2)
    >>> [round(v, 4) for v in out.tolist()[0]]
    [-1.0, 1.0]
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or x.ndim < k or x.shape[x.ndim - k :] != shape:
        raise ShapeError(
            f"layer_norm: input's trailing dims must equal normalized_shape: "
            f"got {x.shape[max(x.ndim - k, 0) :]}, expected {shape} (x={x.shape})"
        )
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and p.shape != shape:
            raise ShapeError(
                f"layer_norm: {name} shape must equal normalized_shape: {p.shape} != {shape}"
            )
    return LayerNorm.apply(_as_float(x), weight, bias, shape=shape, eps=float(eps))


def _channels_view(x: Array) -> Array:
    """(N, C) stays; (N, C, *) becomes (N, C, S): channel statistics are then contiguous."""
    return x if x.ndim == 2 else x.reshape(x.shape[0], x.shape[1], -1)


def _row_sum(a: Array) -> Array:
    """Sums of the rows of an (M, D) array, shape (M,).

    A BLAS matrix-vector product: several times faster than ``a.sum(axis=1)``, and as
    accurate (it accumulates in several partial sums).
    """
    out: Array = a @ xp.ones(a.shape[1], dtype=a.dtype)
    return out


def _col_sum(a: Array) -> Array:
    """Sums of the columns of an (M, D) array, shape (D,), by BLAS as ``_row_sum``."""
    out: Array = xp.ones(a.shape[0], dtype=a.dtype) @ a
    return out


def _channel_sum(a: Array) -> Array:
    """Sum of an (N, C) or (N, C, S) array over all but the channel dim, shape (C,)."""
    if a.ndim == 2:
        return _col_sum(a)
    n, c, s = a.shape
    return _col_sum(_row_sum(a.reshape(n * c, s)).reshape(n, c))


def _per_channel(v: Array, ndim: int) -> Array:
    """A (C,) vector shaped to broadcast against the (N, C) or (N, C, S) view."""
    return v if ndim == 2 else v.reshape(-1, 1)


@register("batch_norm")
class BatchNorm(Function):
    """out = (x - mean_c) * rstd_c * w_c + b_c, statistics per channel c.

    Training: batch statistics over (N, *), running estimates updated in place with the
    unbiased variance. Evaluation: the running statistics, so out = x * scale + shift.
    Works on x viewed as (N, C) or (N, C, S).
    """

    def forward(
        self,
        x: Array,
        w: Array | None,
        b: Array | None,
        *,
        running_mean: Array | None,
        running_var: Array | None,
        training: bool,
        momentum: float,
        eps: float,
    ) -> Array:
        v = _channels_view(x)
        self.shape, self.ndim, self.n = x.shape, v.ndim, x.size // x.shape[1]
        if training:
            mean = _channel_sum(v) / self.n  # (C,)
            xc = v - _per_channel(mean, v.ndim)
            sq = xc * xc  # a scratch buffer: becomes the output below
            var = _channel_sum(sq) / self.n  # (C,), biased
            _update_running(running_mean, running_var, mean, var, self.n, momentum)
        elif running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var must be given in eval")
        else:
            mean = running_mean.astype(x.dtype, copy=False)
            var = running_var.astype(x.dtype, copy=False)
            xc = None
        rstd = xp.reciprocal(xp.sqrt(var + eps))  # (C,)
        scale = rstd * w if w is not None else rstd
        self.x, self.xc, self.mean, self.rstd, self.w = v, xc, mean, rstd, w
        out: Array
        if xc is not None:  # out = (x - mean) * scale + b
            out = xp.multiply(xc, _per_channel(scale, v.ndim), out=sq)
            offset = b
        else:  # out = x * scale + (b - mean * scale)
            out = v * _per_channel(scale, v.ndim)
            offset = -mean * scale if b is None else b - mean * scale
        if offset is not None:
            out += _per_channel(offset, v.ndim)
        return out.reshape(x.shape)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None, Array | None]:
        g = _channels_view(grad)
        rstd, w, n, xc = self.rstd, self.w, self.n, self.xc
        gb = _channel_sum(g)  # sum(g) per channel
        if not (self.needs_input_grad[0] or self.needs_input_grad[1]):
            return None, None, gb
        if xc is None:  # eval: x - running_mean, only for this product
            t = self.x - _per_channel(self.mean, self.ndim)
            t *= g
        else:
            t = g * xc
        gxc = _channel_sum(t)  # sum(g (x - mean)) per channel
        gw = gxc * rstd if self.needs_input_grad[1] else None  # sum(g xhat)
        gx = None
        if self.needs_input_grad[0]:
            a = rstd * w if w is not None else rstd
            if xc is None:  # eval: the statistics are constants, dx = a g
                gx = xp.multiply(g, _per_channel(a, self.ndim), out=t)
            else:  # dx = a (g - sum(g) / n - (x - mean) rstd^2 sum(g (x - mean)) / n)
                xp.multiply(xc, _per_channel(rstd * rstd * gxc / n, self.ndim), out=t)
                t += _per_channel(gb / n, self.ndim)
                gx = g - t
                gx *= _per_channel(a, self.ndim)
            gx = gx.reshape(self.shape)
        return gx, gw, (gb if self.needs_input_grad[2] else None)


def batch_norm(
    x: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel over the batch (and spatial dims), then scale and shift.

    Args:
        x: input, shape (N, C) or (N, C, *) such as (N, C, L) or (N, C, H, W).
        running_mean: shape (C,); updated in place when training, used in eval. May be
            None when training.
        running_var: shape (C,), like running_mean (updated with the unbiased variance).
        weight: scale, shape (C,), or None.
        bias: shift, shape (C,), or None.
        training: use the batch statistics (and update the running ones).
        momentum: weight of the batch in the running update.
        eps: added to the variance.

    Returns:
        Shape (N, C, *), like x.

    Raises:
        ShapeError: for x with fewer than 2 dims or parameters not of shape (C,).
        ValueError: when training with one value per channel, or in eval without
            running statistics.

    >>> x = Tensor(xp.array([[1.0], [3.0]]))
    >>> [round(v[0], 4) for v in batch_norm(x, None, None, training=True).tolist()]
    [-1.0, 1.0]
    """
    _check_batch_norm(x, running_mean, running_var, weight, bias, training)
    rm = running_mean.array if running_mean is not None else None
    rv = running_var.array if running_var is not None else None
    return BatchNorm.apply(
        _as_float(x),
        weight,
        bias,
        running_mean=rm,
        running_var=rv,
        training=training,
        momentum=float(momentum),
        eps=float(eps),
    )


def _update_running(
    running_mean: Array | None,
    running_var: Array | None,
    mean: Array,
    var: Array,
    n: int,
    momentum: float,
) -> None:
    """running = (1 - momentum) running + momentum batch, in place (unbiased variance)."""
    if running_mean is not None:
        running_mean *= 1.0 - momentum
        running_mean += (mean * momentum).astype(running_mean.dtype, copy=False)
    if running_var is not None:
        running_var *= 1.0 - momentum
        unbiased = var * (momentum * n / max(n - 1, 1))
        running_var += unbiased.astype(running_var.dtype, copy=False)


def _check_batch_norm(
    x: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    training: bool,
) -> None:
    if x.ndim < 2:
        raise ShapeError(f"batch_norm: input must have at least 2 dims (N, C, *): got {x.shape}")
    c = x.shape[1]
    named = (("running_mean", running_mean), ("running_var", running_var))
    for name, t in (*named, ("weight", weight), ("bias", bias)):
        if t is not None and t.shape != (c,):
            raise ShapeError(
                f"batch_norm: {name} must have one value per channel: shape {t.shape} != "
                f"({c},) (x={x.shape})"
            )
    if training and x.numel() // max(c, 1) <= 1:
        raise ValueError(
            f"batch_norm: expected more than 1 value per channel when training, got input "
            f"size {x.shape}"
        )
    if not training and (running_mean is None or running_var is None):
        raise ValueError("batch_norm: running_mean and running_var must be defined in eval")


__all__ = ["batch_norm", "layer_norm"]
