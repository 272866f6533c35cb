"""Indexing along one dim: gather, scatter, scatter_add, index_select, take_along_dim.

Semantics, checks and error messages are PyTorch's; an index is int64 or int32, and a
0-d tensor counts as 1-d along a dim.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import broadcast_shapes, normalize_dim
from scratchgrad.ops.index._parse import INDEX_DTYPES, check_bounds
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import broadcast_to, reshape
from scratchgrad.tensor import Tensor, wrap


def _block(shape: tuple[int, ...], dim: int) -> tuple[slice, ...]:
    """The leading block of that ``shape`` outside ``dim``: torch uses only that part."""
    return tuple(slice(None) if d == dim else slice(0, n) for d, n in enumerate(shape))


def _along(index: Array, dim: int) -> tuple[Array, ...]:
    """Full fancy index for x[..., index[i, j, ...], ...] along ``dim`` (for np.add.at)."""
    grids = []
    for d, n in enumerate(index.shape):
        shape = [1] * index.ndim
        shape[d] = n
        grids.append(index if d == dim else xp.arange(n).reshape(shape))
    return tuple(grids)


def _head(src: Any, shape: tuple[int, ...]) -> Any:
    """The leading block of ``src`` with ``shape`` (a scalar as is)."""
    if isinstance(src, xp.ndarray) and src.shape != shape:
        return src[tuple(slice(0, n) for n in shape)]
    return src


def _pad(g: Array, shape: tuple[int, ...]) -> Array:
    """``g`` placed in the leading block of zeros of ``shape``."""
    if g.shape == shape:
        return g
    out = xp.zeros(shape, dtype=g.dtype)
    out[tuple(slice(0, n) for n in g.shape)] = g
    return out


@register("gather")
class Gather(Function):
    """out[i][j] = x[index[i][j]][j] for dim 0 (and so on); out has index's shape.

    x: (*), index: same ndim, no larger outside ``dim``. The gradient is added back at
    the gathered positions (repeats accumulate).
    """

    def forward(self, x: Array, dim: int, index: Array) -> Array:
        self.in_shape, self.dim, self.index = x.shape, dim, index
        return xp.take_along_axis(x[_block(index.shape, dim)], index, axis=dim)

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        xp.add.at(g[_block(self.index.shape, self.dim)], _along(self.index, self.dim), grad)
        return (g,)


def gather(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """Values of x picked by ``index`` along ``dim``: out[i][j] = x[index[i][j]][j] (dim 0).

    Args:
        x: any tensor, shape (*).
        dim: the dim to pick along.
        index: int64/int32, same ndim as x, no larger than x outside ``dim``.

    Returns:
        A tensor of index's shape.

    Raises:
        RuntimeError: a wrong index dtype, ndim or size, or an index out of range.

    >>> import scratchgrad as sg
    >>> sg.tensor([[1, 2], [3, 4]]).gather(1, sg.tensor([[1], [0]])).tolist()
    [[2], [3]]
    """
    if x.ndim == 0 or index.ndim == 0:
        return gather(_as_1d(x), dim, _as_1d(index)).reshape(index.shape)
    dim = _check_along("gather", x, dim, index)
    return Gather.apply(x, dim=dim, index=index.array)


@register("scatter")
class Scatter(Function):
    """out = copy of x with out[index[i][j]][j] = src[i][j] for dim 0; out: x's shape.

    src: a scalar, or a tensor at least index's size (its leading block is used).
    Gradients: x gets grad with zeros where written; src gets grad gathered at index.
    """

    def forward(self, x: Array, src: Any, dim: int, index: Array) -> Array:
        self.dim, self.index, self.src_shape = dim, index, xp.shape(src)
        out = x.copy()
        xp.put_along_axis(out[_block(index.shape, dim)], index, _head(src, index.shape), dim)
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        block, gx, gs = _block(self.index.shape, self.dim), None, None
        if self.needs_input_grad[0]:
            gx = grad.copy()
            xp.put_along_axis(gx[block], self.index, 0, self.dim)
        if self.needs_input_grad[1]:
            gs = _pad(xp.take_along_axis(grad[block], self.index, self.dim), self.src_shape)
        return gx, gs


def scatter(x: Tensor, dim: int, index: Tensor, src: Any) -> Tensor:
    """A copy of x with ``src`` (tensor or scalar) written at ``index`` along ``dim``.

    out[index[i][j]][j] = src[i][j] for dim 0. Where index repeats a position, which
    value lands there is unspecified (as in torch).

    Args:
        x: any tensor, shape (*).
        dim: the dim to write along.
        index: int64/int32, same ndim as x, no larger than x outside ``dim``.
        src: a Python scalar, or a tensor of x's dtype at least index's size.

    Returns:
        A tensor of x's shape and dtype.
    """
    if x.ndim == 0 or index.ndim == 0 or (isinstance(src, Tensor) and src.ndim == 0):
        src = _as_1d(src) if isinstance(src, Tensor) else src
        return scatter(_as_1d(x), dim, _as_1d(index), src).reshape(x.shape)
    dim = _check_along("scatter", x, dim, index, src)
    return Scatter.apply(x, src, dim=dim, index=index.array)


@register("scatter_add")
class ScatterAdd(Function):
    """out = copy of x with src[i][j] added at out[index[i][j]][j] for dim 0.

    Repeated positions accumulate. Gradients: x gets grad; src gets grad gathered at index.
    """

    def forward(self, x: Array, src: Array, dim: int, index: Array) -> Array:
        self.dim, self.index, self.src_shape = dim, index, src.shape
        out = x.copy()
        xp.add.at(out[_block(index.shape, dim)], _along(index, dim), _head(src, index.shape))
        return out

    def backward(self, grad: Array) -> tuple[Array, Array | None]:
        gs = None
        if self.needs_input_grad[1]:
            block = _block(self.index.shape, self.dim)
            gs = _pad(xp.take_along_axis(grad[block], self.index, self.dim), self.src_shape)
        return grad, gs


def scatter_add(x: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of x with ``src`` added at ``index`` along ``dim``; repeats accumulate.

    Args:
        x: any tensor, shape (*).
        dim: the dim to add along.
        index: int64/int32, same ndim as x, no larger than x outside ``dim``.
        src: a tensor of x's dtype, at least index's size.

    Returns:
        A tensor of x's shape and dtype.
    """
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_add(): argument 'src' (position 3) must be Tensor, not {type(src).__name__}"
        )
    if x.ndim == 0 or index.ndim == 0 or src.ndim == 0:
        return scatter_add(_as_1d(x), dim, _as_1d(index), _as_1d(src)).reshape(x.shape)
    dim = _check_along("scatter", x, dim, index, src)
    return ScatterAdd.apply(x, src, dim=dim, index=index.array)


