"""Smooth activations.

sigmoid, elu, gelu, silu, softplus, mish, selu, celu, softsign, logsigmoid, glu.
"""

from __future__ import annotations

import math

from scratchgrad import kernels
from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.kernels import elementwise as elementwise_kernels
from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.elementwise._blocks import map_blocks
from scratchgrad.ops.elementwise._dispatch import _as_float, zero_d_safe
from scratchgrad.ops.elementwise.special import _F32_P, _F32_Q, _erf_
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


@register("sigmoid")
class Sigmoid(Function):
    """out = 1 / (1 + e^-x), computed without overflow; gradient out (1 - out)."""

    def forward(self, x: Array) -> Array:
        e = xp.exp(-xp.abs(x))  # in (0, 1]: never overflows
        self.out = xp.where(x >= 0, 1 / (1 + e), e / (1 + e))
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * self.out * (1 - self.out),)


def sigmoid(x: Tensor) -> Tensor:
    """Logistic sigmoid 1 / (1 + e**-x), stable for large |x|."""
    return Sigmoid.apply(_as_float(x))


@register("elu")
@zero_d_safe
class Elu(Function):
    """out = x if x > 0 else alpha (e^x - 1); gradient 1 or alpha e^x."""

    def forward(self, x: Array, alpha: float) -> Array:
        em1 = xp.minimum(x, 0.0)
        xp.expm1(em1, out=em1)  # e^min(x, 0) - 1: 0 for x > 0
        self.x, self.em1, self.alpha = x, em1, alpha
        out = em1 * alpha
        out += xp.maximum(x, 0.0)  # x + 0 for x > 0, 0 + alpha (e^x - 1) otherwise
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        pos = self.x > 0
        d = self.em1 + 1.0  # e^x for x <= 0, 1 for x > 0
        if self.alpha != 1.0:
            d *= self.alpha
        d *= ~pos
        d += pos
        d *= grad
        return (d,)


