"""Dims, axes and shapes as PyTorch takes them: the one home of these rules."""

from __future__ import annotations

import builtins
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.errors import BroadcastError, ShapeError
from scratchgrad.ops._names import torch_name
from scratchgrad.tensor import Tensor

Shape = tuple[int, ...]


def normalize_dim(dim: int, ndim: int, op: str, *, scalar_ok: bool = True) -> int:
    """``dim`` as an index in [0, ndim), by PyTorch's rules.

    Args:
        dim: a dim in [-ndim, ndim - 1]; negative dims count from the end.
        ndim: the number of dims (ops that insert a dim, like unsqueeze, pass ndim + 1).
        op: the op's name, for the error message ("" for torch's unprefixed message).
        scalar_ok: let a 0-d tensor take dim 0 or -1, as if it had one dim (PyTorch's
            default); when False a 0-d tensor has no valid dim.

    Returns:
        The dim in [0, max(ndim, 1)).

    Raises:
        IndexError: naming the dim and the allowed range.

    >>> normalize_dim(-1, 3, "sum")
    2
    """
    if ndim == 0 and not scalar_ok:
        raise IndexError(f"{op}: Dimension specified as {dim} but tensor has no dimensions")
    n = max(ndim, 1)
    d = operator.index(dim)
    if not -n <= d < n:
        prefix = f"{op}: " if op else ""
        raise IndexError(
            f"{prefix}Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
            f"but got {dim})"
        )
    return d + n if d < 0 else d


def normalize_dims(dims: int | Iterable[int], ndim: int, op: str) -> Shape:
    """Each of ``dims`` (one int or several) normalized by :func:`normalize_dim`, once each.

    Raises:
        IndexError: for a dim out of range.
        ShapeError: for a dim given twice (also as -1 and ndim - 1).

    >>> normalize_dims((0, -1), 3, "flip")
    (0, 2)
    """
    given = tuple(dims) if isinstance(dims, Iterable) else (dims,)
    out = tuple(normalize_dim(d, ndim, op) for d in given)
    if len(set(out)) != len(out):
        twice = next(d for i, d in enumerate(out) if d in out[:i])
        raise ShapeError(
            f"{op}: each dim may be given once: dim {twice} appears multiple times in the "
            f"list of dims {given} (ndim {ndim})"
        )
    return out


def shape_arg(args: tuple[Any, ...]) -> Shape:
    """Sizes passed as ``f(x, 2, 3)`` or ``f(x, (2, 3))`` (NumPy rejects non-integers)."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(args[0]) if isinstance(args[0], Iterable) else (args[0],)
    return args


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
    if x.array.dtype.kind != "f":
        raise RuntimeError(message.format(torch_name(x.array.dtype)))


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The shape that ``shapes`` broadcast to (NumPy/PyTorch rules).

    Sizes are compared right to left; each pair must be equal or one of them 1.

    Raises:
        BroadcastError: naming both shapes and the first failing dim from the right.

    >>> broadcast_shapes((5, 2, 3, 1), (5, 1, 3, 5))
    (5, 2, 3, 5)
    """
    out: list[int] = []
    first: tuple[int, ...] = ()
    for shape in shapes:
        shape = tuple(shape)
        for k in range(1, max(len(out), len(shape)) + 1):
            a = out[-k] if k <= len(out) else 1
            b = shape[-k] if k <= len(shape) else 1
            if a != b and a != 1 and b != 1:
                raise BroadcastError(
                    f"cannot broadcast shapes {first} and {shape}: at dim -{k} the sizes "
                    f"{a} and {b} differ and neither is 1"
                )
        out = [1] * (len(shape) - len(out)) + out
        for k in range(1, len(shape) + 1):
            if shape[-k] != 1:
                out[-k] = shape[-k]
        first = tuple(out)
    return tuple(out)


__all__ = [
    "axes_of",
    "broadcast_shapes",
    "drop_dims",
    "keep_dims",
    "mean_of",
    "normalize_dim",
    "normalize_dims",
    "require_float",
    "shape_arg",
]
