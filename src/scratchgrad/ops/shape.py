"""Shape ops: views and rearrangements (reshape, transpose, expand, ...) and joins (cat, ...).

Their backward only moves gradient values back into the input's layout. What PyTorch
returns as a view (reshape when it can, view, transpose, expand, squeeze, split, chunk,
unbind, ...) is a NumPy view here too; flip, roll, repeat, cat and stack copy, as there.

Registered primitives: permute, broadcast_to, reshape, narrow, contiguous, flip, roll,
repeat, cat, stack. Every other op here is built from them and needs no backward.
Dims follow PyTorch: negative dims count from the end, and a 0-d tensor accepts dim 0
and -1 where PyTorch does (:func:`normalize_dim`).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import result_type
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import cast
from scratchgrad.tensor import Tensor

Shape = tuple[int, ...]


# ------------------------------------------------------------------ dims and sizes
def normalize_dim(dim: int, ndim: int, op: str, *, scalar_ok: bool = True) -> int:
    """``dim`` as an index in [0, ndim), by PyTorch's rules.

    Args:
        dim: a dim in [-ndim, ndim - 1]; negative dims count from the end.
        ndim: the number of dims (ops that insert a dim, like unsqueeze, pass ndim + 1).
        op: the op's name, for the error message.
        scalar_ok: let a 0-d tensor take dim 0 or -1, as if it had one dim (PyTorch's
            default); when False a 0-d tensor has no valid dim.

    Returns:
        The dim in [0, max(ndim, 1)).

    Raises:
        IndexError: naming the dim and the allowed range.

    >>> normalize_dim(-1, 3, "sum")
    2
    """
    if ndim == 0 and not scalar_ok:
        raise IndexError(f"{op}: Dimension specified as {dim} but tensor has no dimensions")
    n = max(ndim, 1)
    d = operator.index(dim)
    if not -n <= d < n:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
            f"but got {dim})"
        )
    return d + n if d < 0 else d


def normalize_dims(dims: int | Iterable[int], ndim: int, op: str) -> Shape:
    """Each of ``dims`` (one int or several) normalized by :func:`normalize_dim`, once each.

    Raises:
        IndexError: for a dim out of range.
        ShapeError: for a dim given twice (also as -1 and ndim - 1).

    >>> normalize_dims((0, -1), 3, "flip")
    (0, 2)
    """
    given = tuple(dims) if isinstance(dims, Iterable) else (dims,)
    out = tuple(normalize_dim(d, ndim, op) for d in given)
    if len(set(out)) != len(out):
        twice = next(d for i, d in enumerate(out) if d in out[:i])
        raise ShapeError(
            f"{op}: each dim may be given once: dim {twice} appears multiple times in the "
            f"list of dims {given} (ndim {ndim})"
        )
    return out


def _shape_arg(args: tuple[Any, ...]) -> Shape:
    """Sizes passed as ``f(x, 2, 3)`` or ``f(x, (2, 3))`` (NumPy rejects non-integers)."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(args[0]) if isinstance(args[0], Iterable) else (args[0],)
    return args


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


# ------------------------------------------------------------------ broadcasting
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
    return _expand(x, _shape_arg((shape,)), "broadcast_to")


def expand(x: Tensor, *sizes: Any) -> Tensor:
    """x broadcast to ``sizes`` (-1 keeps a size), without copying.

    New dims may be added in front; only size-1 dims can grow: (3, 1) -> (2, 3, 4).

    >>> import scratchgrad as sg
    >>> expand(sg.ones(3, 1), 2, -1, 4).shape
    (2, 3, 4)
    """
    return _expand(x, _shape_arg(sizes), "expand")


# ------------------------------------------------------------------ permute, transpose
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
    given, n = _shape_arg(dims), x.ndim
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


# ------------------------------------------------------------------ reshape and friends
@register("reshape")
class Reshape(Function):
    """out = x with a new shape of the same size; a view when NumPy can make one."""

    def forward(self, x: Array, shape: Shape) -> Array:
        self.in_shape = x.shape
        return xp.reshape(x, shape)

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.reshape(grad, self.in_shape),)


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
    return _reshape(x, _shape_arg(shape), "reshape")


