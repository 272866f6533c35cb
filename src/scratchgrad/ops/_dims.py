"""Dims and sizes as PyTorch takes them: negative dims, a 0-d tensor's dim, sizes as args.

Shared by the shape ops (``shape``, ``join``).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any

from scratchgrad.errors import ShapeError

Shape = tuple[int, ...]


def normalize_dim(dim: int, ndim: int, op: str, *, scalar_ok: bool = True) -> int:
    """``dim`` as an index in [0, ndim), by PyTorch's rules.

    Args:
        dim: a dim in [-ndim, ndim - 1]; negative dims count from the end.
        ndim: the number of dims (ops that insert a dim, like unsqueeze, pass ndim + 1).
        op: the op's name, for the error message.
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
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
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
