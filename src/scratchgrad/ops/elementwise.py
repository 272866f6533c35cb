"""Elementwise ops: arithmetic, unary math, comparisons, casts, in-place updates.

Binary ops broadcast (NumPy/PyTorch rules) and promote dtypes by PyTorch's rules
(``scratchgrad.dtypes.result_type``). Shapes in comments: ``x``, ``y`` and ``out`` share
the broadcast shape; gradients are reduced back to each input's shape by the engine.
"""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype, result_type
from scratchgrad.ops._dispatch import _as_float, _binary
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import Cast, cast, copy_, fill_, inplace
from scratchgrad.tensor import Operand, Tensor


def _zeros_grad(x: Array, grad: Array) -> Array:
    return xp.zeros_like(x, dtype=grad.dtype)


# ------------------------------------------------------------------ arithmetic
@register("add")
class Add(Function):
    """out = x + y."""

    def forward(self, x: Array, y: Array) -> Array:
        return xp.add(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array]:
        return grad, grad


@register("sub")
class Sub(Function):
    """out = x - y."""

    def forward(self, x: Array, y: Array) -> Array:
        return xp.subtract(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array | None]:
        return grad, (-grad if self.needs_input_grad[1] else None)


@register("mul")
class Mul(Function):
    """out = x * y (Hadamard product)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.multiply(x, y)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gx = grad * self.y if self.needs_input_grad[0] else None
        gy = grad * self.x if self.needs_input_grad[1] else None
        return gx, gy


@register("div")
class Div(Function):
    """out = x / y (true division)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.y = y
        self.out = xp.true_divide(x, y)
        return self.out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gx = grad / self.y if self.needs_input_grad[0] else None
        gy = -grad * self.out / self.y if self.needs_input_grad[1] else None
        return gx, gy


@register("floor_divide")
class FloorDivide(Function):
    """out = floor(x / y); its gradient is zero almost everywhere."""

    differentiable = False

    def forward(self, x: Array, y: Array) -> Array:
        return xp.floor_divide(x, y)


@register("trunc_divide")
class TruncDivide(Function):
    """out = trunc(x / y), exact for integers; its gradient is zero almost everywhere."""

    differentiable = False

    def forward(self, x: Array, y: Array) -> Array:
        if xp.result_type(x, y).kind == "f":
            return xp.trunc(xp.true_divide(x, y))
        q = xp.floor_divide(x, y)
        inexact = xp.remainder(x, y) != 0
        signs_differ = (xp.asarray(x) < 0) ^ (xp.asarray(y) < 0)
        out: Array = q + (inexact & signs_differ)  # floor -> trunc for negative quotients
        return out


def _remainder(x: Array, y: Array | float) -> Array:
    """x mod y with y's sign (``remainder``'s kernel), zeros as PyTorch's.

    NumPy gives a zero remainder y's sign; PyTorch keeps x's (fmod, then add y where the
    signs differ): ``-4.0 % 2.0`` is -0.0.
    """
    if xp.result_type(x, y).kind != "f":
        return xp.remainder(x, y)
    r = xp.fmod(x, y)
    out: Array = xp.where((r != 0) & ((r < 0) != (xp.asarray(y) < 0)), r + y, r)
    return out


@register("remainder")
class Remainder(Function):
    """out = x - floor(x / y) * y, the sign of y (Python's %)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return _remainder(x, y)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gy = -grad * xp.floor_divide(self.x, self.y) if self.needs_input_grad[1] else None
        return grad, gy


@register("pow")
class Pow(Function):
    """out = x ** y; d/dx = y x^(y-1), d/dy = out log(x) (0 where x == 0 and y >= 0)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        self.out = xp.power(x, y)
        return self.out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        x, y = self.x, self.y
        gx = gy = None
        if self.needs_input_grad[0]:
            gx = grad * y * xp.power(x, y - 1)
        if self.needs_input_grad[1]:
            with xp.errstate(divide="ignore", invalid="ignore"):
                gy = grad * self.out * xp.log(x)
            gy = xp.where((xp.asarray(x) == 0) & (xp.asarray(y) >= 0), 0, gy).astype(grad.dtype)
        return gx, gy


