"""Reducing scatters and index ops: scatter_reduce, index_add, index_copy, index_fill.

Semantics, gradients and error messages are torch 2.13's. scatter_reduce shares its
index rules with scatter (:mod:`~scratchgrad.ops.index.gather`): index has x's ndim, is no
larger than x outside ``dim`` nor than src anywhere, and only src's leading block of
index's shape is used. The index_* ops take a 1-d (or 0-d) index along one dim.
index_fill is a masked_fill with the mask built from the index.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.elementwise.convert import cast, inplace
from scratchgrad.ops.index._parse import INDEX_DTYPES
from scratchgrad.ops.index.gather import _along, _as_1d, _block, _check_along, _head, _pad
from scratchgrad.ops.index.indexing import MaskedFill
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor

REDUCES = ("sum", "prod", "mean", "amax", "amin")


_UFUNC = {
    "sum": xp.add,
    "mean": xp.add,
    "prod": xp.multiply,
    "amax": xp.maximum,
    "amin": xp.minimum,
}


def _identity(reduce: str, dtype: Any) -> Any:
    """The value a reduction starts from when x's own value is left out."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    big = xp.inf if dtype.kind == "f" else xp.iinfo(dtype).max
    return -big if reduce == "amax" else big


def _take(a: Array, dim: int, index: Array) -> Array:
    """a gathered at ``index`` along ``dim`` (gather's forward): index's shape."""
    out: Array = xp.take_along_axis(a[_block(index.shape, dim)], index, axis=dim)
    return out


def _add_at(shape: tuple[int, ...], dim: int, index: Array, src: Any, base: Any = 0) -> Array:
    """``base`` (broadcast to ``shape``) with ``src`` (index's shape) added at index."""
    out = xp.array(xp.broadcast_to(base, shape), dtype=xp.result_type(base, src))
    xp.add.at(out[_block(index.shape, dim)], _along(index, dim), src)
    return out


def _scatter_reduce(
    x: Array, src: Array, dim: int, index: Array, reduce: str, self_: bool
) -> Array:
    """x with src reduced into it at index along dim; src has index's shape."""
    out = x.copy()
    block, where = out[_block(index.shape, dim)], _along(index, dim)
    if not self_:
        block[where] = _identity(reduce, x.dtype)
    _UFUNC[reduce].at(block, where, src)
    if reduce == "mean":
        count = _add_at(x.shape, dim, index, xp.ones(index.shape, dtype=xp.int64), int(self_))
        count[count == 0] = 1
        out = out // count if x.dtype.kind in "iu" else out / count.astype(x.dtype)
    return out.astype(x.dtype, copy=False)


