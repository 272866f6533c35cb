"""Unary math: exponentials, logs, roots, powers, rounding and signs; (*) -> (*)."""

from __future__ import annotations

import math
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.arithmetic import _zeros_grad
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


@register("exp")
class Exp(Function):
    """out = e^x; gradient out."""

    def forward(self, x: Array) -> Array:
        self.out = xp.exp(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.out,)


def exp(x: Tensor) -> Tensor:
    """e**x."""
    return Exp.apply(_as_float(x))


@register("log")
class Log(Function):
    """out = ln x; gradient 1/x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.log(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / self.x,)


def log(x: Tensor) -> Tensor:
    """Natural logarithm."""
    return Log.apply(_as_float(x))


@register("log1p")
class Log1p(Function):
    """out = ln(1 + x); gradient 1/(1 + x)."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.log1p(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (1 + self.x),)


def log1p(x: Tensor) -> Tensor:
    """log(1 + x), accurate near 0."""
    return Log1p.apply(_as_float(x))


@register("sqrt")
class Sqrt(Function):
    """out = sqrt(x); gradient 1/(2 out)."""

    def forward(self, x: Array) -> Array:
        self.out = xp.sqrt(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (2 * self.out),)


def sqrt(x: Tensor) -> Tensor:
    """Square root."""
    return Sqrt.apply(_as_float(x))


