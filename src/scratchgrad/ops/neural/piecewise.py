"""Piecewise-linear activations.

relu, leaky_relu, hardtanh, relu6, hardsigmoid, hardswish, threshold, prelu, heaviside.
"""

from __future__ import annotations

from scratchgrad import kernels
from scratchgrad.autograd import Function
from scratchgrad.backend import Array, DTypeLike, xp
from scratchgrad.errors import ShapeError
from scratchgrad.kernels import elementwise as elementwise_kernels
from scratchgrad.ops.elementwise._dispatch import _as_float, zero_d_safe
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


@register("relu")
class Relu(Function):
    """out = max(x, 0); gradient 1 where out > 0 or NaN. Kernels: ``kernels.elementwise.relu*``."""

    def forward(self, x: Array) -> Array:
        if kernels.takes(x):
            self.out = elementwise_kernels.relu(x)
            return self.out
        out = xp.zeros_like(x)  # maximum against an array of zeros: 2x faster than with 0
        self.out = xp.maximum(x, out, out=out)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        if kernels.takes(grad, self.out):
            return (elementwise_kernels.relu_backward(grad, self.out),)
        return (grad * ~(self.out <= 0),)  # NaN passes its gradient, as torch


def relu(x: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0). ``inplace`` is accepted for PyTorch's signature; the result is new."""
    return Relu.apply(x)


def _select(mask: Array, a: float, b: float, dtype: DTypeLike) -> Array:
    """``mask ? a : b`` as an array of ``dtype``, without the slow ``np.where``; exact.

    ``a * mask`` is a or 0 exactly, so the sum is a or b exactly.
    """
    out: Array = xp.multiply(mask, a, dtype=dtype)
    out += xp.multiply(~mask, b, dtype=dtype)
    return out


@register("leaky_relu")
@zero_d_safe
class LeakyRelu(Function):
    """out = x if x > 0 else negative_slope * x; gradient 1 or negative_slope."""

    def forward(self, x: Array, negative_slope: float) -> Array:
        self.x, self.slope = x, negative_slope
        scaled = x * negative_slope
        # max(x, a x) picks x for x > 0 exactly when a <= 1 (min when a > 1).
        pick = xp.maximum if negative_slope <= 1 else xp.minimum
        return pick(x, scaled, out=scaled)

    def backward(self, grad: Array) -> tuple[Array]:
        slope = _select(self.x > 0, 1.0, self.slope, grad.dtype)  # NaN gets the slope
        slope *= grad
        return (slope,)


