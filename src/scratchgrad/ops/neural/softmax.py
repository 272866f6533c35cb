"""softmax, log_softmax and softmin along one dim, each one fused node."""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.arithmetic import neg
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


def shift_by_max(x: Array, axis: int) -> Array:
    """x - max(x) along ``axis``: values <= 0, so their exp never overflows. Shape of x.

    A row of only -inf is shifted by 0 (no NaN from -inf - -inf); a row holding +inf or
    NaN keeps its max, so it becomes NaN throughout, as in torch. The log-sum-exp trick
    of softmax, log_softmax and cross_entropy.
    """
    m = x.max(axis=axis, keepdims=True)
    return x - xp.where(m == -xp.inf, 0, m)


@register("softmax")
class Softmax(Function):
    """out = exp(x) / sum(exp(x)) along ``dim``; grad = out * (g - sum(g * out))."""

    def forward(self, x: Array, dim: int) -> Array:
        e = xp.exp(shift_by_max(x, dim))
        e /= e.sum(axis=dim, keepdims=True)
        self.out, self.dim = e, dim
        return e

    def backward(self, grad: Array) -> tuple[Array]:
        go = grad * self.out
        return (go - self.out * go.sum(axis=self.dim, keepdims=True),)


def softmax(x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """Softmax along ``dim``: non-negative values summing to 1. (*) -> (*).

    ``dtype`` casts x first (PyTorch's); ``_stacklevel`` is ignored.
    """
    if dtype is not None:
        x = cast(x, dtype)
    return Softmax.apply(_as_float(x), dim=_dim(dim, x.ndim, "softmax"))


def softmin(x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim``: non-negative, summing to 1, largest where x is least.

    Args:
        x: input, shape (*).
        dim: the dim to normalise; None picks PyTorch's legacy default (0 for 0-, 1- and
            3-d inputs, else 1).
        _stacklevel: ignored (PyTorch's warning level).
        dtype: cast x to this dtype first.

    Returns:
        Shape of x.

    >>> softmin(Tensor(xp.array([0.0, 0.0])), dim=0).tolist()
    [0.5, 0.5]
    """
    if dtype is not None:
        x = cast(x, dtype)
    d = _dim(dim, x.ndim, "softmin")
    return Softmax.apply(neg(_as_float(x)), dim=d)


@register("log_softmax")
class LogSoftmax(Function):
    """out = x - logsumexp(x) along ``dim``; grad = g - softmax * sum(g)."""

    def forward(self, x: Array, dim: int) -> Array:
        z = shift_by_max(x, dim)
        out: Array = z - xp.log(xp.exp(z).sum(axis=dim, keepdims=True))  # z first: exact
        self.out, self.dim = out, dim
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad - xp.exp(self.out) * grad.sum(axis=self.dim, keepdims=True),)


def log_softmax(
    x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably. (*) -> (*).

    ``dtype`` casts x first (PyTorch's); ``_stacklevel`` is ignored.
    """
    if dtype is not None:
        x = cast(x, dtype)
    return LogSoftmax.apply(_as_float(x), dim=_dim(dim, x.ndim, "log_softmax"))


def _dim(dim: int | None, ndim: int, op: str) -> int:
    """The softmax dim: PyTorch's legacy implicit choice when None, else checked."""
    if dim is None:
        return 0 if ndim in (0, 1, 3) else 1
    return normalize_dim(dim, ndim, op)


__all__ = ["log_softmax", "softmax", "softmin"]
