"""Bitwise ops on integer and bool tensors."""

from __future__ import annotations

from typing import ClassVar

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import DType, result_type
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.elementwise._dispatch import _binary
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor, wrap
from scratchgrad.types import Operand


class _Bitwise(Function):
    """An integer-valued elementwise op on integer or bool arrays: no gradient."""

    differentiable = False
    ufunc: ClassVar[xp.ufunc] = xp.bitwise_and

    def forward(self, x: Array, y: Array) -> Array:
        """(*a), (*b) -> broadcast(a, b)."""
        out: Array = type(self).ufunc(x, y)
        return out


@register("bitwise_and")
class BitwiseAnd(_Bitwise):
    """out = x & y, bit by bit (logical and for bools)."""

    ufunc = xp.bitwise_and


def bitwise_and(input: Operand, other: Operand) -> Tensor:  # noqa: A002 - PyTorch's name
    """input & other, bit by bit, broadcast.

    Raises:
        TypeError: when the operands promote to a float dtype.
    """
    return _bitwise(BitwiseAnd, "bitwise_and", input, other, allow_bool=True)


@register("bitwise_or")
class BitwiseOr(_Bitwise):
    """out = x | y, bit by bit (logical or for bools)."""

    ufunc = xp.bitwise_or


def bitwise_or(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """input | other, bit by bit, broadcast. Raises TypeError on floats."""
    return _bitwise(BitwiseOr, "bitwise_or", input, other, allow_bool=True)


@register("bitwise_xor")
class BitwiseXor(_Bitwise):
    """out = x ^ y, bit by bit (logical xor for bools)."""

    ufunc = xp.bitwise_xor


def bitwise_xor(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """input ^ other, bit by bit, broadcast. Raises TypeError on floats."""
    return _bitwise(BitwiseXor, "bitwise_xor", input, other, allow_bool=True)


@register("bitwise_left_shift")
class BitwiseLeftShift(_Bitwise):
    """out = x << y, wrapping; 0 when y < 0 or y >= the bit width."""

    ufunc = xp.left_shift


def bitwise_left_shift(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """input << other, broadcast. Raises TypeError on floats and on two bools."""
    return _bitwise(BitwiseLeftShift, "bitwise_left_shift", input, other, allow_bool=False)


@register("bitwise_right_shift")
class BitwiseRightShift(_Bitwise):
    """out = x >> y, arithmetic for signed x; the sign when y < 0 or y >= the bit width."""

    ufunc = xp.right_shift


def bitwise_right_shift(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """input >> other, broadcast. Raises TypeError on floats and on two bools."""
    return _bitwise(BitwiseRightShift, "bitwise_right_shift", input, other, allow_bool=False)


@register("bitwise_not")
class BitwiseNot(Function):
    """out = ~x, every bit flipped (logical not for bools)."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        """(*) -> (*)."""
        return xp.invert(x)


def bitwise_not(input: Tensor) -> Tensor:  # noqa: A002
    """~input, (*) -> (*). Raises TypeError on floats."""
    _check("bitwise_not", input.array.dtype)
    return BitwiseNot.apply(input)


def _check(op: str, d: DType, allow_bool: bool = True) -> None:
    if d.kind == "f" or (d.kind == "b" and not allow_bool):
        kinds = "integer or bool" if allow_bool else "integer"
        raise TypeError(f"{op}: not implemented for '{torch_name(d)}'; expected {kinds} tensors")


def _as_operand(v: Operand, d: DType) -> Operand:
    """A Python int as a 0-d tensor of ``d`` (wrapping, as PyTorch); tensors unchanged."""
    if isinstance(v, Tensor):
        return v
    return wrap(xp.asarray(v).astype(d))


def _bitwise(cls: type[Function], op: str, x: Operand, y: Operand, allow_bool: bool) -> Tensor:
    d = result_type(x, y)
    _check(op, d, allow_bool)
    return _binary(cls, _as_operand(x, d), _as_operand(y, d))


__all__ = [
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
]
