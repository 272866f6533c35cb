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


# ---- contract stubs: replaced by the real implementations -------------------------
def setitem(x: Tensor, index: Any, value: Any) -> None:
    """x[index] = value, in place (x must not be a leaf that requires grad)."""
    raise NotImplementedError("setitem")


def gather(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """out[i][j] = x[index[i][j]][j] (dim 0); out has index's shape."""
    raise NotImplementedError("gather")


def scatter(x: Tensor, dim: int, index: Tensor, src: Any) -> Tensor:
    """A copy of x with ``src`` (tensor or scalar) written at ``index`` along ``dim``."""
    raise NotImplementedError("scatter")


def scatter_add(x: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of x with ``src`` added at ``index`` along ``dim``."""
    raise NotImplementedError("scatter_add")


def index_select(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries at ``index`` (1-d integer) along ``dim``."""
    raise NotImplementedError("index_select")


def masked_fill(x: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of x with ``value`` where ``mask`` (bool, broadcast to x) is true."""
    raise NotImplementedError("masked_fill")


def take_along_dim(x: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values at ``indices`` along ``dim`` (of the flattened tensor when None)."""
    raise NotImplementedError("take_along_dim")


def one_hot(x: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (*) -> int64 one-hot (*, num_classes); -1 infers max + 1."""
    raise NotImplementedError("one_hot")
