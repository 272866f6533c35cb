"""Normalisations per sample: ``group_norm``, ``instance_norm``, ``local_response_norm``.

- group_norm normalises each of G groups of C / G channels of each sample, then scales and
  shifts each channel: one fused node. On x viewed as (N * G, D), D = C / G * S, its
  statistics and backward are layer norm's (see :mod:`~scratchgrad.ops.neural.norm`),
  with ``g`` the output's gradient times the channel's weight:
  ``dx = rstd * (g - mean(g) - xhat * mean(g * xhat))``.
- instance_norm normalises each channel of each sample: group_norm with one group per
  channel. With running statistics it updates them with the batch's mean of the
  instances' statistics (as PyTorch's), and without use_input_stats it is batch norm
  in evaluation.
- local_response_norm divides by the mean of squares over neighbouring channels, an
  average pooling over the channel dim, composed as PyTorch's.
"""

from __future__ import annotations

import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.neural.norm import _channel_sum, _row_sum, _update_running, batch_norm
from scratchgrad.ops.registry import register
from scratchgrad.ops.spatial.pad import pad
from scratchgrad.ops.spatial.pool import avg_pool2d
from scratchgrad.ops.spatial.pool3d import avg_pool3d
from scratchgrad.tensor import Tensor


@register("group_norm")
class GroupNorm(Function):
    """out = (x - mean) * rstd * w_c + b_c, statistics per sample and group of channels.

    Works on x viewed as (N, C, S) and as (N * G, D), D = C / G * S, with w and b of
    shape (C,). Saves xhat (N * G, D) and rstd (N * G, 1).
    """

    def forward(
        self, x: Array, w: Array | None, b: Array | None, *, groups: int, eps: float
    ) -> Array:
        n, c = x.shape[:2]
        rows = x.reshape(n * groups, -1)  # (N * G, D)
        d = rows.shape[1]
        xhat = rows - (_row_sum(rows) / d)[:, None]
        sq = xhat * xhat  # a scratch buffer: becomes the output below
        var = _row_sum(sq) / d  # (N * G,), biased
        var += eps
        rstd = xp.reciprocal(xp.sqrt(var, out=var), out=var)[:, None]  # (N * G, 1)
        xhat *= rstd
        self.xhat, self.rstd, self.w, self.shape = xhat, rstd, w, x.shape
        out = xhat.reshape(n, c, -1)  # (N, C, S)
        if w is not None:
            out = xp.multiply(out, w[:, None], out=sq.reshape(out.shape))
        if b is not None:
            out = xp.add(out, b[:, None], out=sq.reshape(out.shape))
        return out.reshape(x.shape)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None, Array | None]:
        xhat, w = self.xhat, self.w
        n, c = self.shape[:2]
        g = grad.reshape(n, c, -1)  # (N, C, S)
        xh = xhat.reshape(g.shape)
        need_x, need_w, need_b = self.needs_input_grad
        gb = _channel_sum(g) if need_b else None
        t = g * xh
        gw = _channel_sum(t) if need_w else None
        if not need_x:
            return None, gw, gb
        gh = g * w[:, None] if w is not None else g.copy()  # the gradient of xhat
        xp.multiply(gh, xh, out=t)
        d = xhat.shape[1]
        rows = gh.reshape(xhat.shape)  # (N * G, D)
        mean_gh, mean_ghx = _row_sum(rows) / d, _row_sum(t.reshape(xhat.shape)) / d
        t2 = t.reshape(xhat.shape)
        xp.multiply(xhat, mean_ghx[:, None], out=t2)
        t2 += mean_gh[:, None]
        rows -= t2
        rows *= self.rstd
        return rows.reshape(self.shape), gw, gb


def _check_channel_params(op: str, c: int, **params: Tensor | None) -> None:
    """Each parameter given must have shape (C,): one value per channel."""
    for name, p in params.items():
        if p is not None and p.shape != (c,):
            raise ShapeError(f"{op}: {name} must have shape ({c},) (one per channel): {p.shape}")


