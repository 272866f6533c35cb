"""Shape ops: views and rearrangements (reshape, transpose, expand, flip, ...).

Their backward only moves gradient values back into the input's layout. What PyTorch
returns as a view (reshape when it can, view, transpose, expand, squeeze, ...) is a
NumPy view here too; flip and roll copy, as there.

Registered primitives: permute, broadcast_to, reshape, contiguous, flip, roll. Every
other op here is built from them and needs no backward. Dims follow PyTorch: negative
dims count from the end, and a 0-d tensor accepts dim 0 and -1 where PyTorch does
(:func:`normalize_dim`, in ``_dims``). Pieces and joins (narrow, split, chunk, unbind,
cat, stack, repeat, tile) are in :mod:`~scratchgrad.ops.shape.join`, importable from here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops.dims import Shape, broadcast_shapes, normalize_dim, normalize_dims, shape_arg
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


def _infer(shape: Shape, numel: int) -> Shape | None:
    """``shape`` with its one -1 resolved so it holds ``numel`` elements; None if it can't."""
    free = shape.count(-1)
    known = math.prod(d for d in shape if d != -1)
    if min(shape, default=0) < -1 or free > 1 or (free and known == 0):
        return None
    if free:
        return None if numel % known else tuple(numel // known if d == -1 else d for d in shape)
    return shape if known == numel else None


def _bad_shape(shape: Shape, in_shape: Shape, op: str) -> ShapeError:
    """The error for a ``shape`` that x of ``in_shape`` can't take, naming the broken rule."""
    where = f"(x {in_shape}, shape {shape})"
    numel = math.prod(in_shape)
    if min(shape, default=0) < -1:
        rule = f"sizes must be -1 or >= 0: invalid shape dimension {min(shape)}"
    elif shape.count(-1) > 1:
        rule = f"only one dimension can be inferred: {shape.count(-1)} sizes are -1"
    elif -1 in shape and 0 in shape and numel == 0:
        rule = f"the -1 is ambiguous next to a 0: {numel} elements fit any size"
    else:
        rule = (
            f"shape must hold as many elements as x: {list(shape)} is invalid for input of "
            f"size {numel}"
        )
    return ShapeError(f"{op}: {rule} {where}")


@register("broadcast_to")
class BroadcastTo(Function):
    """out = x broadcast to ``shape`` (a read-only view); the engine sums the gradient back."""

    def forward(self, x: Array, shape: Shape) -> Array:
        return xp.broadcast_to(x, shape)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad,)  # (*shape); autograd.unbroadcast reduces it to x's shape


def _expand_shape(in_shape: Shape, sizes: Shape, op: str) -> Shape:
    """The target shape of expanding ``in_shape`` to ``sizes``, its -1 entries resolved.

    Raises:
        BroadcastError: naming the failing dim.
    """
    lead = len(sizes) - len(in_shape)  # new leading dims
    where = f"(x {in_shape}, sizes {sizes})"
    if lead < 0:
        raise BroadcastError(
            f"{op}: the number of sizes must be >= x.ndim: {len(sizes)} < {len(in_shape)} {where}"
        )
    out = list(sizes)
    for i, size in enumerate(sizes):
        have = in_shape[i - lead] if i >= lead else None
        if size == -1 and have is None:
            raise BroadcastError(f"{op}: -1 is not allowed in a new leading dim: dim {i} {where}")
        if size == -1 and have is not None:
            out[i] = have
        elif size < 0 or have not in (None, 1, size):
            raise BroadcastError(
                f"{op}: the expanded size must match the existing size at non-singleton "
                f"dims: dim {i} has size {have}, target {size} {where}"
            )
    return tuple(out)


def _expand(x: Tensor, sizes: Shape, op: str) -> Tensor:
    """BroadcastTo.apply with PyTorch's expand rules (-1 keeps a size, only size 1 grows)."""
    if -1 in sizes:
        sizes = _expand_shape(x.shape, sizes, op)
    try:
        return BroadcastTo.apply(x, shape=sizes)
    except ValueError:
        _expand_shape(x.shape, sizes, op)  # raises the error that says which rule failed
        raise


