"""Matrix products as methods: ``mm``, ``matmul``, ``addmm``, ``dot``, ``outer``.

The ``@`` operator lives in :mod:`~scratchgrad.tensor_methods.operators`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scratchgrad.types import Scalar

if TYPE_CHECKING:
    from scratchgrad.ops import linalg as _linalg
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _linalg.


class LinalgMethods:
    """Matrix products as methods, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def mm(self: Tensor, other: Tensor) -> Tensor:
        """Matrix product of two matrices: (n, m) @ (m, p) -> (n, p)."""
        return _linalg.mm(self, other)

    def addmm(
        self: Tensor, m1: Tensor, m2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
    ) -> Tensor:
        """beta * self + alpha * (m1 @ m2)."""
        return _linalg.addmm(self, m1, m2, beta=beta, alpha=alpha)

    def matmul(self: Tensor, other: Tensor) -> Tensor:
        """Matrix product with broadcast batch dims (``@``)."""
        return _linalg.matmul(self, other)

    def dot(self: Tensor, other: Tensor) -> Tensor:
        """Inner product of two 1-d tensors."""
        return _linalg.dot(self, other)

    def outer(self: Tensor, other: Tensor) -> Tensor:
        """Outer product of two 1-d tensors: (M,), (N,) -> (M, N)."""
        return _linalg.outer(self, other)
