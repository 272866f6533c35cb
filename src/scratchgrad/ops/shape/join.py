"""Pieces and joins: narrow, select, unbind, split, chunk; cat, stack, repeat, tile.

The first five cut a tensor into pieces, views of x as in PyTorch: ``narrow`` and
``select`` one piece, ``split``, ``chunk`` and ``unbind`` all pieces at once, as one node
with several outputs (``Split``). The others join tensors, or copies of one, into a new
tensor. Dims follow PyTorch (see ``_dims``).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

from scratchgrad.autograd import Function, MultiOutputFunction
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import result_type
from scratchgrad.errors import ShapeError
from scratchgrad.ops.dims import Shape, normalize_dim, shape_arg
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


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


@register("split")
class Split(MultiOutputFunction):
    """The pieces x[..., index_k] at dim ``dim``, views: a slice keeps the dim, an int drops it.

    One node for all the pieces (split, chunk, unbind): backward writes each piece's
    gradient into one zero buffer of x's shape; a piece that got no gradient is skipped.
    It saves only shapes and indices, so backward may run through its pieces separately.
    """

    frees_saved = False

    def forward(self, x: Array, dim: int, indices: Sequence[int | slice]) -> tuple[Array, ...]:
        self.in_shape = x.shape
        self.keys = [(*(slice(None),) * dim, i, ...) for i in indices]  # ... keeps 0-d arrays
        return tuple(x[key] for key in self.keys)

    def backward(self, grads: Sequence[Array | None]) -> tuple[Array]:
        dtype = next(g for g in grads if g is not None).dtype
        g = xp.zeros(self.in_shape, dtype=dtype)  # (*x.shape)
        for key, piece in zip(self.keys, grads, strict=True):
            if piece is not None:
                g[key] = piece
        return (g,)


def unbind(x: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of x along ``dim``, that dim removed: (A, B), 1 -> B tensors of (A,)."""
    d = normalize_dim(dim, x.ndim, "unbind", scalar_ok=False)
    return Split.apply(x, dim=d, indices=range(x.shape[d]))


def split(
    x: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or the listed sizes.

    All pieces are views of x, made by one node.

    >>> import scratchgrad as sg
    >>> [p.shape for p in split(sg.ones(5, 2), 2)]
    [(2, 2), (2, 2), (1, 2)]
    """
    if x.ndim == 0:
        raise ShapeError("split: expects at least a 1-dimensional tensor: x.ndim=0 (x ())")
    d = normalize_dim(dim, x.ndim, "split")
    sizes = _split_sizes(split_size_or_sections, x.shape[d], f"(x {x.shape}, dim {d})")
    starts = accumulate(sizes, initial=0)
    pieces = [slice(a, a + s) for a, s in zip(starts, sizes, strict=False)]
    return Split.apply(x, dim=d, indices=pieces)


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


def _same_dtype(tensors: Sequence[Tensor], op: str) -> list[Tensor]:
    """The tensors cast to their PyTorch result dtype (torch.cat's promotion)."""
    ts = list(tensors)  # a generator is fine too
    for i, t in enumerate(ts):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected a sequence of Tensors, got {type(t).__name__} at {i}")
    if not ts:
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    first = ts[0].array.dtype
    if all(t.array.dtype == first for t in ts):
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
    reps = shape_arg(sizes)
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
    reps = shape_arg((dims,))
    return repeat(x, (1,) * (x.ndim - len(reps)) + reps)


def tensor_split(
    x: Tensor, indices_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Views of x along ``dim``: n near-equal parts, or cut at the given indices."""
    d = normalize_dim(dim, x.ndim, "tensor_split")
    size = x.shape[d]
    if isinstance(indices_or_sections, int):
        n = indices_or_sections
        if n <= 0:
            raise ValueError(f"tensor_split(): number of sections must be > 0, got {n}")
        q, r = divmod(size, n)
        cuts = [i * q + min(i, r) for i in range(1, n)]
    else:
        cuts = list(indices_or_sections)
    bounds = [0, *(min(max(c, 0), size) for c in cuts), size]
    return tuple(narrow(x, d, a, max(b - a, 0)) for a, b in zip(bounds, bounds[1:], strict=False))


concat = concatenate = cat


__all__ = [
    "cat",
    "chunk",
    "concat",
    "concatenate",
    "narrow",
    "repeat",
    "select",
    "split",
    "stack",
    "tensor_split",
    "tile",
    "unbind",
]
