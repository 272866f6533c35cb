"""More binary math: atan2, copysign, fmod, hypot, logaddexp, xlogy, lerp, isclose, clamp.

Every op broadcasts its operands, (*a), (*b) -> broadcast(a, b), and promotes dtypes by
PyTorch's rules; gradients are reduced back to each input's shape by the engine. As in
PyTorch, ``atan2``, ``copysign`` and ``xlogy`` turn integers into the default float
dtype, ``hypot`` and ``logaddexp`` refuse them, and ``fmod`` keeps them. ``clamp`` with
tensor bounds lives here; with scalar bounds it is ``compare.clamp``.

>>> import scratchgrad as sg
>>> sg.fmod(sg.tensor([-7, 7]), 3).tolist()
[-1, 1]
>>> sg.allclose(sg.tensor([1.0, 2.0]), sg.tensor([1.0, 2.0 + 1e-7]))
True
"""

from __future__ import annotations

import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype, result_type
from scratchgrad.ops._dispatch import _as_float, _binary
from scratchgrad.ops._names import torch_name
from scratchgrad.ops._registry import register
from scratchgrad.ops.compare import clamp as _clamp_scalars
from scratchgrad.ops.convert import cast
from scratchgrad.tensor import Operand, Tensor

_LN2 = math.log(2)


# ------------------------------------------------------------------ float-valued ops
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


@register("fmod")
class Fmod(Function):
    """out = x - trunc(x / y) y, the sign of x (C's fmod); gradients 1 and -trunc(x / y)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.fmod(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array | None]:
        gy = -grad * xp.trunc(self.x / self.y) if self.needs_input_grad[1] else None
        return grad, gy


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


def atan2(input: Operand, other: Operand) -> Tensor:  # noqa: A002 - PyTorch's name
    """The angle of the point (x=other, y=input) in (-pi, pi], broadcast."""
    return _binary(Atan2, *_to_float(input, other))


def copysign(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """|input| with the sign of other (-0.0 counts as negative), broadcast."""
    return _binary(Copysign, *_to_float(input, other))


def fmod(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """Remainder of input / other with input's sign (C's fmod), broadcast.

    Raises:
        TypeError: for two bool operands.
    """
    d = result_type(input, other)
    if d.kind == "b":
        raise TypeError("fmod: not implemented for 'Bool'; expected numbers")
    return _binary(Fmod, input, other)


def hypot(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """sqrt(input**2 + other**2), broadcast.

    Raises:
        TypeError: when the operands promote to an integer or bool dtype.
    """
    _floats_only("hypot", input, other)
    return _binary(Hypot, input, other)


def logaddexp(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """log(exp(input) + exp(other)), broadcast. Raises TypeError on integers."""
    _floats_only("logaddexp", input, other)
    return _binary(Logaddexp, input, other)


def logaddexp2(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """log2(2**input + 2**other), broadcast. Raises TypeError on integers."""
    _floats_only("logaddexp2", input, other)
    return _binary(Logaddexp2, input, other)


def xlogy(input: Operand, other: Operand) -> Tensor:  # noqa: A002
    """input * log(other), 0 where input == 0 unless other is NaN, broadcast."""
    return _binary(Xlogy, *_to_float(input, other))


# ------------------------------------------------------------------ lerp
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
    d = input.data.dtype
    if d.kind != "f":
        raise TypeError(f"lerp: not implemented for '{torch_name(d)}'; expected floats")
    if isinstance(weight, Tensor) and weight.ndim == 0:  # a 0-d weight acts as a number
        weight = cast(weight, d)
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.data.dtype != d:
            raise TypeError(f"lerp: expected dtype {d} for `{name}` but got dtype {t.dtype}")
    return Lerp.apply(input, end, weight)


# ------------------------------------------------------------------ clamp with tensors
@register("clamp_tensor")
class ClampTensor(Function):
    """out = min(max(x, lo), hi) with tensor bounds; the gradient goes to what was chosen.

    As PyTorch: x gets it where lo <= x <= hi, lo where x < lo < hi, hi where x > hi or
    hi < lo (then hi wins everywhere).
    """

    def forward(self, x: Array, lo: Array | float | None, hi: Array | float | None) -> Array:
        self.x, self.lo, self.hi = x, lo, hi
        out = x if lo is None else xp.maximum(x, lo)
        return out if hi is None else xp.minimum(out, hi)

    def backward(self, grad: Array) -> tuple[Array, Array | None, Array | None]:
        x, lo, hi = self.x, self.lo, self.hi
        inside = (True if lo is None else x >= lo) & (True if hi is None else x <= hi)
        g_lo = g_hi = None
        if self.needs_input_grad[1] and lo is not None:
            g_lo = grad * ((x < lo) & (True if hi is None else lo < hi))
        if self.needs_input_grad[2] and hi is not None:
            g_hi = grad * ((x > hi) | (False if lo is None else hi < lo))
        return grad * inside, g_lo, g_hi


def clamp(
    input: Tensor,  # noqa: A002
    min: Operand | None = None,  # noqa: A002
    max: Operand | None = None,  # noqa: A002
) -> Tensor:
    """Limit input to [min, max], broadcast; either bound may be None, a number or a tensor.

    Args:
        input: tensor, shape (*a).
        min: lower bound: None, a Python number, or a tensor of shape (*b).
        max: upper bound: None, a Python number, or a tensor of shape (*c).

    Returns:
        A tensor of shape broadcast(a, b, c), dtype promoted over all three.

    Raises:
        ValueError: if both bounds are None.
    """
    if not isinstance(min, Tensor) and not isinstance(max, Tensor):
        return _clamp_scalars(input, min, max)
    d = result_type(input, *(b for b in (min, max) if b is not None))
    lo, hi = (cast(b, d) if isinstance(b, Tensor) else b for b in (min, max))
    return ClampTensor.apply(cast(input, d), lo, hi)


# ------------------------------------------------------------------ closeness
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


def allclose(
    input: Tensor,  # noqa: A002
    other: Tensor,
    rtol: float = 1e-05,
    atol: float = 1e-08,
    equal_nan: bool = False,
) -> bool:
    """Whether ``isclose`` holds everywhere: a Python bool."""
    return bool(isclose(input, other, rtol, atol, equal_nan).data.all())


arctan2 = atan2

__all__ = [
    "allclose",
    "arctan2",
    "atan2",
    "clamp",
    "copysign",
    "fmod",
    "hypot",
    "isclose",
    "lerp",
    "logaddexp",
    "logaddexp2",
    "xlogy",
]
