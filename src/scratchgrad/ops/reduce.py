"""Reductions: sum, mean, prod, max/min, argmax/argmin, var/std, norm, logsumexp, cumsum.

``dim`` is an int, a tuple/list of ints, or None for all dims (where PyTorch allows it);
negative dims count from the end and ``keepdim`` keeps reduced dims as size 1.
:func:`_axes` is the one place that turns a ``dim`` argument into NumPy axes. Shapes in
comments: ``x`` is (*), a reduced array is (*r) and with kept dims (*1).
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import DType, get_default_dtype, int64
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import cast
from scratchgrad.tensor import MaxMin, Tensor, wrap

DimArg = int | Sequence[int] | None
Axes = tuple[int, ...]

_TORCH_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
                "int32": "Int", "int64": "Long", "float16": "Half"}  # fmt: skip


def _torch_name(dtype: DType) -> str:
    """PyTorch's name for a dtype in error messages: int64 -> "Long"."""
    return _TORCH_NAMES.get(str(dtype), str(dtype))


# ------------------------------------------------------------------ helpers
def _axes(op: str, dim: DimArg, ndim: int) -> Axes:
    """The sorted non-negative axes that ``dim`` names: all of them for None or ().

    A 0-d tensor accepts dim 0 or -1, as in PyTorch, and has no axis to reduce: ().

    Raises:
        IndexError: for a dim outside [-ndim, ndim - 1].
        RuntimeError: for a dim named twice.

    >>> _axes("sum", (-1, 0), 3)
    (0, 2)
    """
    dims = () if dim is None else tuple(dim) if isinstance(dim, Sequence) else (dim,)
    if not dims:
        return tuple(range(ndim))
    n = builtins.max(ndim, 1)
    axes: list[int] = []
    for d in dims:
        if not -n <= d < n:
            raise IndexError(
                f"{op}: Dimension out of range (expected to be in range of "
                f"[{-n}, {n - 1}], but got {d})"
            )
        if d % n in axes:
            raise RuntimeError(f"{op}: dim {d % n} appears multiple times in the list of dims")
        axes.append(d % n)
    return tuple(sorted(axes)) if ndim else ()


def _keep(grad: Array, axis: Axes, keepdims: bool) -> Array:
    """``grad`` (*r) with the reduced axes back as size-1 dims (*1), to broadcast on x."""
    return grad if keepdims else xp.expand_dims(grad, axis)


def _squeeze(a: Array, axis: Axes) -> Array:
    """``a`` (*1) without the reduced axes: (*r)."""
    out: Array = xp.squeeze(a, axis)
    return out


def _mean(x: Array, axis: Axes, keepdims: bool, n: int) -> Array:
    """The mean of ``n`` elements over ``axis``; NaN without a warning when n is 0 (torch)."""
    if n:
        out: Array = xp.mean(x, axis=axis, keepdims=keepdims)
        return out
    with xp.errstate(invalid="ignore"):
        out = xp.true_divide(xp.sum(x, axis=axis, keepdims=keepdims), 0)
    return out


def _require_float(x: Tensor, message: str) -> None:
    if x.data.dtype.kind != "f":
        raise RuntimeError(message.format(_torch_name(x.data.dtype)))


def _check_nonempty(op: str, a: Array, axis: int | None) -> None:
    """PyTorch's errors for max/min/argmax/argmin of nothing."""
    if axis is None and a.size == 0:
        msg = f"{op}(): Expected reduction dim to be specified for input.numel() == 0."
        if op.startswith("arg"):
            raise IndexError(msg)
        raise RuntimeError(f"{msg} Specify the reduction dim with the 'dim' argument.")
    if axis is not None and a.shape[axis] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size.")


# ------------------------------------------------------------------ sum, mean, prod
@register("sum")
class Sum(Function):
    """out = sum of x over ``axis``; the gradient is broadcast back over it."""

    def forward(self, x: Array, axis: Axes, keepdims: bool) -> Array:
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        out: Array = xp.sum(x, axis=axis, keepdims=keepdims)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        return (xp.broadcast_to(_keep(grad, self.axis, self.keepdims), self.in_shape),)


@register("mean")
class Mean(Sum):
    """out = sum of x over ``axis`` / n; the gradient is grad / n, broadcast back."""

    def forward(self, x: Array, axis: Axes, keepdims: bool) -> Array:
        self.n = math.prod(x.shape[a] for a in axis)
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        return _mean(x, axis, keepdims, self.n)

    def backward(self, grad: Array) -> tuple[Array]:
        return super().backward(grad / self.n)


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
        g = _keep(grad, (self.axis,), self.keepdims)  # (*1)
        return (g * _prod_of_others(x, self.axis),)


