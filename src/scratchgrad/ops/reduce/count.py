"""Counting: count_nonzero, bincount, histc, isin; integer results, no gradient."""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import xp
from scratchgrad.ops.dims import DimArg
from scratchgrad.ops.elementwise.math import _data
from scratchgrad.ops.reduce.reductions import sum
from scratchgrad.tensor import Tensor


def count_nonzero(x: Tensor, dim: DimArg = None) -> Tensor:
    """The number of non-zero entries over ``dim`` (all dims if None); int64."""
    return sum(x != 0, dim).long()


def bincount(x: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Counts (or summed weights) of each value of a 1-d non-negative int x: (max+1,)."""
    if x.ndim != 1 or x.is_floating_point():
        raise ValueError(f"bincount(): input must be a 1-d integer tensor, got {x.dtype} {x.shape}")
    if weights is None:
        return Tensor(xp.bincount(x.array, minlength=minlength).astype(xp.int64))
    out_dtype = xp.float32 if weights.dtype == xp.float32 else xp.float64
    return Tensor(xp.bincount(x.array, weights.array, minlength).astype(out_dtype))


def histc(x: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """Histogram of x in ``bins`` equal bins over [min, max] (data range if equal): (bins,)."""
    a = x.array.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    kept = a[(a >= lo) & (a <= hi)]
    idx = ((kept - lo) * bins / (hi - lo)).astype(xp.int64)
    counts = xp.bincount(xp.minimum(idx, bins - 1), minlength=bins)
    return Tensor(counts.astype(x.dtype))


def isin(
    elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
) -> Tensor:
    """True where an element of ``elements`` is in ``test_elements``; shape of elements."""
    return Tensor(xp.isin(_data(elements), _data(test_elements), invert=invert))


__all__ = ["bincount", "count_nonzero", "histc", "isin"]