@register("scatter_reduce")
class ScatterReduce(Function):
    """out = copy of x with src reduced at out[index[i][j]][j] (dim 0), by ``reduce``.

    x (*), index and src: x's ndim. Gradients as torch's: sum passes grad on; mean
    divides by each position's count; prod is the product of the others (zeros
    handled); amax/amin split it evenly among all values equal to the result.
    """

    def forward(
        self, x: Array, src: Array, dim: int, index: Array, reduce: str, self_: bool
    ) -> Array:
        self.x, self.src_shape, self.src = x, src.shape, _head(src, index.shape)
        self.dim, self.index, self.reduce, self.self_ = dim, index, reduce, self_
        self.out = _scatter_reduce(x, self.src, dim, index, reduce, self_)
        return self.out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gx, gs = getattr(self, f"_grad_{self.reduce}")(grad)
        if not self.self_:  # x's values at the scattered positions were not used
            gx = gx.copy()
            xp.put_along_axis(gx[_block(self.index.shape, self.dim)], self.index, 0, self.dim)
        return gx, _pad(gs, self.src_shape) if self.needs_input_grad[1] else None

    def _grad_sum(self, grad: Array) -> tuple[Array, Array]:
        return grad, _take(grad, self.dim, self.index)

    def _grad_mean(self, grad: Array) -> tuple[Array, Array]:
        ones = xp.ones(self.index.shape, dtype=grad.dtype)
        n = _add_at(grad.shape, self.dim, self.index, ones, grad.dtype.type(self.self_))
        n[n == 0] = 1
        return grad / n, _take(grad, self.dim, self.index) / _take(n, self.dim, self.index)

    def _grad_prod(self, grad: Array) -> tuple[Array, Array]:
        x, src, dim, index, out = self.x, self.src, self.dim, self.index, self.out
        x1 = xp.where(x == 0, 1, x)  # x's zeros left out: the product of the others
        gx = grad * _scatter_reduce(x1, src, dim, index, "prod", self.self_) / x1
        zero = src == 0
        zeros_at = _take(_add_at(x.shape, dim, index, zero.astype(x.dtype)), dim, index)
        single = zero & (zeros_at == 1)  # the only zero at its position
        others = _scatter_reduce(x, xp.where(single, 1, src), dim, index, "prod", self.self_)
        gs = xp.where(
            single,
            _take(grad * others, dim, index),
            _take(grad * out, dim, index) / xp.where(zero, 1, src),
        )
        return gx, gs

    def _grad_amax(self, grad: Array) -> tuple[Array, Array]:
        x, src, dim, index, out = self.x, self.src, self.dim, self.index, self.out
        value = _take(out, dim, index)  # the result each src element went to
        x_hit, src_hit = (x == out).astype(grad.dtype), (src == value).astype(grad.dtype)
        share = grad / _add_at(x.shape, dim, index, src_hit, x_hit)
        return x_hit * share, src_hit * _take(share, dim, index)

    _grad_amin = _grad_amax