def leaky_relu(x: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """max(x, 0) + negative_slope * min(x, 0). (*) -> (*).

    ``inplace`` is accepted for PyTorch's signature; the result is a new tensor.

    >>> leaky_relu(Tensor(xp.array([-2.0, 3.0])), 0.1).tolist()
    [-0.2, 3.0]
    """
    return LeakyRelu.apply(_as_float(x), negative_slope=float(negative_slope))


@register("heaviside")
class Heaviside(Function):
    """out = 0 where x < 0, 1 where x > 0, values where x == 0; no gradient (as PyTorch)."""

    differentiable = False

    def forward(self, x: Array, values: Array) -> Array:
        out: Array = xp.heaviside(x, values).astype(x.dtype, copy=False)
        return out


def heaviside(x: Tensor, values: Tensor | float) -> Tensor:
    """The unit step: 0 where x < 0, 1 where x > 0, ``values`` where x == 0. (*) -> (*).

    ``values`` is a tensor broadcastable with x (as ``torch.heaviside``) or a number.
    The result has x's dtype and no gradient.

    >>> heaviside(Tensor(xp.array([-1.0, 0.0, 2.0])), 0.5).tolist()
    [0.0, 0.5, 1.0]
    """
    v = values.array if isinstance(values, Tensor) else xp.asarray(values, dtype=x.dtype)
    return Heaviside.apply(x, v)


# PyTorch's hardsigmoid backward multiplies by 1/6 rounded to float32, in every dtype.
_ONE_SIXTH_F32 = float(xp.float32(1.0) / xp.float32(6.0))


def _between(x: Array, low: float, high: float) -> Array:
    """low < x < high as a bool mask; NaN counts as inside, as in PyTorch's backward."""
    return ~((x <= low) | (x >= high))


@register("hardtanh")
class Hardtanh(Function):
    """out = clamp(x, min_val, max_val); gradient 1 strictly inside, 0 at and beyond."""

    def forward(self, x: Array, min_val: float, max_val: float) -> Array:
        self.x, self.low, self.high = x, min_val, max_val
        out: Array = xp.clip(x, min_val, max_val)  # (*)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * _between(self.x, self.low, self.high),)


def hardtanh(
    x: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """clamp(x, min_val, max_val). (*) -> (*).

    Args:
        x: input, shape (*).
        min_val: lower bound.
        max_val: upper bound, at least min_val.
        inplace: accepted for compatibility; the result is always a new tensor.

    Raises:
        ValueError: if max_val < min_val.

    >>> hardtanh(Tensor(xp.array([-2.0, 0.5, 3.0]))).tolist()
    [-1.0, 0.5, 1.0]
    """
    if max_val < min_val:
        raise ValueError(
            f"hardtanh: max_val cannot be less than min_val: min_val={min_val}, max_val={max_val}"
        )
    return Hardtanh.apply(_as_float(x), min_val=float(min_val), max_val=float(max_val))


def relu6(x: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6), which is hardtanh(x, 0, 6) (as PyTorch). (*) -> (*).

    >>> relu6(Tensor(xp.array([-1.0, 3.0, 9.0]))).tolist()
    [0.0, 3.0, 6.0]
    """
    return hardtanh(x, 0.0, 6.0)


@register("hardsigmoid")
@zero_d_safe
class Hardsigmoid(Function):
    """out = relu6(x + 3) / 6; gradient 1/6 (in float32, as PyTorch) for -3 < x < 3, else 0."""

    def forward(self, x: Array) -> Array:
        self.x = x
        out: Array = x + 3.0
        xp.clip(out, 0.0, 6.0, out=out)
        out /= 6.0
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        d = grad * _between(self.x, -3.0, 3.0)
        d *= _ONE_SIXTH_F32
        return (d,)


def hardsigmoid(x: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: 0 below -3, 1 above 3, linear between. (*) -> (*).

    >>> hardsigmoid(Tensor(xp.array([-4.0, 0.0, 4.0]))).tolist()
    [0.0, 0.5, 1.0]
    """
    return Hardsigmoid.apply(_as_float(x))


@register("hardswish")
@zero_d_safe
class Hardswish(Function):
    """out = x relu6(x + 3) / 6; gradient 0 for x <= -3, x / 3 + 1/2 inside, 1 for x >= 3."""

    def forward(self, x: Array) -> Array:
        self.x = x
        out: Array = x + 3.0
        xp.clip(out, 0.0, 6.0, out=out)
        with xp.errstate(invalid="ignore"):
            out *= x  # -inf * 0 = NaN, as PyTorch
        out /= 6.0
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        x = self.x
        d = x / 3.0
        d += 0.5
        d *= _between(x, -3.0, 3.0)  # 0 at and beyond +-3
        d += x >= 3.0  # 1 at and above 3 (PyTorch)
        d *= grad
        return (d,)


def hardswish(x: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6. (*) -> (*).

    >>> hardswish(Tensor(xp.array([-4.0, 0.0, 4.0]))).tolist()
    [-0.0, 0.0, 4.0]
    """
    return Hardswish.apply(_as_float(x))


@register("threshold")
class Threshold(Function):
    """out = x if x > threshold else value; gradient 1 where x > threshold, else 0."""

    def forward(self, x: Array, threshold: float, value: float) -> Array:
        self.keep = ~(x <= threshold)  # NaN is kept, as PyTorch
        out: Array = xp.where(self.keep, x, xp.asarray(value, dtype=x.dtype))
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.keep,)


def threshold(x: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value. (*) -> (*).

    >>> threshold(Tensor(xp.array([0.5, 2.0])), 1.0, -1.0).tolist()
    [-1.0, 2.0]
    """
    return Threshold.apply(_as_float(x), threshold=float(threshold), value=float(value))


@register("prelu")
class Prelu(Function):
    """out = x if x > 0 else w x, w per channel (dim 1) or one w for all.

    Gradients: d/dx = 1 or w; d/dw = sum of g x over the elements with x <= 0 (of w's
    channel).
    """

    def forward(self, x: Array, weight: Array) -> Array:
        c = weight.size
        shape = (c,) + (1,) * (x.ndim - 2) if c > 1 else ()
        self.x, self.w, self.wshape = x, weight.reshape(shape), weight.shape  # w: (C, 1, ..)
        self.pos = x > 0
        out: Array = xp.where(self.pos, x, x * self.w)
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gx = xp.where(self.pos, grad, grad * self.w) if self.needs_input_grad[0] else None
        gw = None
        if self.needs_input_grad[1]:
            gxw = grad * self.x
            gxw *= ~self.pos  # (*): g x where x <= 0
            axes = tuple(i for i in range(gxw.ndim) if i != 1 or self.w.ndim == 0)
            gw = gxw.sum(axis=axes).reshape(self.wshape)  # (C,) or weight's own shape
        return gx, gw


def prelu(x: Tensor, weight: Tensor) -> Tensor:
    """max(0, x) + weight * min(0, x), with a learned slope per channel.

    Args:
        x: input, shape (N, C, *) or any shape when weight has one element (a 0-d or
            1-d input has one channel).
        weight: the slopes, shape (C,) (broadcast over dim 1) or one element.

    Returns:
        Shape of x.

    Raises:
        ShapeError: if weight has more than one dim, or neither 1 nor C elements.

    >>> prelu(Tensor(xp.array([[-2.0, 3.0]])), Tensor(xp.array([0.25]))).tolist()
    [[-0.5, 3.0]]
    """
    if weight.ndim > 1:
        raise ShapeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = "
            f"{weight.ndim} (weight={tuple(weight.shape)})"
        )
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.numel() not in (1, channels):
        raise ShapeError(
            f"prelu: Mismatch of parameter numbers and input channel size. Found parameter "
            f"numbers = {weight.numel()} and channel size = {channels} "
            f"(x={tuple(x.shape)}, weight={tuple(weight.shape)})"
        )
    return Prelu.apply(x, weight)


__all__ = [
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "heaviside",
    "leaky_relu",
    "prelu",
    "relu",
    "relu6",
    "threshold",
]
