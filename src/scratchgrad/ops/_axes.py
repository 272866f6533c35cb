"""The dims of a reduction: ``dim`` arguments as NumPy axes, and reduced dims kept or dropped.

:func:`axes_of` is the one place that turns a ``dim`` argument into NumPy axes. Shapes in
comments: ``x`` is (*), a reduced array is (*r) and with kept dims (*1).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from scratchgrad.backend import Array, xp
from scratchgrad.ops._names import torch_name
from scratchgrad.tensor import Tensor

DimArg = int | Sequence[int] | None
Axes = tuple[int, ...]


def axes_of(op: str, dim: DimArg, ndim: int) -> Axes:
    """The sorted non-negative axes that ``dim`` names: all of them for None or ().

    A 0-d tensor accepts dim 0 or -1, as in PyTorch, and has no axis to reduce: ().

    Raises:
        IndexError: for a dim outside [-ndim, ndim - 1].
        RuntimeError: for a dim named twice.

    >>> axes_of("sum", (-1, 0), 3)
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


def keep_dims(grad: Array, axis: Axes, keepdims: bool) -> Array:
    """``grad`` (*r) with the reduced axes back as size-1 dims (*1), to broadcast on x."""
    return grad if keepdims else xp.expand_dims(grad, axis)


def drop_dims(a: Array, axis: Axes) -> Array:
    """``a`` (*1) without the reduced axes: (*r)."""
    out: Array = xp.squeeze(a, axis)
    return out


def mean_of(x: Array, axis: Axes, keepdims: bool, n: int) -> Array:
    """The mean of ``n`` elements over ``axis``; NaN without a warning when n is 0 (torch)."""
    if n:
        out: Array = xp.mean(x, axis=axis, keepdims=keepdims)
        return out
    with xp.errstate(invalid="ignore"):
        out = xp.true_divide(xp.sum(x, axis=axis, keepdims=keepdims), 0)
    return out


def require_float(x: Tensor, message: str) -> None:
    """Raise RuntimeError(``message`` with torch's name of x's dtype) unless x is float."""
    if x.data.dtype.kind != "f":
        raise RuntimeError(message.format(torch_name(x.data.dtype)))
