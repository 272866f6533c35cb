"""Indexing: x[...], x[...] = v, masked_fill, one_hot; gather and scatter re-exported.

Semantics and error messages are PyTorch's. ``x[index]`` follows torch where it differs
from NumPy: Python ints select before integer arrays are applied (``x[0, :, [0, 2]]`` has
shape (3, 2) for x of shape (2, 3, 4), NumPy gives (2, 3)), a bool scalar adds a dim,
lists of floats are truncated to integer indices, and a short list holding lists,
slices, tensors or None is read as a tuple. Basic indexing (ints, slices, None,
Ellipsis) returns a view of x, as in torch; advanced indexing returns a copy. The
parsing of an index is in ``_indexing``; the ops along a dim (gather, scatter,
scatter_add, index_select, take_along_dim) are in :mod:`~scratchgrad.ops.index.gather`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchgrad import autograd
from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import broadcast_shapes
from scratchgrad.ops.elementwise.convert import _alias, _check_inplace_allowed, _write, cast
from scratchgrad.ops.elementwise.math import _data
from scratchgrad.ops.index._parse import _Index, parse, raise_index_error
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import broadcast_tensors, reshape
from scratchgrad.tensor import Tensor


@register("getitem")
class GetItem(Function):
    """out = x[index]; the gradient goes back to the indexed positions.

    Basic indexing writes it (``g[index] = grad``); integer arrays add it, so repeated
    positions accumulate.
    """

    def forward(self, x: Array, index: _Index) -> Array:
        self.in_shape, self.index = x.shape, index
        view, i = index.split(x)
        out: Array = view[i]
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        self.index.place(g, grad)
        return (g,)


def getitem(x: Tensor, index: Any) -> Tensor:
    """x[index] with ints, slices, None, Ellipsis, integer and bool arrays, as torch.

    Args:
        x: any tensor, shape (*).
        index: one entry or a tuple; tensors, arrays and lists are integer or bool indices.

    Returns:
        The selected entries: a view for basic indexing, a copy for advanced indexing.

    Raises:
        IndexError: out-of-range positions, float index tensors, masks of the wrong shape.

    >>> import scratchgrad as sg
    >>> sg.arange(12).reshape(3, 4)[1:, [0, 2]].tolist()
    [[4, 6], [8, 10]]
    """
    idx = parse(index)
    try:
        return GetItem.apply(x, index=idx)
    except IndexError:
        raise_index_error(x.shape, idx.items)
        raise


@register("index_put")
class IndexPut(Function):
    """out = copy of x with out[index] = value; value broadcast to x[index]'s shape.

    Gradients: x gets grad with zeros at index; value gets grad[index], summed back to
    value's shape.
    """

    def forward(self, x: Array, value: Any, index: _Index) -> Array:
        self.index, self.value_shape = index, xp.shape(value)
        out = x.copy()
        view, i = index.split(out)
        view[i] = value
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gx = gv = None
        if self.needs_input_grad[0]:
            gx = grad.copy()
            view, i = self.index.split(gx)
            view[i] = 0
        if self.needs_input_grad[1]:
            view, i = self.index.split(grad)
            gv = view[i]  # x[index]'s shape
            lead = len(self.value_shape) - gv.ndim
            if lead > 0:  # value had extra leading 1-dims, as torch allows
                gv = autograd.unbroadcast(gv, self.value_shape[lead:]).reshape(self.value_shape)
        return gx, gv


def setitem(x: Tensor, index: Any, value: Any) -> None:
    """x[index] = value, in place; value (tensor or scalar) broadcast and cast to x's dtype.

    Outside the graph the values are written into x's memory (views of x see them).
    In the graph (x a non-leaf that requires grad, or value requiring grad) x takes the
    result of a differentiable IndexPut.

    Raises:
        RuntimeError: on a leaf that requires grad (unless grad is off), for a value
            tensor of another dtype with advanced indexing, or a value of the wrong shape.
        IndexError: as ``getitem``.
    """
    idx = parse(index)
    _check_inplace_allowed(x)
    try:
        _put(x, idx, value)
    except IndexError:
        raise_index_error(x.shape, idx.items)
        raise
    except ValueError:
        _check_value_shape(x, idx, xp.shape(value))
        raise


def _put(x: Tensor, idx: _Index, value: Any) -> None:
    """Setitem's work: into x's memory outside the graph, through IndexPut inside it."""
    if isinstance(value, Tensor) and value.array.dtype != x.array.dtype:
        if idx.advanced:  # torch's index_put_ casts nothing (after its shape check)
            _check_value_shape(x, idx, value.shape)
            raise RuntimeError(
                f"_Index put requires the source and destination dtypes match, got "
                f"{torch_name(x.dtype)} for the destination and {torch_name(value.dtype)} "
                f"for the source."
            )
        value = cast(value, x.array.dtype)
    in_graph = x.requires_grad or (isinstance(value, Tensor) and value.requires_grad)
    if in_graph and autograd.is_grad_enabled():
        _write(x, IndexPut.apply(_alias(x), value, index=idx))
    else:
        view, i = idx.split(x.array)
        view[i] = value.array if isinstance(value, Tensor) else value


def _check_value_shape(x: Tensor, idx: _Index, value: tuple[int, ...]) -> None:
    """Raise torch's error if ``value`` does not broadcast to x[index]'s shape."""
    view, i = idx.split(x.array)
    target = view[i].shape
    while len(value) > len(target) and value[0] == 1:  # torch drops leading 1-dims
        value = value[1:]
    bad = [d for d in range(-min(len(value), len(target)), 0) if value[d] not in (1, target[d])]
    if not bad and len(value) <= len(target):
        return
    if idx.advanced:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(value)} cannot be broadcast to "
            f"indexing result of shape {list(target)}"
        )
    if bad:
        raise RuntimeError(
            f"The expanded size of the tensor ({target[bad[-1]]}) must match the existing size "
            f"({value[bad[-1]]}) at non-singleton dimension {len(target) + bad[-1]}.  Target "
            f"sizes: {list(target)}.  Tensor sizes: {list(value)}"
        )


@register("masked_fill")
class MaskedFill(Function):
    """out = value where mask else x; x (*) and mask (*) broadcast to out's shape.

    Gradients: x gets grad with zeros where filled; value (a 0-d tensor) gets the sum of
    grad where filled.
    """

    def forward(self, x: Array, value: Any, mask: Array) -> Array:
        self.mask = mask
        return xp.where(mask, xp.asarray(value, dtype=x.dtype), x)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        zero = xp.zeros((), dtype=grad.dtype)
        gx = xp.where(self.mask, zero, grad) if self.needs_input_grad[0] else None
        gv = xp.where(self.mask, grad, zero).sum() if self.needs_input_grad[1] else None
        return gx, None if gv is None else xp.asarray(gv)


def masked_fill(x: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of x with ``value`` where ``mask`` is true.

    Args:
        x: any tensor, shape (*).
        mask: bool, broadcastable with x.
        value: a Python scalar or a 0-d tensor, cast to x's dtype.

    Returns:
        x's dtype, shape broadcast(x, mask).

    Raises:
        RuntimeError: for a mask that is not bool, or a value tensor with dims.
        BroadcastError: when x and mask do not broadcast.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([1.0, -2.0, 3.0])
    >>> x.masked_fill(x < 0, 0.0).tolist()
    [1.0, 0.0, 3.0]
    """
    m = mask.array if isinstance(mask, Tensor) else xp.asarray(mask)
    if m.dtype != bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{torch_name(m.dtype, cpp=True)}"
        )
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                f"with {value.ndim} dimension(s)."
            )
        value = cast(value, x.array.dtype)
    try:
        return MaskedFill.apply(x, value, mask=m)
    except ValueError:
        broadcast_shapes(x.shape, m.shape)
        raise


