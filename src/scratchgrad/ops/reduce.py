"""Reductions: sum, mean, prod, max/min, argmax/argmin, var/std, norm, logsumexp, cumsum."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._registry import register
from scratchgrad.tensor import Tensor


@register("sum")
class Sum(Function):
    """out = sum of x over ``axis``; the gradient is broadcast back over it."""

    def forward(self, x: Array, axis: tuple[int, ...] | None, keepdims: bool) -> Array:
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        return xp.sum(x, axis=axis, keepdims=keepdims)

    def backward(self, grad: Array) -> tuple[Array]:
        if not self.keepdims and self.axis is not None:
            grad = xp.expand_dims(grad, self.axis)
        return (xp.broadcast_to(grad, self.in_shape),)


def sum(
    x: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,  # noqa: A001
    *,
    dtype: Any = None,
) -> Tensor:
    """Sum over ``dim`` (all dims when None). (*) -> reduced shape."""
    axis = None if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    return Sum.apply(x, axis=axis, keepdims=keepdim)


# ---- contract stubs: replaced by the real implementations -------------------------
DimArg = int | Sequence[int] | None


def mean(x: Tensor, dim: DimArg = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean over ``dim`` (all dims when None)."""
    raise NotImplementedError("mean")


def prod(x: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product over ``dim`` (all elements when None)."""
    raise NotImplementedError("prod")


def max(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The maximum of all elements, or (values, indices) along ``dim`` (a MaxMin tuple)."""
    raise NotImplementedError("max")


def min(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The minimum of all elements, or (values, indices) along ``dim`` (a MaxMin tuple)."""
    raise NotImplementedError("min")


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index (int64) of the maximum, of the flattened tensor when ``dim`` is None."""
    raise NotImplementedError("argmax")


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index (int64) of the minimum, of the flattened tensor when ``dim`` is None."""
    raise NotImplementedError("argmin")


def var(x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Variance over ``dim`` with Bessel's ``correction``."""
    raise NotImplementedError("var")


def std(x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Standard deviation over ``dim`` with Bessel's ``correction``."""
    raise NotImplementedError("std")


def norm(x: Tensor, p: Any = "fro", dim: DimArg = None, keepdim: bool = False) -> Tensor:
    """Vector p-norm (1, 2, inf, -inf, any float) or Frobenius norm over ``dim``."""
    raise NotImplementedError("norm")


def logsumexp(x: Tensor, dim: DimArg, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``dim``, without overflow."""
    raise NotImplementedError("logsumexp")


def cumsum(x: Tensor, dim: int) -> Tensor:
    """Running sum along ``dim``."""
    raise NotImplementedError("cumsum")


def any(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if any element (along ``dim``) is nonzero."""
    raise NotImplementedError("any")


def all(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if every element (along ``dim``) is nonzero."""
    raise NotImplementedError("all")