def scatter_reduce(
    x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """A copy of x with ``src`` reduced into it at ``index`` along ``dim``.

    out[index[i][j]][j] = reduce(x[...] (if include_self), all src[i][j] sent there)
    for dim 0; positions no index points at keep x's value. Integer means round down.

    Args:
        x: any tensor, shape (*).
        dim: the dim to scatter along.
        index: int64/int32, x's ndim, no larger than x outside ``dim`` nor than src.
        src: x's dtype and ndim.
        reduce: "sum", "prod", "mean", "amax" or "amin".
        include_self: whether x's values take part in the reduction.

    Returns:
        x's shape and dtype.

    Raises:
        RuntimeError: an unknown reduce, a wrong index dtype, ndim or size, an index out
            of range, or src of another dtype.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([1.0, 2.0])
    >>> x.scatter_reduce(0, sg.tensor([0, 0, 1]), sg.tensor([5.0, 3.0, 1.0]), "amax").tolist()
    [5.0, 2.0]
    """
    _check_reduce(reduce)
    if not isinstance(src, Tensor):
        raise TypeError(
            "scatter_reduce(): argument 'src' (position 3) must be Tensor, not "
            f"{type(src).__name__}"
        )
    if x.ndim == 0 or index.ndim == 0 or src.ndim == 0:
        out = scatter_reduce(
            _as_1d(x), dim, _as_1d(index), _as_1d(src), reduce, include_self=include_self
        )
        return out.reshape(x.shape)
    d = _check_along("scatter", x, dim, index, src)
    return ScatterReduce.apply(
        x, src, dim=d, index=index.array, reduce=reduce, self_=bool(include_self)
    )


def _check_reduce(reduce: str) -> None:
    if reduce not in REDUCES:
        raise RuntimeError(
            f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )


def scatter_reduce_(
    x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """In-place :func:`scatter_reduce`; returns x."""
    return inplace(
        x, lambda t, s: scatter_reduce(t, dim, index, s, reduce, include_self=include_self), src
    )


def _vector_index(
    op: str, x: Tensor, dim: int, index: Tensor, dtypes: tuple[str, ...]
) -> tuple[int, Array]:
    """Torch's checks of a 1-d index along ``dim``: returns (dim in [0, ndim), index (k,))."""
    d = normalize_dim(dim, x.ndim, "")
    i = index.array
    if str(i.dtype) not in dtypes:
        if op == "index_add_":
            raise RuntimeError(
                f"index_add_(): Expected dtype int32/int64 for index but got: {torch_name(i.dtype)}"
            )
        raise RuntimeError(
            f"{op}(): Expected a long tensor for index, but got {torch_name(i.dtype)}"
        )
    if i.ndim > 1:
        raise IndexError(
            f"{op}(): Index is supposed to be a vector, but got dim: {i.ndim} with type: "
            f"{torch_name(i.dtype)} and size: {list(i.shape)}"
        )
    return d, i.reshape(-1)


def _check_source(op: str, x: Tensor, d: int, i: Array, source: Tensor) -> None:
    """Torch's checks (and messages) that ``source`` has x's dtype and shape, len(index) at d."""
    copy = op == "index_copy_"
    if source.dtype != x.dtype:
        a, b = torch_name(x.dtype), torch_name(source.dtype)
        raise RuntimeError(
            f"index_copy_(): self and source expected to have the same dtype, but got (self) {a} "
            f"and (source) {b}"
            if copy
            else f"index_add_(): self ({a}) and source ({b}) must have the same scalar type"
        )
    k = source.shape[d] if source.ndim else 1
    if k != i.size:
        if copy:
            raise IndexError(
                f"index_copy_(): Number of indices ({i.size}) should be equal to "
                f"source.size(dim) ({k})"
            )
        raise RuntimeError(
            f"index_add_(): Number of indices ({i.size}) should be equal to source.size(dim): "
            f"({k}), for dim: {d}"
        )
    bad_dims = [j for j in range(source.ndim) if j != d and source.shape[j] != x.shape[j]]
    if source.ndim and (source.ndim != x.ndim or bad_dims):
        j = bad_dims[0] if bad_dims else d
        at = j - (j > d)  # torch counts dims in the slice, without dim d
        raise RuntimeError(
            f"index_copy_(): Source/destination tensor must have same slice shapes. Destination "
            f"slice shape: {x.shape[j]} at dimension {at} and source slice shape: "
            f"{source.shape[j]} at dimension {at}."
            if copy
            else f"source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(x.shape)} source.shape = {list(source.shape)}"
        )
    n = x.shape[d] if x.ndim else 1
    bad = (i < 0) | (i >= n)
    if bad.any():
        error, name = (IndexError, "index_copy_(): ") if copy else (RuntimeError, "")
        raise error(f"{name}index {i[bad][0]} is out of bounds for dimension {d} with size {n}")


@register("index_add")
class IndexAdd(Function):
    """out = copy of x with alpha * source added at ``index`` (k,) along ``dim``.

    x (..., n, ...), source (..., k, ...); repeated indices accumulate. Gradients: x
    gets grad; source gets alpha * grad at index.
    """

    def forward(self, x: Array, source: Array, dim: int, index: Array, alpha: Any) -> Array:
        self.dim, self.index, self.alpha = dim, index, alpha
        out = x.copy()
        add = source if alpha == 1 else source * xp.asarray(alpha, dtype=x.dtype)
        xp.add.at(xp.moveaxis(out, dim, 0), index, xp.moveaxis(add, dim, 0))
        return out

    def backward(self, grad: Array) -> tuple[Array, Array]:
        gs = xp.take(grad, self.index, axis=self.dim)
        return grad, gs if self.alpha == 1 else gs * xp.asarray(self.alpha, dtype=grad.dtype)


def index_add(x: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    """A copy of x with ``alpha * source`` added at ``index`` along ``dim``.

    Args:
        x: (..., n, ...).
        dim: the dim to add along.
        index: (k,) int64/int32 in [0, n); repeats accumulate.
        source: (..., k, ...), x's dtype.
        alpha: the scale of source (truncated to an int for integer tensors, as torch).

    Returns:
        x's shape and dtype.

    >>> import scratchgrad as sg
    >>> sg.zeros(3).index_add(0, sg.tensor([0, 0, 2]), sg.ones(3)).tolist()
    [2.0, 0.0, 1.0]
    """
    if x.dtype.kind != "f":
        alpha = int(alpha)
    return _index_op(IndexAdd, "index_add_", x, dim, index, source, alpha=alpha)


@register("index_copy")
class IndexCopy(Function):
    """out = copy of x with the slices of source written at ``index`` (k,) along ``dim``.

    Gradients: x gets grad with zeros at index; source gets grad at index.
    """

    def forward(self, x: Array, source: Array, dim: int, index: Array) -> Array:
        self.dim, self.index = dim, index
        out = x.copy()
        xp.moveaxis(out, dim, 0)[index] = xp.moveaxis(source, dim, 0)
        return out

    def backward(self, grad: Array) -> tuple[Array, Array]:
        gx = grad.copy()
        xp.moveaxis(gx, self.dim, 0)[self.index] = 0
        return gx, xp.take(grad, self.index, axis=self.dim)


def index_copy(x: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of x with the slices of ``source`` written at ``index`` (int64, (k,)) along ``dim``.

    source: (..., k, ...) of x's dtype. With a repeated index, which slice lands is
    unspecified (as in torch). Returns x's shape and dtype.
    """
    return _index_op(IndexCopy, "index_copy_", x, dim, index, source)


def _index_op(
    cls: type[Function], op: str, x: Tensor, dim: int, index: Tensor, source: Tensor, **params: Any
) -> Tensor:
    """cls (IndexAdd or IndexCopy) applied after torch's checks; 0-d counts as 1-d."""
    dtypes = INDEX_DTYPES if op == "index_add_" else ("int64",)
    d, i = _vector_index(op, x, dim, index, dtypes)
    _check_source(op, x, d, i, source)
    out = cls.apply(_as_1d(x), _as_1d(source), dim=d, index=i, **params)
    return out.reshape(()) if x.ndim == 0 else out


def index_fill(x: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """A copy of x with ``value`` at ``index`` (int64, negatives count back) along ``dim``.

    Args:
        x: (..., n, ...).
        dim: the dim to fill along.
        index: (k,) or 0-d, int64 in [-n, n).
        value: a Python scalar or a 0-d tensor (which gets the sum of grad where filled).

    Returns:
        x's shape and dtype.
    """
    d = normalize_dim(dim, x.ndim, "")
    i = index.array
    if i.dtype != xp.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if i.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        value = cast(value, x.dtype)
    n = x.shape[d] if x.ndim else 1
    bad = (i < -n) | (i >= n)
    if bad.any():
        raise IndexError(
            f"index {i[bad].reshape(-1)[0]} is out of bounds for dimension {d} with size {n}"
        )
    mask = xp.zeros(n, dtype=bool)
    mask[i.reshape(-1)] = True
    shape = [1] * x.ndim
    if x.ndim:
        shape[d] = n
    return MaskedFill.apply(x, value, mask=mask.reshape(shape))


def index_add_(x: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1) -> Tensor:
    """In-place :func:`index_add`; returns x."""
    return inplace(x, lambda t, s: index_add(t, dim, index, s, alpha=alpha), source)


def index_copy_(x: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """In-place :func:`index_copy`; returns x."""
    return inplace(x, lambda t, s: index_copy(t, dim, index, s), source)


def index_fill_(x: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """In-place :func:`index_fill`; returns x."""
    return inplace(x, lambda t, v: index_fill(t, dim, index, v), value)


__all__ = [
    "index_add",
    "index_add_",
    "index_copy",
    "index_copy_",
    "index_fill",
    "index_fill_",
    "scatter_reduce",
    "scatter_reduce_",
]