def elu(x: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x) - 1). (*) -> (*).

    ``inplace`` is accepted for PyTorch's signature; the result is a new tensor.

    >>> round(elu(Tensor(xp.array([-1.0, 2.0]))).tolist()[0], 6)
    -0.632121
    """
    return Elu.apply(_as_float(x), alpha=float(alpha))


_SQRT1_2 = math.sqrt(0.5)


_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


_KAPPA = 0.044715


@register("gelu")
@zero_d_safe
class Gelu(Function):
    """out = x Phi(x), Phi the standard normal CDF (exact, with erf, or its tanh form).

    Exact: Phi = (1 + erf(x / sqrt 2)) / 2, gradient Phi + x phi(x), phi the density.
    Tanh: Phi ~ (1 + t) / 2 with t = tanh(sqrt(2/pi) (x + 0.044715 x^3)), gradient
    (1 + t) / 2 + x / 2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2).
    """

    def forward(self, x: Array, approximate: str) -> Array:
        self.x, self.approximate = x, approximate
        with xp.errstate(over="ignore", invalid="ignore"):  # gelu(-inf) = -inf * 0 = NaN
            if approximate == "tanh":
                t = x * x
                t *= _KAPPA
                t += 1.0
                t *= x
                t *= _SQRT_2_OVER_PI
                xp.tanh(t, out=t)
                self.t = t
                out = t + 1.0
                out *= x
            elif x.dtype == xp.float32 and kernels.takes(x):  # the lines below in one pass
                out, self.cdf2 = _gelu_erf32_kernel(x)
                return out
            else:
                cdf2 = _erf_(x * _SQRT1_2)
                cdf2 += 1.0
                self.cdf2 = cdf2  # 2 Phi(x)
                out = cdf2 * x
        out *= 0.5
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        x = self.x
        if self.approximate == "tanh":
            t = self.t
            d = t * t
            xp.subtract(1.0, d, out=d)  # 1 - t^2
            d *= x
            z = x * x
            z *= 3.0 * _KAPPA
            z += 1.0
            d *= z
            d *= _SQRT_2_OVER_PI
            d += t
            d += 1.0
        else:
            return (map_blocks(_gelu_exact_grad, x, self.cdf2, grad),)
        d *= 0.5
        d *= grad
        return (d,)


def _gelu_erf32_kernel(x: Array) -> tuple[Array, Array]:
    """(gelu(x), 1 + erf(x / sqrt 2)) of float32 x by ``kernels.elementwise.gelu_erf32``."""
    return elementwise_kernels.gelu_erf32(x, *_ERF32_CONSTANTS)


_ERF32_CONSTANTS = (
    xp.float32(_SQRT1_2),
    tuple(xp.float32(c) for c in _F32_P),
    tuple(xp.float32(c) for c in _F32_Q),
)


def _gelu_exact_grad(x: Array, cdf2: Array, grad: Array) -> Array:
    """grad (Phi(x) + x phi(x)), from x and 2 Phi(x); elementwise, so it runs in blocks."""
    d = x * x
    d *= -0.5
    xp.exp(d, out=d)
    d *= x
    d *= 2.0 * _INV_SQRT_2PI  # 2 x phi(x)
    d += cdf2
    d *= 0.5
    d *= grad
    return d


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), exact (erf) or approximate="tanh". (*) -> (*).

    Raises:
        ValueError: if approximate is neither "none" nor "tanh".

    >>> round(gelu(Tensor(xp.array([1.0]))).item(), 6)
    0.841345
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(
            f"gelu: approximate argument must be either none or tanh, got {approximate!r}"
        )
    return Gelu.apply(_as_float(x), approximate=approximate)


@register("silu")
@zero_d_safe
class Silu(Function):
    """out = x sigmoid(x); gradient s (1 + x (1 - s)) with s = sigmoid(x)."""

    def forward(self, x: Array) -> Array:
        s = xp.negative(x)
        with xp.errstate(over="ignore", invalid="ignore"):
            xp.exp(s, out=s)  # e^-x = inf for x << 0: s = 1 / inf = 0
            s += 1.0
            xp.reciprocal(s, out=s)
            self.x, self.s = x, s
            return x * s  # silu(-inf) = -inf * 0 = NaN, as PyTorch

    def backward(self, grad: Array) -> tuple[Array]:
        s = self.s
        d = 1.0 - s
        d *= self.x
        d += 1.0
        d *= s
        d *= grad
        return (d,)


def silu(x: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x), also called swish. (*) -> (*).

    ``inplace`` is accepted for PyTorch's signature; the result is a new tensor.

    >>> round(silu(Tensor(xp.array([1.0]))).item(), 6)
    0.731059
    """
    return Silu.apply(_as_float(x))


