"""Selection: maximum, minimum, clamp, where: the gradient goes to the input that was chosen."""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import result_type
from scratchgrad.ops.elementwise._dispatch import _binary
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor
from scratchgrad.types import Operand, Scalar


@register("maximum")
class Maximum(Function):
    """out = max(x, y); the gradient goes to the larger input, half each on ties."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.maximum(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array]:
        return _split_by_choice(grad, self.x > self.y, self.x == self.y)


def maximum(x: Tensor, y: Tensor) -> Tensor:
    """Elementwise maximum, broadcast (NaN propagates)."""
    return _binary(Maximum, x, y)


@register("minimum")
class Minimum(Function):
    """out = min(x, y); the gradient goes to the smaller input, half each on ties."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return xp.minimum(x, y)

    def backward(self, grad: Array) -> tuple[Array, Array]:
        return _split_by_choice(grad, self.x < self.y, self.x == self.y)


def minimum(x: Tensor, y: Tensor) -> Tensor:
    """Elementwise minimum, broadcast (NaN propagates)."""
    return _binary(Minimum, x, y)


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
    cond = condition if condition.array.dtype == bool else cast(condition, bool)
    out = Where.apply(cond, x, y)
    if out.array.dtype != d:  # two Python scalars: NumPy picks its own dtype
        out = cast(out, d)
    return out


def _clamp_scalars(x: Tensor, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
    """Limit x to [min, max] (either may be None).

    Raises:
        ValueError: if both bounds are None.
    """
    if min is None and max is None:
        raise ValueError("clamp: at least one of 'min' or 'max' must not be None")
    d = result_type(x, *(b for b in (min, max) if b is not None))
    return Clamp.apply(cast(x, d), lo=min, hi=max)


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


def clamp_min(x: Tensor, min: Tensor | Scalar) -> Tensor:  # noqa: A002 - torch's name
    """max(x, min) elementwise; broadcast shape of x and min."""
    return clamp(x, min=min)


def clamp_max(x: Tensor, max: Tensor | Scalar) -> Tensor:  # noqa: A002 - torch's name
    """min(x, max) elementwise; broadcast shape of x and max."""
    return clamp(x, max=max)


clip = clamp


__all__ = ["clamp", "clamp_max", "clamp_min", "clip", "maximum", "minimum", "where"]