def add(x: Operand, y: Operand) -> Tensor:
    """x + y, broadcast. Shapes (*a), (*b) -> broadcast(a, b)."""
    return _binary(Add, x, y)


def sub(x: Operand, y: Operand) -> Tensor:
    """x - y, broadcast."""
    return _binary(Sub, x, y)


def mul(x: Operand, y: Operand) -> Tensor:
    """x * y elementwise (Hadamard product), broadcast."""
    return _binary(Mul, x, y)


def div(x: Operand, y: Operand, *, rounding_mode: str | None = None) -> Tensor:
    """x / y, broadcast; integers give floats unless ``rounding_mode`` is "trunc" or "floor"."""
    if rounding_mode == "floor":
        return floor_divide(x, y)
    if rounding_mode == "trunc":
        return trunc_divide(x, y)
    if rounding_mode is not None:
        raise ValueError(
            f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}"
        )
    if result_type(x, y).kind != "f":
        x = cast(x, get_default_dtype()) if isinstance(x, Tensor) else float(x)
    return _binary(Div, x, y)


def trunc_divide(x: Operand, y: Operand) -> Tensor:
    """x / y rounded toward zero, broadcast; no gradient."""
    return _binary(TruncDivide, x, y)


def floor_divide(x: Operand, y: Operand) -> Tensor:
    """floor(x / y), broadcast (Python's //); no gradient."""
    return _binary(FloorDivide, x, y)


def remainder(x: Operand, y: Operand) -> Tensor:
    """x mod y with the sign of y (Python's %), broadcast."""
    return _binary(Remainder, x, y)


def pow(x: Operand, y: Operand) -> Tensor:  # noqa: A001 - PyTorch's name
    """x ** y, broadcast."""
    return _binary(Pow, x, y)


# ------------------------------------------------------------------ unary math
@register("neg")
class Neg(Function):
    """out = -x."""

    def forward(self, x: Array) -> Array:
        return xp.negative(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad,)


@register("abs")
class Abs(Function):
    """out = |x|; gradient sign(x) (0 at 0)."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.abs(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.sign(self.x),)


@register("exp")
class Exp(Function):
    """out = e^x; gradient out."""

    def forward(self, x: Array) -> Array:
        self.out = xp.exp(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.out,)


@register("log")
class Log(Function):
    """out = ln x; gradient 1/x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.log(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / self.x,)


@register("log1p")
class Log1p(Function):
    """out = ln(1 + x); gradient 1/(1 + x)."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.log1p(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (1 + self.x),)


@register("sqrt")
class Sqrt(Function):
    """out = sqrt(x); gradient 1/(2 out)."""

    def forward(self, x: Array) -> Array:
        self.out = xp.sqrt(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / (2 * self.out),)


@register("rsqrt")
class Rsqrt(Function):
    """out = 1/sqrt(x); gradient -out^3 / 2."""

    def forward(self, x: Array) -> Array:
        self.out = 1 / xp.sqrt(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (-0.5 * grad * self.out**3,)


@register("sin")
class Sin(Function):
    """out = sin x; gradient cos x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.sin(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.cos(self.x),)


