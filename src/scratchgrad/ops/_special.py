"""Special functions: erf, erfc, erfinv and logit, re-exported by ``unary``.

Each is elementwise, (*) -> (*), and turns integer and bool inputs into the default
float dtype. ``erf`` is ``activation.erf`` (ours, also used by the exact GELU); ``erfc``
and ``erfinv`` are SciPy's, computed in the input's float dtype.

>>> import scratchgrad as sg
>>> round(sg.erfinv(sg.erf(sg.tensor(0.25, dtype=sg.float64))).item(), 9)
0.25
"""

from __future__ import annotations

import math

from scipy import special  # type: ignore[import-untyped]

from scratchgrad.backend import Array, xp
from scratchgrad.ops._dispatch import _as_float
from scratchgrad.ops._registry import register
from scratchgrad.ops.activation import erf as _erf
from scratchgrad.ops.unary import _SaveOut, _SaveX
from scratchgrad.tensor import Tensor

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


@register("erf")
class Erf(_SaveX):
    """out = erf x; gradient 2/sqrt(pi) e^(-x^2)."""

    def compute(self, x: Array) -> Array:
        return _erf(x.reshape(-1)).reshape(x.shape)  # 1-d: _erf needs arrays, not scalars

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (_TWO_OVER_SQRT_PI * xp.exp(-self.x * self.x)),)


@register("erfc")
class Erfc(_SaveX):
    """out = 1 - erf x, accurate where it is tiny; gradient -2/sqrt(pi) e^(-x^2)."""

    def compute(self, x: Array) -> Array:
        out: Array = special.erfc(x).astype(x.dtype, copy=False)  # float16 too
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad * (-_TWO_OVER_SQRT_PI * xp.exp(-self.x * self.x)),)


@register("erfinv")
class Erfinv(_SaveOut):
    """out = erf^-1 x (|x| <= 1); gradient sqrt(pi)/2 e^(out^2)."""

    def compute(self, x: Array) -> Array:
        out: Array = special.erfinv(x).astype(x.dtype, copy=False)  # float16 too
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (grad / _TWO_OVER_SQRT_PI * xp.exp(self.out * self.out),)


@register("logit")
class Logit(_SaveX):
    """out = ln(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given.

    Gradient 1 / (x (1 - x)); with eps, 0 outside [eps, 1 - eps]; without, NaN outside
    [0, 1] (PyTorch's rules).
    """

    def forward(self, x: Array, eps: float | None = None) -> Array:
        """(*) -> (*)."""
        self.x, self.eps = x, eps
        z = x if eps is None else xp.clip(x, eps, 1 - eps)
        out: Array = xp.log(z / (1 - z))
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        x = self.x
        g = grad / (x * (1 - x))
        if self.eps is None:
            return (xp.where((x < 0) | (x > 1), xp.nan, g).astype(grad.dtype),)
        return (xp.where((x < self.eps) | (x > 1 - self.eps), 0, g).astype(grad.dtype),)


def erf(x: Tensor) -> Tensor:
    """The error function, (*) -> (*).

    >>> import scratchgrad as sg
    >>> round(sg.erf(sg.tensor(0.5)).item(), 4)
    0.5205
    """
    return Erf.apply(_as_float(x))


def erfc(x: Tensor) -> Tensor:
    """The complementary error function 1 - erf(x), (*) -> (*)."""
    return Erfc.apply(_as_float(x))


def erfinv(x: Tensor) -> Tensor:
    """The inverse error function, (*) -> (*); +-inf at +-1, NaN beyond."""
    return Erfinv.apply(_as_float(x))


def logit(x: Tensor, eps: float | None = None) -> Tensor:
    """log(x / (1 - x)), (*) -> (*); with ``eps``, x is first clamped to [eps, 1 - eps].

    >>> import scratchgrad as sg
    >>> sg.logit(sg.tensor([0.5, 1.0]), eps=0.25).tolist()[0]
    0.0
    """
    return Logit.apply(_as_float(x), eps=eps)


__all__ = ["erf", "erfc", "erfinv", "logit"]
