"""Comparisons, logical ops, masks, maximum/minimum, clamp and where.

Comparisons and logical ops return bool tensors and carry no gradient. ``maximum``,
``minimum``, ``clamp`` and ``where`` pass the gradient to the input that was chosen
(``maximum``/``minimum`` split it in half on ties, as PyTorch does).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import result_type
from scratchgrad.ops._dispatch import _binary
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import cast
from scratchgrad.tensor import Operand, Tensor


class _Compare(Function):
    """A bool-valued elementwise op: no gradient."""

    differentiable = False
    ufunc: ClassVar[np.ufunc] = xp.equal

    def forward(self, x: Array, y: Array) -> Array:
        out: Array = type(self).ufunc(x, y)
        return out


@register("eq")
class Eq(_Compare):
    """out = x == y."""

    ufunc = xp.equal


@register("ne")
class Ne(_Compare):
    """out = x != y."""

    ufunc = xp.not_equal


@register("lt")
class Lt(_Compare):
    """out = x < y."""

    ufunc = xp.less


@register("le")
class Le(_Compare):
    """out = x <= y."""

    ufunc = xp.less_equal


@register("gt")
class Gt(_Compare):
    """out = x > y."""

    ufunc = xp.greater


@register("ge")
class Ge(_Compare):
    """out = x >= y."""

    ufunc = xp.greater_equal


@register("logical_and")
class LogicalAnd(_Compare):
    """out = x and y (nonzero is true)."""

    ufunc = xp.logical_and


@register("logical_or")
class LogicalOr(_Compare):
    """out = x or y."""

    ufunc = xp.logical_or


@register("logical_xor")
class LogicalXor(_Compare):
    """out = x xor y."""

    ufunc = xp.logical_xor


@register("logical_not")
class LogicalNot(Function):
    """out = not x."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.logical_not(x)


@register("isnan")
class IsNan(Function):
    """out = x is NaN."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.isnan(x)


@register("isfinite")
class IsFinite(Function):
    """out = x is neither NaN nor infinite."""

    differentiable = False

    def forward(self, x: Array) -> Array:
        return xp.isfinite(x)


def _compare(cls: type[Function], x: Operand, y: Operand) -> Tensor:
    if not isinstance(x, Tensor):  # a scalar on the left: compare its tensor partner
        x, y = y, x
        cls = _FLIPPED.get(cls, cls)
    return _binary(cls, x, y)


_FLIPPED: dict[type[Function], type[Function]] = {Lt: Gt, Gt: Lt, Le: Ge, Ge: Le}


def eq(x: Operand, y: Operand) -> Tensor:
    """x == y elementwise, broadcast; a bool tensor."""
    return _compare(Eq, x, y)


def ne(x: Operand, y: Operand) -> Tensor:
    """x != y elementwise, broadcast."""
    return _compare(Ne, x, y)


def lt(x: Operand, y: Operand) -> Tensor:
    """x < y elementwise, broadcast."""
    return _compare(Lt, x, y)


def le(x: Operand, y: Operand) -> Tensor:
    """x <= y elementwise, broadcast."""
    return _compare(Le, x, y)


def gt(x: Operand, y: Operand) -> Tensor:
    """x > y elementwise, broadcast."""
    return _compare(Gt, x, y)


def ge(x: Operand, y: Operand) -> Tensor:
    """x >= y elementwise, broadcast."""
    return _compare(Ge, x, y)


def logical_and(x: Operand, y: Operand) -> Tensor:
    """x and y elementwise (nonzero is true), broadcast."""
    return _compare(LogicalAnd, x, y)


def logical_or(x: Operand, y: Operand) -> Tensor:
    """x or y elementwise, broadcast."""
    return _compare(LogicalOr, x, y)


def logical_xor(x: Operand, y: Operand) -> Tensor:
    """x xor y elementwise, broadcast."""
    return _compare(LogicalXor, x, y)


def logical_not(x: Tensor) -> Tensor:
    """not x elementwise."""
    return LogicalNot.apply(x)


def isnan(x: Tensor) -> Tensor:
    """True where x is NaN."""
    return IsNan.apply(x)


def isfinite(x: Tensor) -> Tensor:
    """True where x is neither NaN nor infinite."""
    return IsFinite.apply(x)


# ------------------------------------------------------------------ selection
@register("maximum")
class Maximum(Function):
    """out = max(x, y); the gradient goes to the larger input, half each on ties."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.maximum(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array]:
        return _split_by_choice(grad, self.x > self.y, self.x == self.y)


