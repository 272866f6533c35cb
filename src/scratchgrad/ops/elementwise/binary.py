"""Binary math: atan2, copysign, fmod, hypot, logaddexp, xlogy, lerp."""

from __future__ import annotations

import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import result_type
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.elementwise._dispatch import _as_float, _binary
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor
from scratchgrad.types import Operand

_LN2 = math.log(2)


@register("atan2")
class Atan2(Function):
    """out = atan2(x, y), the angle of the point (y, x); gradients (y, -x) / (x^2 + y^2)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.arctan2(x, y)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = grad / (self.x * self.x + self.y * self.y)
        gx = g * self.y if self.needs_input_grad[0] else None
        gy = -g * self.x if self.needs_input_grad[1] else None
        return gx, gy


def atan2(input: Operand, other: Operand) -> Tensor:  # noqa: A002 - PyTorch's name
    """The angle of the point (x=other, y=input) in (-pi, pi], broadcast."""
    return _binary(Atan2, *_to_float(input, other))


@register("copysign")
class Copysign(Function):
    """out = |x| with the sign of y; gradient out / x for x (0 at x = 0), 0 for y."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x = x
        self.out = xp.copysign(x, y)
        return self.out

    def backward(self, grad: Array) -> tuple[Array, Array]:
        flip = xp.where(self.x == 0, 0, xp.sign(self.x) * xp.sign(self.out))
        return grad * flip.astype(grad.dtype), xp.zeros_like(grad)


def copysign(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """|input| with the sign of other (-0.0 counts as negative), broadcast."""
    return _binary(Copysign, *_to_float(input, other))


@register("fmod")
class Fmod(Function):
    """out = x - trunc(x / y) y, the sign of x (C's fmod); gradients 1 and -trunc(x / y)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.fmod(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array | None]:
        gy = -grad * xp.trunc(self.x / self.y) if self.needs_input_grad[1] else None
        return grad, gy


def fmod(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """Remainder of input / other with input's sign (C's fmod), broadcast.

    Raises:
        TypeError: for two bool operands.
    """
    d = result_type(input, other)
    if d.kind == "b":
        raise TypeError("fmod: not implemented for 'Bool'; expected numbers")
    return _binary(Fmod, input, other)


@register("hypot")
class Hypot(Function):
    """out = sqrt(x^2 + y^2) without overflow; gradients x / out and y / out."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        self.out = xp.hypot(x, y)
        return self.out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = grad / self.out
        return (
            g * self.x if self.needs_input_grad[0] else None,
            g * self.y if self.needs_input_grad[1] else None,
        )