@register("cos")
class Cos(Function):
    """out = cos x; gradient -sin x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.cos(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad * xp.sin(self.x),)


@register("tanh")
class Tanh(Function):
    """out = tanh x; gradient 1 - out^2."""

    def forward(self, x: Array) -> Array:
        self.out = xp.tanh(x)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (1 - self.out * self.out),)


@register("sigmoid")
class Sigmoid(Function):
    """out = 1 / (1 + e^-x), computed without overflow; gradient out (1 - out)."""

    def forward(self, x: Array) -> Array:
        e = xp.exp(-xp.abs(x))  # in (0, 1]: never overflows
        self.out = xp.where(x >= 0, 1 / (1 + e), e / (1 + e))
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.out * (1 - self.out),)


@register("relu")
class Relu(Function):
    """out = max(x, 0); gradient 1 where x > 0."""

    def forward(self, x: Array) -> Array:
        out = xp.zeros_like(x)  # maximum against an array of zeros: 2x faster than with 0
        self.out = xp.maximum(x, out, out=out)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (self.out > 0),)


@register("sign")
class Sign(Function):
    """out = -1, 0 or 1; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.sign(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


@register("floor")
class Floor(Function):
    """out = floor x; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.floor(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


@register("ceil")
class Ceil(Function):
    """out = ceil x; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.ceil(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


@register("trunc")
class Trunc(Function):
    """out = x rounded toward zero; gradient 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.trunc(x) if x.dtype.kind == "f" else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


@register("round")
class Round(Function):
    """out = x rounded half to even at ``decimals`` places; gradient 0."""

    def forward(self, x: Array, decimals: int = 0) -> Array:
        self.x = x
        return xp.round(x, decimals)

    def backward(self, grad: Array) -> tuple[Array]:
        return (_zeros_grad(self.x, grad),)


def neg(x: Tensor) -> Tensor:
    """-x."""
    return Neg.apply(x)


def abs(x: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    """|x|."""
    return Abs.apply(x)


def exp(x: Tensor) -> Tensor:
    """e**x."""
    return Exp.apply(_as_float(x))


def log(x: Tensor) -> Tensor:
    """Natural logarithm."""
    return Log.apply(_as_float(x))


def log1p(x: Tensor) -> Tensor:
    """log(1 + x), accurate near 0."""
    return Log1p.apply(_as_float(x))


def sqrt(x: Tensor) -> Tensor:
    """Square root."""
    return Sqrt.apply(_as_float(x))


def rsqrt(x: Tensor) -> Tensor:
    """1 / sqrt(x)."""
    return Rsqrt.apply(_as_float(x))


def sin(x: Tensor) -> Tensor:
    """Sine."""
    return Sin.apply(_as_float(x))


def cos(x: Tensor) -> Tensor:
    """Cosine."""
    return Cos.apply(_as_float(x))


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return Tanh.apply(_as_float(x))


def sigmoid(x: Tensor) -> Tensor:
    """Logistic sigmoid 1 / (1 + e**-x), stable for large |x|."""
    return Sigmoid.apply(_as_float(x))


def relu(x: Tensor) -> Tensor:
    """max(x, 0)."""
    return Relu.apply(x)


def sign(x: Tensor) -> Tensor:
    """-1, 0 or 1 by the sign of x."""
    return Sign.apply(x)


def floor(x: Tensor) -> Tensor:
    """Round down."""
    return Floor.apply(x)


def ceil(x: Tensor) -> Tensor:
    """Round up."""
    return Ceil.apply(x)


def trunc(x: Tensor) -> Tensor:
    """Round toward zero."""
    return Trunc.apply(x)


def round(x: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001 - PyTorch's name
    """Round half to even, at ``decimals`` places."""
    return Round.apply(x, decimals=decimals)


# Comparisons and the ops that change dtypes or write in place live in their own files;
# they are re-exported here so ``elementwise`` is the one family users and tensor.py see.
from scratchgrad.ops.compare import (  # noqa: E402
    clamp,
    eq,
    ge,
    gt,
    isfinite,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    maximum,
    minimum,
    ne,
    where,
)

__all__ = [
    "Cast",
    "abs",
    "add",
    "cast",
    "ceil",
    "clamp",
    "copy_",
    "cos",
    "div",
    "eq",
    "exp",
    "fill_",
    "floor",
    "floor_divide",
    "ge",
    "gt",
    "inplace",
    "isfinite",
    "isnan",
    "le",
    "log",
    "log1p",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "maximum",
    "minimum",
    "mul",
    "ne",
    "neg",
    "pow",
    "relu",
    "remainder",
    "round",
    "rsqrt",
    "sigmoid",
    "sign",
    "sin",
    "sqrt",
    "sub",
    "tanh",
    "trunc",
    "trunc_divide",
    "where",
]