def _check_along(op: str, x: Tensor, dim: int, index: Tensor, src: Any = None) -> int:
    """Torch's checks for gather/scatter; returns ``dim`` wrapped into [0, ndim)."""
    dim = normalize_dim(dim, x.ndim, "")
    i = index.array
    if str(i.dtype) not in INDEX_DTYPES:
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    if isinstance(src, Tensor) and src.array.dtype != x.array.dtype:
        raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype")
    if i.ndim != x.ndim:
        what = "input" if op == "gather" else "self"
        raise RuntimeError(f"Index tensor must have the same number of dimensions as {what} tensor")
    if isinstance(src, Tensor) and src.ndim != i.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    over = [d for d, (n, m) in enumerate(zip(i.shape, x.shape, strict=True)) if d != dim and n > m]
    if op == "gather" and over:
        raise RuntimeError(
            f"Size does not match at dimension {over[0]} expected index {list(i.shape)} to be "
            f"no larger than self {list(x.shape)} apart from dimension {dim}"
        )
    src_small = isinstance(src, Tensor) and any(
        n > m for n, m in zip(i.shape, src.shape, strict=True)
    )
    if over or src_small:
        tail = f" and to be no larger size than src {list(src.shape)}" if src_small else ""
        raise RuntimeError(
            f"Expected index {list(i.shape)} to be no larger than self {list(x.shape)} apart "
            f"from dimension {dim}{tail}"
        )
    check_bounds(i, x.shape[dim], dim, RuntimeError, low=0)
    return dim


