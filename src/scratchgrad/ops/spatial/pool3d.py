"""max_pool3d and avg_pool3d: pooling over three spatial dims on the im2col columns.

The windows of a (N, C, D, H, W) input are read as the columns of the N-d grid layout
of ``_im2col`` (padded with -inf for max, zeros for mean), reduced over the kernel
taps; the backward spreads the gradient over the same taps and adds it back (col2im).
A ceil-mode output's last window may run past the padding; the grid is widened for it.
"""

from __future__ import annotations

import math
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.ops.spatial._args import check_positive, ntuple, unbatched
from scratchgrad.ops.spatial.im2col import GeomN, Grid
from scratchgrad.ops.spatial.pool import _counts, _pool_size, divide, lowest, pool_input
from scratchgrad.tensor import Tensor


def _pool_geom(op: str, shape: tuple[int, ...], args: tuple[Any, ...], ceil: bool) -> GeomN:
    """Check (kernel_size, stride, padding, dilation) of a 3-d pooling; describe its windows."""
    kernel, stride, padding, dilation = args
    k = ntuple(kernel, 3, "kernel_size", op)
    no_stride = stride is None or (not isinstance(stride, int) and len(stride) == 0)
    s = k if no_stride else ntuple(stride, 3, "stride", op)
    p, d = ntuple(padding, 3, "padding", op), ntuple(dilation, 3, "dilation", op)
    check_positive(op, kernel_size=k, stride=s, dilation=d)
    ext = tuple(b * (a - 1) + 1 for a, b in zip(k, d, strict=True))
    if min(p) < 0 or any(2 * a > e for a, e in zip(p, ext, strict=True)):
        raise ValueError(
            f"{op}: pad should be at most half of effective kernel size: padding={p}, "
            f"kernel_size={k}, dilation={d}"
        )
    n, c, *size = shape
    out = tuple(_pool_size(*v, ceil) for v in zip(size, k, s, p, d, strict=True))
    if min(out) < 1:
        raise ShapeError(
            f"{op}: kernel larger than padded input: dilated kernel {ext} > padded input "
            f"{tuple(v + 2 * a for v, a in zip(size, p, strict=True))} (x={tuple(shape)})"
        )
    reach = tuple((o - 1) * a + e for o, a, e in zip(out, s, ext, strict=True))
    hi = tuple(max(a, r - v - a) for a, r, v in zip(p, reach, size, strict=True))
    return GeomN(n, c, tuple(size), k, s, d, p, hi, 1, out)


def _taps(lay: Grid, x: Array) -> Array:
    """(N, C, *size) -> its windows as (C, K, M): K kernel taps, M = N * outputs."""
    return lay.cols(x).reshape(x.shape[1], math.prod(lay.gn.k), lay.m)


def _plane_index(g: GeomN, arg: Array) -> Array:
    """Tap of each window's max (N, C, *out) -> int64 index into the D*H*W input plane."""
    taps = xp.unravel_index(arg, g.k)
    flat = xp.zeros(arg.shape, dtype=xp.int64)
    for i in range(len(g.k)):
        start = xp.arange(g.out[i]) * g.s[i] - g.lo[i]
        start = start.reshape((-1,) + (1,) * (len(g.k) - 1 - i))  # along spatial dim i
        flat = flat * g.size[i] + taps[i] * g.d[i] + start
    return flat


def _window_argmax(g: GeomN, x: Array) -> tuple[Grid, Array, Array]:
    """(layout, max of each window (N, C, *out), tap of its first max (C, 1, M))."""
    lay = Grid(g, fill=lowest(x.dtype))
    cols = _taps(lay, x)  # (C, K, M)
    arg = cols.argmax(1)[:, None]  # first max (or first NaN) wins, as torch
    return lay, lay.crop(xp.take_along_axis(cols, arg, 1)[:, 0]), arg


@register("max_pool3d")
class MaxPool3d(Function):
    """out = the max of each window; the gradient goes to the window's first maximum.

    x: (N, C, D, H, W) -> (N, C, Do, Ho, Wo); ``found`` is ``_window_argmax``'s result,
    computed by the caller, which may also need the indices.
    backward: the gradient put on each window's max tap, added back (col2im).
    """

    def forward(self, x: Array, *, found: tuple[Grid, Array, Array]) -> Array:
        self.lay, values, self.arg = found
        return values

    def backward(self, grad: Array) -> tuple[Array]:
        lay, c = self.lay, grad.shape[1]
        dcols = xp.zeros((c, math.prod(lay.gn.k), lay.m), dtype=grad.dtype)  # (C, K, M)
        xp.put_along_axis(dcols, self.arg, lay.widen(grad)[:, None], 1)
        return (lay.col2im(dcols),)