def hypot(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """sqrt(input**2 + other**2), broadcast.

    Raises:
        TypeError: when the operands promote to an integer or bool dtype.
    """
    _floats_only("hypot", input, other)
    return _binary(Hypot, input, other)


@register("logaddexp")
class Logaddexp(Function):
    """out = ln(e^x + e^y) without overflow; gradients 1 / (1 + e^(y - x)) and its mirror."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.logaddexp(x, y)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        x, y = self.x, self.y
        return (
            grad / (1 + xp.exp(y - x)) if self.needs_input_grad[0] else None,
            grad / (1 + xp.exp(x - y)) if self.needs_input_grad[1] else None,
        )


def logaddexp(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """log(exp(input) + exp(other)), broadcast. Raises TypeError on integers."""
    _floats_only("logaddexp", input, other)
    return _binary(Logaddexp, input, other)


@register("logaddexp2")
class Logaddexp2(Function):
    """out = log2(2^x + 2^y) without overflow; gradients 1 / (1 + 2^(y - x)) and mirror."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.logaddexp2(x, y)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        x, y = self.x, self.y
        return (
            grad / (1 + xp.exp2(y - x)) if self.needs_input_grad[0] else None,
            grad / (1 + xp.exp2(x - y)) if self.needs_input_grad[1] else None,
        )


def logaddexp2(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """log2(2**input + 2**other), broadcast. Raises TypeError on integers."""
    _floats_only("logaddexp2", input, other)
    return _binary(Logaddexp2, input, other)


@register("xlogy")
class Xlogy(Function):
    """out = x ln y, 0 where x = 0 (NaN where y is NaN); gradients ln y and x / y.

    The gradient of x is 0 where x = 0 and y <= 0, as in PyTorch.
    """

    def forward(self, x: Array | float, y: Array | float) -> Array:
        d = xp.result_type(x, y)  # a Python scalar takes the tensor's dtype
        x, y = xp.asarray(x, dtype=d), xp.asarray(y, dtype=d)
        self.x, self.y = x, y
        with xp.errstate(divide="ignore", invalid="ignore"):
            out = x * xp.log(y)
        return xp.where((x == 0) & ~xp.isnan(y), 0, out).astype(d)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        x, y = self.x, self.y
        gx = gy = None
        if self.needs_input_grad[0]:
            with xp.errstate(divide="ignore", invalid="ignore"):
                gx = grad * xp.log(y)
            gx = xp.where(((grad == 0) & ~xp.isnan(y)) | ((x == 0) & (y <= 0)), 0, gx)
            gx = gx.astype(grad.dtype)
        if self.needs_input_grad[1]:
            gy = grad * x / y
        return gx, gy


def xlogy(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """input * log(other), 0 where input == 0 unless other is NaN, broadcast."""
    return _binary(Xlogy, *_to_float(input, other))


def _to_float(x: Operand, y: Operand) -> tuple[Operand, Operand]:
    """x and y, tensors cast to the default float when they promote to an integer type."""
    if result_type(x, y).kind == "f":
        return x, y
    return (
        _as_float(x) if isinstance(x, Tensor) else x,
        _as_float(y) if isinstance(y, Tensor) else y,
    )


def _floats_only(op: str, x: Operand, y: Operand) -> None:
    d = result_type(x, y)
    if d.kind != "f":
        raise TypeError(f"{op}: not implemented for '{torch_name(d)}'; expected float tensors")


@register("lerp")
class Lerp(Function):
    """out = start + w (end - start); gradients 1 - w, w and end - start."""

    def forward(self, start: Array, end: Array, weight: Array | float) -> Array:
        self.diff, self.w = end - start, weight
        small = xp.abs(weight) < 0.5  # PyTorch's two forms: exact at w = 0 and at w = 1
        return xp.where(small, start + weight * self.diff, end - self.diff * (1 - weight))

    def backward(self, grad: Array) -> tuple[Array | None, Array | None, Array | None]:
        w, need = self.w, self.needs_input_grad
        return (
            grad * (1 - w) if need[0] else None,
            grad * w if need[1] else None,
            grad * self.diff if need[2] else None,
        )


def lerp(input: Tensor, end: Tensor, weight: Tensor | float) -> Tensor:  # noqa: A002
    """Linear interpolation input + weight (end - input); all three broadcast.

    Args:
        input: float tensor, shape (*a).
        end: tensor of input's dtype, shape (*b).
        weight: a Python number, a 0-d tensor, or a tensor of input's dtype, shape (*c).

    Returns:
        A tensor of shape broadcast(a, b, c).

    Raises:
        TypeError: for integer inputs, or when end or weight has another dtype.
    """
    d = input.array.dtype
    if d.kind != "f":
        raise TypeError(f"lerp: not implemented for '{torch_name(d)}'; expected floats")
    if isinstance(weight, Tensor) and weight.ndim == 0:  # a 0-d weight acts as a number
        weight = cast(weight, d)
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.array.dtype != d:
            raise TypeError(f"lerp: expected dtype {d} for `{name}` but got dtype {t.dtype}")
    return Lerp.apply(input, end, weight)


arctan2 = atan2


__all__ = [
    "arctan2",
    "atan2",
    "copysign",
    "fmod",
    "hypot",
    "lerp",
    "logaddexp",
    "logaddexp2",
    "xlogy",
]
