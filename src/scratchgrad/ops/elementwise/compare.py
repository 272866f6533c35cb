"""Comparisons, logical ops and float tests; they return bool tensors and carry no gradient."""

from __future__ import annotations

from typing import ClassVar

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype
from scratchgrad.ops.elementwise._dispatch import _binary
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor
from scratchgrad.types import Operand


class _Compare(Function):
    """A bool-valued elementwise op: no gradient."""

    differentiable = False
    ufunc: ClassVar[xp.ufunc] = xp.equal

    def forward(self, x: Array, y: Array) -> Array:
        out: Array = type(self).ufunc(x, y)
        return out


@register("eq")
class Eq(_Compare):
    """out = x == y."""

    ufunc = xp.equal


def eq(x: Operand, y: Operand) -> Tensor:
    """x == y elementwise, broadcast; a bool tensor."""
    return _compare(Eq, x, y)


@register("ne")
class Ne(_Compare):
    """out = x != y."""

    ufunc = xp.not_equal


def ne(x: Operand, y: Operand) -> Tensor:
    """x != y elementwise, broadcast."""
    return _compare(Ne, x, y)


@register("lt")
class Lt(_Compare):
    """out = x < y."""

    ufunc = xp.less


def lt(x: Operand, y: Operand) -> Tensor:
    """x < y elementwise, broadcast."""
    return _compare(Lt, x, y)


@register("le")
class Le(_Compare):
    """out = x <= y."""

    ufunc = xp.less_equal


def le(x: Operand, y: Operand) -> Tensor:
    """x <= y elementwise, broadcast."""
    return _compare(Le, x, y)


@register("gt")
class Gt(_Compare):
    """out = x > y."""

    ufunc = xp.greater


def gt(x: Operand, y: Operand) -> Tensor:
    """x > y elementwise, broadcast."""
    return _compare(Gt, x, y)


@register("ge")
class Ge(_Compare):
    """out = x >= y."""

    ufunc = xp.greater_equal


def ge(x: Operand, y: Operand) -> Tensor:
    """x >= y elementwise, broadcast."""
    return _compare(Ge, x, y)


@register("logical_and")
class LogicalAnd(_Compare):
    """out = x and y (nonzero is true)."""

    ufunc = xp.logical_and


def logical_and(x: Operand, y: Operand) -> Tensor:
    """x and y elementwise (nonzero is true), broadcast."""
    return _compare(LogicalAnd, x, y)


@register("logical_or")
class LogicalOr(_Compare):
    """out = x or y."""

    ufunc = xp.logical_or


def logical_or(x: Operand, y: Operand) -> Tensor:
    """x or y elementwise, broadcast."""
    return _compare(LogicalOr, x, y)


@register("logical_xor")
class LogicalXor(_Compare):
    """out = x xor y."""

    ufunc = xp.logical_xor


def logical_xor(x: Operand, y: Operand) -> Tensor:
    """x xor y elementwise, broadcast."""
    return _compare(LogicalXor, x, y)


@register("logical_not")
class LogicalNot(Function):
    """out = not x."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.logical_not(x)


def logical_not(x: Tensor) -> Tensor:
    """not x elementwise."""
    return LogicalNot.apply(x)


@register("isnan")
class IsNan(Function):
    """out = x is NaN."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.isnan(x)


def isnan(x: Tensor) -> Tensor:
    """True where x is NaN."""
    return IsNan.apply(x)


