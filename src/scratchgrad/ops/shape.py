"""Shape ops: views and rearrangements (reshape, transpose, expand, ...) and joins (cat, ...).

Their backward only moves gradient values back into the input's layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import BroadcastError
from scratchgrad.ops._registry import register
from scratchgrad.tensor import Tensor


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The shape that ``shapes`` broadcast to (NumPy/PyTorch rules).

    Sizes are compared right to left; each pair must be equal or one of them 1.

    Raises:
        BroadcastError: naming both shapes and the first failing dim from the right.

    >>> broadcast_shapes((5, 2, 3, 1), (5, 1, 3, 5))
    (5, 2, 3, 5)
    """
    out: list[int] = []
    first: tuple[int, ...] = ()
    for shape in shapes:
        shape = tuple(shape)
        for k in range(1, max(len(out), len(shape)) + 1):
            a = out[-k] if k <= len(out) else 1
            b = shape[-k] if k <= len(shape) else 1
            if a != b and a != 1 and b != 1:
                raise BroadcastError(
                    f"cannot broadcast shapes {first} and {shape}: at dim -{k} the sizes "
                    f"{a} and {b} differ and neither is 1"
                )
        out = [1] * (len(shape) - len(out)) + out
        for k in range(1, len(shape) + 1):
            if shape[-k] != 1:
                out[-k] = shape[-k]
        first = tuple(out)
    return tuple(out)


@register("permute")
class Permute(Function):
    """out = x with dims reordered by ``dims``; the gradient is permuted back."""

    def forward(self, x: Array, dims: tuple[int, ...]) -> Array:
        self.dims = dims
        return xp.transpose(x, dims)

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.transpose(grad, xp.argsort(self.dims)),)


def permute(x: Tensor, *dims: Any) -> Tensor:
    """x with its dims reordered: ``permute(x, 2, 0, 1)`` takes (A, B, C) to (C, A, B)."""
    if len(dims) == 1 and not isinstance(dims[0], int):
        dims = tuple(dims[0])
    return Permute.apply(x, dims=tuple(d % max(x.ndim, 1) for d in dims))


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """x with dims ``dim0`` and ``dim1`` swapped."""
    dims = list(range(x.ndim))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return permute(x, *dims)


@register("broadcast_to")
class BroadcastTo(Function):
    """out = x broadcast to ``shape`` (a view); the engine sums the gradient back."""

    def forward(self, x: Array, shape: tuple[int, ...]) -> Array:
        return xp.broadcast_to(x, shape)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad,)


def broadcast_to(x: Tensor, shape: Sequence[int]) -> Tensor:
    """x broadcast to ``shape`` without copying."""
    broadcast_shapes(x.shape, shape)
    return BroadcastTo.apply(x, shape=tuple(shape))


@register("reshape")
class Reshape(Function):
    """out = x with a new shape; the gradient takes x's shape back."""

    def forward(self, x: Array, shape: tuple[int, ...]) -> Array:
        self.in_shape = x.shape
        return xp.reshape(x, shape)

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.reshape(grad, self.in_shape),)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """x with a new shape of the same size (one entry may be -1)."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = tuple(shape[0])
    return Reshape.apply(x, shape=tuple(shape))


def unbind(x: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of x along ``dim``, that dim removed."""
    from scratchgrad.ops.index import getitem

    lead = (slice(None),) * (dim % x.ndim)
    return tuple(getitem(x, (*lead, i)) for i in range(x.shape[dim]))


# ---- contract stubs: replaced by the real implementations -------------------------
def view(x: Tensor, *shape: Any) -> Tensor:
    """x with a new shape, sharing memory; fails when that would need a copy."""
    raise NotImplementedError("view")


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dims start_dim..end_dim merged into one."""
    raise NotImplementedError("flatten")


def unflatten(x: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Dim ``dim`` split into ``sizes``."""
    raise NotImplementedError("unflatten")


def squeeze(x: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """Dims of size 1 removed (only those in ``dim`` when given)."""
    raise NotImplementedError("squeeze")


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """A dim of size 1 inserted at ``dim``."""
    raise NotImplementedError("unsqueeze")


def expand(x: Tensor, *sizes: Any) -> Tensor:
    """x broadcast to ``sizes`` (-1 keeps a size), without copying."""
    raise NotImplementedError("expand")


def repeat(x: Tensor, *sizes: Any) -> Tensor:
    """x tiled ``sizes`` times along each dim (Tensor.repeat)."""
    raise NotImplementedError("repeat")


def tile(x: Tensor, dims: Sequence[int]) -> Tensor:
    """Like repeat; missing leading entries of ``dims`` count as 1."""
    raise NotImplementedError("tile")


def flip(x: Tensor, dims: Sequence[int]) -> Tensor:
    """The order reversed along ``dims``."""
    raise NotImplementedError("flip")


def roll(x: Tensor, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
    """Elements rotated along ``dims`` (over the flattened tensor when None)."""
    raise NotImplementedError("roll")


def contiguous(x: Tensor) -> Tensor:
    """x with C-contiguous memory (x itself when it already is)."""
    raise NotImplementedError("contiguous")


def split(
    x: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or the listed sizes."""
    raise NotImplementedError("split")


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most ``chunks`` pieces of ceil(size / chunks) along ``dim``."""
    raise NotImplementedError("chunk")


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Tensors joined along an existing dim."""
    raise NotImplementedError("cat")


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Tensors of one shape joined along a new dim."""
    raise NotImplementedError("stack")