@register("minimum")
class Minimum(Function):
    """out = min(x, y); the gradient goes to the smaller input, half each on ties."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.minimum(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array]:
        return _split_by_choice(grad, self.x < self.y, self.x == self.y)


def _split_by_choice(grad: Array, first: Array, tie: Array) -> tuple[Array, Array]:
    """Gradients of (x, y) when x was chosen where ``first``, both where ``tie``."""
    share = xp.where(tie, 0.5, first.astype(grad.dtype)).astype(grad.dtype)
    return grad * share, grad * (1 - share)


@register("clamp")
class Clamp(Function):
    """out = min(max(x, lo), hi); gradient 1 where lo <= x <= hi."""

    def forward(self, x: Array, lo: float | None = None, hi: float | None = None) -> Array:
        self.x, self.lo, self.hi = x, lo, hi
        return xp.clip(x, lo, hi)

    def backward(self, grad: Array) -> tuple[Array]:
        keep = xp.ones(self.x.shape, dtype=bool)
        if self.lo is not None:
            keep &= self.x >= self.lo
        if self.hi is not None:
            keep &= self.x <= self.hi
        return (grad * keep,)


@register("where")
class Where(Function):
    """out = x where cond else y; gradients masked by cond (cond gets none)."""

    def forward(self, cond: Array, x: Array, y: Array) -> Array:
        self.cond = cond
        return xp.where(cond, x, y)

    def backward(self, grad: Array) -> tuple[None, Array | None, Array | None]:
        zero = xp.zeros((), dtype=grad.dtype)
        gx = xp.where(self.cond, grad, zero) if self.needs_input_grad[1] else None
        gy = xp.where(self.cond, zero, grad) if self.needs_input_grad[2] else None
        return None, gx, gy


def maximum(x: Tensor, y: Tensor) -> Tensor:
    """Elementwise maximum, broadcast (NaN propagates)."""
    return _binary(Maximum, x, y)


def minimum(x: Tensor, y: Tensor) -> Tensor:
    """Elementwise minimum, broadcast (NaN propagates)."""
    return _binary(Minimum, x, y)


def clamp(x: Tensor, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
    """Limit x to [min, max] (either may be None).

    Raises:
        ValueError: if both bounds are None.
    """
    if min is None and max is None:
        raise ValueError("clamp: at least one of 'min' or 'max' must not be None")
    d = result_type(x, *(b for b in (min, max) if b is not None))
    return Clamp.apply(cast(x, d), lo=min, hi=max)


def where(condition: Tensor, x: Operand, y: Operand) -> Tensor:
    """``x`` where ``condition`` is true, else ``y``; all three broadcast together.

    Args:
        condition: bool tensor, shape broadcastable with x and y.
        x: values where the condition holds: a tensor or Python scalar.
        y: values elsewhere; promoted with ``x`` to a common dtype.
    """
    d = result_type(x, y)
    x = cast(x, d) if isinstance(x, Tensor) else x
    y = cast(y, d) if isinstance(y, Tensor) else y
    cond = condition if condition.data.dtype == bool else cast(condition, bool)
    out = Where.apply(cond, x, y)
    if out.data.dtype != d:  # two Python scalars: NumPy picks its own dtype
        out = cast(out, d)
    return out


__all__ = [
    "clamp",
    "eq",
    "ge",
    "gt",
    "isfinite",
    "isnan",
    "le",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "maximum",
    "minimum",
    "ne",
    "where",
]
