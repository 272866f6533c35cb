"""Convolution and pooling: im2col on strided views and one GEMM, no loops over pixels.

A convolution copies every receptive field into a column matrix ``cols`` (C*kh*kw, M),
multiplies it by the weight seen as a matrix (Co, C*kh*kw) in one GEMM, and reads the
(N, Co, Ho, Wo) result out of the product (Co, M). Its backward is two more GEMMs:
``dW = g @ cols.T`` and ``dcols = W.T @ g``, whose columns are added back onto the input
grid ("col2im") by one slice-add per kernel offset.

Memory layout is chosen for speed (``_Flat``, ``_Grid``). The GEMM's columns run over
(image, row, column) with channels outermost, so the product (Co, M) is one big
matrix (BLAS uses every core) and the output is returned as a (N, Co, Ho, Wo) *view* of
it, channels-outer in memory; NumPy's elementwise ops keep that order, so the next
layer receives it without a transpose. With stride 1 (``_Flat``), all images of a
channel sit on one flat line and share their zero borders: one image row's right
padding is the next row's left padding, so each receptive-field row of ``cols`` is a
single contiguous slice of the line, and col2im is a handful of contiguous adds. The
price is a few unused columns (the borders), which are computed and ignored.

Pooling slides the same kind of strided views over the input, one per kernel offset,
and reduces across them elementwise (max keeps the offset of the first maximum, as
torch); its backward writes through the same views, with no ``np.add.at``. Adaptive
average pooling is two small matrix products (row and column averaging matrices).

Measured choices (2-core machine, OpenBLAS): the bias rides in the forward GEMM as a
row of ones; the weight gradient's GEMM, tiny but with a long inner dimension, runs in
chunks that OpenBLAS keeps single-threaded (its threaded path is ~5x slower there);
masked ufuncs (``where=``) are avoided, being ~10x slower than a multiply by a mask.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from scratchgrad.autograd import Function, is_grad_enabled
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops._registry import register
from scratchgrad.ops.shape import squeeze, unsqueeze
from scratchgrad.tensor import Tensor

Pair = tuple[int, int]


# ------------------------------------------------------------------ arguments
def _tuple(v: Any, n: int, name: str, op: str) -> tuple[int, ...]:
    """An int or a sequence of 1 or n ints, as n ints (torch's expand_param_if_needed)."""
    t = (int(v),) if isinstance(v, int | np.integer) else tuple(int(a) for a in v)
    if len(t) == 1:
        t = t * n
    if len(t) != n:
        raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {v!r}")
    return t


def _pair(v: Any, name: str, op: str) -> Pair:
    a, b = _tuple(v, 2, name, op)
    return a, b


def _check_positive(op: str, **values: Pair) -> None:
    for name, v in values.items():
        if min(v) < 1:
            raise ValueError(f"{op}: {name} must be positive: {name}={v}")


def _shapes(**ts: Tensor | None) -> str:
    return ", ".join(f"{k}={tuple(t.shape)}" for k, t in ts.items() if t is not None)


def _check_ndim(op: str, x: Tensor, batched: int) -> None:
    """x must have ``batched`` dims (N, C, *spatial) or one fewer (unbatched)."""
    if x.ndim not in (batched - 1, batched):
        dims = "(N, C, L)" if batched == 3 else "(N, C, H, W)"
        raise ShapeError(
            f"{op}: input must be {batched - 1}-D (unbatched) or {batched}-D {dims}: "
            f"got {x.ndim}-D (x={tuple(x.shape)})"
        )


def _check_float(op: str, *ts: Tensor | None) -> None:
    dtypes = {t.dtype for t in ts if t is not None}
    if len(dtypes) > 1 or any(d.kind != "f" for d in dtypes):
        names = ", ".join(str(d) for d in dtypes)
        raise RuntimeError(f"{op}: input, weight and bias must share one float dtype: {names}")


# ------------------------------------------------------------------ conv geometry
@dataclass(frozen=True)
class _Geom:
    """A 2-d convolution (N, C, H, W) -> (N, Co, Ho, Wo): sizes, strides and padding."""

    n: int
    c: int
    h: int
    w: int
    kh: int
    kw: int
    sh: int
    sw: int
    dh: int
    dw: int
    pt: int
    pb: int
    pl: int
    pr: int
    groups: int
    ho: int
    wo: int


def _out_size(size: int, pad: int, k: int, s: int, d: int) -> int:
    """Windows that fit: (size + pad - d*(k-1) - 1) // s + 1, pad = both sides together."""
    return (size + pad - d * (k - 1) - 1) // s + 1


def _same_padding(k: int, d: int) -> Pair:
    """torch's 'same': total d*(k-1), the odd one extra on the right/bottom."""
    total = d * (k - 1)
    return total // 2, total - total // 2


def _padding4(padding: Any, k: Pair, s: Pair, d: Pair, op: str) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from an int, a pair, 'valid' or 'same'."""
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0, 0, 0
        if padding != "same":
            raise ValueError(f"{op}: padding must be 'valid', 'same' or ints, got {padding!r}")
        if s != (1, 1):
            raise ValueError(f"{op}: padding='same' is not supported for strided convolutions")
        return (*_same_padding(k[0], d[0]), *_same_padding(k[1], d[1]))
    ph, pw = _pair(padding, "padding", op)
    if min(ph, pw) < 0:
        raise ValueError(f"{op}: negative padding is not supported: padding={(ph, pw)}")
    return ph, ph, pw, pw


def _conv_geom(
    op: str, x: tuple[int, ...], wt: tuple[int, ...], args: tuple[Any, Any, Any, int], shown: str
) -> _Geom:
    """Check a conv2d call and describe it.

    Args:
        op: the op name, for messages.
        x: input shape (N, C, H, W).
        wt: weight shape (Co, C/groups, kh, kw).
        args: (stride, padding, dilation, groups) as the user gave them.
        shown: the user's shapes, for messages.
    """
    stride, padding, dilation, groups = args
    s, d = _pair(stride, "stride", op), _pair(dilation, "dilation", op)
    _check_positive(op, stride=s, dilation=d)
    if groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer: groups={groups}")
    (n, c, h, w), (co, cg, kh, kw) = x, wt
    if co % groups:
        raise ShapeError(
            f"{op}: groups must divide out_channels: out_channels={co}, groups={groups} ({shown})"
        )
    if c != cg * groups:
        raise ShapeError(
            f"{op}: input channels must equal weight.shape[1] * groups: "
            f"x.shape[1]={c} != {cg} * {groups} ({shown})"
        )
    pt, pb, pl, pr = _padding4(padding, (kh, kw), s, d, op)
    ext, padded = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1), (h + pt + pb, w + pl + pr)
    if ext[0] > padded[0] or ext[1] > padded[1]:
        raise ShapeError(
            f"{op}: kernel larger than padded input: dilated kernel {ext} > "
            f"padded input {padded} ({shown})"
        )
    ho, wo = _out_size(h, pt + pb, kh, s[0], d[0]), _out_size(w, pl + pr, kw, s[1], d[1])
    return _Geom(n, c, h, w, kh, kw, *s, *d, pt, pb, pl, pr, groups, ho, wo)


# ------------------------------------------------------------------ memory layouts
class _Layout(ABC):
    """Where a conv's padded input, its columns and its output live in memory.

    ``m`` is the number of GEMM columns (output positions computed, used or not).
    """

    m: int

    def __init__(self, g: _Geom) -> None:
        self.g = g

    @abstractmethod
    def pack(self, x: Array) -> Array:
        """(N, C, H, W) -> a zero-padded copy, channels outermost."""

    @abstractmethod
    def fields(self, buf: Array) -> Array:
        """Packed input -> a (C, kh, kw, <m positions>) view of its receptive fields."""

    def cols(self, x: Array, ones: bool = False) -> Array:
        """(N, C, H, W) -> its receptive fields as columns, (C*kh*kw, m), contiguous.

        With ``ones``, one more row of ones: the GEMM then adds the bias (its last
        weight column) and the weight gradient's last column is the bias gradient.
        """
        fields = self.fields(self.pack(x))  # (C, kh, kw, <m>)
        k = fields.shape[0] * fields.shape[1] * fields.shape[2]
        cols = xp.empty((k + ones, self.m), dtype=x.dtype)
        cols[:k].reshape(fields.shape)[...] = fields
        if ones:
            cols[k] = 1
        return cols

    @abstractmethod
    def crop(self, out: Array) -> Array:
        """GEMM result (Co, m) -> the output, a (N, Co, Ho, Wo) view."""

    @abstractmethod
    def widen(self, g: Array) -> Array:
        """(N, Co, Ho, Wo) -> (Co, m), zero in the unused columns."""

    @abstractmethod
    def col2im(self, dcols: Array) -> Array:
        """(C, kh*kw, m) -> (N, C, H, W): each column added back where it was read."""


class _Flat(_Layout):
    """Stride 1: each channel one flat line of images sharing zero borders.

    Rows are ``wr`` wide (the image and enough zeros for the larger of the left and
    right padding), images ``hr`` rows high. Output (n, i, j) is computed at line
    position n*hr*wr + i*wr + j, and kernel offset (a, b) reads ``off[a, b]`` further
    on, so the receptive fields of one offset are one contiguous slice.
    """

    def __init__(self, g: _Geom) -> None:
        super().__init__(g)
        self.wr = max(g.w + max(g.pl, g.pr), g.wo)
        self.hr = max(g.h + max(g.pt, g.pb), g.ho)
        self.m = g.n * self.hr * self.wr
        self.base = g.pt * self.wr + g.pl  # line position of pixel (0, 0) of image 0
        self.off = [a * g.dh * self.wr + b * g.dw for a in range(g.kh) for b in range(g.kw)]
        self.length = max(self.m + self.off[-1], self.base + self.m)

    def _images(self, line: Array) -> Array:
        """(C, length) line -> (C, N, H, W) view of its pixels."""
        g = self.g
        grid = line[:, self.base : self.base + self.m].reshape(-1, g.n, self.hr, self.wr)
        return grid[:, :, : g.h, : g.w]

    def pack(self, x: Array) -> Array:
        line = xp.zeros((x.shape[1], self.length), dtype=x.dtype)  # (C, length)
        self._images(line)[...] = x.transpose(1, 0, 2, 3)
        return line

    def fields(self, buf: Array) -> Array:
        g, step = self.g, buf.itemsize
        shape = (buf.shape[0], g.kh, g.kw, self.m)
        strides = (buf.strides[0], g.dh * self.wr * step, g.dw * step, step)
        return as_strided(buf, shape, strides)  # (C, kh, kw, m): each row one slice

    def crop(self, out: Array) -> Array:
        g = self.g
        grid = out.reshape(-1, g.n, self.hr, self.wr)[:, :, : g.ho, : g.wo]  # (Co, N, Ho, Wo)
        return grid.transpose(1, 0, 2, 3)

    def widen(self, g: Array) -> Array:
        wide = xp.zeros((g.shape[1], self.m), dtype=g.dtype)  # (Co, m)
        self.crop(wide)[...] = g
        return wide

    def col2im(self, dcols: Array) -> Array:
        line = xp.zeros((dcols.shape[0], self.length), dtype=dcols.dtype)  # (C, length)
        for k, off in enumerate(self.off):
            line[:, off : off + self.m] += dcols[:, k]  # (C, m), contiguous rows
        return self._images(line).transpose(1, 0, 2, 3)


class _Grid(_Layout):
    """Any stride: a zero-padded (C, N, Hp, Wp) grid; columns read with stride."""

    def __init__(self, g: _Geom) -> None:
        super().__init__(g)
        self.m = g.n * g.ho * g.wo
        self.hp, self.wp = g.h + g.pt + g.pb, g.w + g.pl + g.pr

    def pack(self, x: Array) -> Array:
        g = self.g
        grid = xp.zeros((x.shape[1], g.n, self.hp, self.wp), dtype=x.dtype)  # (C, N, Hp, Wp)
        grid[:, :, g.pt : g.pt + g.h, g.pl : g.pl + g.w] = x.transpose(1, 0, 2, 3)
        return grid

    def fields(self, buf: Array) -> Array:
        g = self.g
        c, n, h, w = buf.strides
        shape = (buf.shape[0], g.kh, g.kw, g.n, g.ho, g.wo)
        strides = (c, g.dh * h, g.dw * w, n, g.sh * h, g.sw * w)
        return as_strided(buf, shape, strides)  # (C, kh, kw, N, Ho, Wo)

    def crop(self, out: Array) -> Array:
        g = self.g
        return out.reshape(-1, g.n, g.ho, g.wo).transpose(1, 0, 2, 3)

    def widen(self, g: Array) -> Array:
        return g.transpose(1, 0, 2, 3).reshape(g.shape[1], self.m)

    def col2im(self, dcols: Array) -> Array:
        g = self.g
        grid = xp.zeros((dcols.shape[0], g.n, self.hp, self.wp), dtype=dcols.dtype)
        hs, ws = g.sh * (g.ho - 1) + 1, g.sw * (g.wo - 1) + 1
        for k in range(g.kh * g.kw):
            a, b = divmod(k, g.kw)
            view = grid[:, :, a * g.dh : a * g.dh + hs : g.sh, b * g.dw : b * g.dw + ws : g.sw]
            view += dcols[:, k].reshape(view.shape)  # (C, N, Ho, Wo)
        return grid[:, :, g.pt : g.pt + g.h, g.pl : g.pl + g.w].transpose(1, 0, 2, 3)


@functools.lru_cache(maxsize=128)
def _layout(g: _Geom) -> _Layout:
    return _Flat(g) if g.sh == g.sw == 1 else _Grid(g)


def _bmm(a: Array, b: Array) -> Array:
    """Per-group GEMM (G, p, q) @ (G, q, r) -> (G, p, r); one plain GEMM when G = 1."""
    out: Array = (a[0] @ b[0])[None] if a.shape[0] == 1 else xp.matmul(a, b)
    return out


def _conv_gemm(w: Array, cols: Array, groups: int) -> Array:
    """(Co, C/G*kh*kw) weights times (C*kh*kw, M) columns, per group -> (Co, M)."""
    m = cols.shape[1]
    wg = w.reshape(groups, w.shape[0] // groups, -1)  # (G, Co/G, Kg)
    return _bmm(wg, cols.reshape(groups, -1, m)).reshape(-1, m)


def _input_cols(w: Array, g: Array, groups: int) -> Array:
    """w.T @ g per group: (Co, ...) weights, (Co, M) gradient -> (C, kh*kw, M) columns."""
    m, kk = g.shape[1], w.shape[-2] * w.shape[-1]
    wg = w.reshape(groups, w.shape[0] // groups, -1)  # (G, Co/G, Kg)
    return _bmm(wg.transpose(0, 2, 1), g.reshape(groups, -1, m)).reshape(-1, kk, m)


_GEMM_CHUNK = 1 << 19  # (outputs x inner) per GEMM that OpenBLAS runs single-threaded


def _weight_grad(g: Array, cols: Array, groups: int) -> Array:
    """g @ cols.T per group: (Co, M), (K, M) -> (Co, K/G).

    The inner dimension M is long and the result tiny; OpenBLAS threads such a GEMM
    badly (measured 5x slower), so it is summed over chunks of M small enough to run
    single-threaded at full speed, when that leaves chunks of at least 256.
    """
    co, m = g.shape
    if groups > 1:
        gg, cg = g.reshape(groups, -1, m), cols.reshape(groups, -1, m)
        return _bmm(gg, cg.transpose(0, 2, 1)).reshape(co, -1)
    k = cols.shape[0]
    step = _GEMM_CHUNK // (co * k)
    if step < 256 or m < 2 * step:
        out: Array = g @ cols.T
        return out
    p = m // step
    a = g[:, : p * step].reshape(co, p, step).transpose(1, 0, 2)  # (P, Co, step)
    b = cols[:, : p * step].reshape(k, p, step).transpose(1, 2, 0)  # (P, step, K)
    out = xp.matmul(a, b).sum(0)
    if p * step < m:
        out += g[:, p * step :] @ cols[:, p * step :].T
    return out


# ------------------------------------------------------------------ conv ops
@register("conv2d")
class Conv2d(Function):
    """out = w (cross-correlated with) x + b, as one GEMM on the im2col columns.

    x: (N, C, H, W), w: (Co, C/G, kh, kw), b: (Co,) -> (N, Co, Ho, Wo).
    backward: dw = g @ cols.T, dx = col2im(w.T @ g), db = g summed over (N, Ho, Wo).
    Without groups the bias rides in the GEMM: a row of ones in cols, a column in w.
    """

    def forward(self, x: Array, w: Array, b: Array | None = None, *, geom: _Geom) -> Array:
        lay, groups = _layout(geom), geom.groups
        self.fold = b is not None and groups == 1
        self.lay, self.w = lay, w
        self.cols = lay.cols(x, ones=self.fold)  # (C*kh*kw [+1], M)
        if b is not None and self.fold:
            w = xp.concatenate([w.reshape(w.shape[0], -1), b[:, None]], axis=1)  # (Co, K+1)
        out = _conv_gemm(w, self.cols, groups)  # (Co, M)
        if b is not None and not self.fold:
            out += b[:, None]
        return lay.crop(out)

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        lay, w, need = self.lay, self.w, self.needs_input_grad
        g = lay.widen(grad)  # (Co, M), zero in unused columns
        gx = gw = gb = None
        if need[0]:
            gx = lay.col2im(_input_cols(w, g, lay.g.groups))
        if need[1] or self.fold:
            gwb = _weight_grad(g, self.cols, lay.g.groups)  # (Co, C/G*kh*kw [+1])
            gw = gwb[:, : w[0].size].reshape(w.shape)
            gb = gwb[:, -1] if self.fold else None
        if len(need) > 2 and need[2] and gb is None:
            gb = g.sum(1)
        return (gx, gw, gb)[: len(need)]


@register("conv1d")
class Conv1d(Conv2d):
    """conv2d on a height-1 image. x: (N, C, L), w: (Co, C/G, k), b: (Co,) -> (N, Co, Lo)."""

    def forward(self, x: Array, w: Array, b: Array | None = None, *, geom: _Geom) -> Array:
        return super().forward(x[:, :, None], w[:, :, None], b, geom=geom)[:, :, 0]

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        grads = super().backward(grad[:, :, None])  # (gx, gw[, gb]) in 2-d
        return tuple(None if g is None or g.ndim < 3 else g[:, :, 0] for g in grads[:2]) + grads[2:]


@register("conv_transpose2d")
class ConvTranspose2d(Function):
    """The adjoint of conv2d: each input pixel spreads w over the output, plus b.

    x: (N, Ci, H, W), w: (Ci, Co/G, kh, kw), b: (Co,) -> (N, Co, Ho, Wo).
    ``geom`` is the conv2d from the output back to x. forward = conv2d's input gradient;
    backward: dx = conv2d(g, w), dw = x @ im2col(g).T, db = g summed over (N, Ho, Wo).
    """

    def forward(self, x: Array, w: Array, b: Array | None = None, *, geom: _Geom) -> Array:
        lay = _layout(geom)
        self.lay, self.w = lay, w
        self.x = lay.widen(x)  # (Ci, M)
        out = lay.col2im(_input_cols(w, self.x, geom.groups))  # (N, Co, Ho, Wo)
        if b is not None:
            out += b[:, None, None]
        return out

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        lay, w, need = self.lay, self.w, self.needs_input_grad
        cols = lay.cols(grad)  # (Co*kh*kw, M)
        gx = gw = gb = None
        if need[0]:
            gx = lay.crop(_conv_gemm(w, cols, lay.g.groups))  # (N, Ci, H, W)
        if need[1]:
            gw = _weight_grad(self.x, cols, lay.g.groups).reshape(w.shape)
        if len(need) > 2 and need[2]:
            gb = grad.sum((0, 2, 3))
        return (gx, gw, gb)[: len(need)]


def _apply_conv(
    fn: type[Function], x: Tensor, weight: Tensor, bias: Tensor | None, geom: _Geom, co: int
) -> Tensor:
    if bias is None:
        return fn.apply(x, weight, geom=geom)
    if tuple(bias.shape) != (co,):
        raise ShapeError(
            f"{fn.name}: bias must have one value per output channel: bias={tuple(bias.shape)} "
            f"!= ({co},) ({_shapes(x=x, weight=weight)})"
        )
    return fn.apply(x, weight, bias, geom=geom)


def _check_weight(op: str, weight: Tensor, ndim: int, dims: str, x: Tensor) -> None:
    if weight.ndim != ndim:
        raise ShapeError(
            f"{op}: weight must be {ndim}-D {dims}: got {weight.ndim}-D "
            f"({_shapes(x=x, weight=weight)})"
        )


def conv2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-d cross-correlation, as ``torch.nn.functional.conv2d``.

    Args:
        x: input, shape (N, C, H, W) or unbatched (C, H, W).
        weight: kernels, shape (Co, C/groups, kh, kw).
        bias: shape (Co,), or None.
        stride: step between windows, an int or (sh, sw).
        padding: zeros on each side: an int, (ph, pw), 'valid' (none) or 'same'.
        dilation: spacing between kernel taps, an int or (dh, dw).
        groups: split channels into groups convolved separately.

    Returns:
        Shape (N, Co, Ho, Wo) with Ho = (H + 2*ph - dh*(kh-1) - 1) // sh + 1, same for Wo.

    Raises:
        ShapeError: wrong ndim, channels that do not match, groups that do not divide
            the channels, or a kernel larger than the padded input.

    >>> import scratchgrad as sg
    >>> conv2d(sg.ones(1, 1, 4, 4), sg.ones(1, 1, 2, 2)).shape
    (1, 1, 3, 3)
    """
    _check_ndim("conv2d", x, 4)
    _check_weight("conv2d", weight, 4, "(Co, C/groups, kh, kw)", x)
    _check_float("conv2d", x, weight, bias)
    if x.ndim == 3:
        return squeeze(conv2d(unsqueeze(x, 0), weight, bias, stride, padding, dilation, groups), 0)
    args = (stride, padding, dilation, groups)
    geom = _conv_geom("conv2d", x.shape, weight.shape, args, _shapes(x=x, weight=weight))
    return _apply_conv(Conv2d, x, weight, bias, geom, weight.shape[0])


def conv1d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-d cross-correlation: (N, C, L) or (C, L), weight (Co, C/groups, k) -> (N, Co, Lo).

    Arguments as :func:`conv2d`, with one int (or a 1-tuple) for stride, padding, dilation.

    Raises:
        ShapeError: as :func:`conv2d`.
    """
    op = "conv1d"
    _check_ndim(op, x, 3)
    _check_weight(op, weight, 3, "(Co, C/groups, k)", x)
    _check_float(op, x, weight, bias)
    if x.ndim == 2:
        return squeeze(conv1d(unsqueeze(x, 0), weight, bias, stride, padding, dilation, groups), 0)
    pad2 = padding if isinstance(padding, str) else (0, *_tuple(padding, 1, "padding", op))
    args = (
        (1, *_tuple(stride, 1, "stride", op)),
        pad2,
        (1, *_tuple(dilation, 1, "dilation", op)),
        groups,
    )
    (n, c, length), (co, cg, k) = x.shape, weight.shape
    geom = _conv_geom(op, (n, c, 1, length), (co, cg, 1, k), args, _shapes(x=x, weight=weight))
    return _apply_conv(Conv1d, x, weight, bias, geom, co)


def _transpose_geom(
    x: Tensor, weight: Tensor, s: Pair, p: Pair, op_: Pair, d: Pair, groups: int
) -> _Geom:
    """The conv2d from conv_transpose2d's output (N, Co, Ho, Wo) back to x (N, Ci, H, W).

    The full transposed output is cropped by p on each side; output_padding keeps
    op_ more rows (columns) at the bottom (right), zero where no window reaches.
    """
    op, shown = "conv_transpose2d", _shapes(x=x, weight=weight)
    n, ci, h, w = x.shape
    if ci != weight.shape[0] or ci % groups:
        rule = "groups must divide in_channels" if ci % groups else "input channels must match"
        raise ShapeError(
            f"{op}: {rule}: x.shape[1]={ci}, weight.shape[0]={weight.shape[0]}, "
            f"groups={groups} ({shown})"
        )
    if op_[0] >= max(s[0], d[0]) or op_[1] >= max(s[1], d[1]):
        raise ValueError(
            f"{op}: output padding must be smaller than either stride or dilation: "
            f"output_padding={op_}, stride={s}, dilation={d}"
        )
    _, cog, kh, kw = weight.shape
    ho = (h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op_[0] + 1
    wo = (w - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op_[1] + 1
    if ho < 1 or wo < 1:
        raise ShapeError(f"{op}: output size must be positive: {(ho, wo)} ({shown})")
    pads = (p[0], max(p[0] - op_[0], 0), p[1], max(p[1] - op_[1], 0))
    return _Geom(n, cog * groups, ho, wo, kh, kw, *s, *d, *pads, groups, h, w)


def conv_transpose2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 2-d convolution (the gradient of conv2d), as torch's.

    Args:
        x: input, shape (N, Ci, H, W) or unbatched (Ci, H, W).
        weight: shape (Ci, Co/groups, kh, kw).
        bias: shape (Co,), or None.
        stride: as the conv2d this is the transpose of.
        padding: as the conv2d this is the transpose of (cropped from the output).
        output_padding: extra rows/columns added on the bottom/right of the output.
        groups: channel groups.
        dilation: as the conv2d this is the transpose of.

    Returns:
        Shape (N, Co, Ho, Wo), Ho = (H-1)*sh - 2*ph + dh*(kh-1) + output_padding + 1.

    Raises:
        ShapeError: wrong ndim, channels or groups that do not match the weight.
    """
    op = "conv_transpose2d"
    _check_ndim(op, x, 4)
    _check_weight(op, weight, 4, "(Ci, Co/groups, kh, kw)", x)
    _check_float(op, x, weight, bias)
    if x.ndim == 3:
        out = conv_transpose2d(
            unsqueeze(x, 0), weight, bias, stride, padding, output_padding, groups, dilation
        )
        return squeeze(out, 0)
    s, d = _pair(stride, "stride", op), _pair(dilation, "dilation", op)
    _check_positive(op, stride=s, dilation=d)
    if groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer: groups={groups}")
    p, op_ = _pair(padding, "padding", op), _pair(output_padding, "output_padding", op)
    if min(*p, *op_) < 0:
        raise ValueError(f"{op}: negative padding is not supported: padding={p}, {op_}")
    geom = _transpose_geom(x, weight, s, p, op_, d, groups)
    return _apply_conv(ConvTranspose2d, x, weight, bias, geom, geom.c)


# ------------------------------------------------------------------ pooling geometry
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
    k = _pair(kernel, "kernel_size", op)
    no_stride = stride is None or (not isinstance(stride, int) and len(stride) == 0)
    s = k if no_stride else _pair(stride, "stride", op)
    p, d = _pair(padding, "padding", op), _pair(dilation, "dilation", op)
    _check_positive(op, kernel_size=k, stride=s, dilation=d)
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


def _pool_input(op: str, x: Tensor) -> None:
    _check_ndim(op, x, 4)
    if x.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point input, got {x.dtype}")


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


# ------------------------------------------------------------------ max pooling
def _window_max(x: Array, pool: _Pool) -> Array:
    """Max of each window, (N, C, H, W) -> (N, C, Ho, Wo); NaN propagates, as torch."""
    views = pool.windows(pool.padded(x, -np.inf))
    out = views[0].copy(order="K")
    for v in views[1:]:
        xp.maximum(out, v, out=out)
    return out


def _window_argmax(x: Array, pool: _Pool) -> tuple[Array, Array]:
    """(max of each window, the kernel offset of its first max), (N, C, Ho, Wo) both."""
    views = pool.windows(pool.padded(x, -np.inf))
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
    ``_window_max``, computed by the caller, which may also need the indices.
    """

    def forward(self, x: Array, *, pool: _Pool, found: tuple[Array, Array | None]) -> Array:
        self.x, self.pool, self.arg = x, pool, found[1]
        return found[0]

    def backward(self, grad: Array) -> tuple[Array]:
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
        Values (N, C, Ho, Wo), or (values, indices) with return_indices.

    Raises:
        ShapeError: wrong ndim, or a window larger than the padded input.

    >>> import scratchgrad as sg
    >>> max_pool2d(sg.arange(16.0).reshape(1, 1, 4, 4), 2).flatten().tolist()
    [5.0, 7.0, 13.0, 15.0]
    """
    _pool_input("max_pool2d", x)
    if x.ndim == 3:
        out = max_pool2d(unsqueeze(x, 0), kernel_size, stride, padding, dilation, ceil_mode, True)
        return (squeeze(out[0], 0), squeeze(out[1], 0)) if return_indices else squeeze(out[0], 0)
    pool = _pool_geom("max_pool2d", x.shape, (kernel_size, stride, padding, dilation), ceil_mode)
    if return_indices or (x.requires_grad and is_grad_enabled()):
        values, arg = _window_argmax(x.data, pool)
        out = MaxPool2d.apply(x, pool=pool, found=(values, arg))
        return (out, Tensor(_flat_index(arg, pool, x.shape[-1]))) if return_indices else out
    return MaxPool2d.apply(x, pool=pool, found=(_window_max(x.data, pool), None))


# ------------------------------------------------------------------ average pooling
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
        out /= self.div
        return out

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
        Shape (N, C, Ho, Wo).

    Raises:
        ShapeError: wrong ndim, or a window larger than the padded input.
    """
    _pool_input("avg_pool2d", x)
    if divisor_override is not None and divisor_override == 0:
        raise ValueError("avg_pool2d: divisor must be not zero")
    if x.ndim == 3:
        out = avg_pool2d(
            unsqueeze(x, 0),
            kernel_size,
            stride,
            padding,
            ceil_mode,
            count_include_pad,
            divisor_override,
        )
        return squeeze(out, 0)
    pool = _pool_geom("avg_pool2d", x.shape, (kernel_size, stride, padding, 1), ceil_mode)
    div = _divisor(pool, x.shape, count_include_pad, divisor_override)
    return AvgPool2d.apply(x, pool=pool, div=div)


# ------------------------------------------------------------------ adaptive average pooling
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
    _pool_input("adaptive_avg_pool2d", x)
    if x.ndim == 3:
        return squeeze(adaptive_avg_pool2d(unsqueeze(x, 0), output_size), 0)
    sizes = (output_size,) * 2 if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError(f"adaptive_avg_pool2d: output_size must be 2 values, got {output_size!r}")
    size = tuple(x.shape[2 + i] if v is None else int(v) for i, v in enumerate(sizes))
    if min(size) < 1:
        raise ShapeError(f"adaptive_avg_pool2d: output size must be positive: {size}")
    return AdaptiveAvgPool2d.apply(x, size=(size[0], size[1]))


# ------------------------------------------------------------------ pad
_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pad_pairs(pad: Any, ndim: int) -> list[tuple[int, int, int]]:
    """(axis, before, after) for each padded axis, from torch's (last_l, last_r, ...)."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise ValueError(f"pad: padding length must be divisible by 2, got {len(pad)}")
    if len(pad) // 2 > ndim:
        raise ValueError(f"pad: padding length too large: {len(pad)} for a {ndim}-D input")
    return [(ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _crop_slices(size: int, before: int, after: int) -> tuple[slice, slice]:
    """(in the input, in the output): the part of the input kept, and where it lands."""
    keep = size - max(-before, 0) - max(-after, 0)
    src = slice(max(-before, 0), max(-before, 0) + keep)
    return src, slice(max(before, 0), max(before, 0) + keep)


@register("pad")
class Pad(Function):
    """out = x surrounded by ``value`` (constant) or by copies of its own elements.

    (*, H, W) -> (*, H + top + bottom, W + left + right); negative pads crop (constant).
    backward: each output's gradient is summed back onto the element it copies.
    """

    def forward(
        self, x: Array, *, pairs: list[tuple[int, int, int]], mode: str, value: float
    ) -> Array:
        self.shape, self.pairs, self.mode = x.shape, pairs, mode
        if mode != "constant":
            self.index = [_pad_index(x.shape[a], b, e, mode) for a, b, e in pairs]
            for (axis, _, _), idx in zip(pairs, self.index, strict=True):
                x = xp.take(x, idx, axis=axis)
            return x
        shape, src, dst = list(x.shape), [slice(None)] * x.ndim, [slice(None)] * x.ndim
        for axis, before, after in pairs:
            shape[axis] += before + after
            src[axis], dst[axis] = _crop_slices(x.shape[axis], before, after)
        out = xp.full(shape, value, dtype=x.dtype)
        out[tuple(dst)] = x[tuple(src)]
        self.src, self.dst = tuple(src), tuple(dst)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        if self.mode == "constant":
            gx = xp.zeros(self.shape, dtype=grad.dtype)
            gx[self.src] = grad[self.dst]
            return (gx,)
        for (axis, _, _), idx in reversed(list(zip(self.pairs, self.index, strict=True))):
            moved = xp.moveaxis(grad, axis, 0)
            acc = xp.zeros((self.shape[axis], *moved.shape[1:]), dtype=grad.dtype)
            xp.add.at(acc, idx, moved)  # several outputs may copy one input
            grad = xp.moveaxis(acc, 0, axis)
        return (grad,)


def _pad_index(size: int, before: int, after: int, mode: str) -> Array:
    """Which input element each output element copies, along one axis."""
    limit = size - 1 if mode == "reflect" else size
    if min(before, after) < 0 or max(before, after) > limit:
        raise ShapeError(
            f"pad: {mode} padding must be in [0, {limit}] for a dimension of size {size}: "
            f"padding=({before}, {after})"
        )
    idx: Array = np.pad(xp.arange(size), (before, after), mode=_NUMPY_MODES[mode])  # type: ignore[call-overload]
    return idx


def pad(x: Tensor, pad: Any, mode: str = "constant", value: float = 0.0) -> Tensor:
    """Pad the last dims, as ``torch.nn.functional.pad``.

    Args:
        x: any shape (*).
        pad: (last_left, last_right, second_last_left, second_last_right, ...);
            negative values crop (constant mode).
        mode: 'constant', 'reflect', 'replicate' or 'circular'.
        value: the fill of constant mode.

    Returns:
        x padded; each padded dim grows by its two pads.

    Raises:
        ValueError: an odd or too long pad, or an unknown mode.
        ShapeError: a reflect/circular pad larger than the dimension.

    >>> import scratchgrad as sg
    >>> pad(sg.ones(1, 2), (1, 0)).tolist()
    [[0.0, 1.0, 1.0]]
    """
    if mode != "constant" and mode not in _NUMPY_MODES:
        raise ValueError(f"pad: unknown mode {mode!r}; use constant, reflect, replicate, circular")
    pairs = _pad_pairs(pad, x.ndim)
    for axis, before, after in pairs:
        if x.shape[axis] + before + after < 0:
            raise ShapeError(
                f"pad: resulting size must be non-negative: {x.shape[axis]} + {before} + "
                f"{after} on dim {axis} (x={tuple(x.shape)})"
            )
    return Pad.apply(x, pairs=pairs, mode=mode, value=value)


__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "max_pool2d",
    "pad",
]