@register("one_hot")
class OneHot(Function):
    """out[..., c] = 1 if x[...] == c else 0; int64 (*) -> int64 (*, num_classes)."""

    differentiable = False

    def forward(self, x: Array, num_classes: int) -> Array:
        out: Array = (x[..., None] == xp.arange(num_classes)).astype(xp.int64)
        return out


def one_hot(x: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (*) -> int64 one-hot (*, num_classes); -1 infers max + 1.

    Raises:
        TypeError: if x is not a tensor.
        RuntimeError: x not int64, a negative class, one >= num_classes, or an empty x
            with num_classes=-1.

    >>> import scratchgrad as sg
    >>> sg.one_hot(sg.tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    if not isinstance(x, Tensor):
        raise TypeError(
            f"one_hot(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    if x.array.dtype != xp.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if x.array.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(x.array.max()) + 1
    if x.array.size and x.array.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if x.array.size and x.array.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return OneHot.apply(x, num_classes=num_classes)


def argwhere(x: Tensor) -> Tensor:
    """Coordinates of the non-zero entries of x, row-major: (K, x.ndim) int64."""
    return Tensor(xp.argwhere(x.array).astype(xp.int64))


def masked_select(x: Tensor, mask: Tensor) -> Tensor:
    """The entries of x where mask is True (after broadcasting), in order: (K,)."""
    if mask.dtype != xp.bool_:
        raise TypeError(f"masked_select(): expected BoolTensor for mask, got {mask.dtype}")
    xb, mb = broadcast_tensors(x, mask)
    return reshape(xb, (-1,))[Tensor(xp.flatnonzero(mb.array))]


def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple[Tensor, ...]:
    """Flat indices (*) to a tuple of coordinate tensors, each (*), for ``shape``."""
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    total = int(xp.prod(dims)) if dims else 1
    flat = _data(indices)
    if flat.size and (flat.min() < -total or flat.max() >= total):
        raise IndexError(f"unravel_index(): expected 'indices' to be in [-{total}, {total - 1}]")
    coords = xp.unravel_index(xp.where(flat < 0, flat + total, flat), dims)
    return tuple(Tensor(xp.asarray(c, dtype=xp.int64)) for c in coords)


__all__ = [
    "argwhere",
    "getitem",
    "masked_fill",
    "masked_select",
    "one_hot",
    "setitem",
    "unravel_index",
]
