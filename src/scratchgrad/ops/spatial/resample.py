"""Resampling: ``interpolate``, ``pixel_shuffle`` and ``pixel_unshuffle``.

Modes of ``interpolate``: nearest, nearest-exact, linear, bilinear, bicubic, trilinear.

Every interpolation mode is separable: along each spatial axis, output position i is a
weighted sum of k input positions (its *taps*: k = 1 nearest, 2 linear, 4 cubic). So one
op, ``interpolate``, gathers the k neighbours along one axis at a time with index arrays
and broadcast weights (a 2-d bilinear output is its 4 neighbours, read as 2 x 2), and its
backward scatters the gradient back with one ``bincount`` per axis: no Python loop over
pixels. Source indices and weights follow PyTorch's kernels to the rounding: nearest
computes ``floor(dst * scale)`` in float32, the others in the input's dtype, with
``scale = 1 / scale_factor`` when a scale factor was given, else ``in / out``.

A uint8 input takes PyTorch's integer kernels: nearest modes copy, as for floats;
bilinear and bicubic weigh in fixed point (int16 weights scaled by 2**precision, from
double ones clamped at the borders) and round each axis's pass to uint8, the last axis
first, an axis of unchanged size skipped.

The pixel shuffles are a reshape, a permute and a reshape, so their gradients come free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import permute, reshape
from scratchgrad.tensor import Tensor

Taps = tuple[Array, Array | None]  # indices (out, k) int64; weights (out, k) or None (1s)


_MODE_NDIM = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


_NEAREST = ("nearest", "nearest-exact")


_CUBIC_A = -0.75  # PyTorch's (and OpenCV's) cubic convolution coefficient


def _ratio(n_in: int, n_out: int, scale: float | None, dtype: Any) -> Any:
    """Input step per output step, as PyTorch's ``compute_scales_value``, in ``dtype``."""
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(n_in) / dtype(n_out)


