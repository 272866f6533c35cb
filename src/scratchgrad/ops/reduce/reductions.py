"""Reductions: sum, mean, prod, max/min, argmax/argmin, cumsum, any, all.

``dim`` is an int, a tuple/list of ints, or None for all dims (where PyTorch allows it);
negative dims count from the end and ``keepdim`` keeps reduced dims as size 1.
``_axes.axes_of`` is the one place that turns a ``dim`` argument into NumPy axes. Shapes
in comments: ``x`` is (*), a reduced array is (*r) and with kept dims (*1). The
statistics (var, std, norm, logsumexp) are in :mod:`~scratchgrad.ops.reduce.stats`, and
importable from here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import int64
from scratchgrad.ops.dims import Axes, DimArg, axes_of, drop_dims, keep_dims, mean_of, require_float
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.registry import register
from scratchgrad.tensor import MaxMin, Tensor, wrap


def _check_nonempty(op: str, a: Array, axis: int | None) -> None:
    """PyTorch's errors for max/min/argmax/argmin of nothing."""
    if axis is None and a.size == 0:
        msg = f"{op}(): Expected reduction dim to be specified for input.numel() == 0."
        if op.startswith("arg"):
            raise IndexError(msg)
        raise RuntimeError(f"{msg} Specify the reduction dim with the 'dim' argument.")
    if axis is not None and a.shape[axis] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size.")


@register("sum")
class Sum(Function):
    """out = sum of x over ``axis``; the gradient is broadcast back over it."""

    def forward(self, x: Array, axis: Axes, keepdims: bool) -> Array:
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        out: Array = xp.sum(x, axis=axis, keepdims=keepdims)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.broadcast_to(keep_dims(grad, self.axis, self.keepdims), self.in_shape),)