@register("isfinite")
class IsFinite(Function):
    """out = x is neither NaN nor infinite."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.isfinite(x)


def isfinite(x: Tensor) -> Tensor:
    """True where x is neither NaN nor infinite."""
    return IsFinite.apply(x)


def _compare(cls: type[Function], x: Operand, y: Operand) -> Tensor:
    if not isinstance(x, Tensor):  # a scalar on the left: compare its tensor partner
        x, y = y, x
        cls = _FLIPPED.get(cls, cls)
    return _binary(cls, x, y)


_FLIPPED: dict[type[Function], type[Function]] = {Lt: Gt, Gt: Lt, Le: Ge, Ge: Le}


@register("isinf")
class IsInf(Function):
    """out = x is +inf or -inf."""

    differentiable = False

    def forward(self, x: Array, sign: int = 0) -> Array:
        """(*) -> (*) bool; ``sign`` 1 or -1 tests one infinity only."""
        if sign > 0:
            return xp.isposinf(x)
        if sign < 0:
            return xp.isneginf(x)
        return xp.isinf(x)


def isinf(x: Tensor) -> Tensor:
    """True where x is +inf or -inf, (*) -> (*) bool."""
    return IsInf.apply(x)


def isposinf(x: Tensor) -> Tensor:
    """True where x is +inf, (*) -> (*) bool."""
    return IsInf.apply(x, sign=1)


def isneginf(x: Tensor) -> Tensor:
    """True where x is -inf, (*) -> (*) bool."""
    return IsInf.apply(x, sign=-1)


@register("isclose")
class IsClose(Function):
    """out = |x - y| <= atol + rtol |y|, or x == y (infinities), or both NaN if equal_nan."""

    differentiable = False

    def forward(
        self, x: Array, y: Array, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
    ) -> Array:
        """(*a), (*b) -> broadcast(a, b) bool."""
        close = x == y
        if equal_nan:
            close |= xp.isnan(x) & xp.isnan(y)
        if rtol == 0 and atol == 0:
            out: Array = close
            return out
        with xp.errstate(invalid="ignore", over="ignore"):
            actual, allowed = _errors(x, y, rtol, atol)
            out = close | (xp.isfinite(actual) & (actual <= allowed))
        return out


def isclose(
    input: Tensor,  # noqa: A002
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> Tensor:
    """True where |input - other| <= atol + rtol |other|, broadcast; a bool tensor.

    Raises:
        TypeError: when input and other have different dtypes (as PyTorch).
        ValueError: for a negative rtol or atol.
    """
    if input.dtype != other.dtype:
        raise TypeError(
            f"isclose: input and other must have one dtype, got {input.dtype} and {other.dtype}"
        )
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if tol < 0:
            raise ValueError(f"isclose: {name} must be greater than or equal to zero, got {tol}")
    return IsClose.apply(input, other, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _errors(x: Array, y: Array, rtol: float, atol: float) -> tuple[Array, Array]:
    """|x - y| and atol + |rtol y|, rounded as torch rounds them.

    Floats round each step to their dtype (rtol y computes in at least float32); bools
    count as the default float; integers subtract without wrapping (torch's kernel
    promotes them, as C++ does) and meet a float64 tolerance.
    """
    if x.dtype.kind in "iu":
        actual = xp.abs(x.astype(xp.int64) - y.astype(xp.int64))
        return actual, atol + rtol * xp.abs(y, dtype=xp.float64)
    if x.dtype == xp.bool_:
        x, y = x.astype(get_default_dtype()), y.astype(get_default_dtype())
    wide = y.astype(xp.promote_types(y.dtype, xp.float32), copy=False)
    return xp.abs(x - y), atol + xp.abs((rtol * wide).astype(y.dtype, copy=False))


def allclose(
    input: Tensor,  # noqa: A002
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> bool:
    """Whether ``isclose`` holds everywhere: a Python bool."""
    return bool(isclose(input, other, rtol, atol, equal_nan).array.all())


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def equal(a: Tensor, b: Tensor) -> bool:
    """True if a and b have the same shape and the same values (a Python bool)."""
    return tuple(a.shape) == tuple(b.shape) and bool(xp.array_equal(a.array, b.array))


__all__ = [
    "allclose",
    "eq",
    "equal",
    "ge",
    "greater",
    "greater_equal",
    "gt",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "le",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "ne",
    "not_equal",
]