def _as_1d(t: Tensor) -> Tensor:
    """A 0-d tensor as shape (1,): torch treats 0-d as 1-d along a dim."""
    return t.reshape(1) if t.ndim == 0 else t


@register("index_select")
class IndexSelect(Function):
    """out = the entries of x at ``index`` (1-d) along ``dim``.

    x: (..., n, ...) -> out: (..., len(index), ...). The gradient is added back at index.
    """

    def forward(self, x: Array, dim: int, index: Array) -> Array:
        self.in_shape, self.dim, self.index = x.shape, dim, index
        return xp.take(x, index, axis=dim)

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        xp.add.at(xp.moveaxis(g, self.dim, 0), self.index, xp.moveaxis(grad, self.dim, 0))
        return (g,)


def index_select(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries at ``index`` (1-d or 0-d, int64/int32) along ``dim``.

    Raises:
        RuntimeError: for an index of another dtype.
        IndexError: for an index of more than one dim, or one out of range.
    """
    d = normalize_dim(dim, x.ndim, "")
    i = index.array
    if str(i.dtype) not in INDEX_DTYPES:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if i.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if x.ndim == 0:
        if i.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {i.size} value(s)"
            )
        return index_select(x.reshape(1), 0, index).reshape(())
    i = i.reshape(-1)
    if ((i < 0) | (i >= x.shape[d])).any():
        raise IndexError("index out of range in self")
    return IndexSelect.apply(x, dim=d, index=i)


def take(x: Tensor, index: Tensor) -> Tensor:
    """Entries of the flattened x at ``index`` (int64, any shape; negatives count back).

    Returns:
        index's shape.

    Raises:
        RuntimeError: for an index that is not int64.
        IndexError: for an entry outside [-numel, numel).

    >>> import scratchgrad as sg
    >>> sg.tensor([[1, 2], [3, 4]]).take(sg.tensor([0, -1])).tolist()
    [1, 4]
    """
    i = index.array
    if i.dtype != xp.int64:
        raise RuntimeError(
            f"take(): Expected a long tensor for index, but got {torch_name(i.dtype)}"
        )
    n = x.numel()
    bad = (i < -n) | (i >= n)
    if bad.any():
        raise IndexError(
            f"out of range: tried to access index {i[bad][0]} on a tensor of {n} elements."
        )
    flat = IndexSelect.apply(reshape(x, (-1,)), dim=0, index=(i % max(n, 1)).reshape(-1))
    return reshape(flat, index.shape)


def take_along_dim(x: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values at ``indices`` along ``dim``, as torch.take_along_dim (a gather).

    With ``dim``, x and indices broadcast outside ``dim`` and, as in torch 2.13, every
    index is taken modulo x.shape[dim] (so -1 is the last entry). With ``dim=None``,
    x is flattened: out = x.reshape(-1)[indices.reshape(-1)], checked like gather.

    Args:
        x: any tensor, shape (*).
        indices: int64, same ndim as x (any shape when ``dim`` is None).
        dim: the dim to take along, or None.

    Returns:
        Shape broadcast(x, indices) with indices' size at ``dim``; (indices.numel(),)
        when ``dim`` is None.
    """
    if dim is None:
        return gather(x.reshape(-1), 0, indices.reshape(-1))
    if indices.ndim != x.ndim:
        raise RuntimeError(
            f"torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {x.ndim} dimensions for input, and {indices.ndim} "
            f"dimensions for indices"
        )
    if indices.array.dtype != xp.int64:
        raise RuntimeError(
            f"torch.take_along_dim(): dtype of indices should be Long but got "
            f"{torch_name(indices.dtype)}"
        )
    d = normalize_dim(dim, x.ndim, "")
    n = x.shape[d]
    i = indices.array % n if n else indices.array
    shape = list(x.shape)
    shape[d] = i.shape[d]
    out_shape = broadcast_shapes(shape, i.shape)
    shape = list(out_shape)
    shape[d] = n
    xb = x if x.shape == tuple(shape) else broadcast_to(x, shape)
    return gather(xb, d, wrap(xp.broadcast_to(i, out_shape)))


__all__ = ["gather", "index_select", "scatter", "scatter_add", "take", "take_along_dim"]