def max_pool3d(
    x: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """Max over sliding 3-d windows, as ``torch.nn.functional.max_pool3d``.

    Args:
        x: shape (N, C, D, H, W) or (C, D, H, W).
        kernel_size: window size, an int or (kd, kh, kw).
        stride: step between windows; defaults to the kernel size.
        padding: implicit -inf border, at most half the (dilated) kernel.
        dilation: spacing between window taps.
        ceil_mode: round the output size up (a last, partial window).
        return_indices: also return each max's int64 index in its D*H*W input plane.

    Returns:
        Values (N, C, Do, Ho, Wo), or (values, indices) with return_indices.

    Raises:
        ShapeError: wrong ndim, or a window larger than the padded input.

    >>> import scratchgrad as sg
    >>> max_pool3d(sg.arange(8.0).reshape(1, 1, 2, 2, 2), 2).flatten().tolist()
    [7.0]
    """
    pool_input("max_pool3d", x, 5)
    args = (kernel_size, stride, padding, dilation, ceil_mode, return_indices)
    if x.ndim == 4:
        if return_indices:
            values, idx = max_pool3d(x[None], *args)
            return values[0], idx[0]
        return unbatched(max_pool3d, x, *args)
    geom = _pool_geom("max_pool3d", x.shape, args[:4], ceil_mode)
    found = _window_argmax(geom, x.array)
    out = MaxPool3d.apply(x, found=found)
    if not return_indices:
        return out
    return out, Tensor(_plane_index(geom, found[0].crop(found[2][:, 0])))


@register("avg_pool3d")
class AvgPool3d(Function):
    """out = the sum of each window / its divisor; each tap gets grad / divisor.

    x: (N, C, D, H, W) -> (N, C, Do, Ho, Wo); ``div`` a number or a (Do, Ho, Wo) array.
    """

    def forward(self, x: Array, *, geom: GeomN, div: Any) -> Array:
        self.lay = Grid(geom)
        self.div = div if isinstance(div, int) else div.astype(x.dtype)
        out = divide(self.lay.crop(_taps(self.lay, x).sum(1)), self.div)  # (N, C, *out)
        return out.astype(x.dtype, copy=False)

    def backward(self, grad: Array) -> tuple[Array]:
        lay = self.lay
        share = lay.widen((grad / self.div).astype(grad.dtype, copy=False))  # (C, M)
        dcols = xp.broadcast_to(share[:, None], (share.shape[0], math.prod(lay.gn.k), lay.m))
        return (lay.col2im(dcols),)


def avg_pool3d(
    x: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """Mean over sliding 3-d windows, as ``torch.nn.functional.avg_pool3d``.

    Args:
        x: shape (N, C, D, H, W) or (C, D, H, W).
        kernel_size: window size, an int or (kd, kh, kw).
        stride: step between windows; defaults to the kernel size.
        padding: implicit zero border, at most half the kernel.
        ceil_mode: round the output size up (a last, partial window).
        count_include_pad: divide by the window size including padding zeros.
        divisor_override: divide every window sum by this instead.

    Returns:
        Shape (N, C, Do, Ho, Wo).

    Raises:
        ShapeError: wrong ndim, or a window larger than the padded input.
    """
    pool_input("avg_pool3d", x, 5)
    if divisor_override is not None and divisor_override == 0:
        raise ValueError("avg_pool3d: divisor must be not zero")
    if x.ndim == 4:
        args = (kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
        return unbatched(avg_pool3d, x, *args)
    geom = _pool_geom("avg_pool3d", x.shape, (kernel_size, stride, padding, 1), ceil_mode)
    div = _divisor(geom, count_include_pad, divisor_override)
    return AvgPool3d.apply(x, geom=geom, div=div)


def _divisor(g: GeomN, with_pad: bool, override: int | None) -> Any:
    """What each window's sum is divided by: a number, or a (Do, Ho, Wo) array."""
    if override is not None:
        return override
    per_dim = [_counts(g.size[i], g.out[i], g.k[i], g.s[i], g.lo[i], with_pad) for i in range(3)]
    div = per_dim[0][:, None, None] * per_dim[1][:, None] * per_dim[2]
    return int(div.flat[0]) if (div == div.flat[0]).all() else div


__all__ = ["avg_pool3d", "max_pool3d"]