@register("rsqrt")
class Rsqrt(Function):
    """out = 1/sqrt(x); gradient -out^3 / 2."""

    def forward(self, x: Array) -> Array:
        self.out = 1 / xp.sqrt(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (-0.5 * grad * self.out**3,)


def rsqrt(x: Tensor) -> Tensor:
    """1 / sqrt(x)."""
    return Rsqrt.apply(_as_float(x))


@register("sign")
class Sign(Function):
    """out = -1, 0 or 1; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.sign(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


def sign(x: Tensor) -> Tensor:
    """-1, 0 or 1 by the sign of x."""
    return Sign.apply(x)


@register("floor")
class Floor(Function):
    """out = floor x; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.floor(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


def floor(x: Tensor) -> Tensor:
    """Round down."""
    return Floor.apply(x)


@register("ceil")
class Ceil(Function):
    """out = ceil x; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.ceil(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


def ceil(x: Tensor) -> Tensor:
    """Round up."""
    return Ceil.apply(x)


@register("trunc")
class Trunc(Function):
    """out = x rounded toward zero; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.trunc(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


def trunc(x: Tensor) -> Tensor:
    """Round toward zero."""
    return Trunc.apply(x)


@register("round")
class Round(Function):
    """out = x rounded half to even at ``decimals`` places; gradient 0."""

    def forward(self, x: Array, decimals: int = 0) -> Array:
        self.x = x
        return xp.round(x, decimals)

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


def round(x: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001 - PyTorch's name
    """Round half to even, at ``decimals`` places."""
    return Round.apply(x, decimals=decimals)


_LN2, _LN10 = math.log(2), math.log(10)


class _SaveX(Function):
    """A unary op whose backward needs its input: forward stores ``self.x``."""

    def forward(self, x: Array) -> Array:
        """(*) -> (*)."""
        self.x = x
        return self.compute(x)

    def compute(self, x: Array) -> Array:
        """The values, (*) -> (*)."""
        raise NotImplementedError


class _SaveOut(Function):
    """A unary op whose backward needs its output: forward stores ``self.out``."""

    def forward(self, x: Array) -> Array:
        """(*) -> (*)."""
        self.out = self.compute(x)
        return self.out

    def compute(self, x: Array) -> Array:
        """The values, (*) -> (*)."""
        raise NotImplementedError


@register("exp2")
class Exp2(_SaveOut):
    """out = 2^x; gradient out ln 2."""

    def compute(self, x: Array) -> Array:
        return xp.exp2(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.out * _LN2,)


def exp2(x: Tensor) -> Tensor:
    """2**x, (*) -> (*)."""
    return Exp2.apply(_as_float(x))


@register("expm1")
class Expm1(_SaveOut):
    """out = e^x - 1, accurate near 0; gradient out + 1."""

    def compute(self, x: Array) -> Array:
        return xp.expm1(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (self.out + 1),)


def expm1(x: Tensor) -> Tensor:
    """e**x - 1, accurate near 0, (*) -> (*)."""
    return Expm1.apply(_as_float(x))


@register("log2")
class Log2(_SaveX):
    """out = log2 x; gradient 1 / (x ln 2)."""

    def compute(self, x: Array) -> Array:
        return xp.log2(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (self.x * _LN2),)


def log2(x: Tensor) -> Tensor:
    """Base-2 logarithm, (*) -> (*)."""
    return Log2.apply(_as_float(x))


@register("log10")
class Log10(_SaveX):
    """out = log10 x; gradient 1 / (x ln 10)."""

    def compute(self, x: Array) -> Array:
        return xp.log10(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (self.x * _LN10),)


def log10(x: Tensor) -> Tensor:
    """Base-10 logarithm, (*) -> (*)."""
    return Log10.apply(_as_float(x))


@register("reciprocal")
class Reciprocal(_SaveOut):
    """out = 1 / x; gradient -out^2."""

    def compute(self, x: Array) -> Array:
        return xp.reciprocal(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad * self.out * self.out,)


def reciprocal(x: Tensor) -> Tensor:
    """1 / x, (*) -> (*); integers give the default float dtype."""
    return Reciprocal.apply(_as_float(x))


@register("square")
class Square(_SaveX):
    """out = x^2; gradient 2x."""

    def compute(self, x: Array) -> Array:
        return xp.square(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * 2 * self.x,)


def square(x: Tensor) -> Tensor:
    """x * x, (*) -> (*); integers stay integers, bool gives int64 (as PyTorch)."""
    return Square.apply(cast(x, xp.int64) if x.array.dtype == xp.bool_ else x)


@register("frac")
class Frac(Function):
    """out = x - trunc(x), with x's sign; gradient 1."""

    def forward(self, x: Array) -> Array:
        """(*) -> (*)."""
        return x - xp.trunc(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad,)


def frac(x: Tensor) -> Tensor:
    """The fractional part x - trunc(x), (*) -> (*), with x's sign.

    Raises:
        TypeError: for integer and bool tensors (PyTorch: not implemented).
    """
    if x.array.dtype.kind != "f":
        raise TypeError(f"frac: not implemented for '{torch_name(x.dtype)}'; expected floats")
    return Frac.apply(x)


@register("nan_to_num")
class NanToNum(_SaveX):
    """out = x with NaN, +inf and -inf replaced by finite values; gradient 1 where finite."""

    def forward(
        self,
        x: Array,
        nan: float = 0.0,
        posinf: float | None = None,
        neginf: float | None = None,
    ) -> Array:
        """(*) -> (*); infinities default to the dtype's largest finite values."""
        self.x = x
        return xp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.isfinite(self.x),)


def nan_to_num(
    x: Tensor,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
) -> Tensor:
    """x with NaN, +inf and -inf replaced, (*) -> (*).

    Args:
        x: any tensor, shape (*); integer and bool tensors come back unchanged (a copy).
        nan: the value for NaN.
        posinf: the value for +inf; None: the dtype's largest finite value.
        neginf: the value for -inf; None: the dtype's most negative finite value.
    """
    return NanToNum.apply(x, nan=nan, posinf=posinf, neginf=neginf)


def _data(x: Any) -> Any:
    return x.array if isinstance(x, Tensor) else xp.asarray(x)


def deg2rad(x: Tensor) -> Tensor:
    """Degrees to radians, elementwise; any shape (ints become the default float)."""
    return x * (math.pi / 180.0)


def rad2deg(x: Tensor) -> Tensor:
    """Radians to degrees, elementwise; any shape (ints become the default float)."""
    return x * (180.0 / math.pi)


def signbit(x: Tensor) -> Tensor:
    """True where the sign bit is set (also -0.0); bool, same shape; no gradient."""
    return Tensor(xp.signbit(x.array))


def sgn(x: Tensor) -> Tensor:
    """The sign of a real tensor (-1, 0 or 1); same shape."""
    return sign(x)


fix = trunc


__all__ = [
    "ceil",
    "deg2rad",
    "exp",
    "exp2",
    "expm1",
    "fix",
    "floor",
    "frac",
    "log",
    "log10",
    "log1p",
    "log2",
    "nan_to_num",
    "rad2deg",
    "reciprocal",
    "round",
    "rsqrt",
    "sgn",
    "sign",
    "signbit",
    "sqrt",
    "square",
    "trunc",
]
