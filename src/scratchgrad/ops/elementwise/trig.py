"""Trigonometric and hyperbolic functions and their inverses; (*) -> (*)."""

from __future__ import annotations

import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.math import _SaveOut, _SaveX
from scratchgrad.ops.elementwise.select import where
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


@register("sin")
class Sin(Function):
    """out = sin x; gradient cos x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.sin(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.cos(self.x),)


def sin(x: Tensor) -> Tensor:
    """Sine."""
    return Sin.apply(_as_float(x))


@register("cos")
class Cos(Function):
    """out = cos x; gradient -sin x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.cos(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad * xp.sin(self.x),)


def cos(x: Tensor) -> Tensor:
    """Cosine."""
    return Cos.apply(_as_float(x))


@register("tanh")
class Tanh(Function):
    """out = tanh x; gradient 1 - out^2."""

    def forward(self, x: Array) -> Array:
        self.out = xp.tanh(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (1 - self.out * self.out),)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return Tanh.apply(_as_float(x))


@register("tan")
class Tan(_SaveOut):
    """out = tan x; gradient 1 + out^2."""

    def compute(self, x: Array) -> Array:
        return xp.tan(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (1 + self.out * self.out),)


def tan(x: Tensor) -> Tensor:
    """Tangent, (*) -> (*)."""
    return Tan.apply(_as_float(x))


@register("asin")
class Asin(_SaveX):
    """out = arcsin x; gradient 1 / sqrt(1 - x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arcsin(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / xp.sqrt(1 - self.x * self.x),)


def asin(x: Tensor) -> Tensor:
    """Inverse sine, (*) -> (*); NaN outside [-1, 1]."""
    return Asin.apply(_as_float(x))


@register("acos")
class Acos(_SaveX):
    """out = arccos x; gradient -1 / sqrt(1 - x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arccos(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad / xp.sqrt(1 - self.x * self.x),)


def acos(x: Tensor) -> Tensor:
    """Inverse cosine, (*) -> (*); NaN outside [-1, 1]."""
    return Acos.apply(_as_float(x))


@register("atan")
class Atan(_SaveX):
    """out = arctan x; gradient 1 / (1 + x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arctan(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (1 + self.x * self.x),)


def atan(x: Tensor) -> Tensor:
    """Inverse tangent, (*) -> (*)."""
    return Atan.apply(_as_float(x))


@register("sinh")
class Sinh(_SaveX):
    """out = sinh x; gradient cosh x."""

    def compute(self, x: Array) -> Array:
        return xp.sinh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.cosh(self.x),)


def sinh(x: Tensor) -> Tensor:
    """Hyperbolic sine, (*) -> (*)."""
    return Sinh.apply(_as_float(x))


@register("cosh")
class Cosh(_SaveX):
    """out = cosh x; gradient sinh x."""

    def compute(self, x: Array) -> Array:
        return xp.cosh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.sinh(self.x),)


def cosh(x: Tensor) -> Tensor:
    """Hyperbolic cosine, (*) -> (*)."""
    return Cosh.apply(_as_float(x))


@register("asinh")
class Asinh(_SaveX):
    """out = arsinh x; gradient 1 / sqrt(x^2 + 1)."""

    def compute(self, x: Array) -> Array:
        return xp.arcsinh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / xp.sqrt(self.x * self.x + 1),)


def asinh(x: Tensor) -> Tensor:
    """Inverse hyperbolic sine, (*) -> (*)."""
    return Asinh.apply(_as_float(x))


@register("acosh")
class Acosh(_SaveX):
    """out = arcosh x (x >= 1); gradient 1 / sqrt(x^2 - 1)."""

    def compute(self, x: Array) -> Array:
        return xp.arccosh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / xp.sqrt(self.x * self.x - 1),)


def acosh(x: Tensor) -> Tensor:
    """Inverse hyperbolic cosine, (*) -> (*); NaN below 1."""
    return Acosh.apply(_as_float(x))


@register("atanh")
class Atanh(_SaveX):
    """out = artanh x (|x| < 1); gradient 1 / (1 - x^2)."""

    def compute(self, x: Array) -> Array:
        return xp.arctanh(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (1 - self.x * self.x),)


def atanh(x: Tensor) -> Tensor:
    """Inverse hyperbolic tangent, (*) -> (*); NaN outside [-1, 1]."""
    return Atanh.apply(_as_float(x))


arcsin, arccos, arctan = asin, acos, atan


arcsinh, arccosh, arctanh = asinh, acosh, atanh


def sinc(x: Tensor) -> Tensor:
    """sin(pi x) / (pi x), and 1 at x = 0 (gradient 0 there); any shape."""
    if not x.is_floating_point():
        x = x.to(get_default_dtype())
    zero = x == 0
    px = where(zero, 1.0, x * math.pi)  # a safe denominator keeps NaNs out of the gradient
    return where(zero, 1.0, sin(px) / px)


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
    "cos",
    "cosh",
    "sin",
    "sinc",
    "sinh",
    "tan",
    "tanh",
]
