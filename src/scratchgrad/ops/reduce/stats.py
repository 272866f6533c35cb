"""Statistics: var, std, norm, logsumexp: reductions whose backward needs the forward's work.

``dim`` as for every reduction (see ``_axes``); ``keepdim`` keeps reduced dims as size 1.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import get_default_dtype
from scratchgrad.ops.dims import Axes, DimArg, axes_of, drop_dims, keep_dims, mean_of, require_float
from scratchgrad.ops.elementwise.compare import isnan
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.elementwise.math import sqrt
from scratchgrad.ops.elementwise.select import clamp, where
from scratchgrad.ops.reduce.reductions import mean, sum
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.structure import diagonal
from scratchgrad.ops.shape.view import reshape, transpose
from scratchgrad.tensor import Tensor


@register("var")
class Var(Function):
    """out = sum((x - mean)^2) / (n - correction) over ``axis``; n elements reduced.

    The gradient is 2 (x - mean) grad / (n - correction). As PyTorch, the forward
    divides by max(0, n - correction): inf or NaN when it is 0.
    """

    def forward(self, x: Array, axis: Axes, correction: float, keepdims: bool) -> Array:
        n = math.prod(x.shape[a] for a in axis)
        self.centered = x - mean_of(x, axis, True, n)  # (*)
        self.dof = n - correction
        self.axis, self.keepdims = axis, keepdims
        squares = xp.sum(self.centered * self.centered, axis=axis, keepdims=keepdims)
        with xp.errstate(divide="ignore", invalid="ignore"):
            out: Array = xp.true_divide(squares, builtins.max(0, self.dof))
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        scale = 2.0 / self.dof if self.dof else math.inf  # a Python float: keeps the dtype
        with xp.errstate(invalid="ignore"):
            return (scale * keep_dims(grad, self.axis, self.keepdims) * self.centered,)


def var(x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Variance over ``dim`` with Bessel's ``correction`` (1: unbiased, 0: population).

    Raises:
        RuntimeError: for a bool or integer tensor.
        ValueError: for a negative ``correction``.
    """
    axes = _var_axes("var", x, dim, correction)
    return Var.apply(x, axis=axes, correction=correction, keepdims=keepdim)


@register("std")
class Std(Var):
    """out = sqrt(var); the gradient is var's of grad / (2 out), and 0 where out == 0."""

    def forward(self, x: Array, axis: Axes, correction: float, keepdims: bool) -> Array:
        self.out: Array = xp.sqrt(super().forward(x, axis, correction, keepdims))
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        with xp.errstate(divide="ignore", invalid="ignore"):
            g = xp.where(self.out == 0, 0, grad / (2 * self.out))
        return super().backward(g)


def std(x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Standard deviation over ``dim`` with Bessel's ``correction``: sqrt(var)."""
    axes = _var_axes("std", x, dim, correction)
    return Std.apply(x, axis=axes, correction=correction, keepdims=keepdim)


def _var_axes(op: str, x: Tensor, dim: DimArg, correction: float) -> Axes:
    require_float(x, "std and var only support floating point and complex dtypes")
    return axes_of(op, dim, x.ndim)


@register("norm")
class Norm(Function):
    """out = (sum |x|^p)^(1/p) over ``axis``; max |x| for p = inf, min |x| for -inf.

    Backward follows PyTorch's norm_backward: 0 where the norm is 0 (no NaN), and for
    p = +-inf the gradient is shared evenly among the elements that reach the norm.
    """

    def forward(self, x: Array, p: float, axis: Axes, keepdims: bool) -> Array:
        self.x, self.p, self.axis, self.keepdims = x, p, axis, keepdims
        a = xp.abs(x)
        if p == 2:
            self.out = xp.sqrt(xp.sum(a * a, axis=axis, keepdims=True))  # (*1)
        elif p == 1:
            self.out = xp.sum(a, axis=axis, keepdims=True)
        elif p == math.inf:
            self.out = xp.max(a, axis=axis, keepdims=True)
        elif p == -math.inf:
            self.out = xp.min(a, axis=axis, keepdims=True)
        else:
            self.out = xp.sum(a**p, axis=axis, keepdims=True) ** (1 / p)
        return self.out if keepdims else drop_dims(self.out, axis)

    def backward(self, grad: Array) -> tuple[Array]:
        x, p, norm = self.x, self.p, self.out  # (*), float, (*1)
        g = keep_dims(grad, self.axis, self.keepdims)  # (*1)
        with xp.errstate(divide="ignore", invalid="ignore"):
            if p == 1:
                return (xp.sign(x) * g,)
            if p == 2:
                return (g * xp.where(norm == 0, 0, x / norm),)
            if math.isinf(p):
                a = xp.abs(x)
                hit = (a == norm) | xp.isnan(a)  # (*)
                count = xp.sum(hit, axis=self.axis, keepdims=True, dtype=g.dtype)
                return (xp.sign(x) * ((g / count) * hit),)
            if p < 1:
                scaled = xp.sign(x) * xp.where(x == 0, 0, xp.abs(x) ** (p - 1))
                return (scaled * g * norm ** (1 - p),)
            scaled = xp.sign(x) * xp.abs(x) ** (p - 1) if p < 2 else x * xp.abs(x) ** (p - 2)
            return (scaled * xp.where(norm == 0, 0, g / norm ** (p - 1)),)


def norm(x: Tensor, p: Any = "fro", dim: DimArg = None, keepdim: bool = False) -> Tensor:
    """Vector p-norm (1, 2, inf, -inf, any float) or Frobenius norm over ``dim``.

    Matches ``torch.norm`` / ``torch.linalg.vector_norm``: ``dim`` None takes all elements.

    Raises:
        ValueError: for an unsupported ``p``.
        RuntimeError: for a bool or integer tensor, or p = +-inf over an empty dim.

    >>> import scratchgrad as sg
    >>> sg.norm(sg.tensor([[3.0, -4.0], [0.0, 0.0]]), dim=1)
    tensor([5., 0.])
    """
    order = _norm_order(p)
    require_float(
        x, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}"
    )
    axes = axes_of("norm", dim, x.ndim)
    if math.isinf(order) and math.prod(x.shape[a] for a in axes) == 0:
        raise RuntimeError(
            f"norm: cannot compute the {p} norm over an empty dimension: it has no identity"
        )
    return Norm.apply(x, p=order, axis=axes, keepdims=keepdim)