@register("softplus")
@zero_d_safe
class Softplus(Function):
    """out = log(1 + e^(beta x)) / beta, or x where beta x > threshold (as PyTorch).

    Gradient sigmoid(beta x), or 1 where beta x > threshold.
    """

    def forward(self, x: Array, beta: float, threshold: float) -> Array:
        bx = x * beta if beta != 1.0 else x
        linear = bx > threshold  # usually all false: the select below is then cheap
        e = xp.minimum(bx, threshold)  # no overflow in exp
        xp.exp(e, out=e)
        out = xp.log1p(e)
        if beta != 1.0:
            out /= beta
        self.e, self.linear = e, linear
        if linear.any():
            xp.copyto(out, x, where=linear)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        d = self.e + 1.0
        xp.divide(self.e, d, out=d)  # sigmoid(beta x) = e / (1 + e)
        if self.linear.any():
            d[self.linear] = 1.0
        d *= grad
        return (d,)


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, linear (x) where beta x > threshold. (*) -> (*).

    >>> round(softplus(Tensor(xp.array([0.0]))).item(), 6)
    0.693147
    """
    return Softplus.apply(_as_float(x), beta=float(beta), threshold=float(threshold))


_SELU_ALPHA = 1.6732632423543772848170429916717


_SELU_SCALE = 1.0507009873554804934193349852946


def _softplus(x: Array) -> Array:
    """log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), without overflow."""
    e = xp.abs(x)
    xp.negative(e, out=e)
    xp.exp(e, out=e)
    xp.log1p(e, out=e)
    e += xp.maximum(x, 0.0)
    return e


@register("mish")
@zero_d_safe
class Mish(Function):
    """out = x tanh(softplus(x)); gradient t + x sigmoid(x) (1 - t^2), t = tanh(softplus x)."""

    def forward(self, x: Array) -> Array:
        sp = _softplus(x)
        self.x, self.sp = x, sp
        self.t = xp.tanh(sp)
        with xp.errstate(invalid="ignore"):
            out: Array = x * self.t  # mish(-inf) = -inf * 0 = NaN, as PyTorch
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        s = xp.negative(self.sp)
        xp.expm1(s, out=s)  # e^-softplus(x) - 1 = -sigmoid(x)
        t = self.t
        d = t * t
        d -= 1.0  # t^2 - 1
        d *= s  # sigmoid(x) (1 - t^2)
        d *= self.x
        d += t
        d *= grad
        return (d,)


def mish(x: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x)). (*) -> (*).

    >>> round(mish(Tensor(xp.array([1.0]))).item(), 6)
    0.865098
    """
    return Mish.apply(_as_float(x))


@zero_d_safe
class _ScaledElu(Function):
    """PyTorch's ELU kernel: scale x for x > 0, else scale alpha (e^(input_scale x) - 1).

    Gradient scale, or scale alpha input_scale e^(input_scale x) (so at x = 0 the
    negative side's, as PyTorch).
    """

    def forward(self, x: Array, alpha: float, scale: float, input_scale: float) -> Array:
        e = xp.minimum(x, 0.0)
        if input_scale != 1.0:
            e *= input_scale
        xp.exp(e, out=e)  # e^(input_scale min(x, 0)): 1 for x > 0
        self.pos, self.e = x > 0, e
        self.neg_coef, self.scale, self.input_scale = scale * alpha, scale, input_scale
        out: Array = e - 1.0
        out *= self.neg_coef
        out += xp.maximum(x, 0.0) * scale  # 0 + scale x for x > 0
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        d = self.e * (self.neg_coef * self.input_scale)
        d *= ~self.pos
        d += self.pos * self.scale
        d *= grad
        return (d,)


@register("selu")
class Selu(_ScaledElu):
    """out = scale * elu(x, alpha), with PyTorch's fixed alpha ~1.6733 and scale ~1.0507."""


def selu(x: Tensor, inplace: bool = False) -> Tensor:
    """scale * (max(0, x) + min(0, alpha * (exp(x) - 1))), self-normalizing. (*) -> (*).

    >>> round(selu(Tensor(xp.array([1.0]))).item(), 6)
    1.050701
    """
    return Selu.apply(_as_float(x), alpha=_SELU_ALPHA, scale=_SELU_SCALE, input_scale=1.0)


@register("celu")
class Celu(_ScaledElu):
    """out = max(0, x) + min(0, alpha (e^(x / alpha) - 1)); gradient 1 or e^(x / alpha)."""


