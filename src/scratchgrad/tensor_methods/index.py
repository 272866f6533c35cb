"""Indexing methods: ``x[i]``, ``gather``, ``scatter``, ``index_select``, ....

Indices are int64 tensors; out-of-range indices raise IndexError as in PyTorch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scratchgrad.types import Operand, Scalar, _bool, _int

if TYPE_CHECKING:
    from scratchgrad.ops import index as _index
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _index.


class IndexMethods:
    """Indexing methods, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def __getitem__(self: Tensor, index: Any) -> Tensor:
        return _index.getitem(self, index)

    def __setitem__(self: Tensor, index: Any, value: Operand) -> None:
        _index.setitem(self, index, value)

    def gather(self: Tensor, dim: _int, index: Tensor) -> Tensor:
        """out[i][j] = self[index[i][j]][j] for dim 0, and so on."""
        return _index.gather(self, dim, index)

    def scatter(self: Tensor, dim: _int, index: Tensor, src: Operand) -> Tensor:
        """A copy with ``src`` written at ``index`` along ``dim``."""
        return _index.scatter(self, dim, index, src)

    def scatter_add(self: Tensor, dim: _int, index: Tensor, src: Tensor) -> Tensor:
        """A copy with ``src`` added at ``index`` along ``dim``."""
        return _index.scatter_add(self, dim, index, src)

    def index_select(self: Tensor, dim: _int, index: Tensor) -> Tensor:
        """The entries at ``index`` (1-d integer) along ``dim``."""
        return _index.index_select(self, dim, index)

    def masked_fill(self: Tensor, mask: Tensor, value: Operand) -> Tensor:
        """A copy with ``value`` where ``mask`` (broadcast) is true."""
        return _index.masked_fill(self, mask, value)

    def take_along_dim(self: Tensor, indices: Tensor, dim: _int | None = None) -> Tensor:
        """Values at ``indices`` along ``dim`` (flattened when None)."""
        return _index.take_along_dim(self, indices, dim)

    def take(self: Tensor, index: Tensor) -> Tensor:
        """Entries of the flattened tensor at ``index`` (int64, any shape)."""
        return _index.take(self, index)

    def scatter_reduce(
        self: Tensor,
        dim: _int,
        index: Tensor,
        src: Tensor,
        reduce: str,
        *,
        include_self: _bool = True,
    ) -> Tensor:
        """A copy with ``src`` reduced in at ``index`` along ``dim`` (sum/prod/mean/amax/amin)."""
        return _index.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def scatter_reduce_(
        self: Tensor,
        dim: _int,
        index: Tensor,
        src: Tensor,
        reduce: str,
        *,
        include_self: _bool = True,
    ) -> Tensor:
        """In-place scatter_reduce; returns self."""
        return _index.scatter_reduce_(self, dim, index, src, reduce, include_self=include_self)

    def index_add(
        self: Tensor, dim: _int, index: Tensor, source: Tensor, *, alpha: Scalar = 1
    ) -> Tensor:
        """A copy with ``alpha * source`` added at ``index`` along ``dim``."""
        return _index.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(
        self: Tensor, dim: _int, index: Tensor, source: Tensor, *, alpha: Scalar = 1
    ) -> Tensor:
        """In-place index_add; returns self."""
        return _index.index_add_(self, dim, index, source, alpha=alpha)

    def index_copy(self: Tensor, dim: _int, index: Tensor, source: Tensor) -> Tensor:
        """A copy with the slices of ``source`` written at ``index`` along ``dim``."""
        return _index.index_copy(self, dim, index, source)

    def index_copy_(self: Tensor, dim: _int, index: Tensor, source: Tensor) -> Tensor:
        """In-place index_copy; returns self."""
        return _index.index_copy_(self, dim, index, source)

    def index_fill(self: Tensor, dim: _int, index: Tensor, value: Operand) -> Tensor:
        """A copy with ``value`` at ``index`` along ``dim``."""
        return _index.index_fill(self, dim, index, value)

    def index_fill_(self: Tensor, dim: _int, index: Tensor, value: Operand) -> Tensor:
        """In-place index_fill; returns self."""
        return _index.index_fill_(self, dim, index, value)
