"""Scans along one dim: cumprod, cummax, cummin, logcumsumexp (cumsum is in reduce).

Each output element i depends on the input elements 0..i along ``dim``; x and out are
(*), and a 0-d tensor counts as one element along dim 0 or -1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import int64
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.index.gather import Gather
from scratchgrad.ops.reduce.reductions import cumsum, sum
from scratchgrad.ops.reduce.sort import along
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.join import cat, narrow
from scratchgrad.ops.shape.view import flip, reshape
from scratchgrad.tensor import MaxMin, Tensor, wrap


def _rev_cumsum(a: Array, axis: int) -> Array:
    """out[i] = sum of a[i:] along ``axis``. (*) -> (*)."""
    return xp.flip(xp.cumsum(xp.flip(a, axis), axis=axis), axis)


def _rev_logcumsumexp(a: Array, axis: int) -> Array:
    """out[i] = log(sum(exp(a[i:]))) along ``axis``, without overflow. (*) -> (*)."""
    return xp.flip(xp.logaddexp.accumulate(xp.flip(a, axis), axis=axis), axis)


def _positions(a: Array, axis: int) -> Array:
    """0, 1, ..., n - 1 along ``axis``, shaped to broadcast against ``a``: (1, .., n, .., 1)."""
    shape = [1] * a.ndim
    shape[axis] = a.shape[axis]
    return xp.arange(a.shape[axis], dtype=xp.int64).reshape(shape)


@register("cumprod")
class CumProd(Function):
    """out[i] = x[0] * ... * x[i] along ``axis``; the gradient is exact with zeros in x.

    d out[i] / d x[k] = prod of x[j] for j <= i, j != k. Before a lane's first zero z
    that is out[i] / x[k], so the gradient is the reversed cumsum of grad * out over
    x[k]; at z it is the same sum with x[z] taken as 1 (no division), after z it is 0.
    """

    def forward(self, x: Array, axis: int) -> Array:
        self.x, self.axis = x, axis
        self.out: Array = xp.cumprod(x, axis=axis)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        x, axis = self.x, self.axis
        rsum = _rev_cumsum(grad * self.out, axis)  # (*)
        zero = x == 0
        if not zero.any():
            return (rsum / x,)
        pos = _positions(x, axis)  # (1, .., n, .., 1)
        n = x.shape[axis]
        first = xp.where(zero.any(axis, keepdims=True), xp.argmax(zero, axis, keepdims=True), n)
        before = pos < first  # (*) before each lane's first zero (n if none)
        at = pos == first  # (*) at it
        at_zero = _rev_cumsum(grad * xp.cumprod(xp.where(at, 1, x), axis=axis), axis)
        g = xp.where(before, rsum / xp.where(before, x, 1), xp.where(at, at_zero, 0))
        return (g.astype(grad.dtype, copy=False),)


def cumprod(x: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along ``dim``; bool and integers give int64. (*) -> (*).

    Args:
        x: shape (*).
        dim: the dim to scan.
        dtype: cast x to this dtype first.

    Raises:
        IndexError: for a dim out of range.

    >>> import scratchgrad as sg
    >>> sg.tensor([1, 2, 3, 4]).cumprod(0)
    tensor([ 1,  2,  6, 24])
    """
    if dtype is not None:
        x = cast(x, dtype)
    elif x.array.dtype.kind in "biu":
        x = cast(x, int64)
    return along("cumprod", x, dim, lambda t, axis: CumProd.apply(t, axis=axis))


@register("cummax")
class CumMax(Gather):
    """values[i] = max of x[0..i] along ``dim``, at ``index``; the gradient goes there."""


def cummax(x: Tensor, dim: int) -> MaxMin:
    """Running maximum along ``dim`` and the index where it was last reached. (*) -> (*).

    Returns:
        MaxMin(values, indices), each x's shape; indices are int64.

    >>> import scratchgrad as sg
    >>> sg.tensor([1, 3, 2, 3]).cummax(0).indices
    tensor([0, 1, 1, 3])
    """
    return _cumulative("cummax", CumMax, x, dim)


@register("cummin")
class CumMin(Gather):
    """values[i] = min of x[0..i] along ``dim``, at ``index``; the gradient goes there."""


def cummin(x: Tensor, dim: int) -> MaxMin:
    """Running minimum along ``dim`` and the index where it was last reached. (*) -> (*)."""
    return _cumulative("cummin", CumMin, x, dim)


def _cum_index(a: Array, axis: int, accumulate: Callable[..., Array]) -> Array:
    """int64 index (*) of the running extreme: the last element equal to it so far.

    An element takes the index when it equals the extreme up to it (ties move the index
    forward, as torch) or is NaN (NaN propagates, and each later NaN takes the index).
    """
    hit = a == accumulate(a, axis=axis)  # (*)
    if a.dtype.kind == "f":
        hit |= xp.isnan(a)
    out: Array = xp.maximum.accumulate(xp.where(hit, _positions(a, axis), 0), axis=axis)
    return out


