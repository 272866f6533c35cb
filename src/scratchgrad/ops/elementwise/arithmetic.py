"""Arithmetic: add, sub, mul, div, remainder, pow, neg, abs, and their torch shorthands."""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype, result_type
from scratchgrad.ops.elementwise._dispatch import _binary
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor
from scratchgrad.types import Operand, Scalar


def _zeros_grad(x: Array, grad: Array) -> Array:
    return xp.zeros_like(x, dtype=grad.dtype)


@register("add")
class Add(Function):
    """out = x + y."""

    def forward(self, x: Array, y: Array) -> Array:
        return xp.add(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array]:
        return grad, grad


def add(x: Operand, y: Operand) -> Tensor:
    """x + y, broadcast. Shapes (*a), (*b) -> broadcast(a, b)."""
    return _binary(Add, x, y)


@register("sub")
class Sub(Function):
    """out = x - y."""

    def forward(self, x: Array, y: Array) -> Array:
        return xp.subtract(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array | None]:
        return grad, (-grad if self.needs_input_grad[1] else None)


def sub(x: Operand, y: Operand) -> Tensor:
    """x - y, broadcast."""
    return _binary(Sub, x, y)


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


def mul(x: Operand, y: Operand) -> Tensor:
    """x * y elementwise (Hadamard product), broadcast."""
    return _binary(Mul, x, y)


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


@register("floor_divide")
class FloorDivide(Function):
    """out = floor(x / y); its gradient is zero almost everywhere."""

    differentiable = False

    def forward(self, x: Array, y: Array) -> Array:
        return xp.floor_divide(x, y)


def floor_divide(x: Operand, y: Operand) -> Tensor:
    """floor(x / y), broadcast (Python's //); no gradient."""
    return _binary(FloorDivide, x, y)


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


def trunc_divide(x: Operand, y: Operand) -> Tensor:
    """x / y rounded toward zero, broadcast; no gradient."""
    return _binary(TruncDivide, x, y)


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


def remainder(x: Operand, y: Operand) -> Tensor:
    """x mod y with the sign of y (Python's %), broadcast."""
    return _binary(Remainder, x, y)


def _pow_grad_x(grad: Array, x: Array, y: Array | float) -> Array:
    """grad * y * x^(y-1), and 0 where y == 0 (as torch: a zero exponent passes no gradient)."""
    if isinstance(y, int | float):  # the common x ** 2: one expression, no masks
        return grad * y * xp.power(x, y - 1) if y != 0 else xp.zeros_like(grad)
    with xp.errstate(divide="ignore", invalid="ignore"):
        gx = grad * y * xp.power(x, y - 1)
    return xp.where(y == 0, 0, gx).astype(grad.dtype, copy=False)


@register("pow")
class Pow(Function):
    """out = x ** y; d/dx = y x^(y-1), 0 where y == 0; d/dy = out log(x), 0 where x == 0 <= y."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        self.out = xp.power(x, y)
        return self.out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        x, y = self.x, self.y
        gx = gy = None
        if self.needs_input_grad[0]:
            gx = _pow_grad_x(grad, x, y)
        if self.needs_input_grad[1]:
            with xp.errstate(divide="ignore", invalid="ignore"):
                gy = grad * self.out * xp.log(x)
            gy = xp.where((xp.asarray(x) == 0) & (xp.asarray(y) >= 0), 0, gy).astype(grad.dtype)
        return gx, gy


def pow(x: Operand, y: Operand) -> Tensor:  # noqa: A001 - PyTorch's name
    """x ** y, broadcast."""
    return _binary(Pow, x, y)


@register("neg")
class Neg(Function):
    """out = -x."""

    def forward(self, x: Array) -> Array:
        return xp.negative(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (-grad,)


def neg(x: Tensor) -> Tensor:
    """-x."""
    return Neg.apply(x)


@register("abs")
class Abs(Function):
    """out = |x|; gradient sign(x) (0 at 0)."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return xp.abs(x)

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * xp.sign(self.x),)


def abs(x: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    """|x|."""
    return Abs.apply(x)


absolute, negative = abs, neg


def positive(x: Tensor) -> Tensor:
    """``x`` itself (torch.positive); any shape. Raises TypeError for bool tensors."""
    if x.dtype == xp.bool_:
        raise TypeError("positive(): argument 'input' must not be a bool tensor")
    return x


def rsub(x: Tensor, other: Tensor | Scalar, alpha: Scalar = 1) -> Tensor:
    """other - alpha * x; broadcast shape of x and other."""
    return other - (x if alpha == 1 else alpha * x)


def addcmul(x: Tensor, t1: Tensor, t2: Tensor, *, value: Scalar = 1) -> Tensor:
    """x + value * t1 * t2; the broadcast shape of all three."""
    prod = t1 * t2
    return x + (prod if value == 1 else value * prod)


def addcdiv(x: Tensor, t1: Tensor, t2: Tensor, *, value: Scalar = 1) -> Tensor:
    """x + value * t1 / t2; the broadcast shape of all three (floats only)."""
    if not (t1.is_floating_point() or t2.is_floating_point()):
        raise TypeError("addcdiv(): integer division of tensors is not supported; use floats")
    quot = t1 / t2
    return x + (quot if value == 1 else value * quot)


def float_power(x: Tensor | float, y: Tensor | float) -> Tensor:
    """x ** y computed in float64; the broadcast shape of x and y."""
    xd = x.double() if isinstance(x, Tensor) else float(x)
    yd = y.double() if isinstance(y, Tensor) else float(y)
    return xd**yd


subtract, multiply, divide, true_divide = sub, mul, div, div


__all__ = [
    "abs",
    "absolute",
    "add",
    "addcdiv",
    "addcmul",
    "div",
    "divide",
    "float_power",
    "floor_divide",
    "mul",
    "multiply",
    "neg",
    "negative",
    "positive",
    "pow",
    "remainder",
    "rsub",
    "sub",
    "subtract",
    "true_divide",
    "trunc_divide",
]
