"""torch's top-level math and statistics shorthands, built from existing ops.

Nothing here is a registered op: the differentiable functions are compositions of
registered ops (sub, mul, where, sum, norm, cumsum, ...), so their gradients come from
theirs. The counting and index helpers (bincount, histc, isin, tril_indices,
unravel_index, signbit, count_nonzero) return integer or bool tensors, without grad.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from scratchgrad.backend import xp
from scratchgrad.creation import linspace
from scratchgrad.dtypes import as_dtype, get_default_dtype
from scratchgrad.ops._dims import normalize_dim
from scratchgrad.ops.binary import clamp
from scratchgrad.ops.elementwise import isnan, sign, sin, sqrt, where
from scratchgrad.ops.extra import broadcast_tensors
from scratchgrad.ops.reduce import cumsum, mean, norm, std, sum, var
from scratchgrad.ops.scan import cumprod
from scratchgrad.ops.shape import cat, flip, narrow, reshape, transpose
from scratchgrad.ops.structure import diagonal
from scratchgrad.tensor import Tensor

DimArg = int | Sequence[int] | None


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else xp.asarray(x)


# ------------------------------------------------------------------ elementwise
def deg2rad(x: Tensor) -> Tensor:
    """Degrees to radians, elementwise; any shape (ints become the default float)."""
    return x * (math.pi / 180.0)


def rad2deg(x: Tensor) -> Tensor:
    """Radians to degrees, elementwise; any shape (ints become the default float)."""
    return x * (180.0 / math.pi)


def sinc(x: Tensor) -> Tensor:
    """sin(pi x) / (pi x), and 1 at x = 0 (gradient 0 there); any shape."""
    if not x.is_floating_point():
        x = x.to(get_default_dtype())
    zero = x == 0
    px = where(zero, 1.0, x * math.pi)  # a safe denominator keeps NaNs out of the gradient
    return where(zero, 1.0, sin(px) / px)


def float_power(x: Tensor | float, y: Tensor | float) -> Tensor:
    """x ** y computed in float64; the broadcast shape of x and y."""
    xd = x.double() if isinstance(x, Tensor) else float(x)
    yd = y.double() if isinstance(y, Tensor) else float(y)
    return xd**yd


def signbit(x: Tensor) -> Tensor:
    """True where the sign bit is set (also -0.0); bool, same shape; no gradient."""
    return Tensor(xp.signbit(x.data))


def sgn(x: Tensor) -> Tensor:
    """The sign of a real tensor (-1, 0 or 1); same shape."""
    return sign(x)


# ------------------------------------------------------------------ reductions
def count_nonzero(x: Tensor, dim: DimArg = None) -> Tensor:
    """The number of non-zero entries over ``dim`` (all dims if None); int64."""
    return sum(x != 0, dim).long()


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


def dist(a: Tensor, b: Tensor, p: float = 2) -> Tensor:
    """The p-norm of a - b over all elements (broadcast first); a 0-d tensor."""
    return norm(reshape(a - b, (-1,)), p)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0) -> Tensor:
    """Pairwise p-norm distances: (*B, P, M) and (*B, R, M) -> (*B, P, R)."""
    if x1.ndim < 2 or x2.ndim < 2 or x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"cdist(): x1 {x1.shape} and x2 {x2.shape} need (.., P, M), (.., R, M)")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)  # (*B, P, R, M)
    return norm(diff, p, dim=-1)


def renorm(x: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """Each slice along ``dim`` with p-norm above maxnorm rescaled to maxnorm; same shape."""
    d = normalize_dim(dim, x.ndim, "renorm")
    others = [i for i in range(x.ndim) if i != d]
    norms = norm(x, p, dim=others, keepdim=True) if others else abs(x)
    factor = where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return x * factor


# ------------------------------------------------------------------ differences, integrals
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


# ------------------------------------------------------------------ statistics
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


# ------------------------------------------------------------------ creation, flips, splits
def logspace(
    start: float, end: float, steps: int, base: float = 10.0, *, dtype: Any = None
) -> Tensor:
    """base ** linspace(start, end, steps): (steps,)."""
    exps = linspace(start, end, steps, dtype=xp.float64)
    out = Tensor(xp.power(base, exps.data))
    return out.to(as_dtype(dtype) if dtype is not None else get_default_dtype())


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


def rot90(x: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """Rotate by k * 90 degrees in the plane ``dims`` (from dims[0] toward dims[1])."""
    d0, d1 = (normalize_dim(d, x.ndim, "rot90") for d in dims)
    if len(dims) != 2 or d0 == d1:
        raise ValueError(f"rot90(): expected two different dims, got {tuple(dims)}")
    k %= 4
    if k == 1:
        return transpose(flip(x, [d1]), d0, d1)
    if k == 2:
        return flip(x, [d0, d1])
    if k == 3:
        return flip(transpose(x, d0, d1), [d1])
    return x


def fliplr(x: Tensor) -> Tensor:
    """x with dim 1 reversed (left/right); needs >= 2 dims; same shape."""
    if x.ndim < 2:
        raise ValueError("fliplr(): input tensor must be at least 2-D")
    return flip(x, [1])


def flipud(x: Tensor) -> Tensor:
    """x with dim 0 reversed (up/down); needs >= 1 dim; same shape."""
    if x.ndim < 1:
        raise ValueError("flipud(): input tensor must be at least 1-D")
    return flip(x, [0])


def tensor_split(
    x: Tensor, indices_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Views of x along ``dim``: n near-equal parts, or cut at the given indices."""
    d = normalize_dim(dim, x.ndim, "tensor_split")
    size = x.shape[d]
    if isinstance(indices_or_sections, int):
        n = indices_or_sections
        if n <= 0:
            raise ValueError(f"tensor_split(): number of sections must be > 0, got {n}")
        q, r = divmod(size, n)
        cuts = [i * q + min(i, r) for i in range(1, n)]
    else:
        cuts = list(indices_or_sections)
    bounds = [0, *(min(max(c, 0), size) for c in cuts), size]
    return tuple(narrow(x, d, a, max(b - a, 0)) for a, b in zip(bounds, bounds[1:], strict=False))