def _prod_of_others(x: Array, axis: int) -> Array:
    """For each element, the product of all other elements along ``axis``. (*) -> (*)."""
    if x.size == 0:
        return xp.ones_like(x)
    xm = xp.moveaxis(x, axis, -1)  # (..., n)
    ones = xp.ones((*xm.shape[:-1], 1), dtype=x.dtype)  # (..., 1)
    left = xp.cumprod(xp.concatenate([ones, xm[..., :-1]], axis=-1), axis=-1)  # x0..x(i-1)
    right = xp.cumprod(xp.concatenate([ones, xm[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return xp.moveaxis(left * right, -1, axis)


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
    elif x.data.dtype.kind in "biu":
        x = cast(x, int64)
    return Sum.apply(x, axis=_axes("sum", dim, x.ndim), keepdims=keepdim)


def mean(x: Tensor, dim: DimArg = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean over ``dim`` (all dims when None). (*) -> reduced shape.

    Raises:
        RuntimeError: for a bool or integer tensor, unless ``dtype`` is a float dtype.
    """
    if dtype is not None:
        x = cast(x, dtype)
    _require_float(
        x,
        "mean(): could not infer output dtype. Input dtype must be either a floating point "
        "or complex dtype. Got: {}",
    )
    return Mean.apply(x, axis=_axes("mean", dim, x.ndim), keepdims=keepdim)


def prod(x: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product over ``dim`` (all elements when None); bool and integers give int64."""
    if dtype is not None:
        x = cast(x, dtype)
    elif x.data.dtype.kind in "biu":
        x = cast(x, int64)
    axes = _axes("prod", dim, x.ndim) if dim is not None else ()
    return Prod.apply(x, axis=axes[0] if axes else None, keepdims=keepdim)


# ------------------------------------------------------------------ max, min, argmax, argmin
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
        return out if keepdims else _squeeze(out, axis)

    def backward(self, grad: Array) -> tuple[Array]:
        g = _keep(grad, self.axis, self.keepdims)  # (*1)
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


@register("min")
class Min(_Extreme):
    """out = min of all of x (ties share the gradient), or at the first min along a dim."""

    reduce = xp.min
    arg = xp.argmin


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


@register("argmin")
class ArgMin(_ArgExtreme):
    """out = index of the first minimum; no gradient."""

    arg = xp.argmin


def _extreme(cls: type[_Extreme], x: Tensor, dim: int | None, keepdim: bool) -> Any:
    """A 0-d max/min of all elements, or MaxMin(values, indices) along ``dim``."""
    if dim is None:
        _check_nonempty(cls.name, x.data, None)
        return cls.apply(x, axis=tuple(range(x.ndim)), keepdims=keepdim)
    axes = _axes(cls.name, dim, x.ndim)
    if not axes:  # a 0-d tensor: itself, at index 0
        return MaxMin(cls.apply(x, axis=(), keepdims=keepdim), wrap(xp.zeros((), xp.int64)))
    _check_nonempty(cls.name, x.data, axes[0])
    index = cls.arg(x.data, axis=axes[0], keepdims=True).astype(xp.int64, copy=False)  # (*1)
    values = cls.apply(x, axis=axes, keepdims=keepdim, index=index)
    return MaxMin(values, wrap(index if keepdim else xp.squeeze(index, axes[0])))


def _arg_extreme(cls: type[_ArgExtreme], x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if x.data.dtype == xp.bool_:
        raise RuntimeError(f"{cls.name}(): does not support bool input")
    axes = _axes(cls.name, dim, x.ndim) if dim is not None else ()
    _check_nonempty(cls.name, x.data, axes[0] if axes else None)
    return cls.apply(x, axis=axes[0] if axes else None, keepdims=keepdim)


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


def min(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The minimum of all elements, or (values, indices) along ``dim`` (a MaxMin tuple)."""
    return _extreme(Min, x, dim, keepdim)


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index (int64) of the first maximum, of the flattened tensor when ``dim`` is None.

    Raises:
        RuntimeError: for a bool tensor, as PyTorch.
    """
    return _arg_extreme(ArgMax, x, dim, keepdim)


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index (int64) of the minimum, of the flattened tensor when ``dim`` is None."""
    return _arg_extreme(ArgMin, x, dim, keepdim)


# ------------------------------------------------------------------ var, std
@register("var")
class Var(Function):
    """out = sum((x - mean)^2) / (n - correction) over ``axis``; n elements reduced.

    The gradient is 2 (x - mean) grad / (n - correction). As PyTorch, the forward
    divides by max(0, n - correction): inf or NaN when it is 0.
    """

    def forward(self, x: Array, axis: Axes, correction: float, keepdims: bool) -> Array:
        n = math.prod(x.shape[a] for a in axis)
        self.centered = x - _mean(x, axis, True, n)  # (*)
        self.dof = n - correction
        self.axis, self.keepdims = axis, keepdims
        squares = xp.sum(self.centered * self.centered, axis=axis, keepdims=keepdims)
        with xp.errstate(divide="ignore", invalid="ignore"):
            out: Array = xp.true_divide(squares, builtins.max(0, self.dof))
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        scale = 2.0 / self.dof if self.dof else math.inf  # a Python float: keeps the dtype
        with xp.errstate(invalid="ignore"):
            return (scale * _keep(grad, self.axis, self.keepdims) * self.centered,)


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


def _var_axes(op: str, x: Tensor, dim: DimArg, correction: float) -> Axes:
    _require_float(x, "std and var only support floating point and complex dtypes")
    return _axes(op, dim, x.ndim)


def var(x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Variance over ``dim`` with Bessel's ``correction`` (1: unbiased, 0: population).

    Raises:
        RuntimeError: for a bool or integer tensor.
        ValueError: for a negative ``correction``.
    """
    axes = _var_axes("var", x, dim, correction)
    return Var.apply(x, axis=axes, correction=correction, keepdims=keepdim)


def std(x: Tensor, dim: DimArg = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Standard deviation over ``dim`` with Bessel's ``correction``: sqrt(var)."""
    axes = _var_axes("std", x, dim, correction)
    return Std.apply(x, axis=axes, correction=correction, keepdims=keepdim)


# ------------------------------------------------------------------ norm, logsumexp
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
        return self.out if keepdims else _squeeze(self.out, axis)

    def backward(self, grad: Array) -> tuple[Array]:
        x, p, norm = self.x, self.p, self.out  # (*), float, (*1)
        g = _keep(grad, self.axis, self.keepdims)  # (*1)
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
    _require_float(
        x, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}"
    )
    axes = _axes("norm", dim, x.ndim)
    if math.isinf(order) and math.prod(x.shape[a] for a in axes) == 0:
        raise RuntimeError(
            f"norm: cannot compute the {p} norm over an empty dimension: it has no identity"
        )
    return Norm.apply(x, p=order, axis=axes, keepdims=keepdim)


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
        return self.out if keepdims else _squeeze(self.out, axis)

    def backward(self, grad: Array) -> tuple[Array]:
        with xp.errstate(invalid="ignore"):  # -inf - -inf: NaN, as PyTorch
            return (_keep(grad, self.axis, self.keepdims) * xp.exp(self.x - self.out),)


def logsumexp(x: Tensor, dim: DimArg, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``dim``, without overflow; integers give the default float.

    >>> import scratchgrad as sg
    >>> sg.logsumexp(sg.tensor([1e4, 1e4]), 0).item()  # 1e4 + log(2), in float32
    10000.693359375
    """
    if x.data.dtype.kind != "f":
        x = cast(x, get_default_dtype())
    return LogSumExp.apply(x, axis=_axes("logsumexp", dim, x.ndim), keepdims=keepdim)


# ------------------------------------------------------------------ cumsum, any, all
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
    axes = _axes("cumsum", dim, x.ndim)
    if x.data.dtype.kind in "biu":
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


@register("all")
class AllNonzero(_Logical):
    """out = every element along ``axis`` is nonzero."""

    reduce = xp.all


def any(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if any element (along ``dim``) is nonzero."""
    return AnyNonzero.apply(x, axis=_axes("any", dim, x.ndim), keepdims=keepdim)


def all(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if every element (along ``dim``) is nonzero."""
    return AllNonzero.apply(x, axis=_axes("all", dim, x.ndim), keepdims=keepdim)


__all__ = [
    "all",
    "any",
    "argmax",
    "argmin",
    "cumsum",
    "logsumexp",
    "max",
    "mean",
    "min",
    "norm",
    "prod",
    "std",
    "sum",
    "var",
]
