"""Smooth activations: mish, selu, celu, softsign, logsigmoid, softmin, glu.

Each is one node with its own backward, except ``softmin``, which is ``softmax(-x)``
composed from two ops. Large |x| never overflows: softplus and log-sigmoid are written
with ``exp(-|x|)``, which is at most 1.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops._dims import normalize_dim
from scratchgrad.ops._dispatch import _as_float
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import cast
from scratchgrad.ops.elementwise import neg
from scratchgrad.ops.nn import Softmax, _dim
from scratchgrad.tensor import Tensor

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


# ------------------------------------------------------------------ mish
@register("mish")
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


# ------------------------------------------------------------------ selu, celu
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


@register("celu")
class Celu(_ScaledElu):
    """out = max(0, x) + min(0, alpha (e^(x / alpha) - 1)); gradient 1 or e^(x / alpha)."""


def selu(x: Tensor, inplace: bool = False) -> Tensor:
    """scale * (max(0, x) + min(0, alpha * (exp(x) - 1))), self-normalizing. (*) -> (*).

    >>> round(selu(Tensor(xp.array([1.0]))).item(), 6)
    1.050701
    """
    return Selu.apply(_as_float(x), alpha=_SELU_ALPHA, scale=_SELU_SCALE, input_scale=1.0)


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


# ------------------------------------------------------------------ softsign
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


# ------------------------------------------------------------------ logsigmoid
@register("logsigmoid")
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


# ------------------------------------------------------------------ softmin
def softmin(x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim``: non-negative, summing to 1, largest where x is least.

    Args:
        x: input, shape (*).
        dim: the dim to normalise; None picks PyTorch's legacy default (0 for 0-, 1- and
            3-d inputs, else 1).
        _stacklevel: ignored (PyTorch's warning level).
        dtype: cast x to this dtype first.

    Returns:
        Shape of x.

    >>> softmin(Tensor(xp.array([0.0, 0.0])), dim=0).tolist()
    [0.5, 0.5]
    """
    if dtype is not None:
        x = cast(x, dtype)
    d = _dim(dim, x.ndim, "softmin")
    return Softmax.apply(neg(_as_float(x)), dim=d)


# ------------------------------------------------------------------ glu
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


__all__ = ["celu", "glu", "logsigmoid", "mish", "selu", "softmin", "softsign"]