def _norm_order(p: Any) -> float:
    """``p`` as a float: 2 for "fro"; inf, -inf or a positive number.

    Raises:
        ValueError: for any other ``p``.
    """
    if isinstance(p, str):
        if p == "fro":
            return 2.0
    elif isinstance(p, int | float) and not isinstance(p, bool) and (p > 0 or p == -math.inf):
        return float(p)
    raise ValueError(f"norm: p must be 'fro', inf, -inf or a positive number, got p={p!r}")


@register("logsumexp")
class LogSumExp(Function):
    """out = log(sum(exp(x))) over ``axis``, as m + log(sum(exp(x - m))) with m = max(x).

    An infinite m is replaced by 0 (as PyTorch), so a slice of -inf gives -inf, not NaN.
    The gradient is softmax(x) * grad = exp(x - out) * grad.
    """

    def forward(self, x: Array, axis: Axes, keepdims: bool) -> Array:
        m = xp.max(x, axis=axis, keepdims=True, initial=-math.inf)  # (*1)
        m = xp.where(xp.isinf(m), 0, m)
        with xp.errstate(divide="ignore"):  # log(0) = -inf: a slice of -inf
            self.out = xp.log(xp.sum(xp.exp(x - m), axis=axis, keepdims=True)) + m  # (*1)
        self.x, self.axis, self.keepdims = x, axis, keepdims
        return self.out if keepdims else drop_dims(self.out, axis)

    def backward(self, grad: Array) -> tuple[Array]:
        with xp.errstate(invalid="ignore"):  # -inf - -inf: NaN, as PyTorch
            return (keep_dims(grad, self.axis, self.keepdims) * xp.exp(self.x - self.out),)


def logsumexp(x: Tensor, dim: DimArg, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``dim``, without overflow; integers give the default float.

    >>> import scratchgrad as sg
    >>> sg.logsumexp(sg.tensor([1e4, 1e4]), 0).item()  # 1e4 + log(2), in float32
    10000.693359375
    """
    if x.array.dtype.kind != "f":
        x = cast(x, get_default_dtype())
    return LogSumExp.apply(x, axis=axes_of("logsumexp", dim, x.ndim), keepdims=keepdim)


def nansum(x: Tensor, dim: DimArg = None, keepdim: bool = False) -> Tensor:
    """sum over ``dim`` treating NaN as 0; reduced shape; NaN entries get gradient 0."""
    return sum(where(isnan(x), 0.0, x), dim, keepdim)


def nanmean(x: Tensor, dim: DimArg = None, keepdim: bool = False) -> Tensor:
    """mean over ``dim`` of the non-NaN entries; reduced shape (NaN where all are NaN)."""
    count = sum(~isnan(x), dim, keepdim)
    return nansum(x, dim, keepdim) / count


def var_mean(
    x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False
) -> tuple[Tensor, Tensor]:
    """(var, mean) over ``dim``; both of the reduced shape."""
    return var(x, dim, correction=correction, keepdim=keepdim), mean(x, dim, keepdim)


def std_mean(
    x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False
) -> tuple[Tensor, Tensor]:
    """(std, mean) over ``dim``; both of the reduced shape."""
    return std(x, dim, correction=correction, keepdim=keepdim), mean(x, dim, keepdim)


def cov(
    x: Tensor,
    *,
    correction: int = 1,
    fweights: Tensor | None = None,
    aweights: Tensor | None = None,
) -> Tensor:
    """Covariance of the rows (variables) of x: (V, N) -> (V, V); (N,) -> ()."""
    if x.ndim > 2:
        raise ValueError(f"cov(): expected input to have two or fewer dimensions but got {x.ndim}")
    obs = reshape(x, (1, -1)) if x.ndim < 2 else x
    w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        n = obs.shape[1]
        avg, factor = mean(obs, 1, keepdim=True), float(n - correction)
        xm = obs - avg
        c = (xm @ transpose(xm, 0, 1)) / max(factor, 0.0)
    else:
        w_sum = sum(w)
        avg = sum(obs * w, 1, keepdim=True) / w_sum
        if aweights is None:
            fac = w_sum - correction
        else:
            fac = w_sum - correction * sum(w * aweights) / w_sum
        xm = obs - avg
        c = ((xm * w) @ transpose(xm, 0, 1)) / clamp(fac, min=0)
    return reshape(c, ()) if x.ndim < 2 else c


def corrcoef(x: Tensor) -> Tensor:
    """Pearson correlation of the rows of x: (V, N) -> (V, V), clipped to [-1, 1]."""
    c = cov(x)
    if c.ndim == 0:
        return c / c
    s = sqrt(diagonal(c))
    return clamp(c / s.unsqueeze(1) / s.unsqueeze(0), -1.0, 1.0)


__all__ = [
    "corrcoef",
    "cov",
    "logsumexp",
    "nanmean",
    "nansum",
    "norm",
    "std",
    "std_mean",
    "var",
    "var_mean",
]
