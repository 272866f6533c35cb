"""More unary math: trigonometric, hyperbolic, exponentials and logs, and float tests.

Every op keeps its input's shape, (*) -> (*). As in PyTorch, the transcendental ops turn
integer and bool inputs into the default float dtype (``torch.tan(int) -> float32``);
``square`` and ``nan_to_num`` keep integer dtypes, and ``frac`` refuses them.
``isinf``, ``isposinf`` and ``isneginf`` return bool tensors and carry no gradient.
``erf``, ``erfc``, ``erfinv`` and ``logit`` live in ``_special`` and are re-exported here.

>>> import scratchgrad as sg
>>> sg.tan(sg.tensor([0, 1])).dtype
dtype('float32')
>>> sg.log2(sg.tensor([1.0, 8.0])).tolist()
[0.0, 3.0]
"""

from __future__ import annotations

import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._dispatch import _as_float
from scratchgrad.ops._names import torch_name
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import cast
from scratchgrad.tensor import Tensor

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


# ------------------------------------------------------------------ trigonometric
@register("tan")
class Tan(_SaveOut):
    """out = tan x; gradient 1 + out^2."""

    def compute(self, x: Array) -> Array:
        return xp.tan(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (1 + self.out * self.out),)


@register("asin")
class Asin(_SaveX):
    """out = arcsin x; gradient 1 / sqrt(1 - x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arcsin(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / xp.sqrt(1 - self.x * self.x),)


@register("acos")
class Acos(_SaveX):
    """out = arccos x; gradient -1 / sqrt(1 - x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arccos(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad / xp.sqrt(1 - self.x * self.x),)


@register("atan")
class Atan(_SaveX):
    """out = arctan x; gradient 1 / (1 + x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arctan(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (1 + self.x * self.x),)


# ------------------------------------------------------------------ hyperbolic
@register("sinh")
class Sinh(_SaveX):
    """out = sinh x; gradient cosh x."""

    def compute(self, x: Array) -> Array:
        return xp.sinh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.cosh(self.x),)


@register("cosh")
class Cosh(_SaveX):
    """out = cosh x; gradient sinh x."""

    def compute(self, x: Array) -> Array:
        return xp.cosh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.sinh(self.x),)


@register("asinh")
class Asinh(_SaveX):
    """out = arsinh x; gradient 1 / sqrt(x^2 + 1)."""

    def compute(self, x: Array) -> Array:
        return xp.arcsinh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / xp.sqrt(self.x * self.x + 1),)


@register("acosh")
class Acosh(_SaveX):
    """out = arcosh x (x >= 1); gradient 1 / sqrt(x^2 - 1)."""

    def compute(self, x: Array) -> Array:
        return xp.arccosh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / xp.sqrt(self.x * self.x - 1),)


@register("atanh")
class Atanh(_SaveX):
    """out = artanh x (|x| < 1); gradient 1 / (1 - x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arctanh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (1 - self.x * self.x),)


# ------------------------------------------------------------------ exponentials and logs
@register("exp2")
class Exp2(_SaveOut):
    """out = 2^x; gradient out ln 2."""

    def compute(self, x: Array) -> Array:
        return xp.exp2(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.out * _LN2,)


@register("expm1")
class Expm1(_SaveOut):
    """out = e^x - 1, accurate near 0; gradient out + 1."""

    def compute(self, x: Array) -> Array:
        return xp.expm1(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (self.out + 1),)


@register("log2")
class Log2(_SaveX):
    """out = log2 x; gradient 1 / (x ln 2)."""

    def compute(self, x: Array) -> Array:
        return xp.log2(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (self.x * _LN2),)


@register("log10")
class Log10(_SaveX):
    """out = log10 x; gradient 1 / (x ln 10)."""

    def compute(self, x: Array) -> Array:
        return xp.log10(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (self.x * _LN10),)


# ------------------------------------------------------------------ arithmetic
@register("reciprocal")
class Reciprocal(_SaveOut):
    """out = 1 / x; gradient -out^2."""

    def compute(self, x: Array) -> Array:
        return xp.reciprocal(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad * self.out * self.out,)


@register("square")
class Square(_SaveX):
    """out = x^2; gradient 2x."""

    def compute(self, x: Array) -> Array:
        return xp.square(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * 2 * self.x,)


@register("frac")
class Frac(Function):
    """out = x - trunc(x), with x's sign; gradient 1."""

    def forward(self, x: Array) -> Array:
        """(*) -> (*)."""
        return x - xp.trunc(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad,)


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


# ------------------------------------------------------------------ float tests
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


# ------------------------------------------------------------------ user-facing functions
def tan(x: Tensor) -> Tensor:
    """Tangent, (*) -> (*)."""
    return Tan.apply(_as_float(x))


def asin(x: Tensor) -> Tensor:
    """Inverse sine, (*) -> (*); NaN outside [-1, 1]."""
    return Asin.apply(_as_float(x))


def acos(x: Tensor) -> Tensor:
    """Inverse cosine, (*) -> (*); NaN outside [-1, 1]."""
    return Acos.apply(_as_float(x))


def atan(x: Tensor) -> Tensor:
    """Inverse tangent, (*) -> (*)."""
    return Atan.apply(_as_float(x))


def sinh(x: Tensor) -> Tensor:
    """Hyperbolic sine, (*) -> (*)."""
    return Sinh.apply(_as_float(x))


def cosh(x: Tensor) -> Tensor:
    """Hyperbolic cosine, (*) -> (*)."""
    return Cosh.apply(_as_float(x))


def asinh(x: Tensor) -> Tensor:
    """Inverse hyperbolic sine, (*) -> (*)."""
    return Asinh.apply(_as_float(x))


def acosh(x: Tensor) -> Tensor:
    """Inverse hyperbolic cosine, (*) -> (*); NaN below 1."""
    return Acosh.apply(_as_float(x))


def atanh(x: Tensor) -> Tensor:
    """Inverse hyperbolic tangent, (*) -> (*); NaN outside [-1, 1]."""
    return Atanh.apply(_as_float(x))


def exp2(x: Tensor) -> Tensor:
    """2**x, (*) -> (*)."""
    return Exp2.apply(_as_float(x))


def expm1(x: Tensor) -> Tensor:
    """e**x - 1, accurate near 0, (*) -> (*)."""
    return Expm1.apply(_as_float(x))


def log2(x: Tensor) -> Tensor:
    """Base-2 logarithm, (*) -> (*)."""
    return Log2.apply(_as_float(x))


def log10(x: Tensor) -> Tensor:
    """Base-10 logarithm, (*) -> (*)."""
    return Log10.apply(_as_float(x))


def reciprocal(x: Tensor) -> Tensor:
    """1 / x, (*) -> (*); integers give the default float dtype."""
    return Reciprocal.apply(_as_float(x))


def square(x: Tensor) -> Tensor:
    """x * x, (*) -> (*); integers stay integers, bool gives int64 (as PyTorch)."""
    return Square.apply(cast(x, xp.int64) if x.data.dtype == xp.bool_ else x)


def frac(x: Tensor) -> Tensor:
    """The fractional part x - trunc(x), (*) -> (*), with x's sign.

    Raises:
        TypeError: for integer and bool tensors (PyTorch: not implemented).
    """
    if x.data.dtype.kind != "f":
        raise TypeError(f"frac: not implemented for '{torch_name(x.dtype)}'; expected floats")
    return Frac.apply(x)


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


def isinf(x: Tensor) -> Tensor:
    """True where x is +inf or -inf, (*) -> (*) bool."""
    return IsInf.apply(x)


def isposinf(x: Tensor) -> Tensor:
    """True where x is +inf, (*) -> (*) bool."""
    return IsInf.apply(x, sign=1)


def isneginf(x: Tensor) -> Tensor:
    """True where x is -inf, (*) -> (*) bool."""
    return IsInf.apply(x, sign=-1)


arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh

# The special functions live in their own file; unary is the family users see.
from scratchgrad.ops._special import erf, erfc, erfinv, logit  # noqa: E402

__all__ = [
    "acos",
    "acosh",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctanh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cosh",
    "erf",
    "erfc",
    "erfinv",
    "exp2",
    "expm1",
    "frac",
    "isinf",
    "isneginf",
    "isposinf",
    "log2",
    "log10",
    "logit",
    "nan_to_num",
    "reciprocal",
    "sinh",
    "square",
    "tan",
]