def _nearest_taps(n_in: int, n_out: int, scale: float | None, exact: bool, special: bool) -> Taps:
    """src = floor(dst * ratio) (or floor((dst + 0.5) ratio) if exact), in float32.

    With ``special`` (PyTorch's 2-d "nearest" kernel), an axis of the same size is copied
    and one of twice the size takes dst // 2, whatever the scale factor.
    """
    if special and not exact and n_out in (n_in, 2 * n_in):
        return (xp.arange(n_out) * n_in // n_out)[:, None], None
    dst = xp.arange(n_out, dtype=xp.float32)
    if exact:
        dst += 0.5
    dst *= _ratio(n_in, n_out, scale, xp.float32)
    idx = xp.minimum(xp.floor(dst).astype(xp.int64), n_in - 1)  # (out,)
    return idx[:, None], None


def _source(n_in: int, n_out: int, scale: float | None, align: bool, dtype: Any) -> Array:
    """The real source position of each output position (``area_pixel_compute_source_index``)."""
    dst = xp.arange(n_out, dtype=dtype)
    if align:
        ratio = dtype(n_in - 1) / dtype(n_out - 1) if n_out > 1 else dtype(0.0)
        out: Array = dst * ratio
        return out
    dst += 0.5
    dst *= _ratio(n_in, n_out, scale, dtype)
    dst -= 0.5
    return dst


def _floor_and_frac(real: Array, n_in: int) -> tuple[Array, Array]:
    """(index, lambda) of each real position, as PyTorch's ``guard_index_and_lambda``."""
    i0 = xp.minimum(xp.floor(real).astype(xp.int64), n_in - 1)
    lam: Array = xp.clip(real - i0.astype(real.dtype), 0.0, 1.0)
    return i0, lam


def _linear_taps(n_in: int, n_out: int, scale: float | None, align: bool, dtype: Any) -> Taps:
    """Two taps: floor(src) and the next index, weights 1 - frac and frac."""
    real = xp.maximum(_source(n_in, n_out, scale, align, dtype), 0.0)  # (out,)
    i0, lam = _floor_and_frac(real, n_in)
    i1 = i0 + (i0 < n_in - 1)
    return xp.stack([i0, i1], 1), xp.stack([1.0 - lam, lam], 1)  # (out, 2)


def _cubic_weights(t: Array) -> Array:
    """Keys' cubic convolution weights of the 4 taps at offsets -1, 0, 1, 2: (out, 4)."""
    a = _CUBIC_A

    def near(x: Array) -> Array:  # |x| <= 1
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0

    def far(x: Array) -> Array:  # 1 < |x| < 2
        return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a

    u = 1.0 - t  # PyTorch's rounding: far(u + 1), not far(2 - t)
    return xp.stack([far(t + 1.0), near(t), near(u), far(u + 1.0)], 1)


def _cubic_taps(n_in: int, n_out: int, scale: float | None, align: bool, dtype: Any) -> Taps:
    """Four taps around floor(src), clamped to the border, Keys' cubic weights."""
    i0, t = _floor_and_frac(_source(n_in, n_out, scale, align, dtype), n_in)
    idx = xp.clip(i0[:, None] + xp.arange(-1, 3), 0, n_in - 1)  # (out, 4)
    return idx, _cubic_weights(t)


def _taps(mode: str, n_in: int, n_out: int, scale: float | None, align: bool, dt: Any) -> Taps:
    """The taps of one axis for ``mode`` ("nearest2d": nearest on a 4-d input)."""
    if mode in _NEAREST or mode == "nearest2d":
        return _nearest_taps(n_in, n_out, scale, mode == "nearest-exact", mode == "nearest2d")
    if mode == "bicubic":
        return _cubic_taps(n_in, n_out, scale, align, dt)
    if n_in == n_out:  # PyTorch copies an axis of the same size, whatever the scale
        return xp.arange(n_in)[:, None], None
    return _linear_taps(n_in, n_out, scale, align, dt)


def _gather(x: Array, taps: Taps, axis: int) -> Array:
    """Along ``axis``: out[.., i, ..] = sum_k w[i, k] x[.., idx[i, k], ..]."""
    idx, w = taps
    if w is None:
        return x.take(idx[:, 0], axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1  # w[:, k] broadcast along axis
    out: Array = x.take(idx[:, 0], axis=axis) * w[:, 0].reshape(shape)
    for k in range(1, idx.shape[1]):
        out += x.take(idx[:, k], axis=axis) * w[:, k].reshape(shape)
    return out


def _scatter(g: Array, taps: Taps, axis: int, n_in: int) -> Array:
    """The adjoint of :func:`_gather`: each g[.., i, ..] w[i, k] added at idx[i, k]."""
    idx, w = taps
    gm = xp.moveaxis(g, axis, -1)  # (.., out)
    lead, n_out = gm.shape[:-1], gm.shape[-1]
    rows = math.prod(lead)
    vals = gm.reshape(rows, n_out, 1)  # (M, out, 1)
    if w is not None:
        vals = vals * w  # (M, out, k)
    where = xp.arange(rows)[:, None, None] * n_in + idx  # (M, out, k): flat index
    vals = xp.broadcast_to(vals, where.shape)
    gx = xp.bincount(where.ravel(), weights=vals.ravel(), minlength=rows * n_in)
    return xp.moveaxis(gx.astype(g.dtype).reshape(*lead, n_in), -1, axis)


def _fixed_taps(n_in: int, n_out: int, scale: float | None, align: bool, cubic: bool) -> Taps:
    """uint8 bilinear/bicubic taps: int64 weights at 2**precision, the precision in w[0, -1].

    As PyTorch's ``_compute_index_ranges_int16_weights`` (antialias off): the double
    weights of taps beyond a border are added onto the border tap, the precision is the
    largest that keeps twice the largest (running) weight below 2**15, and each weight is
    rounded half away from zero. A last column holds the precision (its index is unused).
    """
    k = 4 if cubic else 2
    if align:
        ratio = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        ratio = 1.0 / scale if scale is not None and scale > 0 else n_in / n_out
    rows, wmax = [], 0.0
    for i in range(n_out):
        real = ratio * i if align else ratio * (i + 0.5) - 0.5
        if not align and not cubic:
            real = max(real, 0.0)
        i0 = min(math.floor(real), n_in - 1)
        lam = min(max(real - i0, 0.0), 1.0)
        first = i0 - k // 2 + 1
        lo = max(first, 0)
        acc = dict.fromkeys(range(lo, min(first + k, n_in)), 0.0)
        for j in range(k):
            x = abs(j + 1 - k // 2 - lam)
            if cubic:
                a = -0.75
                w = ((a + 2) * x - (a + 3)) * x * x + 1 if x < 1 else 0.0
                w = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a if 1 <= x < 2 else w
            else:
                w = 1.0 - x if x < 1 else 0.0
            at = min(max(first + j, 0), n_in - 1)
            acc[at] += w
            wmax = max(wmax, acc[at])
        rows.append(acc)
    prec = next((p for p in range(22) if int(0.5 + wmax * (1 << (p + 1))) >= 1 << 15), 22)
    idx = xp.zeros((n_out, k + 1), dtype=xp.int64)
    wts = xp.zeros((n_out, k + 1), dtype=xp.int64)
    for i, acc in enumerate(rows):
        for j, (at, w) in enumerate(acc.items()):
            v = w * (1 << prec)
            idx[i, j], wts[i, j] = at, int(v - 0.5) if v < 0 else int(v + 0.5)
    wts[:, -1] = prec
    return idx, wts


def _gather_fixed(x: Array, taps: Taps, axis: int) -> Array:
    """:func:`_gather` in fixed point: (sum_k w_ik x[idx_ik] + half) >> precision, as uint8."""
    idx, w = taps
    if w is None:  # a copy (unused: fixed taps always carry weights)
        return x.take(idx[:, 0], axis=axis)
    prec = int(w[0, -1])
    shape = [1] * x.ndim
    shape[axis] = -1
    acc = xp.full((1,) * x.ndim, 1 << (prec - 1), dtype=xp.int64)
    for k in range(idx.shape[1] - 1):
        acc = acc + x.take(idx[:, k], axis=axis).astype(xp.int64) * w[:, k].reshape(shape)
    out: Array = xp.clip(acc >> prec, 0, 255).astype(xp.uint8)
    return out


@register("interpolate")
class Interpolate(Function):
    """Separable resampling: per spatial axis, out_i = sum_k w_ik x[idx_ik]; scatter back."""

    def forward(self, x: Array, taps: tuple[Taps | None, ...], fixed: bool = False) -> Array:
        self.taps, self.in_shape = taps, x.shape
        for axis in range(x.ndim - 1, 1, -1):  # x: (N, C, *spatial); the last axis first,
            t = taps[axis - 2]  # as PyTorch sums (the same rounding, nearly)
            if t is not None:
                x = _gather_fixed(x, t, axis) if fixed else _gather(x, t, axis)
        return xp.ascontiguousarray(x)

    def backward(self, grad: Array) -> tuple[Array]:
        for axis, t in enumerate(self.taps, start=2):
            if t is not None:
                grad = _scatter(grad, t, axis, self.in_shape[axis])
        return (grad,)


def interpolate(
    input: Tensor,  # noqa: A002 - PyTorch's name
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize the spatial dims of a batch, as ``torch.nn.functional.interpolate``.

    Args:
        input: (N, C, L) for "linear", (N, C, H, W) for "bilinear" and "bicubic",
            (N, C, D, H, W) for "trilinear"; any of these for "nearest", "nearest-exact".
        size: the output's spatial size, an int or one int per spatial dim.
        scale_factor: multiplier of each spatial size (the output size is floored);
            give exactly one of size and scale_factor.
        mode: "nearest" (src = floor(dst * in / out)), "nearest-exact" (pixel centres),
            "linear", "bilinear", "bicubic" (Keys, a = -0.75), "trilinear".
        align_corners: interpolating modes only: map corner pixel centres onto each
            other (True) or pixel edges (False, the default).
        recompute_scale_factor: if True, the kernels use in / out rather than the
            given scale_factor.
        antialias: must be False.

    Returns:
        (N, C, *size), input's dtype; a uint8 input gives uint8, rounded as PyTorch
        (fixed-point weights, each axis rounded in turn).

    Raises:
        ValueError: for size and scale_factor both or neither given, or of the wrong
            length, or align_corners with a nearest mode.
        NotImplementedError: for an unknown mode, a mode/ndim mismatch, or an integer
            input other than uint8 in a nearest mode, bilinear or bicubic.
        ShapeError: for an output size below 1.

    >>> x = Tensor(xp.array([[[0.0, 1.0]]]))
    >>> interpolate(x, scale_factor=2).tolist()
    [[[0.0, 0.0, 1.0, 1.0]]]
    >>> interpolate(x, size=4, mode="linear", align_corners=True).tolist()[0][0][1]
    0.3333333333333333
    """
    align = _check_mode(input, mode, align_corners, antialias)
    out, scales = _sizes_and_scales(input, size, scale_factor, recompute_scale_factor)
    dt = input.dtype.type
    kind = "nearest2d" if mode == "nearest" and input.ndim == 4 else mode
    if input.dtype == xp.uint8 and mode not in _NEAREST:
        fixed = tuple(
            None if n == m else _fixed_taps(n, m, s, align, mode == "bicubic")
            for n, m, s in zip(input.shape[2:], out, scales, strict=True)
        )
        return Interpolate.apply(input, taps=fixed, fixed=True)
    taps = tuple(
        _taps(kind, n, m, s, align, dt)
        for n, m, s in zip(input.shape[2:], out, scales, strict=True)
    )
    return Interpolate.apply(input, taps=taps)


def _check_mode(x: Tensor, mode: str, align_corners: bool | None, antialias: bool) -> bool:
    """Raise for a mode this input cannot take, as PyTorch; return align_corners."""
    if mode in _NEAREST and align_corners is not None:
        raise ValueError(
            "interpolate: align_corners option can only be set with the interpolating "
            "modes: linear | bilinear | bicubic | trilinear"
        )
    if not 3 <= x.ndim <= 5 or (mode not in _NEAREST and mode not in _MODE_NDIM):
        raise NotImplementedError(
            f"interpolate: Input Error: Only 3D, 4D and 5D input Tensors supported (got "
            f"{x.ndim}D) for the modes: nearest | nearest-exact | linear | bilinear | "
            f"bicubic | trilinear (got {mode!r})"
        )
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    need = _MODE_NDIM.get(mode, x.ndim)
    if x.ndim != need:
        raise NotImplementedError(
            f"interpolate: Got {x.ndim}D input, but {mode} mode needs {need}D input"
        )
    uint8 = x.dtype == xp.uint8 and mode in (*_NEAREST, "bilinear", "bicubic")
    if x.dtype.kind != "f" and not uint8:
        raise NotImplementedError(f"interpolate: {mode!r} is not implemented for {x.dtype}")
    return bool(align_corners)


def _per_axis(v: Any, n: int, name: str, spatial: tuple[int, ...]) -> tuple[Any, ...]:
    """A number or a sequence of n numbers as n values; ValueError naming ``name``."""
    if not isinstance(v, Sequence):
        return (v,) * n
    if len(v) != n:
        raise ValueError(
            f"interpolate: Input and {name} must have the same number of spatial dimensions, "
            f"but got input with spatial dimensions of {list(spatial)} and {name} of "
            f"{tuple(v)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
            f"{name} in (o1, o2, ...,oK) format."
        )
    return tuple(v)


def _sizes_and_scales(
    x: Tensor, size: Any, scale_factor: Any, recompute: bool | None
) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
    """Output sizes and the scales the kernels use (None: in / out), as PyTorch."""
    spatial = tuple(x.shape[2:])
    n = len(spatial)
    if (size is None) == (scale_factor is None):
        which = "only one of" if size is not None else "either"
        raise ValueError(f"interpolate: {which} size or scale_factor should be defined")
    if size is not None:
        out = tuple(int(s) for s in _per_axis(size, n, "output size", spatial))
        scales: tuple[float | None, ...] = (None,) * n
    else:
        sf = tuple(float(s) for s in _per_axis(scale_factor, n, "scale_factor", spatial))
        out = tuple(int(d * s) for d, s in zip(spatial, sf, strict=True))  # truncated
        scales = (None,) * n if recompute else sf
    if min(out) <= 0:
        names = "DHW"[3 - n :]
        sin = ", ".join(f"{a}: {d}" for a, d in zip(names, spatial, strict=True))
        sout = ", ".join(f"{a}: {d}" for a, d in zip(names, out, strict=True))
        raise ShapeError(
            f"interpolate: Input and output sizes should be greater than 0, but got input "
            f"({sin}) output ({sout})"
        )
    return out, scales


def _check_shuffle(op: str, x: Tensor, factor: int, kind: str) -> None:
    if x.ndim < 3:
        raise ShapeError(
            f"{op}: {op} expects input to have at least 3 dimensions, but got input with "
            f"{x.ndim} dimension(s) (x={tuple(x.shape)})"
        )
    if factor <= 0:
        raise ValueError(f"{op}: {op} expects a positive {kind}_factor, but got {factor}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:  # noqa: A002
    """Move channel blocks into space: (*, C r^2, H, W) -> (*, C, H r, W r).

    Args:
        input: shape (*, C r^2, H, W), r = upscale_factor.
        upscale_factor: r, positive.

    Raises:
        ShapeError: for fewer than 3 dims or channels not divisible by r^2.
        ValueError: for r < 1.

    >>> pixel_shuffle(Tensor(xp.arange(4.0).reshape(4, 1, 1)), 2).tolist()
    [[[0.0, 1.0], [2.0, 3.0]]]
    """
    r = upscale_factor
    _check_shuffle("pixel_shuffle", input, r, "upscale")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise ShapeError(
            f"pixel_shuffle: pixel_shuffle expects its input's 'channel' dimension to be "
            f"divisible by the square of upscale_factor, but input.size(-3)={c} is not "
            f"divisible by {r * r} (x={tuple(input.shape)})"
        )
    b = len(lead)
    x = reshape(input, (*lead, c // (r * r), r, r, h, w))  # (*, C, r, r, H, W)
    x = permute(x, (*range(b), b, b + 3, b + 1, b + 4, b + 2))  # (*, C, H, r, W, r)
    return reshape(x, (*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:  # noqa: A002
    """Move space blocks into channels: (*, C, H r, W r) -> (*, C r^2, H, W).

    Args:
        input: shape (*, C, H r, W r), r = downscale_factor.
        downscale_factor: r, positive.

    Raises:
        ShapeError: for fewer than 3 dims or a height or width not divisible by r.
        ValueError: for r < 1.

    >>> pixel_unshuffle(Tensor(xp.arange(4.0).reshape(1, 2, 2)), 2).tolist()
    [[[0.0]], [[1.0]], [[2.0]], [[3.0]]]
    """
    r = downscale_factor
    _check_shuffle("pixel_unshuffle", input, r, "downscale")
    *lead, c, h, w = input.shape
    for name, d, n in (("height", -2, h), ("width", -1, w)):
        if n % r:
            raise ShapeError(
                f"pixel_unshuffle: pixel_unshuffle expects {name} to be divisible by "
                f"downscale_factor, but input.size({d})={n} is not divisible by {r} "
                f"(x={tuple(input.shape)})"
            )
    b = len(lead)
    x = reshape(input, (*lead, c, h // r, r, w // r, r))  # (*, C, H, r, W, r)
    x = permute(x, (*range(b), b, b + 2, b + 4, b + 1, b + 3))  # (*, C, r, r, H, W)
    return reshape(x, (*lead, c * r * r, h // r, w // r))


__all__ = ["interpolate", "pixel_shuffle", "pixel_unshuffle"]
