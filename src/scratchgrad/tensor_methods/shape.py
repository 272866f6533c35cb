"""Shape methods: views (``view``, ``reshape``, ``permute``), joins and structure.

Views share memory with self where PyTorch's do, so in-place writes show through.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from scratchgrad.types import DimArg, _int

if TYPE_CHECKING:
    from scratchgrad.ops import shape as _shape
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _shape.


class ShapeMethods:
    """Shape methods, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    @property
    def T(self: Tensor) -> Tensor:  # noqa: N802 - PyTorch's name
        """All dimensions reversed; for a matrix (M, N) -> (N, M)."""
        return _shape.permute(self, *range(self.ndim - 1, -1, -1))

    @property
    def mT(self: Tensor) -> Tensor:  # noqa: N802 - PyTorch's name
        """The last two dimensions swapped: (..., M, N) -> (..., N, M)."""
        if self.array.ndim < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. "
                f"Got {self.array.ndim}-D tensor."
            )
        return _shape.transpose(self, -2, -1)

    def __iter__(self: Tensor) -> Iterator[Tensor]:
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(_shape.unbind(self, 0))

    def reshape(self: Tensor, *shape: Any) -> Tensor:
        """Same data, new shape (one size may be -1); copies only when it must."""
        return _shape.reshape(self, *shape)

    def view_as(self: Tensor, other: Tensor) -> Tensor:
        """Same data in ``other``'s shape (a view)."""
        return _shape.view(self, other.shape)

    def reshape_as(self: Tensor, other: Tensor) -> Tensor:
        """Same data in ``other``'s shape, copied only when it must be."""
        return _shape.reshape(self, other.shape)

    def t(self: Tensor) -> Tensor:
        """The transpose of a matrix (a 0-d or 1-d tensor as it is)."""
        return _shape.t(self)

    def view(self: Tensor, *shape: Any) -> Tensor:
        """Same data, new shape; fails when that needs a copy."""
        return _shape.view(self, *shape)

    def flatten(self: Tensor, start_dim: _int = 0, end_dim: _int = -1) -> Tensor:
        """Merge dims start_dim..end_dim into one."""
        return _shape.flatten(self, start_dim, end_dim)

    def unflatten(self: Tensor, dim: _int, sizes: Sequence[_int]) -> Tensor:
        """Split dim ``dim`` into ``sizes``."""
        return _shape.unflatten(self, dim, sizes)

    def squeeze(self: Tensor, dim: DimArg = None) -> Tensor:
        """Remove dims of size 1 (only ``dim`` if given)."""
        return _shape.squeeze(self, dim)

    def unsqueeze(self: Tensor, dim: _int) -> Tensor:
        """Insert a dim of size 1 at ``dim``."""
        return _shape.unsqueeze(self, dim)

    def transpose(self: Tensor, dim0: _int, dim1: _int) -> Tensor:
        """Swap two dims."""
        return _shape.transpose(self, dim0, dim1)

    def permute(self: Tensor, *dims: Any) -> Tensor:
        """Reorder dims."""
        return _shape.permute(self, *dims)

    def expand(self: Tensor, *sizes: Any) -> Tensor:
        """Broadcast to ``sizes`` without copying; -1 keeps a size."""
        return _shape.expand(self, *sizes)

    def expand_as(self: Tensor, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return _shape.expand(self, *other.shape)

    def broadcast_to(self: Tensor, shape: Sequence[_int]) -> Tensor:
        """Broadcast to ``shape``."""
        return _shape.broadcast_to(self, shape)

    def repeat(self: Tensor, *sizes: Any) -> Tensor:
        """Tile the tensor ``sizes`` times along each dim."""
        return _shape.repeat(self, *sizes)

    def tile(self: Tensor, dims: Sequence[_int]) -> Tensor:
        """Like ``repeat``; missing leading dims count as 1."""
        return _shape.tile(self, dims)

    def flip(self: Tensor, dims: Sequence[_int]) -> Tensor:
        """Reverse the order along ``dims``."""
        return _shape.flip(self, dims)

    def roll(self: Tensor, shifts: _int | Sequence[_int], dims: DimArg = None) -> Tensor:
        """Rotate elements along ``dims`` (flattened when None)."""
        return _shape.roll(self, shifts, dims)

    def contiguous(self: Tensor) -> Tensor:
        """A C-contiguous tensor with the same values."""
        return _shape.contiguous(self)

    def narrow(self: Tensor, dim: _int, start: _int, length: _int) -> Tensor:
        """The slice start:start+length along ``dim`` (a view)."""
        return _shape.narrow(self, dim, start, length)

    def select(self: Tensor, dim: _int, index: _int) -> Tensor:
        """The slice at ``index`` along ``dim``, that dim removed (a view)."""
        return _shape.select(self, dim, index)

    def split(
        self: Tensor, split_size_or_sections: _int | Sequence[_int], dim: _int = 0
    ) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` (or the listed sizes) along ``dim``."""
        return _shape.split(self, split_size_or_sections, dim)

    def chunk(self: Tensor, chunks: _int, dim: _int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` near-equal pieces along ``dim``."""
        return _shape.chunk(self, chunks, dim)

    def unbind(self: Tensor, dim: _int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, with that dim removed."""
        return _shape.unbind(self, dim)

    def tril(self: Tensor, diagonal: _int = 0) -> Tensor:
        """The lower triangle of each matrix (..., M, N); entries above ``diagonal`` zeroed."""
        return _shape.tril(self, diagonal)

    def triu(self: Tensor, diagonal: _int = 0) -> Tensor:
        """The upper triangle of each matrix (..., M, N); entries below ``diagonal`` zeroed."""
        return _shape.triu(self, diagonal)

    def diagonal(self: Tensor, offset: _int = 0, dim1: _int = 0, dim2: _int = 1) -> Tensor:
        """The ``offset`` diagonal of dims (dim1, dim2), as the last dim (a view)."""
        return _shape.diagonal(self, offset, dim1, dim2)

    def diag(self: Tensor, diagonal: _int = 0) -> Tensor:
        """1-d: a matrix with self on a diagonal; 2-d: that diagonal as 1-d."""
        return _shape.diag(self, diagonal)

    def diag_embed(self: Tensor, offset: _int = 0, dim1: _int = -2, dim2: _int = -1) -> Tensor:
        """Matrices whose ``offset`` diagonal is self's last dim."""
        return _shape.diag_embed(self, offset, dim1, dim2)

    def trace(self: Tensor) -> Tensor:
        """The sum of a matrix's main diagonal."""
        return _shape.trace(self)

    def kron(self: Tensor, other: Tensor) -> Tensor:
        """The Kronecker product."""
        return _shape.kron(self, other)

    def cross(self: Tensor, other: Tensor, dim: _int | None = None) -> Tensor:
        """Cross product of 3-vectors along ``dim`` (the first dim of size 3 when None)."""
        return _shape.cross(self, other, dim)

    def unfold(self: Tensor, dimension: _int, size: _int, step: _int) -> Tensor:
        """Windows of ``size`` every ``step`` along ``dimension``, as a new last dim (a view)."""
        return _shape.unfold(self, dimension, size, step)

    def repeat_interleave(
        self: Tensor,
        repeats: Any = None,
        dim: _int | None = None,
        *,
        output_size: _int | None = None,
    ) -> Tensor:
        """Each element (slice along ``dim``) repeated ``repeats`` times, in place."""
        return _shape.repeat_interleave(self, repeats, dim, output_size=output_size)

    def movedim(self: Tensor, source: Any, destination: Any) -> Tensor:
        """Dims ``source`` moved to ``destination`` (a view)."""
        return _shape.movedim(self, source, destination)

    def swapaxes(self: Tensor, axis0: _int, axis1: _int) -> Tensor:
        """Two dims swapped (a view)."""
        return _shape.swapaxes(self, axis0, axis1)

    moveaxis = movedim
    swapdims = swapaxes