def broadcast_to(x: Tensor, shape: Sequence[int]) -> Tensor:
    """x broadcast to ``shape`` without copying (-1 keeps a size). (*s) -> (*shape)."""
    return _expand(x, shape_arg((shape,)), "broadcast_to")


def expand(x: Tensor, *sizes: Any) -> Tensor:
    """x broadcast to ``sizes`` (-1 keeps a size), without copying.

    New dims may be added in front; only size-1 dims can grow: (3, 1) -> (2, 3, 4).

    >>> import scratchgrad as sg
    >>> expand(sg.ones(3, 1), 2, -1, 4).shape
    (2, 3, 4)
    """
    return _expand(x, shape_arg(sizes), "expand")


@register("permute")
class Permute(Function):
    """out = x with dims reordered by ``dims``; the gradient is permuted back."""

    def forward(self, x: Array, dims: Shape) -> Array:
        self.dims = dims
        return xp.transpose(x, dims)

    def backward(self, grad: Array) -> tuple[Array]:
        inverse = sorted(range(len(self.dims)), key=self.dims.__getitem__)
        return (xp.transpose(grad, inverse),)


def permute(x: Tensor, *dims: Any) -> Tensor:
    """x with its dims reordered: ``permute(x, 2, 0, 1)`` takes (A, B, C) to (C, A, B).

    Raises:
        ShapeError: when ``dims`` is not a permutation of x's dims.
    """
    given, n = shape_arg(dims), x.ndim
    order = tuple(d + n if d < 0 else d for d in given)
    if sorted(order) != list(range(n)):  # not a permutation of x's dims: find out why
        order = normalize_dims(given, n, "permute")
        if len(order) != n:
            raise ShapeError(
                f"permute: the number of dims must equal x.ndim: {len(order)} != {n} "
                f"(x {x.shape}, dims {given})"
            )
    return Permute.apply(x, dims=order)


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """x with dims ``dim0`` and ``dim1`` swapped: a view."""
    a, b = normalize_dim(dim0, x.ndim, "transpose"), normalize_dim(dim1, x.ndim, "transpose")
    order = list(range(x.ndim))
    if x.ndim:
        order[a], order[b] = order[b], order[a]
    return Permute.apply(x, dims=tuple(order))


@register("reshape")
class Reshape(Function):
    """out = x with a new shape of the same size; a view when NumPy can make one."""

    def forward(self, x: Array, shape: Shape) -> Array:
        self.in_shape = x.shape
        return xp.reshape(x, shape)

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.reshape(grad, self.in_shape),)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dims start_dim..end_dim merged into one: (A, B, C, D), 1, 2 -> (A, B*C, D).

    A 0-d tensor becomes shape (1,); x itself comes back when start_dim == end_dim.
    """
    start = normalize_dim(start_dim, x.ndim, "flatten")
    end = normalize_dim(end_dim, x.ndim, "flatten")
    if start > end:
        raise ShapeError(
            f"flatten: start_dim cannot come after end_dim: {start_dim} > {end_dim} (x {x.shape})"
        )
    if x.ndim == 0:
        return Reshape.apply(x, shape=(1,))
    if start == end:
        return x
    merged = math.prod(x.shape[start : end + 1])
    return Reshape.apply(x, shape=(*x.shape[:start], merged, *x.shape[end + 1 :]))


def unflatten(x: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Dim ``dim`` split into ``sizes`` (one may be -1): (A, 12), 1, (3, 4) -> (A, 3, 4)."""
    d = normalize_dim(dim, x.ndim, "unflatten", scalar_ok=False)
    given = shape_arg((sizes,))
    if not given:
        raise ShapeError(f"unflatten: sizes must be non-empty: {given} (x {x.shape})")
    resolved = _infer(given, x.shape[d])
    if resolved is None:
        raise ShapeError(
            f"unflatten: sizes must multiply up to the size of dim {d}: {list(given)} don't "
            f"multiply up to {x.shape[d]} (x {x.shape})"
        )
    return Reshape.apply(x, shape=(*x.shape[:d], *resolved, *x.shape[d + 1 :]))


