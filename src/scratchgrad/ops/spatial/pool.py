"""Pooling: max_pool2d, avg_pool2d, adaptive_avg_pool2d, on strided views, no pixel loops.

Pooling slides strided views over the input, one per kernel offset, and reduces across
them elementwise (max keeps the offset of the first maximum, as torch); its backward
writes through the same views, with no ``np.add.at``. Adaptive average pooling is two
small matrix products (row and column averaging matrices). Masked ufuncs (``where=``)
are avoided, being ~10x slower than a multiply by a mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scratchgrad import kernels
from scratchgrad.autograd import Function, is_grad_enabled
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.kernels import pool as pool_kernels
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import squeeze, unsqueeze
from scratchgrad.ops.spatial._args import Pair, check_ndim, check_positive, pair, unbatched
from scratchgrad.tensor import Tensor


@dataclass(frozen=True)
class _Pool:
    """Windows of a 2-d pooling: kernel, stride, padding, dilation, output and padded sizes."""

    kh: int
    kw: int
    sh: int
    sw: int
    ph: int
    pw: int
    dh: int
    dw: int
    ho: int
    wo: int
    hp: int  # rows the windows span, padding included
    wp: int

    def windows(self, a: Array) -> list[Array]:
        """One (N, C, Ho, Wo) strided view of padded ``a`` per kernel offset, row-major."""
        hs, ws = self.sh * (self.ho - 1) + 1, self.sw * (self.wo - 1) + 1
        return [
            a[
                :,
                :,
                i * self.dh : i * self.dh + hs : self.sh,
                j * self.dw : j * self.dw + ws : self.sw,
            ]
            for i in range(self.kh)
            for j in range(self.kw)
        ]

    def fits(self, x: Array) -> bool:
        """Whether every window lies inside x: no padding, no partial (ceil mode) window."""
        return self.ph == self.pw == 0 and self.hp <= x.shape[2] and self.wp <= x.shape[3]

    def padded(self, x: Array, fill: float) -> Array:
        """x inside a border of ``fill`` wide enough for every window; x itself if none."""
        n, c, h, w = x.shape
        if self.fits(x):
            return x
        buf = xp.full((n, c, self.hp, self.wp), fill, dtype=x.dtype)
        buf[:, :, self.ph : self.ph + h, self.pw : self.pw + w] = x
        return buf

    def tiles(self, x: Array) -> bool:
        """Whether the windows cover x exactly once: no gaps, overlap or padding."""
        exact = self.ho * self.sh == x.shape[2] and self.wo * self.sw == x.shape[3]
        square = self.dh == self.dw == 1 and (self.kh, self.kw) == (self.sh, self.sw)
        return exact and square and self.fits(x)

    def overlapping(self) -> bool:
        return self.sh < self.dh * (self.kh - 1) + 1 or self.sw < self.dw * (self.kw - 1) + 1

    def scatter(self, x: Array, parts: list[tuple[Array, Array | None]]) -> Array:
        """Gradient of x (N, C, H, W) from (value, mask) per window: value * mask summed.

        Non-overlapping windows are written in place, without a read (no ``where=``:
        NumPy's masked ufuncs are ~10x slower than a multiply by the mask).
        """
        n, c, h, w = x.shape
        if self.tiles(x):  # every element in exactly one window: all written below
            grid = xp.empty_like(x)  # same memory order as x
        elif self.fits(x):
            grid = xp.zeros_like(x)
        else:
            grid = xp.zeros((n, c, self.hp, self.wp), dtype=x.dtype)
        add = self.overlapping()
        for view, (value, mask) in zip(self.windows(grid), parts, strict=True):
            if add:
                view += value if mask is None else value * mask
            elif mask is None:
                view[...] = value
            else:
                xp.multiply(value, mask, out=view)
        return grid[:, :, self.ph : self.ph + h, self.pw : self.pw + w]


def _pool_size(size: int, k: int, s: int, p: int, d: int, ceil: bool) -> int:
    """torch's pooling output size; in ceil mode the last window must start in the input."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_geom(op: str, shape: tuple[int, ...], args: tuple[Any, ...], ceil: bool) -> _Pool:
    """Check a pooling call; args = (kernel_size, stride, padding, dilation)."""
    kernel, stride, padding, dilation = args
    k = pair(kernel, "kernel_size", op)
    no_stride = stride is None or (not isinstance(stride, int) and len(stride) == 0)
    s = k if no_stride else pair(stride, "stride", op)
    p, d = pair(padding, "padding", op), pair(dilation, "dilation", op)
    check_positive(op, kernel_size=k, stride=s, dilation=d)
    ext = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
    if min(p) < 0 or 2 * p[0] > ext[0] or 2 * p[1] > ext[1]:
        raise ValueError(
            f"{op}: pad should be at most half of effective kernel size: padding={p}, "
            f"kernel_size={k}, dilation={d}"
        )
    h, w = shape[-2:]
    ho, wo = (
        _pool_size(h, k[0], s[0], p[0], d[0], ceil),
        _pool_size(w, k[1], s[1], p[1], d[1], ceil),
    )
    if ho < 1 or wo < 1:
        raise ShapeError(
            f"{op}: kernel larger than padded input: dilated kernel {ext} > padded input "
            f"{(h + 2 * p[0], w + 2 * p[1])} (x={tuple(shape)})"
        )
    hp, wp = (
        max(h + 2 * p[0], (ho - 1) * s[0] + ext[0]),
        max(w + 2 * p[1], (wo - 1) * s[1] + ext[1]),
    )
    return _Pool(*k, *s, *p, *d, ho, wo, hp, wp)


def pool_input(op: str, x: Tensor, ndim: int = 4) -> None:
    """x must be ndim-D (or unbatched) and of a dtype torch pools (its ``op`` kernel).

    Max pooling takes floats and the integer dtypes but bool; average pooling floats
    and int64 (torch's CPU kernels).
    """
    check_ndim(op, x, ndim)
    kind, ints = x.dtype.kind, op.startswith("max") or x.dtype == xp.int64
    if kind != "f" and not (kind in "iu" and ints and not op.startswith("adaptive")):
        raise RuntimeError(f"{op}: not implemented for {x.dtype}")


def lowest(dtype: Any) -> Any:
    """The padding of max pooling: -inf, or an integer dtype's smallest value."""
    return -xp.inf if dtype.kind == "f" else xp.iinfo(dtype).min


def divide(total: Array, div: Any) -> Array:
    """total / div in total's dtype: integer division rounds toward zero, as torch's (C's)."""
    if total.dtype.kind == "f":
        total /= div
        return total
    q: Array = (abs(total) // abs(div)) * (xp.sign(total) * xp.sign(div))
    return q.astype(total.dtype, copy=False)


def _like(a: Array, ref: Array) -> Array:
    """``a`` laid out in memory in the same dimension order as ``ref``.

    Elementwise work over operands with different orders (NCHW against the channel-outer
    order conv2d produces) runs several times slower than over matching ones.
    """
    if (
        xp.argsort(a.strides, kind="stable").tolist()
        == xp.argsort(ref.strides, kind="stable").tolist()
    ):
        return a
    out = xp.empty_like(ref, shape=a.shape, dtype=a.dtype)
    out[...] = a
    return out


def _window_max(x: Array, pool: _Pool) -> Array:
    """Max of each window, (N, C, H, W) -> (N, C, Ho, Wo); NaN propagates, as torch."""
    views = pool.windows(pool.padded(x, lowest(x.dtype)))
    out = views[0].copy(order="K")
    for v in views[1:]:
        xp.maximum(out, v, out=out)
    return out


def _window_argmax(x: Array, pool: _Pool) -> tuple[Array, Array]:
    """(max of each window, the kernel offset of its first max), (N, C, Ho, Wo) both."""
    views = pool.windows(pool.padded(x, lowest(x.dtype)))
    out = views[0].copy(order="K")
    arg = xp.zeros_like(out, dtype=xp.uint8 if len(views) <= 256 else xp.int32)
    for k, view in enumerate(views[1:], 1):
        v = view.copy(order="K")  # one strided read; the three uses below run contiguous
        later = xp.multiply(v > out, k, dtype=arg.dtype)  # strictly greater: first max wins
        xp.maximum(out, v, out=out)
        xp.maximum(arg, later, out=arg)  # k grows, so the last update wins
    return out, arg


def _flat_index(arg: Array, pool: _Pool, w: int) -> Array:
    """int64 index into the H*W input plane of each window's max."""
    i, j = xp.divmod(xp.arange(pool.kh * pool.kw), pool.kw)
    offsets = (i * pool.dh - pool.ph) * w + (j * pool.dw - pool.pw)  # (kh*kw,)
    base = (xp.arange(pool.ho) * pool.sh)[:, None] * w + xp.arange(pool.wo) * pool.sw
    out: Array = (base + offsets[arg]).astype(xp.int64)  # (N, C, Ho, Wo)
    return out


@register("max_pool2d")
class MaxPool2d(Function):
    """out = the max of each window; the gradient goes to the window's first maximum.

    x: (N, C, H, W) -> (N, C, Ho, Wo). ``found`` is (values, argmax offset) from
    ``_window_argmax``, computed by the caller, which may also need the indices; or
    (values, None) with ``index``, the maxima's int64 indices in the H*W plane, from
    the compiled kernel ``kernels.pool.max_pool2d``.
    """

    def forward(
        self,
        x: Array,
        *,
        pool: _Pool,
        found: tuple[Array, Array | None],
        index: Array | None = None,
    ) -> Array:
        self.x, self.pool, self.arg, self.index = x, pool, found[1], index
        return found[0]

    def backward(self, grad: Array) -> tuple[Array]:
        if self.index is not None:  # the scatter below as one loop: kernels.pool
            h, w = self.x.shape[2:]
            return (pool_kernels.max_pool2d_backward(grad, self.index, h, w),)
        arg = self.arg
        if arg is None:  # forward skipped it (no grad was wanted then)
            arg = _window_argmax(self.x, self.pool)[1]
        grad = _like(grad, arg)  # (N, C, Ho, Wo), in the memory order of the windows
        parts = [(grad, arg == k) for k in range(self.pool.kh * self.pool.kw)]
        return (self.pool.scatter(self.x, parts),)


def max_pool2d(
    x: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """Max over sliding windows, as ``torch.nn.functional.max_pool2d``.

    Args:
        x: shape (N, C, H, W) or (C, H, W).
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to the kernel size.
        padding: implicit -inf border, at most half the (dilated) kernel.
        dilation: spacing between window taps.
        ceil_mode: round the output size up (a last, partial window).
        return_indices: also return each max's int64 index in its H*W input plane.

    Returns:
        Values (N, C, Ho, Wo) of x's dtype (float or integer), or (values, indices)
        with return_indices.

    Raises:
        ShapeError: wrong ndim, or a window larger than the padded input.
        RuntimeError: a bool input.

    >>> import scratchgrad as sg
    >>> max_pool2d(sg.arange(16.0).reshape(1, 1, 4, 4), 2).flatten().tolist()
    [5.0, 7.0, 13.0, 15.0]
    """
    pool_input("max_pool2d", x)
    if x.ndim == 3:
        out = max_pool2d(unsqueeze(x, 0), kernel_size, stride, padding, dilation, ceil_mode, True)
        return (squeeze(out[0], 0), squeeze(out[1], 0)) if return_indices else squeeze(out[0], 0)
    pool = _pool_geom("max_pool2d", x.shape, (kernel_size, stride, padding, dilation), ceil_mode)
    plain = pool.dh == pool.dw == 1 and pool.fits(x.array)  # no dilation, padding, partial
    if kernels.enabled() and x.dtype in pool_kernels.DTYPES and plain:
        kernel = pool_kernels.max_pool2d(pool.kh, pool.kw, pool.sh, pool.sw)
        values, index = kernel(x.array, pool.ho, pool.wo)
        out = MaxPool2d.apply(x, pool=pool, found=(values, None), index=index)
        return (out, Tensor(index)) if return_indices else out
    if return_indices or (x.requires_grad and is_grad_enabled()):
        values, arg = _window_argmax(x.array, pool)
        out = MaxPool2d.apply(x, pool=pool, found=(values, arg))
        return (out, Tensor(_flat_index(arg, pool, x.shape[-1]))) if return_indices else out
    return MaxPool2d.apply(x, pool=pool, found=(_window_max(x.array, pool), None))


def _counts(size: int, out: int, k: int, s: int, p: int, with_pad: bool) -> Array:
    """Window lengths along one axis: clipped to the padded input, or to the input."""
    start = xp.arange(out) * s - p
    end = xp.minimum(start + k, size + p)
    if with_pad:
        return end - start
    lengths: Array = xp.minimum(end, size) - xp.maximum(start, 0)
    return lengths


def _divisor(pool: _Pool, shape: tuple[int, ...], with_pad: bool, override: int | None) -> Any:
    """What each window's sum is divided by: a number, or an (Ho, Wo) array."""
    if override is not None:
        return override
    rows = _counts(shape[-2], pool.ho, pool.kh, pool.sh, pool.ph, with_pad)
    cols = _counts(shape[-1], pool.wo, pool.kw, pool.sw, pool.pw, with_pad)
    div = rows[:, None] * cols  # (Ho, Wo)
    return int(div.flat[0]) if (div == div.flat[0]).all() else div


@register("avg_pool2d")
class AvgPool2d(Function):
    """out = the sum of each window / its divisor; each tap gets grad / divisor.

    x: (N, C, H, W) -> (N, C, Ho, Wo); ``div`` a number or an (Ho, Wo) array.
    """

    def forward(self, x: Array, *, pool: _Pool, div: Any) -> Array:
        self.x, self.pool = x, pool
        self.div = div if isinstance(div, int) else div.astype(x.dtype)
        views = pool.windows(pool.padded(x, 0.0))
        out = views[0].copy(order="K")
        for v in views[1:]:
            out += v
        return divide(out, self.div)

    def backward(self, grad: Array) -> tuple[Array]:
        share = _like(grad, self.x[:, :, : grad.shape[2], : grad.shape[3]]) / self.div
        return (self.pool.scatter(self.x, [(share, None)] * (self.pool.kh * self.pool.kw)),)


def avg_pool2d(
    x: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """Mean over sliding windows, as ``torch.nn.functional.avg_pool2d``.

    Args:
        x: shape (N, C, H, W) or (C, H, W).
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to the kernel size.
        padding: implicit zero border, at most half the kernel.
        ceil_mode: round the output size up (a last, partial window).
        count_include_pad: divide by the window size including padding zeros.
        divisor_override: divide every window sum by this instead.

    Returns:
        Shape (N, C, Ho, Wo), x's dtype; an int64 mean is rounded toward zero, as torch.

    Raises:
        ShapeError: wrong ndim, or a window larger than the padded input.
        RuntimeError: an integer input other than int64.
    """
    pool_input("avg_pool2d", x)
    if divisor_override is not None and divisor_override == 0:
        raise ValueError("avg_pool2d: divisor must be not zero")
    if x.ndim == 3:
        args = (kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
        return unbatched(avg_pool2d, x, *args)
    pool = _pool_geom("avg_pool2d", x.shape, (kernel_size, stride, padding, 1), ceil_mode)
    div = _divisor(pool, x.shape, count_include_pad, divisor_override)
    return AvgPool2d.apply(x, pool=pool, div=div)


def _adaptive_matrix(n_in: int, n_out: int, dtype: Any) -> Array:
    """(n_out, n_in): row i averages input [floor(i*n/o), ceil((i+1)*n/o)), as torch."""
    i = xp.arange(n_out)
    start, end = (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)
    j = xp.arange(n_in)
    inside = (j >= start[:, None]) & (j < end[:, None])
    m: Array = (inside / (end - start)[:, None]).astype(dtype)
    return m


@register("adaptive_avg_pool2d")
class AdaptiveAvgPool2d(Function):
    """out = Ph @ x @ Pw.T with averaging matrices Ph (Ho, H), Pw (Wo, W); windows may overlap.

    x: (N, C, H, W) -> (N, C, Ho, Wo); backward: Ph.T @ g @ Pw.
    """

    def forward(self, x: Array, *, size: Pair) -> Array:
        n, c, h, w = x.shape
        self.ph = _adaptive_matrix(h, size[0], x.dtype)  # (Ho, H)
        self.pw = _adaptive_matrix(w, size[1], x.dtype)  # (Wo, W)
        rows = x.reshape(-1, w) @ self.pw.T  # (N*C*H, Wo)
        out: Array = xp.matmul(self.ph, rows.reshape(n * c, h, -1))  # (N*C, Ho, Wo)
        return out.reshape(n, c, *size)

    def backward(self, grad: Array) -> tuple[Array]:
        n, c, ho, wo = grad.shape
        rows = grad.reshape(-1, wo) @ self.pw  # (N*C*Ho, W)
        gx: Array = xp.matmul(self.ph.T, rows.reshape(n * c, ho, -1))  # (N*C, H, W)
        return (gx.reshape(n, c, self.ph.shape[1], self.pw.shape[1]),)


def adaptive_avg_pool2d(x: Tensor, output_size: Any) -> Tensor:
    """Mean over Ho x Wo windows that tile the input as evenly as possible.

    Args:
        x: shape (N, C, H, W) or (C, H, W).
        output_size: an int, or (Ho, Wo) where None keeps that input size.

    Returns:
        Shape (N, C, Ho, Wo).

    Raises:
        ShapeError: wrong ndim.
    """
    pool_input("adaptive_avg_pool2d", x)
    if x.ndim == 3:
        return unbatched(adaptive_avg_pool2d, x, output_size)
    sizes = (output_size,) * 2 if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError(f"adaptive_avg_pool2d: output_size must be 2 values, got {output_size!r}")
    size = tuple(x.shape[2 + i] if v is None else int(v) for i, v in enumerate(sizes))
    if min(size) < 1:
        raise ShapeError(f"adaptive_avg_pool2d: output size must be positive: {size}")
    return AdaptiveAvgPool2d.apply(x, size=(size[0], size[1]))


__all__ = ["adaptive_avg_pool2d", "avg_pool2d", "max_pool2d"]
