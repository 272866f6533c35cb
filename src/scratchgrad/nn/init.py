"""Weight initialisation, in place, with the distributions of ``torch.nn.init``.

Each function overwrites a tensor's values (its dtype kept) without recording anything
for autograd, as PyTorch does under ``no_grad``, so it works on Parameters that require
grad; it returns the tensor. Fans follow PyTorch: for a weight of shape
(out, in, *kernel), fan_in = in * prod(kernel) and fan_out = out * prod(kernel).
Random draws come from ``generator`` or the global generator (same distributions as
PyTorch, not the same numbers).
"""

from __future__ import annotations

import math
import warnings
from typing import Literal

from scratchgrad.backend import Array, xp
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor

Mode = Literal["fan_in", "fan_out"]

_LINEAR = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)
_GAINS = {"tanh": 5.0 / 3, "relu": math.sqrt(2.0), "selu": 3.0 / 4}


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as ``torch.nn.init.calculate_gain``.

    Args:
        nonlinearity: "linear", "conv2d", ..., "sigmoid", "tanh", "relu", "leaky_relu",
            "selu".
        param: the negative slope of "leaky_relu" (default 0.01); ignored otherwise.

    Raises:
        ValueError: for an unknown nonlinearity, or a slope that is not a number.

    >>> round(calculate_gain("leaky_relu", 0.2), 4)
    1.3868
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity not in _GAINS:
        raise ValueError(f"Unsupported nonlinearity {nonlinearity}")
    return _GAINS[nonlinearity]


def calculate_fan_in_and_fan_out(t: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel).

    Raises:
        ValueError: for tensors with fewer than 2 dims.
    """
    if t.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive = math.prod(t.shape[2:])
    return t.shape[1] * receptive, t.shape[0] * receptive


_calculate_fan_in_and_fan_out = calculate_fan_in_and_fan_out  # PyTorch's private name


def _calculate_correct_fan(t: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = calculate_fan_in_and_fan_out(t)
    return fan_in if mode == "fan_in" else fan_out


def _fill(t: Tensor, values: Array) -> Tensor:
    t.array[...] = values.astype(t.dtype, copy=False)
    return t


def uniform_(
    t: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with U(a, b).

    >>> import scratchgrad as sg
    >>> w = uniform_(sg.empty(1000), -0.5, 0.5)
    >>> bool((w.abs() <= 0.5).all())
    True
    """
    return _fill(t, numpy_generator(generator).uniform(a, b, t.shape))


def normal_(
    t: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with N(mean, std^2)."""
    return _fill(t, numpy_generator(generator).normal(mean, std, t.shape))


def _norm_cdf(x: float) -> float:
    return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0


def _trunc_by_normal(
    rng: xp.random.Generator, shape: tuple[int, ...], mean: float, std: float, a: float, b: float
) -> Array:
    """Draw N(mean, std^2) and redraw values outside [a, b] until none is left."""
    out: Array = rng.normal(mean, std, shape)
    bad: Array = (out < a) | (out > b)
    while bad.any():
        out[bad] = rng.normal(mean, std, int(bad.sum()))
        bad = (out < a) | (out > b)
    return out


def _trunc_by_uniform(
    rng: xp.random.Generator, shape: tuple[int, ...], mean: float, std: float, a: float, b: float
) -> Array:
    """Rejection from U(a, b) against the normal density: for [a, b] in a thin tail."""
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(
            f"trunc_normal_: [a, b] = [{a}, {b}] holds little of N({mean}, {std}^2) and must "
            "then be finite"
        )
    mode = max(a, min(mean, b))
    log_peak = -0.5 * ((mode - mean) / std) ** 2

    def rejected(x: Array) -> Array:
        log_density: Array = -0.5 * ((x - mean) / std) ** 2 - log_peak
        return xp.log(rng.uniform(size=x.shape)) > log_density

    out: Array = rng.uniform(a, b, shape)
    pending = rejected(out)
    while pending.any():
        fresh = rng.uniform(a, b, int(pending.sum()))
        out[pending] = fresh
        pending[pending] = rejected(fresh)
    return out


def trunc_normal_(
    t: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Generator | None = None,
) -> Tensor:
    """Fill with N(mean, std^2) truncated to [a, b] (absolute bounds, not in stds).

    As PyTorch: rejection from the normal when [a, b] holds more than 30% of its mass,
    else rejection from U(a, b); warns when ``mean`` is more than 2 std outside [a, b].
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    rng = numpy_generator(generator)
    mass = _norm_cdf((b - mean) / std) - _norm_cdf((a - mean) / std)
    draw = _trunc_by_normal if mass > 0.3 else _trunc_by_uniform
    return _fill(t, draw(rng, t.shape, mean, std, a, b))


def constant_(t: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    t.array.fill(val)
    return t


def zeros_(t: Tensor) -> Tensor:
    """Fill with 0."""
    return constant_(t, 0.0)


def ones_(t: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(t, 1.0)


def eye_(t: Tensor) -> Tensor:
    """Fill a matrix (N, M) with the identity.

    Raises:
        ValueError: if ``t`` is not 2-dimensional.
    """
    if t.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(t, xp.eye(t.shape[0], t.shape[1]))


def orthogonal_(t: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix: rows or columns of t.reshape(out, -1) orthonormal.

    Raises:
        ValueError: for tensors with fewer than 2 dims.
    """
    if t.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if t.numel() == 0:
        return t
    rows = t.shape[0]
    cols = t.numel() // rows
    flat: Array = numpy_generator(generator).normal(0.0, 1.0, (rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = xp.linalg.qr(flat)
    q = q * xp.sign(xp.diag(r))  # makes the distribution uniform over orthogonal matrices
    if rows < cols:
        q = q.T
    return _fill(t, gain * q.reshape(t.shape))


def xavier_uniform_(t: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(t)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(t, -bound, bound, generator)


def xavier_normal_(t: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(t)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(t, 0.0, std, generator)


def _kaiming_std(t: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    """gain / sqrt(fan), or None (after a warning) for a tensor with no elements."""
    if 0 in t.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    fan = _calculate_correct_fan(t, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    t: Tensor,
    a: float = 0.0,
    mode: Mode = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """He uniform: U(-b, b) with b = gain * sqrt(3 / fan).

    Args:
        t: the weight, shape (out, in, *kernel).
        a: negative slope of the leaky ReLU that follows (with "leaky_relu").
        mode: "fan_in" keeps the forward variance, "fan_out" the backward one.
        nonlinearity: the activation that follows, as for :func:`calculate_gain`.
        generator: source of random numbers; the global one when None.
    """
    std = _kaiming_std(t, a, mode, nonlinearity)
    if std is None:
        return t
    bound = math.sqrt(3.0) * std
    return uniform_(t, -bound, bound, generator)


def kaiming_normal_(
    t: Tensor,
    a: float = 0.0,
    mode: Mode = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """He normal: N(0, std^2) with std = gain / sqrt(fan); arguments as kaiming_uniform_."""
    std = _kaiming_std(t, a, mode, nonlinearity)
    return t if std is None else normal_(t, 0.0, std, generator)


__all__ = [
    "calculate_fan_in_and_fan_out",
    "calculate_gain",
    "constant_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "orthogonal_",
    "trunc_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]