def squeeze(x: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """Dims of size 1 removed (only those in ``dim`` when given; others stay): a view."""
    if dim is None:
        shape = tuple(n for n in x.shape if n != 1)
    else:
        dims = normalize_dims(dim, x.ndim, "squeeze")
        shape = tuple(n for i, n in enumerate(x.shape) if n != 1 or i not in dims)
    return Reshape.apply(x, shape=shape)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """A dim of size 1 inserted at ``dim`` in [-ndim - 1, ndim]: a view."""
    d = normalize_dim(dim, x.ndim + 1, "unsqueeze")
    return Reshape.apply(x, shape=(*x.shape[:d], 1, *x.shape[d:]))


def _reshape(x: Tensor, shape: Shape, op: str) -> Tensor:
    """Reshape.apply with PyTorch's checks: one -1 at most, no other negative size."""
    if min(shape, default=0) >= -1:  # NumPy would infer any negative size
        try:
            return Reshape.apply(x, shape=shape)
        except ValueError:
            pass
    raise _bad_shape(shape, x.shape, op)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """x with a new shape of the same size (one entry may be -1); copies only when it must.

    Raises:
        ShapeError: when the sizes don't hold x's elements, or several are -1.
    """
    return _reshape(x, shape_arg(shape), "reshape")


def view(x: Tensor, *shape: Any) -> Tensor:
    """x with a new shape, sharing memory; fails when that would need a copy.

    Raises:
        ShapeError: when the sizes don't fit x, or x's strides allow no such view
            (use :func:`reshape`, which copies).
    """
    out = _reshape(x, shape_arg(shape), "view")
    if out.array.size and not xp.may_share_memory(out.array, x.array):  # NumPy had to copy
        strides = tuple(s // x.array.itemsize for s in x.array.strides)
        raise ShapeError(
            "view: view size is not compatible with input tensor's size and stride (at least "
            "one dimension spans across two contiguous subspaces); use reshape(...) instead: "
            f"shape {out.shape} (x {x.shape}, strides {strides})"
        )
    return out


@register("contiguous")
class Contiguous(Function):
    """out = a C-contiguous copy of x; the gradient passes through."""

    def forward(self, x: Array) -> Array:
        return x.copy(order="C")

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad,)


def contiguous(x: Tensor) -> Tensor:
    """x with C-contiguous memory: x itself when it already is, else a copy."""
    return x if x.array.flags.c_contiguous else Contiguous.apply(x)


@register("flip")
class Flip(Function):
    """out = x reversed along ``dims``: a copy, as PyTorch's; the gradient is flipped back."""

    def forward(self, x: Array, dims: Shape) -> Array:
        self.dims = dims
        return xp.flip(x, dims).copy()  # a view would let writes to out reach x

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.flip(grad, self.dims),)


def flip(x: Tensor, dims: Sequence[int]) -> Tensor:
    """The order reversed along ``dims`` (each given once)."""
    order = normalize_dims(dims, x.ndim, "flip")
    return Flip.apply(x, dims=order if x.ndim else ())


@register("roll")
class Roll(Function):
    """out = x rotated by ``shifts`` along ``dims`` (the flattened x when None); a copy."""

    def forward(self, x: Array, shifts: Shape, dims: Shape | None) -> Array:
        self.shifts, self.dims = shifts, dims
        return xp.roll(x, shifts, axis=dims)

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.roll(grad, tuple(-s for s in self.shifts), axis=self.dims),)