def masked_select(x: Tensor, mask: Tensor) -> Tensor:
    """The entries of x where mask is True (after broadcasting), in order: (K,)."""
    if mask.dtype != xp.bool_:
        raise TypeError(f"masked_select(): expected BoolTensor for mask, got {mask.dtype}")
    xb, mb = broadcast_tensors(x, mask)
    return reshape(xb, (-1,))[Tensor(xp.flatnonzero(mb.data))]


# ------------------------------------------------------------------ counting (no grad)
def bincount(x: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Counts (or summed weights) of each value of a 1-d non-negative int x: (max+1,)."""
    if x.ndim != 1 or x.is_floating_point():
        raise ValueError(f"bincount(): input must be a 1-d integer tensor, got {x.dtype} {x.shape}")
    if weights is None:
        return Tensor(xp.bincount(x.data, minlength=minlength).astype(xp.int64))
    out_dtype = xp.float32 if weights.dtype == xp.float32 else xp.float64
    return Tensor(xp.bincount(x.data, weights.data, minlength).astype(out_dtype))


def histc(x: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """Histogram of x in ``bins`` equal bins over [min, max] (data range if equal): (bins,)."""
    a = x.data.reshape(-1)
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


def _indices(fn: Any, row: int, col: int, offset: int, dtype: Any) -> Tensor:
    r, c = fn(row, offset, col)
    return Tensor(xp.stack([r, c]).astype(as_dtype(dtype) if dtype is not None else xp.int64))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """Coordinates (2, K) of the lower triangle of a (row, col) matrix, row-major."""
    return _indices(xp.tril_indices, row, col, offset, dtype)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """Coordinates (2, K) of the upper triangle of a (row, col) matrix, row-major."""
    return _indices(xp.triu_indices, row, col, offset, dtype)


def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple[Tensor, ...]:
    """Flat indices (*) to a tuple of coordinate tensors, each (*), for ``shape``."""
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    total = int(xp.prod(dims)) if dims else 1
    flat = _data(indices)
    if flat.size and (flat.min() < -total or flat.max() >= total):
        raise IndexError(f"unravel_index(): expected 'indices' to be in [-{total}, {total - 1}]")
    coords = xp.unravel_index(xp.where(flat < 0, flat + total, flat), dims)
    return tuple(Tensor(xp.asarray(c, dtype=xp.int64)) for c in coords)