def sum(  # noqa: A001
    x: Tensor,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """Sum over ``dim`` (all dims when None). (*) -> reduced shape.

    Bool and integer tensors sum to int64, as in PyTorch; ``dtype`` casts x first.

    >>> import scratchgrad as sg
    >>> sg.tensor([[1, 2], [3, 4]]).sum(-1)
    tensor([3, 7])
    """
    if dtype is not None:
        x = cast(x, dtype)
    elif x.array.dtype.kind in "biu":
        x = cast(x, int64)
    return Sum.apply(x, axis=axes_of("sum", dim, x.ndim), keepdims=keepdim)


@register("mean")
class Mean(Sum):
    """out = sum of x over ``axis`` / n; the gradient is grad / n, broadcast back."""

    def forward(self, x: Array, axis: Axes, keepdims: bool) -> Array:
        self.n = math.prod(x.shape[a] for a in axis)
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        return mean_of(x, axis, keepdims, self.n)

    def backward(self, grad: Array) -> tuple[Array]:
        return super().backward(grad / self.n)


def mean(x: Tensor, dim: DimArg = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean over ``dim`` (all dims when None). (*) -> reduced shape.

    Raises:
        RuntimeError: for a bool or integer tensor, unless ``dtype`` is a float dtype.
    """
    if dtype is not None:
        x = cast(x, dtype)
    require_float(
        x,
        "mean(): could not infer output dtype. Input dtype must be either a floating point "
        "or complex dtype. Got: {}",
    )
    return Mean.apply(x, axis=axes_of("mean", dim, x.ndim), keepdims=keepdim)


@register("prod")
class Prod(Function):
    """out = product of x along ``axis`` (of all elements when None).

    The gradient of an element is the product of the others, from exclusive cumulative
    products on both sides: no division, so one or several zeros are handled exactly.
    """

    def forward(self, x: Array, axis: int | None, keepdims: bool) -> Array:
        self.x, self.axis, self.keepdims = x, axis, keepdims
        out: Array = xp.prod(x, axis=axis, keepdims=keepdims)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        x = self.x
        if self.axis is None:  # grad is () or (1, ..., 1): it broadcasts as it is
            return (grad * _prod_of_others(x.reshape(-1), 0).reshape(x.shape),)
        g = keep_dims(grad, (self.axis,), self.keepdims)  # (*1)
        return (g * _prod_of_others(x, self.axis),)


def prod(x: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product over ``dim`` (all elements when None); bool and integers give int64."""
    if dtype is not None:
        x = cast(x, dtype)
    elif x.array.dtype.kind in "biu":
        x = cast(x, int64)
    axes = axes_of("prod", dim, x.ndim) if dim is not None else ()
    return Prod.apply(x, axis=axes[0] if axes else None, keepdims=keepdim)


def _prod_of_others(x: Array, axis: int) -> Array:
    """For each element, the product of all other elements along ``axis``. (*) -> (*)."""
    if x.size == 0:
        return xp.ones_like(x)
    xm = xp.moveaxis(x, axis, -1)  # (..., n)
    ones = xp.ones((*xm.shape[:-1], 1), dtype=x.dtype)  # (..., 1)
    left = xp.cumprod(xp.concatenate([ones, xm[..., :-1]], axis=-1), axis=-1)  # x0..x(i-1)
    right = xp.cumprod(xp.concatenate([ones, xm[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return xp.moveaxis(left * right, -1, axis)


class _Extreme(Function):
    """The max or min over ``axis``, and its gradient.

    Without ``index`` (a full reduction) every element equal to the result shares the
    gradient evenly, as PyTorch's max(); with ``index`` (the arg-extreme along one axis,
    shape (*1)) the gradient goes to that element only.
    """

    reduce: ClassVar[Callable[..., Any]] = xp.max
    arg: ClassVar[Callable[..., Any]] = xp.argmax

    def forward(self, x: Array, axis: Axes, keepdims: bool, index: Array | None = None) -> Array:
        self.x, self.axis, self.keepdims, self.index = x, axis, keepdims, index
        if index is None:
            self.out: Array = type(self).reduce(x, axis=axis, keepdims=True)  # (*1)
            out = self.out
        else:
            out = xp.take_along_axis(x, index, axis=axis[0])  # (*1)
        return out if keepdims else drop_dims(out, axis)

    def backward(self, grad: Array) -> tuple[Array]:
        g = keep_dims(grad, self.axis, self.keepdims)  # (*1)
        if self.index is None:
            hit = (self.x == self.out) | (xp.isnan(self.x) & xp.isnan(self.out))  # (*)
            return (hit * (g / xp.sum(hit, axis=self.axis, keepdims=True, dtype=g.dtype)),)
        out = xp.zeros(self.x.shape, dtype=grad.dtype)
        xp.put_along_axis(out, self.index, g, axis=self.axis[0])
        return (out,)


@register("max")
class Max(_Extreme):
    """out = max of all of x (ties share the gradient), or at the first max along a dim."""

    reduce = xp.max
    arg = xp.argmax


def max(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The maximum of all elements, or (values, indices) along ``dim`` (a MaxMin tuple).

    Indices (int64) point at the first maximum; NaN counts as the maximum.

    Raises:
        RuntimeError: for an empty tensor without ``dim``.
        IndexError: when ``dim`` has size 0.

    >>> import scratchgrad as sg
    >>> sg.tensor([[1.0, 3.0, 3.0]]).max(1).indices
    tensor([1])
    """
    return _extreme(Max, x, dim, keepdim)


@register("min")
class Min(_Extreme):
    """out = min of all of x (ties share the gradient), or at the first min along a dim."""

    reduce = xp.min
    arg = xp.argmin


def min(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The minimum of all elements, or (values, indices) along ``dim`` (a MaxMin tuple)."""
    return _extreme(Min, x, dim, keepdim)


class _ArgExtreme(Function):
    """The int64 index of the first max/min along ``axis`` (of the flat x when None)."""

    differentiable = False
    arg: ClassVar[Callable[..., Any]] = xp.argmax

    def forward(self, x: Array, axis: int | None, keepdims: bool) -> Array:
        out: Array = type(self).arg(x, axis=axis, keepdims=keepdims)
        return out.astype(xp.int64, copy=False)


@register("argmax")
class ArgMax(_ArgExtreme):
    """out = index of the first maximum; no gradient."""

    arg = xp.argmax


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index (int64) of the first maximum, of the flattened tensor when ``dim`` is None.

    Raises:
        RuntimeError: for a bool tensor, as PyTorch.
    """
    return _arg_extreme(ArgMax, x, dim, keepdim)


@register("argmin")
class ArgMin(_ArgExtreme):
    """out = index of the first minimum; no gradient."""

    arg = xp.argmin


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index (int64) of the minimum, of the flattened tensor when ``dim`` is None."""
    return _arg_extreme(ArgMin, x, dim, keepdim)


def _extreme(cls: type[_Extreme], x: Tensor, dim: int | None, keepdim: bool) -> Any:
    """A 0-d max/min of all elements, or MaxMin(values, indices) along ``dim``."""
    if dim is None:
        _check_nonempty(cls.name, x.array, None)
        return cls.apply(x, axis=tuple(range(x.ndim)), keepdims=keepdim)
    axes = axes_of(cls.name, dim, x.ndim)
    if not axes:  # a 0-d tensor: itself, at index 0
        return MaxMin(cls.apply(x, axis=(), keepdims=keepdim), wrap(xp.zeros((), xp.int64)))
    _check_nonempty(cls.name, x.array, axes[0])
    index = cls.arg(x.array, axis=axes[0], keepdims=True).astype(xp.int64, copy=False)  # (*1)
    values = cls.apply(x, axis=axes, keepdims=keepdim, index=index)
    return MaxMin(values, wrap(index if keepdim else xp.squeeze(index, axes[0])))


def _arg_extreme(cls: type[_ArgExtreme], x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if x.array.dtype == xp.bool_:
        raise RuntimeError(f"{cls.name}(): does not support bool input")
    axes = axes_of(cls.name, dim, x.ndim) if dim is not None else ()
    _check_nonempty(cls.name, x.array, axes[0] if axes else None)
    return cls.apply(x, axis=axes[0] if axes else None, keepdims=keepdim)


@register("cumsum")
class CumSum(Function):
    """out[..., i, ...] = sum of x[..., :i+1, ...] along ``axis``; x, out: (*).

    The gradient is the reversed cumulative sum of grad.
    """

    def forward(self, x: Array, axis: int) -> Array:
        self.axis = axis
        return xp.cumsum(x, axis=axis) if x.ndim else x.copy()

    def backward(self, grad: Array) -> tuple[Array]:
        if grad.ndim == 0:
            return (grad,)
        return (xp.flip(xp.cumsum(xp.flip(grad, self.axis), axis=self.axis), self.axis),)


def cumsum(x: Tensor, dim: int) -> Tensor:
    """Running sum along ``dim``; bool and integers give int64. (*) -> (*).

    >>> import scratchgrad as sg
    >>> sg.tensor([1, 2, 3]).cumsum(0)
    tensor([1, 3, 6])
    """
    axes = axes_of("cumsum", dim, x.ndim)
    if x.array.dtype.kind in "biu":
        x = cast(x, int64)
    return CumSum.apply(x, axis=axes[0] if axes else 0)


class _Logical(Function):
    """A bool reduction (uint8 for a uint8 tensor, as PyTorch); no gradient."""

    differentiable = False
    reduce: ClassVar[Callable[..., Any]] = xp.any

    def forward(self, x: Array, axis: Axes, keepdims: bool) -> Array:
        out: Array = xp.asarray(type(self).reduce(x, axis=axis, keepdims=keepdims))
        return out.astype(xp.uint8) if x.dtype == xp.uint8 else out


@register("any")
class AnyNonzero(_Logical):
    """out = any element along ``axis`` is nonzero."""

    reduce = xp.any


def any(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if any element (along ``dim``) is nonzero."""
    return AnyNonzero.apply(x, axis=axes_of("any", dim, x.ndim), keepdims=keepdim)


@register("all")
class AllNonzero(_Logical):
    """out = every element along ``axis`` is nonzero."""

    reduce = xp.all


def all(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if every element (along ``dim``) is nonzero."""
    return AllNonzero.apply(x, axis=axes_of("all", dim, x.ndim), keepdims=keepdim)


def numel(x: Tensor) -> int:
    """The number of elements of x (a Python int)."""
    return x.numel()


__all__ = ["all", "any", "argmax", "argmin", "cumsum", "max", "mean", "min", "numel", "prod", "sum"]