def roll(x: Tensor, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
    """Elements rotated along ``dims`` (over the flattened tensor when None), a copy.

    One shift per dim; elements leaving one end come back at the other.

    Raises:
        ShapeError: when shifts and dims differ in number.
    """
    by = shape_arg((shifts,))
    along = None if dims is None else shape_arg((dims,))
    if len(by) != (1 if along is None else len(along)):
        raise ShapeError(
            f"roll: shifts and dims must align: {len(by)} shifts, "
            f"{0 if along is None else len(along)} dims (x {x.shape}, shifts {by}, dims {dims})"
        )
    if along is not None:
        along = tuple(normalize_dim(d, x.ndim, "roll", scalar_ok=False) for d in along)
    return Roll.apply(x, shifts=by, dims=along)


def t(x: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dims: (M, N) -> (N, M); 0-d and 1-d unchanged."""
    if x.ndim > 2:
        raise ValueError(f"t(): expects input to be <= 2-D tensor, but input is {x.ndim}-D")
    return x if x.ndim < 2 else transpose(x, 0, 1)


def clone(x: Tensor) -> Tensor:
    """A copy of x with its own memory, differentiable; same shape."""
    return x.clone()


def ravel(x: Tensor) -> Tensor:
    """x flattened: (*) -> (numel,)."""
    return reshape(x, (-1,))


def _promoted(x: Tensor, n: int) -> Tensor:
    if x.ndim >= n:
        return x
    if n == 3 and x.ndim == 2:
        return reshape(x, (*x.shape, 1))  # (M, N) -> (M, N, 1)
    if n == 3 and x.ndim == 1:
        return reshape(x, (1, x.shape[0], 1))  # (N,) -> (1, N, 1)
    return reshape(x, (1,) * (n - x.ndim) + tuple(x.shape))


def _atleast(n: int, tensors: tuple[Any, ...]) -> Any:
    if len(tensors) == 1 and not isinstance(tensors[0], list | tuple):
        return _promoted(tensors[0], n)
    seq = tensors[0] if len(tensors) == 1 else tensors
    return tuple(_promoted(x, n) for x in seq)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim: () -> (1,); one tensor in, one out, else a tuple."""
    return _atleast(1, tensors)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims: () -> (1, 1), (N,) -> (1, N)."""
    return _atleast(2, tensors)


def atleast_3d(*tensors: Any) -> Any:
    """At least 3 dims: () -> (1, 1, 1), (N,) -> (1, N, 1), (M, N) -> (M, N, 1)."""
    return _atleast(3, tensors)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors broadcast to their common shape (views)."""
    shape = broadcast_shapes(*(x.shape for x in tensors))
    return tuple(broadcast_to(x, shape) for x in tensors)


def adjoint(x: Tensor) -> Tensor:
    """The last two dims swapped (real tensors): (*, M, N) -> (*, N, M), a view."""
    if x.ndim < 2:
        raise ValueError(f"adjoint(): only supported on matrices, got {x.ndim}-D")
    return transpose(x, -2, -1)


def rot90(x: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """Rotate by k * 90 degrees in the plane ``dims`` (from dims[0] toward dims[1])."""
    d0, d1 = (normalize_dim(d, x.ndim, "rot90") for d in dims)
    if len(dims) != 2 or d0 == d1:
        raise ValueError(f"rot90(): expected two different dims, got {tuple(dims)}")
    k %= 4
    if k == 1:
        return transpose(flip(x, [d1]), d0, d1)
    if k == 2:
        return flip(x, [d0, d1])
    if k == 3:
        return flip(transpose(x, d0, d1), [d1])
    return x


def fliplr(x: Tensor) -> Tensor:
    """x with dim 1 reversed (left/right); needs >= 2 dims; same shape."""
    if x.ndim < 2:
        raise ValueError("fliplr(): input tensor must be at least 2-D")
    return flip(x, [1])


def flipud(x: Tensor) -> Tensor:
    """x with dim 0 reversed (up/down); needs >= 1 dim; same shape."""
    if x.ndim < 1:
        raise ValueError("flipud(): input tensor must be at least 1-D")
    return flip(x, [0])


__all__ = [
    "adjoint",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_tensors",
    "broadcast_to",
    "clone",
    "contiguous",
    "expand",
    "flatten",
    "flip",
    "fliplr",
    "flipud",
    "permute",
    "ravel",
    "reshape",
    "roll",
    "rot90",
    "squeeze",
    "t",
    "transpose",
    "unflatten",
    "unsqueeze",
    "view",
]
