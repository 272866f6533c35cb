"""Comparisons, logic and bits: ``eq``, ``lt``, ``isnan``, ``isclose``, ``bitwise_and``, ....

Each returns a bool (or integer, for bits) tensor of the broadcast shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scratchgrad.types import Operand, _bool, _float

if TYPE_CHECKING:
    from scratchgrad.ops import elementwise as _elementwise
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _elementwise.


class CompareMethods:
    """Comparisons, logic and bits, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def neg(self: Tensor) -> Tensor:
        """-x."""
        return _elementwise.neg(self)

    def neg_(self: Tensor) -> Tensor:
        """In-place negation; returns self."""
        return _elementwise.inplace(self, _elementwise.neg)

    def eq(self: Tensor, other: Operand) -> Tensor:
        """Elementwise ==."""
        return _elementwise.eq(self, other)

    def ne(self: Tensor, other: Operand) -> Tensor:
        """Elementwise !=."""
        return _elementwise.ne(self, other)

    def lt(self: Tensor, other: Operand) -> Tensor:
        """Elementwise <."""
        return _elementwise.lt(self, other)

    def le(self: Tensor, other: Operand) -> Tensor:
        """Elementwise <=."""
        return _elementwise.le(self, other)

    def gt(self: Tensor, other: Operand) -> Tensor:
        """Elementwise >."""
        return _elementwise.gt(self, other)

    def ge(self: Tensor, other: Operand) -> Tensor:
        """Elementwise >=."""
        return _elementwise.ge(self, other)

    def logical_and(self: Tensor, other: Operand) -> Tensor:
        """Elementwise logical and (nonzero is true)."""
        return _elementwise.logical_and(self, other)

    def logical_or(self: Tensor, other: Operand) -> Tensor:
        """Elementwise logical or."""
        return _elementwise.logical_or(self, other)

    def logical_xor(self: Tensor, other: Operand) -> Tensor:
        """Elementwise logical xor."""
        return _elementwise.logical_xor(self, other)

    def logical_not(self: Tensor) -> Tensor:
        """Elementwise logical not."""
        return _elementwise.logical_not(self)

    def isnan(self: Tensor) -> Tensor:
        """True where NaN."""
        return _elementwise.isnan(self)

    def isfinite(self: Tensor) -> Tensor:
        """True where neither NaN nor infinite."""
        return _elementwise.isfinite(self)

    def isinf(self: Tensor) -> Tensor:
        """True where +inf or -inf."""
        return _elementwise.isinf(self)

    def isposinf(self: Tensor) -> Tensor:
        """True where +inf."""
        return _elementwise.isposinf(self)

    def isneginf(self: Tensor) -> Tensor:
        """True where -inf."""
        return _elementwise.isneginf(self)

    def lerp(self: Tensor, end: Tensor, weight: Tensor | _float) -> Tensor:
        """self + weight * (end - self), broadcast."""
        return _elementwise.lerp(self, end, weight)

    def isclose(
        self: Tensor,
        other: Tensor,
        rtol: _float = 1e-05,
        atol: _float = 1e-08,
        equal_nan: _bool = False,
    ) -> Tensor:
        """True where |self - other| <= atol + rtol * |other|."""
        return _elementwise.isclose(self, other, rtol, atol, equal_nan)

    def allclose(
        self: Tensor,
        other: Tensor,
        rtol: _float = 1e-05,
        atol: _float = 1e-08,
        equal_nan: _bool = False,
    ) -> _bool:
        """Whether isclose holds everywhere."""
        return _elementwise.allclose(self, other, rtol, atol, equal_nan)

    def bitwise_and(self: Tensor, other: Operand) -> Tensor:
        """Bitwise and (integer and bool tensors)."""
        return _elementwise.bitwise_and(self, other)

    def bitwise_or(self: Tensor, other: Operand) -> Tensor:
        """Bitwise or."""
        return _elementwise.bitwise_or(self, other)

    def bitwise_xor(self: Tensor, other: Operand) -> Tensor:
        """Bitwise xor."""
        return _elementwise.bitwise_xor(self, other)

    def bitwise_not(self: Tensor) -> Tensor:
        """Bitwise not (logical not for bools)."""
        return _elementwise.bitwise_not(self)

    def bitwise_left_shift(self: Tensor, other: Operand) -> Tensor:
        """self << other."""
        return _elementwise.bitwise_left_shift(self, other)

    def bitwise_right_shift(self: Tensor, other: Operand) -> Tensor:
        """self >> other."""
        return _elementwise.bitwise_right_shift(self, other)
