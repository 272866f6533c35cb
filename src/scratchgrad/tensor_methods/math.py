"""Elementwise maths: ``exp``, ``log``, ``sin``, ``erf``, ``sigmoid``, ``relu``, ....

Each maps every element independently: the output has the input's shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scratchgrad.types import Operand, _float, _int

if TYPE_CHECKING:
    from scratchgrad.ops import elementwise as _elementwise
    from scratchgrad.ops import neural as _neural
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _elementwise, _neural.


class MathMethods:
    """Elementwise maths, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def exp(self: Tensor) -> Tensor:
        """e**x."""
        return _elementwise.exp(self)

    def log(self: Tensor) -> Tensor:
        """Natural logarithm."""
        return _elementwise.log(self)

    def log1p(self: Tensor) -> Tensor:
        """log(1 + x), accurate for small x."""
        return _elementwise.log1p(self)

    def sqrt(self: Tensor) -> Tensor:
        """Square root."""
        return _elementwise.sqrt(self)

    def rsqrt(self: Tensor) -> Tensor:
        """1 / sqrt(x)."""
        return _elementwise.rsqrt(self)

    def sin(self: Tensor) -> Tensor:
        """Sine."""
        return _elementwise.sin(self)

    def cos(self: Tensor) -> Tensor:
        """Cosine."""
        return _elementwise.cos(self)

    def tanh(self: Tensor) -> Tensor:
        """Hyperbolic tangent."""
        return _elementwise.tanh(self)

    def sign(self: Tensor) -> Tensor:
        """-1, 0 or 1 by the sign of x."""
        return _elementwise.sign(self)

    def trunc(self: Tensor) -> Tensor:
        """Round toward zero."""
        return _elementwise.trunc(self)

    def exp_(self: Tensor) -> Tensor:
        """In-place e**x; returns self."""
        return _elementwise.inplace(self, _elementwise.exp)

    def log_(self: Tensor) -> Tensor:
        """In-place natural log; returns self."""
        return _elementwise.inplace(self, _elementwise.log)

    def sqrt_(self: Tensor) -> Tensor:
        """In-place square root; returns self."""
        return _elementwise.inplace(self, _elementwise.sqrt)

    def tanh_(self: Tensor) -> Tensor:
        """In-place tanh; returns self."""
        return _elementwise.inplace(self, _elementwise.tanh)

    def sigmoid_(self: Tensor) -> Tensor:
        """In-place sigmoid; returns self."""
        return _elementwise.inplace(self, _neural.sigmoid)

    def relu_(self: Tensor) -> Tensor:
        """In-place max(x, 0); returns self."""
        return _elementwise.inplace(self, _neural.relu)

    def trunc_(self: Tensor) -> Tensor:
        """In-place rounding toward zero; returns self."""
        return _elementwise.inplace(self, _elementwise.trunc)

    def floor(self: Tensor) -> Tensor:
        """Round down."""
        return _elementwise.floor(self)

    def ceil(self: Tensor) -> Tensor:
        """Round up."""
        return _elementwise.ceil(self)

    def round(self: Tensor, decimals: _int = 0) -> Tensor:
        """Round half to even, as PyTorch."""
        return _elementwise.round(self, decimals=decimals)

    def tan(self: Tensor) -> Tensor:
        """Tangent."""
        return _elementwise.tan(self)

    def asin(self: Tensor) -> Tensor:
        """Inverse sine."""
        return _elementwise.asin(self)

    def acos(self: Tensor) -> Tensor:
        """Inverse cosine."""
        return _elementwise.acos(self)

    def atan(self: Tensor) -> Tensor:
        """Inverse tangent."""
        return _elementwise.atan(self)

    def sinh(self: Tensor) -> Tensor:
        """Hyperbolic sine."""
        return _elementwise.sinh(self)

    def cosh(self: Tensor) -> Tensor:
        """Hyperbolic cosine."""
        return _elementwise.cosh(self)

    def asinh(self: Tensor) -> Tensor:
        """Inverse hyperbolic sine."""
        return _elementwise.asinh(self)

    def acosh(self: Tensor) -> Tensor:
        """Inverse hyperbolic cosine."""
        return _elementwise.acosh(self)

    def atanh(self: Tensor) -> Tensor:
        """Inverse hyperbolic tangent."""
        return _elementwise.atanh(self)

    def erf(self: Tensor) -> Tensor:
        """The error function."""
        return _elementwise.erf(self)

    def erfc(self: Tensor) -> Tensor:
        """1 - erf(x)."""
        return _elementwise.erfc(self)

    def erfinv(self: Tensor) -> Tensor:
        """The inverse error function."""
        return _elementwise.erfinv(self)

    def exp2(self: Tensor) -> Tensor:
        """2**x."""
        return _elementwise.exp2(self)

    def expm1(self: Tensor) -> Tensor:
        """e**x - 1, accurate near 0."""
        return _elementwise.expm1(self)

    def log2(self: Tensor) -> Tensor:
        """Base-2 logarithm."""
        return _elementwise.log2(self)

    def log10(self: Tensor) -> Tensor:
        """Base-10 logarithm."""
        return _elementwise.log10(self)

    def logit(self: Tensor, eps: _float | None = None) -> Tensor:
        """log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps is given."""
        return _elementwise.logit(self, eps)

    def nan_to_num(
        self: Tensor, nan: _float = 0.0, posinf: _float | None = None, neginf: _float | None = None
    ) -> Tensor:
        """NaN, +inf and -inf replaced by finite values."""
        return _elementwise.nan_to_num(self, nan, posinf, neginf)

    def atan2(self: Tensor, other: Operand) -> Tensor:
        """The angle of the point (other, self), broadcast."""
        return _elementwise.atan2(self, other)

    def hypot(self: Tensor, other: Operand) -> Tensor:
        """sqrt(self**2 + other**2), broadcast."""
        return _elementwise.hypot(self, other)

    def logaddexp(self: Tensor, other: Operand) -> Tensor:
        """log(exp(self) + exp(other)), broadcast."""
        return _elementwise.logaddexp(self, other)

    def logaddexp2(self: Tensor, other: Operand) -> Tensor:
        """log2(2**self + 2**other), broadcast."""
        return _elementwise.logaddexp2(self, other)

    def xlogy(self: Tensor, other: Operand) -> Tensor:
        """self * log(other), 0 where self == 0, broadcast."""
        return _elementwise.xlogy(self, other)

    def sigmoid(self: Tensor) -> Tensor:
        """1 / (1 + e**-x)."""
        return _neural.sigmoid(self)

    def relu(self: Tensor) -> Tensor:
        """max(x, 0)."""
        return _neural.relu(self)

    def softmax(self: Tensor, dim: _int, dtype: Any = None) -> Tensor:
        """Softmax along ``dim`` (x cast to ``dtype`` first when given)."""
        return _neural.softmax(self, dim, dtype=dtype)

    def log_softmax(self: Tensor, dim: _int, dtype: Any = None) -> Tensor:
        """log(softmax(x)) along ``dim``, computed stably."""
        return _neural.log_softmax(self, dim, dtype=dtype)

    def hardshrink(self: Tensor, lambd: _float = 0.5) -> Tensor:
        """x where |x| > lambd, else 0."""
        return _neural.hardshrink(self, lambd)

    arcsin, arccos, arctan = asin, acos, atan
    arcsinh, arccosh, arctanh = asinh, acosh, atanh
    arctan2 = atan2