def _cumulative(op: str, cls: type[Gather], x: Tensor, dim: int) -> MaxMin:
    accumulate = xp.maximum.accumulate if cls is CumMax else xp.minimum.accumulate

    def run(t: Tensor, axis: int) -> MaxMin:
        index = _cum_index(t.array, axis, accumulate)
        return MaxMin(cls.apply(t, dim=axis, index=index), wrap(index))

    return along(op, x, dim, run)


@register("logcumsumexp")
class LogCumSumExp(Function):
    """out[i] = log(exp(x[0]) + ... + exp(x[i])) along ``axis``, without overflow.

    d out[i] / d x[k] = exp(x[k] - out[i]) for k <= i. The sum over i of grad[i] times
    that is done in log space, for the positive and negative parts of grad apart.
    """

    def forward(self, x: Array, axis: int) -> Array:
        self.x, self.axis = x, axis
        self.out: Array = xp.logaddexp.accumulate(x, axis=axis)
        return self.out

    def backward(self, grad: Array) -> tuple[Array]:
        with xp.errstate(divide="ignore"):
            log_abs = xp.log(xp.abs(grad))  # -inf where grad is 0

        def part(sign: Array) -> Array:  # sum over i >= k of |grad[i]| exp(x[k] - out[i])
            log_g = xp.where(sign, log_abs, -xp.inf) - self.out
            out: Array = xp.exp(_rev_logcumsumexp(log_g, self.axis) + self.x)
            return out

        return (part(grad > 0) - part(grad < 0),)


def logcumsumexp(x: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(x))) along ``dim``, stable for large values. (*) -> (*).

    Raises:
        NotImplementedError: for a bool or integer tensor, as torch.

    >>> import scratchgrad as sg
    >>> sg.tensor([1000.0, 1000.0]).logcumsumexp(0)
    tensor([1000.0000, 1000.6932])
    """
    if x.array.dtype.kind != "f":
        raise NotImplementedError(
            f"logcumsumexp(): not implemented for '{torch_name(x.array.dtype)}': "
            f"expected a floating point tensor"
        )
    return along("logcumsumexp", x, dim, lambda t, axis: LogCumSumExp.apply(t, axis=axis))


def diff(
    x: Tensor,
    n: int = 1,
    dim: int = -1,
    prepend: Tensor | None = None,
    append: Tensor | None = None,
) -> Tensor:
    """The n-th forward difference along ``dim``: size L -> L - n (after prepend/append)."""
    d = normalize_dim(dim, x.ndim, "diff")
    parts = [t for t in (prepend, x, append) if t is not None]
    x = cat(parts, d) if len(parts) > 1 else x
    for _ in range(n):
        length = x.shape[d] - 1
        if length <= 0:
            return narrow(x, d, 0, 0)
        hi, lo = narrow(x, d, 1, length), narrow(x, d, 0, length)
        x = hi != lo if x.dtype == xp.bool_ else hi - lo
    return x


def _trapezoid_terms(y: Tensor, x: Tensor | None, dx: float | None, dim: int) -> Tensor:
    d = normalize_dim(dim, y.ndim, "trapezoid")
    length = y.shape[d] - 1
    mids = (narrow(y, d, 1, length) + narrow(y, d, 0, length)) * 0.5
    if x is None:
        return mids * (1.0 if dx is None else dx)
    if x.ndim == 1:  # spacing along dim, broadcast over the other dims
        x = reshape(x, (-1,) + (1,) * (y.ndim - 1 - d))
    xd = normalize_dim(dim, x.ndim, "trapezoid")
    return mids * diff(x, dim=xd)


def trapezoid(
    y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1
) -> Tensor:
    """Trapezoid-rule integral of y along ``dim`` (spacing x or dx); that dim removed."""
    return sum(_trapezoid_terms(y, x, dx, dim), dim)


def cumulative_trapezoid(
    y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1
) -> Tensor:
    """Running trapezoid integral along ``dim``: size L -> L - 1."""
    return cumsum(_trapezoid_terms(y, x, dx, dim), dim)


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """Vandermonde matrix of a 1-d x: (L,) -> (L, N), columns x**(N-1) ... x**0."""
    if x.ndim != 1:
        raise ValueError(f"vander(): x must be a one-dimensional tensor, got {x.ndim}-D")
    n = x.shape[0] if N is None else N
    if not x.is_floating_point():
        x = x.long()
    ones = Tensor(xp.ones((x.shape[0], 1), dtype=x.dtype))
    cols = cumprod(cat([ones, x.unsqueeze(1).expand(x.shape[0], max(n - 1, 0))], 1), 1)
    cols = narrow(cols, 1, 0, n)
    return cols if increasing else flip(cols, [1])


__all__ = [
    "cummax",
    "cummin",
    "cumprod",
    "cumulative_trapezoid",
    "diff",
    "logcumsumexp",
    "trapezoid",
    "vander",
]
