"""Python's operators on tensors: ``+ - * / // % ** @``, comparisons, bitwise, in-place.

Each operator dispatches to its op in :mod:`scratchgrad.ops`; the reflected forms
(``__radd__``) handle ``2 + x``, and the in-place ones (``__iadd__``) write into self.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scratchgrad.types import Operand

if TYPE_CHECKING:
    from scratchgrad.ops import elementwise as _elementwise
    from scratchgrad.ops import linalg as _linalg
    from scratchgrad.ops.elementwise._dispatch import _binary
    from scratchgrad.ops.elementwise.arithmetic import Add, Mul, Sub
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _elementwise, _linalg, _binary, Add, Mul, Sub.


class OperatorMethods:
    """Python's operators on tensors, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def __add__(self: Tensor, other: Operand) -> Tensor:
        return _binary(Add, self, other)

    def __radd__(self: Tensor, other: Operand) -> Tensor:
        return _binary(Add, other, self)

    def __sub__(self: Tensor, other: Operand) -> Tensor:
        return _binary(Sub, self, other)

    def __rsub__(self: Tensor, other: Operand) -> Tensor:
        return _binary(Sub, other, self)

    def __mul__(self: Tensor, other: Operand) -> Tensor:
        return _binary(Mul, self, other)

    def __rmul__(self: Tensor, other: Operand) -> Tensor:
        return _binary(Mul, other, self)

    def __truediv__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.div(self, other)

    def __rtruediv__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.div(other, self)

    def __floordiv__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.floor_divide(self, other)

    def __rfloordiv__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.floor_divide(other, self)

    def __mod__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.remainder(self, other)

    def __rmod__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.remainder(other, self)

    def __pow__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.pow(self, other)

    def __rpow__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.pow(other, self)

    def __neg__(self: Tensor) -> Tensor:
        return _elementwise.neg(self)

    def __abs__(self: Tensor) -> Tensor:
        return _elementwise.abs(self)

    def __invert__(self: Tensor) -> Tensor:
        return _elementwise.bitwise_not(self)

    def __and__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_and(self, other)

    def __or__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_or(self, other)

    def __xor__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_xor(self, other)

    def __eq__(self: Tensor, other: object) -> Tensor:  # type: ignore[override]
        return _elementwise.eq(self, other)  # type: ignore[arg-type]

    def __ne__(self: Tensor, other: object) -> Tensor:  # type: ignore[override]
        return _elementwise.ne(self, other)  # type: ignore[arg-type]

    def __lt__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.lt(self, other)

    def __le__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.le(self, other)

    def __gt__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.gt(self, other)

    def __ge__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.ge(self, other)

    def __iadd__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.add, other)

    def __isub__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.sub, other)

    def __imul__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.mul, other)

    def __itruediv__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.div, other)

    def __rand__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_and(other, self)

    def __ror__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_or(other, self)

    def __rxor__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_xor(other, self)

    def __lshift__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_left_shift(self, other)

    def __rlshift__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_left_shift(other, self)

    def __rshift__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_right_shift(self, other)

    def __rrshift__(self: Tensor, other: Operand) -> Tensor:
        return _elementwise.bitwise_right_shift(other, self)

    def __matmul__(self: Tensor, other: Tensor) -> Tensor:
        return _linalg.matmul(self, other)

    def __rmatmul__(self: Tensor, other: Tensor) -> Tensor:
        return _linalg.matmul(other, self)
