"""Arithmetic methods: ``add``, ``mul``, ``clamp``, ``where``, ... and their in-place ``_`` forms.

A method ending in ``_`` writes into self and returns it, as in PyTorch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scratchgrad.types import Operand, Scalar

if TYPE_CHECKING:
    from scratchgrad.ops import elementwise as _elementwise
    from scratchgrad.ops import index as _index
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _elementwise, _index.


class ArithmeticMethods:
    """Arithmetic methods, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def add(self: Tensor, other: Operand, alpha: Scalar = 1) -> Tensor:
        """self + alpha * other, broadcast."""
        return _elementwise.add(self, other if alpha == 1 else _elementwise.mul(other, alpha))

    def sub(self: Tensor, other: Operand, alpha: Scalar = 1) -> Tensor:
        """self - alpha * other, broadcast."""
        return _elementwise.sub(self, other if alpha == 1 else _elementwise.mul(other, alpha))

    def mul(self: Tensor, other: Operand) -> Tensor:
        """Elementwise (Hadamard) product, broadcast."""
        return _elementwise.mul(self, other)

    def div(self: Tensor, other: Operand, rounding_mode: str | None = None) -> Tensor:
        """Elementwise division; ``rounding_mode`` None, "trunc" or "floor"."""
        return _elementwise.div(self, other, rounding_mode=rounding_mode)

    def pow(self: Tensor, exponent: Operand) -> Tensor:
        """Elementwise power."""
        return _elementwise.pow(self, exponent)

    def add_(self: Tensor, other: Operand, alpha: Scalar = 1) -> Tensor:
        """In-place ``self += alpha * other``; returns self."""
        return _elementwise.inplace(
            self, _elementwise.add, other if alpha == 1 else _elementwise.mul(other, alpha)
        )

    def sub_(self: Tensor, other: Operand, alpha: Scalar = 1) -> Tensor:
        """In-place ``self -= alpha * other``; returns self."""
        return _elementwise.inplace(
            self, _elementwise.sub, other if alpha == 1 else _elementwise.mul(other, alpha)
        )

    def mul_(self: Tensor, other: Operand) -> Tensor:
        """In-place ``self *= other``; returns self."""
        return _elementwise.inplace(self, _elementwise.mul, other)

    def div_(self: Tensor, other: Operand) -> Tensor:
        """In-place ``self /= other``; returns self."""
        return _elementwise.inplace(self, _elementwise.div, other)

    def pow_(self: Tensor, exponent: Operand) -> Tensor:
        """In-place ``self **= exponent``; returns self."""
        return _elementwise.inplace(self, _elementwise.pow, exponent)

    def clamp_(self: Tensor, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """In-place clamp; returns self."""
        return _elementwise.inplace(self, _elementwise.clamp, min, max)

    def zero_(self: Tensor) -> Tensor:
        """Fill with zeros in place; returns self."""
        return _elementwise.fill_(self, 0)

    def fill_(self: Tensor, value: Scalar) -> Tensor:
        """Fill with ``value`` in place; returns self."""
        return _elementwise.fill_(self, value)

    def copy_(self: Tensor, src: Tensor) -> Tensor:
        """Copy ``src`` (broadcast) into self in place; returns self."""
        return _elementwise.copy_(self, src)

    def abs(self: Tensor) -> Tensor:
        """|x|."""
        return _elementwise.abs(self)

    def abs_(self: Tensor) -> Tensor:
        """In-place abs; returns self."""
        return _elementwise.inplace(self, _elementwise.abs)

    def square_(self: Tensor) -> Tensor:
        """In-place x**2; returns self."""
        return _elementwise.inplace(self, _elementwise.square)

    def clip_(self: Tensor, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """In-place clamp (``clip`` is its alias); returns self."""
        return _elementwise.inplace(self, _elementwise.clamp, min, max)

    def clamp(self: Tensor, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """Limit values to [min, max]."""
        return _elementwise.clamp(self, min, max)

    def maximum(self: Tensor, other: Tensor) -> Tensor:
        """Elementwise maximum."""
        return _elementwise.maximum(self, other)

    def minimum(self: Tensor, other: Tensor) -> Tensor:
        """Elementwise minimum."""
        return _elementwise.minimum(self, other)

    def where(self: Tensor, condition: Tensor, other: Operand) -> Tensor:
        """``self`` where condition is true, else ``other``."""
        return _elementwise.where(condition, self, other)

    def masked_fill_(self: Tensor, mask: Tensor, value: Operand) -> Tensor:
        """In-place masked_fill; returns self."""
        return _elementwise.inplace(self, _index.masked_fill, mask, value)

    def frac(self: Tensor) -> Tensor:
        """x - trunc(x)."""
        return _elementwise.frac(self)

    def reciprocal(self: Tensor) -> Tensor:
        """1 / x."""
        return _elementwise.reciprocal(self)

    def square(self: Tensor) -> Tensor:
        """x * x."""
        return _elementwise.square(self)

    def copysign(self: Tensor, other: Operand) -> Tensor:
        """|self| with the sign of other, broadcast."""
        return _elementwise.copysign(self, other)

    def fmod(self: Tensor, other: Operand) -> Tensor:
        """Remainder with self's sign (C's fmod), broadcast."""
        return _elementwise.fmod(self, other)

    clip = clamp
