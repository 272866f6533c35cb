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


def sum(x: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False,  # noqa: A001
        *, dtype: Any = None) -> Tensor:
    """Sum over ``dim`` (all dims when None). (*) -> reduced shape."""
    axis = None if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    return Sum.apply(x, axis=axis, keepdims=keepdim)
