"""Sorting and selection: sort, topk, kthvalue, median, mode, unique, searchsorted, ...

Also argsort, msort, nonzero and bucketize.

Orders are PyTorch's: NaN sorts as the largest value and equal values keep their input
order (a stable sort, whatever ``stable`` says). The ops that pick values (sort, topk,
kthvalue, median, mode) compute int64 ``indices`` first and then take the values at
them; the gradient goes back to those positions only (a full ``median()`` shares it
between tied elements, as ``max()``). Shapes in comments: ``x`` is (*), the indices of a
reduction along ``axis`` are (*1), with that dim of size 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.index.gather import Gather
from scratchgrad.ops.reduce.reductions import _check_nonempty, _Extreme
from scratchgrad.ops.registry import register
from scratchgrad.tensor import MaxMin, Tensor, wrap

T = TypeVar("T", Tensor, MaxMin)


def along(op: str, x: Tensor, dim: int, run: Callable[[Tensor, int], T]) -> T:
    """``run(x, axis)`` with ``dim`` normalized; a 0-d x runs as shape (1,) and comes back 0-d.

    Raises:
        IndexError: for a dim outside [-ndim, ndim - 1] (0 or -1 for a 0-d tensor).
    """
    axis = normalize_dim(dim, x.ndim, op)
    if x.ndim:
        return run(x, axis)
    out = run(x.reshape(1), 0)
    if isinstance(out, MaxMin):
        return MaxMin(out.values.reshape(()), out.indices.reshape(()))
    return out.reshape(())


def argsort_array(a: Array, axis: int, descending: bool) -> Array:
    """int64 indices that sort ``a`` along ``axis`` stably, NaN as the largest. (*) -> (*).

    Descending sorts the reversed array ascending and reverses the result, so equal
    values still keep their input order.
    """
    if a.ndim == 0:
        return xp.zeros((), xp.int64)
    if not descending:
        return xp.argsort(a, axis=axis, kind="stable").astype(xp.int64, copy=False)
    rev = xp.argsort(xp.flip(a, axis), axis=axis, kind="stable")
    out: Array = (a.shape[axis] - 1 - xp.flip(rev, axis)).astype(xp.int64, copy=False)
    return out


def _nth(order: Array, axis: int, pos: Array | int) -> Array:
    """The entries of ``order`` at position ``pos`` (an int or (*1)) along ``axis``: (*1)."""
    shape = tuple(1 if d == axis else n for d, n in enumerate(order.shape))
    return xp.take_along_axis(order, xp.broadcast_to(pos, shape), axis=axis)


def _refuse(op: str, x: Tensor, kinds: str, exc: type[Exception]) -> None:
    """Raise ``exc`` as torch does for a dtype kind (b, i, u, f) the op does not take."""
    if x.array.dtype.kind in kinds:
        raise exc(f"{op}(): not implemented for '{torch_name(x.array.dtype)}'")


def _lower_median(x: Array, axis: tuple[int, ...], keepdims: bool) -> Array:
    """The lower median of all of x, NaN if any is NaN (or x is empty): (1, ..., 1)."""
    flat = x.reshape(-1)
    if flat.size == 0 or (flat.dtype.kind == "f" and xp.isnan(flat).any()):
        value = xp.nan
    else:
        k = (flat.size - 1) // 2
        value = xp.partition(flat, k)[k]
    return xp.full((1,) * x.ndim, value, dtype=x.dtype)


@register("sort")
class Sort(Gather):
    """values = x taken at the sorting ``index`` along ``dim``; the gradient goes back there."""


def sort(x: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> MaxMin:
    """Sorted values and their int64 indices along ``dim``. (*) -> ((*), (*)).

    The sort is always stable, so ``stable`` changes nothing; NaN sorts as the largest.

    Raises:
        IndexError: for a dim out of range.

    >>> import scratchgrad as sg
    >>> sg.tensor([3.0, 1.0, 2.0]).sort(descending=True).indices
    tensor([0, 2, 1])
    """

    def run(t: Tensor, axis: int) -> MaxMin:
        index = argsort_array(t.array, axis, descending)
        return MaxMin(Sort.apply(t, dim=axis, index=index), wrap(index))

    return along("sort", x, dim, run)


@register("topk")
class TopK(Gather):
    """values = x at the ``index`` of its k largest (or smallest) along ``dim``."""


def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> MaxMin:  # noqa: A002
    """The ``k`` largest (or smallest) values along ``dim`` and their indices.

    Args:
        x: shape (*, n, *) with ``n`` along ``dim``.
        k: how many, in [0, n].
        dim: the dim to select along.
        largest: the largest (True) or the smallest values.
        sorted: results are always in sorted order (torch may leave them unordered).

    Returns:
        MaxMin(values, indices), each (*, k, *).

    Raises:
        RuntimeError: k out of range, or a bool tensor.

    >>> import scratchgrad as sg
    >>> sg.tensor([1.0, 5.0, 3.0]).topk(2).values
    tensor([5., 3.])
    """
    if x.array.dtype == xp.bool_:
        raise RuntimeError("topk(): does not support bool dtypes on CPU")

    def run(t: Tensor, axis: int) -> MaxMin:
        n = t.shape[axis]
        if not 0 <= k <= n:
            raise RuntimeError(
                f"topk(): selected index k out of range: k={k}, but dim {axis} has size {n}"
            )
        index = xp.take(argsort_array(t.array, axis, largest), xp.arange(k), axis=axis)
        return MaxMin(TopK.apply(t, dim=axis, index=index), wrap(index))

    return along("topk", x, dim, run)


@register("argsort")
class ArgSort(Function):
    """out = int64 indices that sort x stably along ``axis``; no gradient."""

    differentiable = False

    def forward(self, x: Array, axis: int, descending: bool) -> Array:
        return argsort_array(x, axis, descending)


def argsort(x: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    """int64 indices that sort x along ``dim`` (stable). (*) -> (*).

    >>> import scratchgrad as sg
    >>> sg.argsort(sg.tensor([2, 1, 2]))
    tensor([1, 0, 2])
    """
    return ArgSort.apply(x, axis=normalize_dim(dim, x.ndim, "argsort"), descending=descending)


@register("kthvalue")
class KthValue(_Extreme):
    """out = the k-th smallest of x along a dim, at ``index``; the gradient goes there."""


def kthvalue(x: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> MaxMin:
    """The ``k``-th smallest value along ``dim`` (k from 1) and its index.

    Args:
        x: shape (*, n, *).
        k: in [1, n].
        dim: the dim to select along.
        keepdim: keep ``dim`` as size 1.

    Returns:
        MaxMin(values, indices), each x's shape without ``dim`` (size 1 with keepdim).

    Raises:
        RuntimeError: k out of range. IndexError: ``dim`` out of range or of size 0.

    >>> import scratchgrad as sg
    >>> sg.tensor([4.0, 1.0, 3.0]).kthvalue(2)
    MaxMin(values=tensor(3.), indices=tensor(2))
    """
    _refuse("kthvalue", x, "b", NotImplementedError)

    def run(t: Tensor, axis: int) -> MaxMin:
        _check_nonempty("kthvalue", t.array, axis)
        if not 1 <= k <= t.shape[axis]:
            raise RuntimeError(
                f"kthvalue(): selected number k out of range for dimension {axis}: "
                f"k={k}, size {t.shape[axis]}"
            )
        index = _nth(argsort_array(t.array, axis, False), axis, k - 1)
        return _pick(KthValue, t, axis, index, keepdim)

    return along("kthvalue", x, dim, run)


@register("median")
class Median(_Extreme):
    """out = the lower median: of all of x (ties share the gradient), or at ``index``."""

    reduce = _lower_median


def median(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median: of all elements (0-d), or MaxMin(values, indices) along ``dim``.

    NaN propagates: a lane with a NaN gives NaN, at the index of its first NaN.

    Raises:
        IndexError: ``dim`` out of range or of size 0.

    >>> import scratchgrad as sg
    >>> sg.tensor([4.0, 1.0, 3.0, 2.0]).median()
    tensor(2.)
    """
    _refuse("median", x, "b", NotImplementedError)
    if dim is None:
        return Median.apply(x, axis=tuple(range(x.ndim)), keepdims=False)

    def run(t: Tensor, axis: int) -> MaxMin:
        _check_nonempty("median", t.array, axis)
        n = t.shape[axis]
        nans = xp.sum(xp.isnan(t.array), axis, keepdims=True) if t.array.dtype.kind == "f" else 0
        pos = xp.where(nans > 0, n - nans, (n - 1) // 2)  # (*1): the first NaN, if any
        index = _nth(argsort_array(t.array, axis, False), axis, pos)
        return _pick(Median, t, axis, index, keepdim)

    return along("median", x, dim, run)


@register("mode")
class Mode(_Extreme):
    """out = the smallest most frequent value along a dim, at ``index``."""


def mode(x: Tensor, dim: int = -1, keepdim: bool = False) -> MaxMin:
    """The smallest most frequent value along ``dim`` and the index of its last occurrence.

    Returns:
        MaxMin(values, indices), each x's shape without ``dim`` (size 1 with keepdim).

    >>> import scratchgrad as sg
    >>> sg.tensor([2, 1, 2, 1, 3]).mode()
    MaxMin(values=tensor(1), indices=tensor(3))
    """

    def run(t: Tensor, axis: int) -> MaxMin:
        _check_nonempty("mode", t.array, axis)
        return _pick(Mode, t, axis, mode_index(t.array, axis), keepdim)

    return along("mode", x, dim, run)


@register("searchsorted")
class SearchSorted(Function):
    """out = where ``values`` would go in ``seq`` (last dim) to keep it sorted; no gradient.

    seq: (n,) or (*B, n); values: any shape for a 1-d seq, else (*B, m); out: values' shape.
    """

    differentiable = False

    def forward(self, seq: Array, values: Any, right: bool, out_int32: bool) -> Array:
        v = xp.asarray(values)
        side: Literal["left", "right"] = "right" if right else "left"
        dtype = xp.int32 if out_int32 else xp.int64
        if v.size == 0:
            return xp.zeros(v.shape, dtype)
        if seq.ndim == 1:
            out: Array = xp.searchsorted(seq, v, side=side)
        else:
            rows = zip(seq.reshape(-1, seq.shape[-1]), v.reshape(-1, v.shape[-1]), strict=True)
            out = xp.stack([xp.searchsorted(s, r, side=side) for s, r in rows])
        return out.reshape(v.shape).astype(dtype, copy=False)


def searchsorted(
    sorted_sequence: Tensor,
    input: Any,  # noqa: A002
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Tensor | None = None,
) -> Tensor:
    """Indices where ``input`` would be inserted in ``sorted_sequence`` along its last dim.

    Args:
        sorted_sequence: (n,), or (*B, n) sorted along the last dim.
        input: values: a scalar or any shape for a 1-d sequence, else (*B, m).
        out_int32: int32 indices instead of int64.
        right: the index after equal entries (``side="right"``) instead of before.
        side: "left" or "right", the same as ``right``.
        sorter: int64 indices that sort an unsorted ``sorted_sequence`` (its shape).

    Returns:
        Integer indices of input's shape (0-d for a scalar).

    Raises:
        RuntimeError: shapes that do not match, or contradicting ``side`` and ``right``.

    >>> import scratchgrad as sg
    >>> sg.searchsorted(sg.tensor([1, 3, 5]), sg.tensor([3, 6]), right=True)
    tensor([2, 3])
    """
    _check_search(sorted_sequence, input, sorter)
    seq = sorted_sequence
    if sorter is not None:
        seq = wrap(xp.take_along_axis(seq.array, sorter.array, axis=-1))
    return SearchSorted.apply(seq, input, right=_right(right, side), out_int32=out_int32)


@register("bucketize")
class Bucketize(SearchSorted):
    """out = the bucket of each x among 1-d sorted ``boundaries``; no gradient."""

    def forward(self, x: Any, boundaries: Array, right: bool, out_int32: bool) -> Array:
        return super().forward(boundaries, x, right, out_int32)


def bucketize(
    input: Any,  # noqa: A002
    boundaries: Tensor,
    *,
    out_int32: bool = False,
    right: bool = False,
) -> Tensor:
    """The bucket index of each element of ``input`` among 1-d sorted ``boundaries``.

    With ``right=False`` element v goes to i with boundaries[i-1] < v <= boundaries[i];
    with ``right=True`` to boundaries[i-1] <= v < boundaries[i]. (*) -> (*) integers.

    Raises:
        RuntimeError: when boundaries is not 1-d.

    >>> import scratchgrad as sg
    >>> sg.bucketize(sg.tensor([1, 5, 9]), sg.tensor([1, 5]))
    tensor([0, 1, 2])
    """
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return Bucketize.apply(input, boundaries, right=right, out_int32=out_int32)


@register("unique")
class Unique(Function):
    """out = the sorted distinct values (or slices along ``axis``); no gradient.

    Also keeps ``inverse`` (where each input element went) and ``counts``.
    """

    differentiable = False

    def forward(self, x: Array, axis: int | None) -> Array:
        values, self.inverse, self.counts = xp.unique(
            x, return_inverse=True, return_counts=True, axis=axis, equal_nan=False
        )
        out: Array = values
        return out


def unique(
    x: Tensor,
    sorted: bool = True,  # noqa: A002
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Any:
    """The distinct values of x, sorted (always, as torch on the CPU); no gradient.

    Args:
        x: shape (*).
        sorted: ignored: the result is always sorted.
        return_inverse: also return, for each element, its int64 index in the result
            (x's shape; (x.shape[dim],) with ``dim``).
        return_counts: also return how often each distinct value occurs (int64).
        dim: find distinct slices along ``dim`` instead of distinct elements.

    Returns:
        The values (1-d; with ``dim``, x's shape with fewer slices), or a tuple with the
        inverse and/or counts after them. NaNs are all distinct, as in torch.

    >>> import scratchgrad as sg
    >>> sg.tensor([3, 1, 3]).unique(return_counts=True)
    (tensor([1, 3]), tensor([1, 2]))
    """
    axis = None if dim is None else normalize_dim(dim, x.ndim, "unique", scalar_ok=False)
    fn = Unique()  # no gradient: called directly for its three results
    values = wrap(fn.forward(x.array, axis))
    extra = [wrap(a.astype(xp.int64, copy=False)) for a, on in
             ((fn.inverse.reshape(x.shape if axis is None else -1), return_inverse),
              (fn.counts, return_counts)) if on]  # fmt: skip
    return (values, *extra) if extra else values


@register("nonzero")
class NonZero(Function):
    """out = the int64 indices of the nonzero elements, one row each: (nnz, ndim); no grad."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.argwhere(x).astype(xp.int64, copy=False)


def nonzero(x: Tensor, *, as_tuple: bool = False) -> Any:
    """Indices of the nonzero elements: (nnz, ndim) int64, or ndim tensors of shape (nnz,).

    With ``as_tuple`` a 0-d x counts as 1-d, as in torch.

    >>> import scratchgrad as sg
    >>> sg.tensor([0, 3, 0, 4]).nonzero(as_tuple=True)
    (tensor([1, 3]),)
    """
    if not as_tuple:
        return NonZero.apply(x)
    rows = NonZero.apply(x.reshape(1) if x.ndim == 0 else x).array  # (nnz, ndim)
    return tuple(wrap(xp.ascontiguousarray(rows[:, d])) for d in range(rows.shape[1]))


def msort(x: Tensor) -> Tensor:
    """The values of x sorted along dim 0. (*) -> (*)."""
    return sort(x, 0).values


def _pick(cls: type[_Extreme], x: Tensor, axis: int, index: Array, keepdim: bool) -> MaxMin:
    """MaxMin(x at ``index`` (*1) along ``axis``, index), with the dim kept or dropped."""
    values = cls.apply(x, axis=(axis,), keepdims=keepdim, index=index)
    return MaxMin(values, wrap(index if keepdim else xp.squeeze(index, axis)))


def mode_index(a: Array, axis: int) -> Array:
    """Index (*1) of the last occurrence of the smallest most frequent value along ``axis``.

    In the stably sorted lane, each element counts its position in its run of equal
    values; the first position with the largest count ends the smallest mode's run.
    """
    order = xp.moveaxis(argsort_array(a, axis, False), axis, -1)  # (..., n)
    s = xp.take_along_axis(xp.moveaxis(a, axis, -1), order, axis=-1)  # sorted lanes
    pos = xp.arange(s.shape[-1])
    new = xp.ones(s.shape, dtype=bool)
    new[..., 1:] = s[..., 1:] != s[..., :-1]  # a run starts here
    start = xp.maximum.accumulate(xp.where(new, pos, 0), axis=-1)
    best = xp.argmax(pos - start, axis=-1, keepdims=True)  # (..., 1)
    return xp.moveaxis(xp.take_along_axis(order, best, axis=-1), -1, axis)


def _check_search(seq: Tensor, values: Any, sorter: Tensor | None) -> None:
    """torch.searchsorted's shape rules (RuntimeError, as torch)."""
    vshape = values.shape if isinstance(values, Tensor) else ()
    if not vshape and seq.ndim != 1:
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor "
            f"dimension is 1, but we got boundaries tensor dim({seq.ndim}) and input "
            f"value's dim(0) numel(1)"
        )
    if seq.ndim > 1 and (len(vshape) != seq.ndim or vshape[:-1] != seq.shape[:-1]):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(vshape)}"
        )
    if sorter is not None and sorter.shape != seq.shape:
        raise RuntimeError(
            "torch.searchsorted(): boundary and sorter must have the same size, but got "
            f"boundary tensor {list(seq.shape)} and got sorter tensor {list(sorter.shape)}"
        )


def _right(right: bool, side: str | None) -> bool:
    if side not in (None, "left", "right"):
        raise RuntimeError(
            f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
        )
    if side == "left" and right:
        raise RuntimeError(
            "torch.searchsorted(): side and right can't be set to opposites, got side of "
            "left while right was True"
        )
    return right or side == "right"


__all__ = [
    "argsort",
    "bucketize",
    "kthvalue",
    "median",
    "mode",
    "msort",
    "nonzero",
    "searchsorted",
    "sort",
    "topk",
    "unique",
]
