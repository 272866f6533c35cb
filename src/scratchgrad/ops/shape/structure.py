"""Matrix and structure ops: triangles, diagonals, sliding windows, repeats, dim moves.

Registered primitives: tril, triu, diagonal, diag_embed, unfold, repeat_interleave. The
others are built from primitives and need no backward: diag, trace (diagonal), kron
(reshape and mul), cross (roll and mul), meshgrid (reshape and expand), movedim and
swapaxes (permute), take (index_select on the flat tensor). diagonal and unfold return
views of x, as in torch; diagonal and diag_embed are each other's backward.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import as_dtype
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import broadcast_shapes, normalize_dim
from scratchgrad.ops.elementwise.arithmetic import mul
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.join import cat, stack
from scratchgrad.ops.shape.view import expand, permute, ravel, reshape, roll, transpose
from scratchgrad.tensor import Tensor


class _Triangle(Function):
    """out = x with the entries outside one triangle (by diagonal ``k``) zeroed."""

    keep: ClassVar[Callable[..., Array]] = xp.tril

    def forward(self, x: Array, k: int) -> Array:  # (..., M, N) -> (..., M, N)
        self.k = k
        return type(self).keep(x, k)

    def backward(self, grad: Array) -> tuple[Array]:  # the same triangle of grad
        return (type(self).keep(grad, self.k),)


@register("tril")
class Tril(_Triangle):
    """out = x with entries above diagonal ``k`` zeroed; (..., M, N) -> (..., M, N)."""

    keep = xp.tril


def tril(x: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of each matrix: entries above ``diagonal`` set to 0.

    Args:
        x: (..., M, N), batched over the leading dims.
        diagonal: 0 the main diagonal, > 0 above it, < 0 below it.

    Returns:
        (..., M, N).

    >>> import scratchgrad as sg
    >>> sg.ones(2, 3).tril().tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    """
    return _triangle(Tril, x, diagonal)


@register("triu")
class Triu(_Triangle):
    """out = x with entries below diagonal ``k`` zeroed; (..., M, N) -> (..., M, N)."""

    keep = xp.triu


def triu(x: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of each matrix: entries below ``diagonal`` set to 0. (..., M, N)."""
    return _triangle(Triu, x, diagonal)


def _triangle(cls: type[_Triangle], x: Tensor, diagonal: int) -> Tensor:
    if isinstance(diagonal, bool) or not isinstance(diagonal, int):
        raise TypeError(
            f"{cls.name}(): argument 'diagonal' (position 1) must be int, not "
            f"{type(diagonal).__name__}"
        )
    if x.ndim < 2:
        raise RuntimeError(f"{cls.name}: input tensor must have at least 2 dimensions")
    return cls.apply(x, k=diagonal)


def _embed(values: Array, shape: tuple[int, ...], offset: int, d1: int, d2: int) -> Array:
    """Zeros of ``shape`` with ``values`` (..., L) on the ``offset`` diagonal of (d1, d2)."""
    out = xp.zeros(shape, dtype=values.dtype)
    m = xp.moveaxis(out, (d1, d2), (-2, -1))  # a view: (..., rows, cols)
    i = xp.arange(values.shape[-1])
    m[..., i + max(-offset, 0), i + max(offset, 0)] = values
    return out


@register("diagonal")
class Diagonal(Function):
    """out = the ``offset`` diagonal of dims (d1, d2), as a new last dim; a view.

    (..., M, ..., N, ...) -> (..., L); the gradient is written back on that diagonal.
    """

    def forward(self, x: Array, offset: int, d1: int, d2: int) -> Array:
        self.in_shape, self.args = x.shape, (offset, d1, d2)
        return xp.diagonal(x, offset, d1, d2)

    def backward(self, grad: Array) -> tuple[Array]:
        return (_embed(grad, self.in_shape, *self.args),)


def diagonal(x: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset`` diagonal of the matrices in dims (dim1, dim2), appended as the last dim.

    Args:
        x: at least 2 dims, e.g. (B, M, N) with dim1=1, dim2=2.
        offset: 0 the main diagonal, > 0 above it, < 0 below it.
        dim1: the dim of the matrices' rows.
        dim2: the dim of their columns (not dim1).

    Returns:
        A view: x's other dims, then the diagonal (e.g. (B, L)).

    >>> import scratchgrad as sg
    >>> sg.arange(6).reshape(2, 3).diagonal(1).tolist()
    [1, 5]
    """
    d1, d2 = _two_dims("diagonal", dim1, dim2, x.ndim)
    return Diagonal.apply(x, offset=operator.index(offset), d1=d1, d2=d2)


@register("diag_embed")
class DiagEmbed(Function):
    """out = zeros with x's last dim on the ``offset`` diagonal of new dims (d1, d2).

    (..., n) -> (..., n + |offset|, ..., n + |offset|, ...); the gradient is that diagonal.
    """

    def forward(self, x: Array, offset: int, d1: int, d2: int) -> Array:
        self.args = (offset, d1, d2)
        shape = list(x.shape[:-1])
        for d in sorted((d1, d2)):
            shape.insert(d, x.shape[-1] + abs(offset))
        return _embed(x, tuple(shape), offset, d1, d2)

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.diagonal(grad, *self.args),)


