"""Normalisations per sample: ``group_norm``, ``instance_norm``, ``local_response_norm``.

They reuse the fused layer norm and batch norm on a reshaped view, as PyTorch does:

- group_norm normalises each of G groups of channels of each sample: a layer norm of x
  viewed as (N, G, C / G * S), then a per-channel scale and shift.
- instance_norm normalises each channel of each sample: a batch norm of x viewed as
  (1, N * C, *S), whose per-channel statistics are per instance; the running estimates
  (when given) are updated with the mean over the batch of the instances' statistics.
- local_response_norm divides by the mean of squares over neighbouring channels, an
  average pooling over the channel dim.
"""

from __future__ import annotations

import math

from scratchgrad.autograd import no_grad
from scratchgrad.errors import ShapeError
from scratchgrad.ops.neural.norm import batch_norm, layer_norm
from scratchgrad.ops.spatial.pad import pad
from scratchgrad.ops.spatial.pool import avg_pool2d
from scratchgrad.ops.spatial.pool3d import avg_pool3d
from scratchgrad.tensor import Tensor


def _affine(op: str, x: Tensor, weight: Tensor | None, bias: Tensor | None) -> Tensor:
    """x (N, C, *) times a per-channel weight (C,) plus a per-channel bias (C,)."""
    c = x.shape[1]
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and p.shape != (c,):
            raise ShapeError(f"{op}: {name} must have shape ({c},) (one per channel): {p.shape}")
    shape = (c,) + (1,) * (x.ndim - 2)
    if weight is not None:
        x = x * weight.reshape(shape)
    if bias is not None:
        x = x + bias.reshape(shape)
    return x


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
    spatial = math.prod(input.shape[2:])
    if n * c // num_groups * spatial == 1:  # PyTorch's check
        raise ValueError(
            f"group_norm: expected more than 1 value per channel when training, got input "
            f"size {input.shape}"
        )
    size = c // num_groups * spatial
    out = layer_norm(input.reshape(n, num_groups, size), size, eps=eps)
    return _affine("group_norm", out.reshape(input.shape), weight, bias)


def _repeated(t: Tensor | None, n: int) -> Tensor | None:
    """A (C,) buffer repeated n times, (N * C,): one copy per instance."""
    if t is None:
        return None
    with no_grad():
        return t.detach().repeat(n)


def _write_mean(t: Tensor | None, per_instance: Tensor | None, n: int) -> None:
    """Set the (C,) buffer t to the mean over the batch of its (N * C,) per-instance copy."""
    if t is not None and per_instance is not None:
        t.array[...] = per_instance.array.reshape(n, -1).mean(axis=0)


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
    n, c = input.shape[:2]
    rm, rv = _repeated(running_mean, n), _repeated(running_var, n)
    view = input.reshape(1, n * c, *input.shape[2:])
    out = batch_norm(view, rm, rv, None, None, use_input_stats, momentum, eps)
    if use_input_stats:
        _write_mean(running_mean, rm, n)
        _write_mean(running_var, rv, n)
    return _affine("instance_norm", out.reshape(input.shape), weight, bias)


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
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.shape != (x.shape[1],):
            raise ShapeError(
                f"instance_norm: {name} must have shape ({x.shape[1]},) (one per channel): "
                f"{t.shape}"
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