def celu(x: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1)). (*) -> (*).

    Raises:
        ZeroDivisionError: if alpha is 0.

    >>> round(celu(Tensor(xp.array([-1.0])), alpha=2.0).item(), 6)
    -0.786939
    """
    if alpha == 0:
        raise ZeroDivisionError("celu: alpha cannot be 0 for CELU")
    a = float(alpha)
    return Celu.apply(_as_float(x), alpha=a, scale=1.0, input_scale=1.0 / a)


@register("softsign")
class Softsign(Function):
    """out = x / (1 + |x|); gradient 1 / (1 + |x|)^2."""

    def forward(self, x: Array) -> Array:
        self.den = xp.abs(x)
        self.den += 1.0
        with xp.errstate(invalid="ignore"):
            out: Array = x / self.den  # softsign(inf) = inf / inf = NaN, as PyTorch
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        d = grad / self.den
        d /= self.den
        return (d,)


def softsign(x: Tensor) -> Tensor:
    """x / (1 + |x|). (*) -> (*).

    >>> softsign(Tensor(xp.array([-3.0, 1.0]))).tolist()
    [-0.75, 0.5]
    """
    return Softsign.apply(_as_float(x))


@register("logsigmoid")
@zero_d_safe
class Logsigmoid(Function):
    """out = log(sigmoid(x)) = min(x, 0) - log(1 + e^-|x|); gradient sigmoid(-x)."""

    def forward(self, x: Array) -> Array:
        e = xp.abs(x)
        xp.negative(e, out=e)
        xp.exp(e, out=e)  # e^-|x| in (0, 1]: no overflow
        self.x, self.e = x, e
        out: Array = xp.minimum(x, 0.0)
        out -= xp.log1p(e)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        neg_x = self.x < 0
        d = self.e * ~neg_x  # sigmoid(-x) = e / (1 + e) for x >= 0, 1 / (1 + e) for x < 0
        d += neg_x
        d /= self.e + 1.0
        d *= grad
        return (d,)


def logsigmoid(x: Tensor) -> Tensor:
    """log(1 / (1 + exp(-x))), stable for large |x|. (*) -> (*).

    >>> logsigmoid(Tensor(xp.array([-1000.0, 1000.0]))).tolist()
    [-1000.0, 0.0]
    """
    return Logsigmoid.apply(_as_float(x))


@register("glu")
class Glu(Function):
    """out = a sigmoid(b), a and b the halves of x along ``dim``.

    Gradients: d/da = sigmoid(b), d/db = a sigmoid(b) (1 - sigmoid(b)).
    """

    def forward(self, x: Array, dim: int) -> Array:
        a, b = xp.split(x, 2, axis=dim)  # (.., n, ..) -> 2 x (.., n / 2, ..)
        s = xp.negative(b)
        with xp.errstate(over="ignore"):
            xp.exp(s, out=s)
        s += 1.0
        xp.reciprocal(s, out=s)  # sigmoid(b)
        self.a, self.s, self.dim = a, s, dim
        out: Array = a * s
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        ga = grad * self.s
        gb = 1.0 - self.s
        gb *= ga
        gb *= self.a
        return (xp.concatenate([ga, gb], axis=self.dim),)


def glu(x: Tensor, dim: int = -1) -> Tensor:
    """The gated linear unit: a * sigmoid(b), x split in halves a, b along ``dim``.

    Args:
        x: input, shape (*, 2n, *) with the even size 2n at ``dim``.
        dim: the dim to halve.

    Returns:
        Shape (*, n, *).

    Raises:
        ShapeError: for a 0-d input or an odd size at ``dim``.
        IndexError: for a dim out of range.

    >>> glu(Tensor(xp.array([2.0, 0.0])), 0).tolist()
    [1.0]
    """
    if x.ndim == 0:
        raise ShapeError("glu: glu does not support scalars because halving size must be even")
    d = normalize_dim(dim, x.ndim, "glu")
    if x.shape[d] % 2:
        raise ShapeError(
            f"glu: Halving dimension must be even, but dimension {d} is size {x.shape[d]} "
            f"(x={tuple(x.shape)})"
        )
    return Glu.apply(_as_float(x), dim=d)


__all__ = [
    "celu",
    "elu",
    "gelu",
    "glu",
    "logsigmoid",
    "mish",
    "selu",
    "sigmoid",
    "silu",
    "softplus",
    "softsign",
]