def view(x: Tensor, *shape: Any) -> Tensor:
    """x with a new shape, sharing memory; fails when that would need a copy.

    Raises:
        ShapeError: when the sizes don't fit x, or x's strides allow no such view
            (use :func:`reshape`, which copies).
    """
    out = _reshape(x, _shape_arg(shape), "view")
    if out.data.size and not xp.may_share_memory(out.data, x.data):  # NumPy had to copy
        strides = tuple(s // x.data.itemsize for s in x.data.strides)
        raise ShapeError(
            "view: view size is not compatible with input tensor's size and stride (at least "
            "one dimension spans across two contiguous subspaces); use reshape(...) instead: "
            f"shape {out.shape} (x {x.shape}, strides {strides})"
        )
    return out


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
    given = _shape_arg((sizes,))
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


@register("contiguous")
class Contiguous(Function):
    """out = a C-contiguous copy of x; the gradient passes through."""

    def forward(self, x: Array) -> Array:
        return x.copy(order="C")

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad,)


def contiguous(x: Tensor) -> Tensor:
    """x with C-contiguous memory: x itself when it already is, else a copy."""
    return x if x.data.flags.c_contiguous else Contiguous.apply(x)


# ------------------------------------------------------------------ copies: repeat, flip, roll
@register("repeat")
class Repeat(Function):
    """out = x tiled ``reps`` times per dim, x's shape padded with leading 1s to len(reps).

    (s0, ..., sk) -> (r0*s0, ..., rk*sk), one copy. The gradient sums the tiles.
    """

    def forward(self, x: Array, reps: Shape) -> Array:
        self.in_shape = x.shape
        sizes = (1,) * (len(reps) - x.ndim) + x.shape
        self.tiled = tuple(v for r, s in zip(reps, sizes, strict=True) for v in (r, s))
        out = xp.empty(tuple(r * s for r, s in zip(reps, sizes, strict=True)), dtype=x.dtype)
        ones = tuple(v for s in sizes for v in (1, s))  # (1, s0, 1, s1, ...)
        out.reshape(self.tiled)[...] = x.reshape(ones)  # (r0, s0, r1, s1, ...) <- broadcast
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        g = grad.reshape(self.tiled).sum(axis=tuple(range(0, len(self.tiled), 2)))  # (s0, ...)
        return (g.reshape(self.in_shape),)


def repeat(x: Tensor, *sizes: Any) -> Tensor:
    """x tiled ``sizes`` times along each dim (Tensor.repeat): (2, 3) by (2, 1, 2) -> (2, 2, 6).

    Raises:
        ShapeError: with fewer sizes than x has dims, or a negative size.
    """
    reps = _shape_arg(sizes)
    if len(reps) < x.ndim:
        raise ShapeError(
            f"repeat: the number of repeats can not be smaller than x.ndim: {len(reps)} < "
            f"{x.ndim} (x {x.shape}, repeats {reps})"
        )
    if min(reps, default=0) < 0:
        raise ShapeError(f"repeat: repeats must be >= 0: {min(reps)} (x {x.shape}, repeats {reps})")
    return Repeat.apply(x, reps=reps)


def tile(x: Tensor, dims: Sequence[int]) -> Tensor:
    """Like repeat; missing leading entries of ``dims`` count as 1: (2, 3), (2,) -> (2, 6)."""
    reps = _shape_arg((dims,))
    return repeat(x, (1,) * (x.ndim - len(reps)) + reps)


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
    by = _shape_arg((shifts,))
    along = None if dims is None else _shape_arg((dims,))
    if len(by) != (1 if along is None else len(along)):
        raise ShapeError(
            f"roll: shifts and dims must align: {len(by)} shifts, "
            f"{0 if along is None else len(along)} dims (x {x.shape}, shifts {by}, dims {dims})"
        )
    if along is not None:
        along = tuple(normalize_dim(d, x.ndim, "roll", scalar_ok=False) for d in along)
    return Roll.apply(x, shifts=by, dims=along)


# ------------------------------------------------------------------ pieces: narrow, split
@register("narrow")
class Narrow(Function):
    """out = x[..., index] at dim ``dim``: a slice keeps the dim, an int drops it; a view.

    The gradient is zeros of x's shape with ``grad`` written at ``index``.
    """

    def forward(self, x: Array, dim: int, index: int | slice) -> Array:
        self.in_shape = x.shape
        self.key = (*(slice(None),) * dim, index, ...)  # the ... keeps a 0-d result an array
        return x[self.key]

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        g[self.key] = grad
        return (g,)


