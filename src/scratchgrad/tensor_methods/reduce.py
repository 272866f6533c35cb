"""Reductions, statistics, sorting and scans: ``sum``, ``mean``, ``max``, ``sort``, ``cumsum``, ....

``dim=None`` reduces every dimension; ``keepdim=True`` keeps reduced dims as size 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scratchgrad.types import DimArg, _bool, _int

if TYPE_CHECKING:
    from scratchgrad.ops import elementwise as _elementwise
    from scratchgrad.ops import reduce as _reduce
    from scratchgrad.tensor import MaxMin, Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _elementwise, _reduce.


class ReduceMethods:
    """Reductions, statistics, sorting and scans, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def max(self: Tensor, dim: _int | Tensor | None = None, keepdim: _bool = False) -> Any:
        """The maximum; with ``dim``, a (values, indices) pair; with a tensor, elementwise."""
        if isinstance(dim, Tensor):
            return _elementwise.maximum(self, dim)
        return _reduce.max(self, dim, keepdim)

    def min(self: Tensor, dim: _int | Tensor | None = None, keepdim: _bool = False) -> Any:
        """The minimum; with ``dim``, a (values, indices) pair; with a tensor, elementwise."""
        if isinstance(dim, Tensor):
            return _elementwise.minimum(self, dim)
        return _reduce.min(self, dim, keepdim)

    def sum(self: Tensor, dim: DimArg = None, keepdim: _bool = False, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` (all dims when None)."""
        return _reduce.sum(self, dim, keepdim, dtype=dtype)

    def mean(self: Tensor, dim: DimArg = None, keepdim: _bool = False, dtype: Any = None) -> Tensor:
        """Mean over ``dim`` (all dims when None)."""
        return _reduce.mean(self, dim, keepdim, dtype=dtype)

    def prod(
        self: Tensor, dim: _int | None = None, keepdim: _bool = False, dtype: Any = None
    ) -> Tensor:
        """Product over ``dim`` (all elements when None)."""
        return _reduce.prod(self, dim, keepdim, dtype=dtype)

    def argmax(self: Tensor, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """Index of the maximum (of the flattened tensor when ``dim`` is None)."""
        return _reduce.argmax(self, dim, keepdim)

    def argmin(self: Tensor, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """Index of the minimum (of the flattened tensor when ``dim`` is None)."""
        return _reduce.argmin(self, dim, keepdim)

    def var(
        self: Tensor, dim: DimArg = None, *, correction: _int = 1, keepdim: _bool = False
    ) -> Tensor:
        """Variance with Bessel's ``correction`` (1 = unbiased)."""
        return _reduce.var(self, dim, correction=correction, keepdim=keepdim)

    def std(
        self: Tensor, dim: DimArg = None, *, correction: _int = 1, keepdim: _bool = False
    ) -> Tensor:
        """Standard deviation with Bessel's ``correction``."""
        return _reduce.std(self, dim, correction=correction, keepdim=keepdim)

    def norm(self: Tensor, p: Any = "fro", dim: DimArg = None, keepdim: _bool = False) -> Tensor:
        """Vector or Frobenius norm: p in 1, 2, inf, -inf, "fro", or any float."""
        return _reduce.norm(self, p, dim, keepdim)

    def logsumexp(self: Tensor, dim: DimArg, keepdim: _bool = False) -> Tensor:
        """log(sum(exp(x))) over ``dim``, computed without overflow."""
        return _reduce.logsumexp(self, dim, keepdim)

    def cumsum(self: Tensor, dim: _int) -> Tensor:
        """Running sum along ``dim``."""
        return _reduce.cumsum(self, dim)

    def any(self: Tensor, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """True if any element (along ``dim``) is nonzero."""
        return _reduce.any(self, dim, keepdim)

    def all(self: Tensor, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """True if every element (along ``dim``) is nonzero."""
        return _reduce.all(self, dim, keepdim)

    def amax(self: Tensor, dim: DimArg = (), keepdim: _bool = False) -> Tensor:
        """The maximum over ``dim`` (all dims for ()); ties share the gradient."""
        return _reduce.amax(self, dim, keepdim)

    def amin(self: Tensor, dim: DimArg = (), keepdim: _bool = False) -> Tensor:
        """The minimum over ``dim`` (all dims for ()); ties share the gradient."""
        return _reduce.amin(self, dim, keepdim)

    def aminmax(self: Tensor, *, dim: _int | None = None, keepdim: _bool = False) -> Any:
        """(min, max) over ``dim`` (all elements when None), a named tuple."""
        return _reduce.aminmax(self, dim=dim, keepdim=keepdim)

    def sort(
        self: Tensor, dim: _int = -1, descending: _bool = False, *, stable: _bool = False
    ) -> MaxMin:
        """Sorted values and their indices along ``dim`` (stable)."""
        return _reduce.sort(self, dim, descending, stable=stable)

    def argsort(
        self: Tensor, dim: _int = -1, descending: _bool = False, *, stable: _bool = False
    ) -> Tensor:
        """Indices that sort the tensor along ``dim`` (stable)."""
        return _reduce.argsort(self, dim, descending, stable=stable)

    def msort(self: Tensor) -> Tensor:
        """Values sorted along dim 0."""
        return _reduce.msort(self)

    def topk(
        self: Tensor, k: _int, dim: _int = -1, largest: _bool = True, sorted: _bool = True
    ) -> MaxMin:
        """The k largest (or smallest) values along ``dim`` and their indices."""
        return _reduce.topk(self, k, dim, largest, sorted)

    def kthvalue(self: Tensor, k: _int, dim: _int = -1, keepdim: _bool = False) -> MaxMin:
        """The k-th smallest value along ``dim`` and its index."""
        return _reduce.kthvalue(self, k, dim, keepdim)

    def median(self: Tensor, dim: _int | None = None, keepdim: _bool = False) -> Any:
        """Lower median of all elements, or (values, indices) along ``dim``."""
        return _reduce.median(self, dim, keepdim)

    def mode(self: Tensor, dim: _int = -1, keepdim: _bool = False) -> MaxMin:
        """Smallest most frequent value along ``dim`` and its last index."""
        return _reduce.mode(self, dim, keepdim)

    def unique(
        self: Tensor,
        sorted: _bool = True,
        return_inverse: _bool = False,
        return_counts: _bool = False,
        dim: _int | None = None,
    ) -> Any:
        """Sorted distinct values, with inverse indices and counts on request."""
        return _reduce.unique(self, sorted, return_inverse, return_counts, dim)

    def nonzero(self: Tensor, *, as_tuple: _bool = False) -> Any:
        """Indices of nonzero elements: (nnz, ndim), or a tuple of (nnz,) tensors."""
        return _reduce.nonzero(self, as_tuple=as_tuple)

    def cumprod(self: Tensor, dim: _int, *, dtype: Any = None) -> Tensor:
        """Running product along ``dim``."""
        return _reduce.cumprod(self, dim, dtype=dtype)

    def cummax(self: Tensor, dim: _int) -> MaxMin:
        """Running maximum along ``dim`` and its indices."""
        return _reduce.cummax(self, dim)

    def cummin(self: Tensor, dim: _int) -> MaxMin:
        """Running minimum along ``dim`` and its indices."""
        return _reduce.cummin(self, dim)

    def logcumsumexp(self: Tensor, dim: _int) -> Tensor:
        """log(cumsum(exp(x))) along ``dim``, without overflow."""
        return _reduce.logcumsumexp(self, dim)
