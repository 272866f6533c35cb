"""Indexing: x[...], gather, scatter, index_select, masked_fill, take_along_dim, one_hot."""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._registry import register
from scratchgrad.tensor import Tensor


@register("getitem")
class GetItem(Function):
    """out = x[index]; the gradient is added back at the indexed positions."""

    def forward(self, x: Array, index: Any) -> Array:
        self.in_shape, self.index = x.shape, index
        return x[index]

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        xp.add.at(g, self.index, grad)
        return (g,)


def getitem(x: Tensor, index: Any) -> Tensor:
    """x[index] with ints, slices, None, Ellipsis, integer and bool arrays."""
    return GetItem.apply(x, index=index)