def narrow(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    """x[..., start:start + length, ...] along ``dim`` (start may be negative): a view.

    Raises:
        IndexError: for a start outside [-size, size].
        ShapeError: when the piece runs past the end.
    """
    d = normalize_dim(dim, x.ndim, "narrow", scalar_ok=False)
    n = x.shape[d]
    if not -n <= start <= n:
        raise IndexError(
            f"narrow: start out of range (expected to be in range of [{-n}, {n}], but got {start})"
        )
    first = start + n if start < 0 else start
    if not 0 <= length <= n - first:
        raise ShapeError(
            f"narrow: the piece must lie inside dim {d}: start {first} + length {length} "
            f"exceeds its size {n} (x {x.shape})"
        )
    return Narrow.apply(x, dim=d, index=slice(first, first + length))


def select(x: Tensor, dim: int, index: int) -> Tensor:
    """x[..., index, ...] along ``dim``, that dim removed: a view.

    Raises:
        IndexError: for an index outside [-size, size - 1].
    """
    d = normalize_dim(dim, x.ndim, "select", scalar_ok=False)
    n = x.shape[d]
    if not -n <= index < n:
        raise IndexError(
            f"select: index {index} out of range for tensor of size {x.shape} at dimension {d}"
        )
    return Narrow.apply(x, dim=d, index=index % n)


def unbind(x: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of x along ``dim``, that dim removed: (A, B), 1 -> B tensors of (A,)."""
    d = normalize_dim(dim, x.ndim, "unbind", scalar_ok=False)
    return tuple(Narrow.apply(x, dim=d, index=i) for i in range(x.shape[d]))


def _split_sizes(spec: int | Sequence[int], n: int, where: str) -> list[int]:
    """The piece sizes of a split of ``n`` elements by a piece size or a list of sizes."""
    if isinstance(spec, Iterable):
        sizes = [operator.index(s) for s in spec]
        if min(sizes, default=0) < 0:
            raise ShapeError(f"split: sizes must be >= 0: {sizes} {where}")
        if sum(sizes) != n:
            raise ShapeError(
                f"split: sizes must sum to the size of the dim: {sizes} sum to {sum(sizes)}, "
                f"not {n} {where}"
            )
        return sizes
    size = operator.index(spec)
    if size < 0 or (size == 0 and n):
        raise ShapeError(
            f"split: split_size must be > 0 (or 0 for a dim of size 0): {size} {where}"
        )
    count = max(-(-n // size), 1) if size else 1
    return [size] * (count - 1) + [n - size * (count - 1)]  # the last piece may be smaller


def split(
    x: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or the listed sizes.

    All pieces are views of x.

    >>> import scratchgrad as sg
    >>> [p.shape for p in split(sg.ones(5, 2), 2)]
    [(2, 2), (2, 2), (1, 2)]
    """
    if x.ndim == 0:
        raise ShapeError("split: expects at least a 1-dimensional tensor: x.ndim=0 (x ())")
    d = normalize_dim(dim, x.ndim, "split")
    sizes = _split_sizes(split_size_or_sections, x.shape[d], f"(x {x.shape}, dim {d})")
    starts = accumulate(sizes, initial=0)
    return tuple(
        Narrow.apply(x, dim=d, index=slice(a, a + s)) for a, s in zip(starts, sizes, strict=False)
    )


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most ``chunks`` pieces of ceil(size / chunks) along ``dim`` (PyTorch's rule).

    >>> import scratchgrad as sg
    >>> [p.shape[0] for p in chunk(sg.ones(6), 4)]  # size 2: three pieces, not four
    [2, 2, 2]
    """
    if x.ndim == 0:
        raise ShapeError("chunk: expects at least a 1-dimensional tensor: x.ndim=0 (x ())")
    if chunks <= 0:
        raise ShapeError(f"chunk: chunks must be > 0: {chunks} (x {x.shape})")
    d = normalize_dim(dim, x.ndim, "chunk")
    n = x.shape[d]
    return split(x, -(-n // chunks) if n else [0] * chunks, d)


# ------------------------------------------------------------------ joins: cat, stack
def _same_dtype(tensors: Sequence[Tensor], op: str) -> list[Tensor]:
    """The tensors cast to their PyTorch result dtype (torch.cat's promotion)."""
    ts = list(tensors)  # a generator is fine too
    for i, t in enumerate(ts):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected a sequence of Tensors, got {type(t).__name__} at {i}")
    if not ts:
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    first = ts[0].data.dtype
    if all(t.data.dtype == first for t in ts):
        return ts
    d = result_type(*ts)
    return [cast(t, d) for t in ts]


@register("cat")
class Cat(Function):
    """out = xs joined along ``dim``: (..., n_i, ...) -> (..., sum(n_i), ...).

    Inputs of shape (0,) are skipped, as in PyTorch. The gradient is cut into views.
    """

    def forward(self, *xs: Array, dim: int) -> Array:
        self.dim, self.shapes = dim, [x.shape for x in xs]
        return xp.concatenate([x for x in xs if x.shape != (0,)] or xs, axis=dim)

    def backward(self, grad: Array) -> tuple[Array, ...]:
        sizes = [0 if s == (0,) else s[self.dim] for s in self.shapes]
        pieces = xp.split(grad, list(accumulate(sizes))[:-1], axis=self.dim)
        return tuple(
            p if p.shape == s else xp.zeros(s, grad.dtype)  # a skipped (0,) input
            for p, s in zip(pieces, self.shapes, strict=True)
        )


def _check_cat(tensors: Sequence[Tensor], ref: Tensor, dim: int) -> None:
    """Raise the ShapeError that says why ``tensors`` can't be joined along ``dim``."""
    shapes = [t.shape for t in tensors]
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise ShapeError(
                f"cat: zero-dimensional tensors cannot be concatenated: tensor {i} "
                f"(shapes {shapes})"
            )
        if t.shape == (0,):
            continue
        if t.ndim != ref.ndim:
            raise ShapeError(
                f"cat: tensors must have the same number of dims: tensor {i} has {t.ndim}, "
                f"expected {ref.ndim} (shapes {shapes})"
            )
        bad = [k for k in range(t.ndim) if k != dim and t.shape[k] != ref.shape[k]]
        if bad:
            raise ShapeError(
                f"cat: sizes must match except in dim {dim}: tensor {i} has size "
                f"{t.shape[bad[0]]} at dim {bad[0]}, expected {ref.shape[bad[0]]} (shapes {shapes})"
            )


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Tensors joined along an existing dim, promoted to a common dtype as torch.cat.

    Args:
        tensors: shapes equal except at ``dim``; a tensor of shape (0,) is skipped.
        dim: the dim to join along.

    Returns:
        (..., n_0 + n_1 + ..., ...).

    Raises:
        ShapeError: naming the tensor whose shape doesn't fit.

    >>> import scratchgrad as sg
    >>> cat([sg.ones(2, 3), sg.zeros(1, 3, dtype=sg.int32)]).shape
    (3, 3)
    """
    ts = _same_dtype(tensors, "cat")
    ref = next((t for t in ts if t.shape != (0,)), ts[0])
    d = normalize_dim(dim, ref.ndim, "cat")
    try:
        return Cat.apply(*ts, dim=d)
    except ValueError:
        _check_cat(ts, ref, d)
        raise


@register("stack")
class Stack(Function):
    """out = n tensors of shape S joined along a new dim ``dim``: S[:dim] + (n,) + S[dim:].

    The gradient is unstacked into views.
    """

    def forward(self, *xs: Array, dim: int) -> Array:
        self.dim = dim
        return xp.stack(xs, axis=dim)

    def backward(self, grad: Array) -> tuple[Array, ...]:
        return tuple(xp.moveaxis(grad, self.dim, 0))  # n views of shape S


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Tensors of one shape joined along a new dim in [-ndim - 1, ndim], promoted as cat.

    Raises:
        ShapeError: naming the first tensor whose shape differs.
    """
    ts = _same_dtype(tensors, "stack")
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise ShapeError(
                f"stack: tensors must have the same shape: tensor {i} has {t.shape}, expected "
                f"{ts[0].shape} (shapes {[t.shape for t in ts]})"
            )
    return Stack.apply(*ts, dim=normalize_dim(dim, ts[0].ndim + 1, "stack"))


__all__ = [
    "broadcast_shapes",
    "broadcast_to",
    "cat",
    "chunk",
    "contiguous",
    "expand",
    "flatten",
    "flip",
    "narrow",
    "normalize_dim",
    "normalize_dims",
    "permute",
    "repeat",
    "reshape",
    "roll",
    "select",
    "split",
    "squeeze",
    "stack",
    "tile",
    "transpose",
    "unbind",
    "unflatten",
    "unsqueeze",
    "view",
]