def group_norm(
    input: Tensor,  # noqa: A002 - PyTorch's name
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each group of channels of each sample, then scale and shift each channel.

    Args:
        input: shape (N, C, *), C divisible by num_groups.
        num_groups: G, the number of groups of C / G consecutive channels.
        weight: scale per channel, shape (C,), or None.
        bias: shift per channel, shape (C,), or None.
        eps: added to the variance.

    Returns:
        Shape (N, C, *), like input.

    Raises:
        ShapeError: for input with fewer than 2 dims, C not divisible by num_groups, or
            weight or bias not of shape (C,).
        ValueError: when each group holds a single value.

    >>> import scratchgrad as sg
    >>> group_norm(sg.tensor([[1.0, 3.0, 5.0, 9.0]]), 2)
    tensor([[-1.0000,  1.0000, -1.0000,  1.0000]])
    """
    if input.ndim < 2:
        raise ShapeError(f"group_norm: expected at least 2 dims (N, C, *), got {input.shape}")
    n, c = input.shape[:2]
    if num_groups <= 0 or c % num_groups:
        raise ShapeError(
            f"group_norm: expected the number of channels in input to be divisible by "
            f"num_groups, but got input of shape {input.shape} and num_groups={num_groups}"
        )
    if n * c // num_groups * math.prod(input.shape[2:]) == 1:  # PyTorch's check
        raise ValueError(
            f"group_norm: expected more than 1 value per channel when training, got input "
            f"size {input.shape}"
        )
    _check_channel_params("group_norm", c, weight=weight, bias=bias)
    return GroupNorm.apply(_as_float(input), weight, bias, groups=num_groups, eps=float(eps))


def _update_running_per_instance(
    x: Tensor, running_mean: Tensor | None, running_var: Tensor | None, momentum: float
) -> None:
    """Update the (C,) running statistics with the batch's mean of each instance's."""
    n, c = x.shape[:2]
    rows = x.array.reshape(n * c, -1)  # (N * C, S)
    mean = rows.mean(axis=1).reshape(n, c).mean(axis=0)  # (C,)
    var = rows.var(axis=1).reshape(n, c).mean(axis=0)  # (C,), biased
    rm = None if running_mean is None else running_mean.array
    rv = None if running_var is None else running_var.array
    _update_running(rm, rv, mean, var, rows.shape[1], momentum)


def instance_norm(
    input: Tensor,  # noqa: A002 - PyTorch's name
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel of each sample over its spatial dims, then scale and shift.

    Args:
        input: shape (N, C, *S).
        running_mean: shape (C,) or None; updated in place with the batch's mean of the
            instances' means when use_input_stats, used instead of them otherwise.
        running_var: shape (C,) or None, like running_mean (unbiased variances).
        weight: scale per channel, shape (C,), or None.
        bias: shift per channel, shape (C,), or None.
        use_input_stats: normalise with each instance's statistics (else the running ones).
        momentum: weight of the batch in the running update.
        eps: added to the variance.

    Returns:
        Shape (N, C, *S), like input.

    Raises:
        ShapeError: for input with fewer than 2 dims, or parameters not of shape (C,).
        ValueError: for one spatial element with use_input_stats, or no running
            statistics without it.

    >>> import scratchgrad as sg
    >>> instance_norm(sg.tensor([[[1.0, 3.0], [0.0, 4.0]]]))
    tensor([[[-1.0000,  1.0000],
             [-1.0000,  1.0000]]])
    """
    _check_instance_norm(input, running_mean, running_var, use_input_stats)
    _check_channel_params("instance_norm", input.shape[1], weight=weight, bias=bias)
    if not use_input_stats:  # the running statistics: batch norm in evaluation
        return batch_norm(input, running_mean, running_var, weight, bias, False, momentum, eps)
    if running_mean is not None or running_var is not None:
        _update_running_per_instance(input, running_mean, running_var, momentum)
    return group_norm(input, input.shape[1], weight, bias, eps)


def _check_instance_norm(
    x: Tensor, running_mean: Tensor | None, running_var: Tensor | None, use_input_stats: bool
) -> None:
    if x.ndim < 2:
        raise ShapeError(f"instance_norm: expected at least 2 dims (N, C, *), got {x.shape}")
    if use_input_stats and math.prod(x.shape[2:]) == 1:
        raise ValueError(
            f"instance_norm: expected more than 1 spatial element when training, got input "
            f"size {x.shape}"
        )
    if not use_input_stats and (running_mean is None or running_var is None):
        raise ValueError(
            "instance_norm: expected running_mean and running_var to be defined when "
            "use_input_stats is false"
        )
    _check_channel_params(
        "instance_norm", x.shape[1], running_mean=running_mean, running_var=running_var
    )


def local_response_norm(
    input: Tensor,  # noqa: A002 - PyTorch's name
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
) -> Tensor:
    """Divide by (k + alpha * mean of squares over ``size`` neighbouring channels)^beta.

    Args:
        input: shape (N, C, *), at least 3 dims.
        size: the number of neighbouring channels (zero-padded at the ends).
        alpha: multiplier of the mean of squares.
        beta: exponent.
        k: additive constant.

    Returns:
        Shape (N, C, *), like input.

    Raises:
        ValueError: for input with fewer than 3 dims.

    >>> import scratchgrad as sg
    >>> local_response_norm(sg.ones(1, 2, 1), 2, alpha=1.0, beta=1.0).flatten()
    tensor([0.6667, 0.5000])
    """
    if input.ndim < 3:
        raise ValueError(
            f"local_response_norm: expected 3D or higher dimensionality input (got "
            f"{input.ndim} dimensions)"
        )
    if input.numel() == 0:
        return input
    div = (input * input).unsqueeze(1)  # (N, 1, C, *)
    if input.ndim == 3:
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        n, c = input.shape[:2]
        div = div.reshape(n, 1, c, input.shape[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).reshape(input.shape)
    return input / (div * alpha + k) ** beta


__all__ = ["group_norm", "instance_norm", "local_response_norm"]