def diag_embed(x: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose ``offset`` diagonal (in dims dim1, dim2 of the output) is x's last dim.

    Args:
        x: (..., n).
        offset: which diagonal to fill.
        dim1: the output's row dim, in [-x.ndim - 1, x.ndim].
        dim2: the output's column dim (not dim1).

    Returns:
        x.ndim + 1 dims; the two new ones of size n + |offset|.
    """
    d1, d2 = _two_dims("diag_embed", dim1, dim2, x.ndim + 1)
    return DiagEmbed.apply(x, offset=operator.index(offset), d1=d1, d2=d2)


def _two_dims(op: str, dim1: int, dim2: int, ndim: int) -> tuple[int, int]:
    d1, d2 = normalize_dim(dim1, ndim, op), normalize_dim(dim2, ndim, op)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diag(x: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-d x on the ``diagonal`` of a square matrix, or a 2-d x's diagonal as 1-d.

    (n,) -> (n + |k|, n + |k|); (M, N) -> (L,).

    >>> import scratchgrad as sg
    >>> sg.diag(sg.tensor([1, 2])).tolist()
    [[1, 0], [0, 2]]
    """
    if x.ndim == 1:
        return DiagEmbed.apply(x, offset=operator.index(diagonal), d1=0, d2=1)
    if x.ndim == 2:
        return Diagonal.apply(x, offset=operator.index(diagonal), d1=0, d2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")


def trace(x: Tensor) -> Tensor:
    """The sum of a matrix's main diagonal: (M, N) -> (); integers give int64."""
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return diagonal(x).sum()


def kron(x: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product: (a0, a1, ...) and (b0, b1, ...) -> (a0*b0, a1*b1, ...).

    The shorter shape is padded with leading 1s; dtypes promote as in mul.

    >>> import scratchgrad as sg
    >>> sg.kron(sg.tensor([1, 2]), sg.tensor([1, 10])).tolist()
    [1, 10, 2, 20]
    """
    n = max(x.ndim, other.ndim)
    a = (1,) * (n - x.ndim) + x.shape
    b = (1,) * (n - other.ndim) + other.shape
    xa = reshape(x, tuple(v for s in a for v in (s, 1)))  # (a0, 1, a1, 1, ...)
    xb = reshape(other, tuple(v for s in b for v in (1, s)))  # (1, b0, 1, b1, ...)
    return reshape(mul(xa, xb), tuple(p * q for p, q in zip(a, b, strict=True)))


def cross(x: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product of 3-vectors along ``dim``; x and other broadcast.

    With ``dim=None`` (torch.cross's deprecated default) the first dim of size 3 is used;
    torch.linalg.cross's default is dim=-1 (:func:`linalg_cross`).

    Args:
        x: size 3 at ``dim``.
        other: x's ndim and dtype, size 3 at ``dim``; x and other broadcast elsewhere.
        dim: the dim holding the vectors.

    Returns:
        The broadcast shape.

    Raises:
        RuntimeError: different ndim or dtype, or a size other than 3 at ``dim``.
    """
    if x.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if x.dtype != other.dtype:
        raise RuntimeError(
            f"expected scalar type {torch_name(x.dtype)} but found {torch_name(other.dtype)}"
        )
    if dim is None:
        shape = broadcast_shapes(x.shape, other.shape)
        dim = next((i for i, n in enumerate(shape) if n == 3), -1)
    d = normalize_dim(dim, x.ndim, "linalg.cross", scalar_ok=False)
    if x.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {x.shape[d]} and "
            f"{other.shape[d]}"
        )
    # c = (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0)
    return roll(x, -1, d) * roll(other, -2, d) - roll(x, -2, d) * roll(other, -1, d)


def linalg_cross(x: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """torch.linalg.cross: :func:`cross` with dim=-1 by default."""
    return cross(x, other, dim)


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-d (or 0-d) tensors: n tensors of sizes s_i -> n of (s_0, ...).

    With ``indexing="xy"`` the first two output dims are swapped (Cartesian, NumPy's
    default). The outputs are broadcast views of the inputs.

    >>> import scratchgrad as sg
    >>> [g.shape for g in sg.meshgrid(sg.ones(2), sg.ones(3), indexing="xy")]
    [(3, 2), (3, 2)]
    """
    ts = list(tensors[0]) if len(tensors) == 1 and not isinstance(tensors[0], Tensor) else tensors
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    if any(t.ndim > 1 for t in ts):
        raise RuntimeError(
            "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: "
            + " ".join(str(t.ndim) for t in ts)
        )
    if len({t.dtype for t in ts}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    where = list(range(len(ts)))  # the output dim of each input
    if indexing == "xy" and len(ts) > 1:
        where[0], where[1] = 1, 0
    sizes = [0] * len(ts)
    for t, w in zip(ts, where, strict=True):
        sizes[w] = t.numel()
    out = []
    for t, w in zip(ts, where, strict=True):
        shape = [1] * len(ts)
        shape[w] = sizes[w]
        out.append(expand(reshape(t, tuple(shape)), *sizes))
    return tuple(out)


@register("unfold")
class Unfold(Function):
    """out = windows of ``size`` every ``step`` along ``dim``, as a new last dim; a view.

    (..., n, ...) -> (..., (n - size) // step + 1, ..., size). The gradient adds each
    window back where it came from (overlapping windows accumulate).
    """

    def forward(self, x: Array, dim: int, size: int, step: int) -> Array:
        self.in_shape, self.dim, self.size, self.step = x.shape, dim, size, step
        win = xp.lib.stride_tricks.sliding_window_view(x, size, axis=dim)
        out: Array = win[(slice(None),) * dim + (slice(None, None, step),)]
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        gm = xp.moveaxis(g, self.dim, -1)  # (..., n), a view of g
        gw = xp.moveaxis(grad, self.dim, -2)  # (..., count, size)
        stop = self.step * (gw.shape[-2] - 1) + 1
        for k in range(self.size):  # window offset k: one strided slice, no overlaps
            gm[..., k : k + stop : self.step] += gw[..., k]
        return (g,)


def unfold(x: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """Sliding windows (Tensor.unfold): ``size`` elements every ``step`` along ``dimension``.

    Args:
        x: (..., n, ...); a 0-d tensor counts as (1,).
        dimension: the dim to slide along.
        size: the window length, at most n.
        step: the distance between window starts, > 0.

    Returns:
        A view (..., (n - size) // step + 1, ..., size).

    >>> import scratchgrad as sg
    >>> sg.arange(5).unfold(0, 2, 2).tolist()
    [[0, 1], [2, 3]]
    """
    d = normalize_dim(dimension, x.ndim, "unfold")
    n = x.shape[d] if x.ndim else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if x.ndim == 0:
        return reshape(Unfold.apply(reshape(x, (1,)), dim=0, size=size, step=step), (size,))
    return Unfold.apply(x, dim=d, size=size, step=step)


@register("repeat_interleave")
class RepeatInterleave(Function):
    """out = each slice of x along ``dim`` repeated repeats[i] times; a copy.

    (..., n, ...) -> (..., sum(repeats), ...). The gradient sums each slice's copies.
    """

    def forward(self, x: Array, repeats: Array, dim: int) -> Array:
        self.in_shape, self.repeats, self.dim = x.shape, repeats, dim
        return xp.repeat(x, repeats, axis=dim)

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        source = xp.repeat(xp.arange(self.in_shape[self.dim]), self.repeats)  # (sum,)
        xp.add.at(xp.moveaxis(g, self.dim, 0), source, xp.moveaxis(grad, self.dim, 0))
        return (g,)


def repeat_interleave(
    x: Tensor,
    repeats: int | Tensor | None = None,
    dim: int | None = None,
    *,
    output_size: int | None = None,
) -> Tensor:
    """Each element (slice along ``dim``) repeated, in place: [a, b] by 2 -> [a, a, b, b].

    ``repeat_interleave(r)`` with one int tensor r gives arange(len(r)) repeated by r.

    Args:
        x: (..., n, ...); flattened first when ``dim`` is None.
        repeats: an int, or an int tensor of n counts (or of one).
        dim: the dim to repeat along.
        output_size: the total length, sum(repeats), if known (checked).

    Returns:
        (..., sum(repeats), ...).

    >>> import scratchgrad as sg
    >>> sg.tensor([1, 2]).repeat_interleave(sg.tensor([1, 3])).tolist()
    [1, 2, 2, 2]
    """
    if repeats is None:
        from scratchgrad.creation import arange

        return repeat_interleave(arange(x.numel()), x, 0, output_size=output_size)
    if dim is None:
        x, d = reshape(x, (-1,)), 0
    else:
        d = normalize_dim(dim, x.ndim, "repeat_interleave")
        if x.ndim == 0:
            x = reshape(x, (1,))
    r = _repeats(repeats, x.shape[d], d)
    if output_size is not None and output_size != int(r.sum()):
        raise RuntimeError("allocated size does not match required size")
    return RepeatInterleave.apply(x, repeats=r, dim=d)


def _repeats(repeats: int | Tensor, n: int, d: int) -> Array:
    """``repeats`` as n int64 counts (an int or one-element tensor is used for every slice)."""
    if isinstance(repeats, Tensor):
        r = repeats.array
        if r.dtype.kind not in "iu":
            raise NotImplementedError(
                f"\"repeat_interleave_cpu\" not implemented for '{torch_name(r.dtype)}'"
            )
        if r.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if r.size != 1 and r.size != n:
            raise RuntimeError(
                f"repeats must have the same size as input along dim, but got "
                f"repeats.size(0) = {r.size} and input.size({d}) = {n}"
            )
        if (r < 0).any():
            raise RuntimeError("repeats can not be negative")
        return xp.broadcast_to(r.reshape(-1).astype(xp.int64), (n,))
    if operator.index(repeats) < 0:
        raise RuntimeError("Repeats must be non-negative")
    return xp.full(n, repeats, dtype=xp.int64)


def _dim_list(dims: int | Sequence[int], ndim: int, what: str) -> list[int]:
    given = [dims] if isinstance(dims, int) else list(dims)
    out = [normalize_dim(d, ndim, "movedim") for d in given]
    if len(set(out)) != len(out):
        raise RuntimeError(f"movedim: repeated dim in `{what}` ({given})")
    return out


def movedim(x: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """x with dims ``source`` moved to positions ``destination``, the others in order: a view.

    >>> import scratchgrad as sg
    >>> sg.zeros(2, 3, 4).movedim(0, -1).shape
    (3, 4, 2)
    """
    src = _dim_list(source, x.ndim, "source")
    dst = _dim_list(destination, x.ndim, "destination")
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain "
            f"the same number of dims as destination ({dst} dims)"
        )
    order = [i for i in range(x.ndim) if i not in src]
    for at, s in sorted(zip(dst, src, strict=True)):
        order.insert(at, s)
    return permute(x, order)


moveaxis = movedim


def swapaxes(x: Tensor, axis0: int, axis1: int) -> Tensor:
    """x with two dims swapped (transpose): a view."""
    return transpose(x, axis0, axis1)


swapdims = swapaxes


def block_diag(*tensors: Tensor) -> Tensor:
    """Block-diagonal matrix of 0-, 1- or 2-d blocks (Mi, Ni) -> (sum Mi, sum Ni)."""
    blocks = [reshape(x, (1, -1)) if x.ndim < 2 else x for x in tensors]
    cols = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        parts = [Tensor(xp.zeros((b.shape[0], left), dtype=b.dtype)), b]
        parts.append(Tensor(xp.zeros((b.shape[0], cols - left - b.shape[1]), dtype=b.dtype)))
        rows.append(cat(parts, 1))
        left += b.shape[1]
    return cat(rows, 0)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All combinations of 1-d tensors (N1,), ..., (Nk,) -> (N1 * ... * Nk, k); k=1: (N1,)."""
    if len(tensors) == 1:
        return tensors[0]
    idx = list(itertools.product(*(range(x.shape[0]) for x in tensors)))
    cols = [
        x[Tensor(xp.asarray([i[k] for i in idx], dtype=xp.int64))] for k, x in enumerate(tensors)
    ]
    return stack(cols, 1)


def diagflat(x: Tensor, offset: int = 0) -> Tensor:
    """x flattened onto diagonal ``offset`` of a square matrix: (*) -> (n + |k|, n + |k|)."""
    return diag(ravel(x), offset)


def _indices(fn: Any, row: int, col: int, offset: int, dtype: Any) -> Tensor:
    r, c = fn(row, offset, col)
    return Tensor(xp.stack([r, c]).astype(as_dtype(dtype) if dtype is not None else xp.int64))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """Coordinates (2, K) of the lower triangle of a (row, col) matrix, row-major."""
    return _indices(xp.tril_indices, row, col, offset, dtype)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """Coordinates (2, K) of the upper triangle of a (row, col) matrix, row-major."""
    return _indices(xp.triu_indices, row, col, offset, dtype)


__all__ = [
    "block_diag",
    "cartesian_prod",
    "cross",
    "diag",
    "diag_embed",
    "diagflat",
    "diagonal",
    "kron",
    "meshgrid",
    "moveaxis",
    "movedim",
    "repeat_interleave",
    "swapaxes",
    "swapdims",
    "trace",
    "tril",
    "tril_indices",
    "triu",
    "triu_indices",
    "unfold",
]
