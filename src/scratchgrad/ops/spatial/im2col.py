"""im2col: a 2-d convolution as one GEMM on the columns of strided views, no pixel loops.

A convolution copies every receptive field into a column matrix ``cols`` (C*kh*kw, M),
multiplies it by the weight seen as a matrix (Co, C*kh*kw) in one GEMM, and reads the
(N, Co, Ho, Wo) result out of the product (Co, M). Its backward is two more GEMMs:
``dW = g @ cols.T`` and ``dcols = W.T @ g``, whose columns are added back onto the input
grid ("col2im") by one slice-add per kernel offset.

Memory layout is chosen for speed (``Flat``, ``Grid``). The GEMM's columns run over
(image, row, column) with channels outermost, so the product (Co, M) is one big
matrix (BLAS uses every core) and the output is returned as a (N, Co, Ho, Wo) *view* of
it, channels-outer in memory; NumPy's elementwise ops keep that order, so the next
layer receives it without a transpose. With stride 1 (``Flat``), all images of a
channel sit on one flat line and share their zero borders: one image row's right
padding is the next row's left padding, so each receptive-field row of ``cols`` is a
single contiguous slice of the line, and col2im is a handful of contiguous adds. The
price is a few unused columns (the borders), which are computed and ignored.

Measured choices (2-core machine, OpenBLAS): the weight gradient's GEMM, tiny but with
a long inner dimension, runs in chunks that OpenBLAS keeps single-threaded (its
threaded path is ~5x slower there).
"""

from __future__ import annotations

import functools
import itertools
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

from scratchgrad.backend import Array, xp


@dataclass(frozen=True)
class Geom:
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

    def nd(self) -> GeomN:
        """The same convolution as an N-d geometry with two spatial dims."""
        return GeomN(
            self.n,
            self.c,
            (self.h, self.w),
            (self.kh, self.kw),
            (self.sh, self.sw),
            (self.dh, self.dw),
            (self.pt, self.pl),
            (self.pb, self.pr),
            self.groups,
            (self.ho, self.wo),
        )


@dataclass(frozen=True)
class GeomN:
    """A convolution or pooling over any number of spatial dims, one tuple entry per dim.

    (N, C, *size) -> (N, Co, *out) with kernel ``k``, stride ``s``, dilation ``d`` and
    padding ``lo`` before, ``hi`` after each dim.
    """

    n: int
    c: int
    size: tuple[int, ...]
    k: tuple[int, ...]
    s: tuple[int, ...]
    d: tuple[int, ...]
    lo: tuple[int, ...]
    hi: tuple[int, ...]
    groups: int
    out: tuple[int, ...]


def out_size(size: int, pad: int, k: int, s: int, d: int) -> int:
    """Windows that fit: (size + pad - d*(k-1) - 1) // s + 1, pad = both sides together."""
    return (size + pad - d * (k - 1) - 1) // s + 1


class Layout(ABC):
    """Where a conv's padded input, its columns and its output live in memory.

    ``m`` is the number of GEMM columns (output positions computed, used or not);
    ``kernel`` the kernel's size per spatial dim.
    """

    m: int
    kernel: tuple[int, ...]

    def __init__(self, g: Geom | GeomN) -> None:
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
        fields = self.fields(self.pack(x))  # (C, *k, <m>)
        k = x.shape[1] * math.prod(self.kernel)
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


class Flat(Layout):
    """Stride 1: each channel one flat line of images sharing zero borders.

    Rows are ``wr`` wide (the image and enough zeros for the larger of the left and
    right padding), images ``hr`` rows high. Output (n, i, j) is computed at line
    position n*hr*wr + i*wr + j, and kernel offset (a, b) reads ``off[a, b]`` further
    on, so the receptive fields of one offset are one contiguous slice.
    """

    g: Geom

    def __init__(self, g: Geom) -> None:
        super().__init__(g)
        self.kernel = (g.kh, g.kw)
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
        # (C, kh, kw, m): each row one slice
        return xp.lib.stride_tricks.as_strided(buf, shape, strides)

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


class Grid(Layout):
    """Any stride, any number of spatial dims: a padded (C, N, *padded) grid, read with stride.

    The columns run over (image, *output position); ``fields`` is a (C, *k, N, *out) view.
    """

    def __init__(self, g: Geom | GeomN, fill: float = 0.0) -> None:
        super().__init__(g)
        self.gn = g.nd() if isinstance(g, Geom) else g
        gn = self.gn
        self.m, self.kernel = gn.n * math.prod(gn.out), gn.k
        self.padded = tuple(s + lo + hi for s, lo, hi in zip(gn.size, gn.lo, gn.hi, strict=True))
        self.inner = tuple(slice(lo, lo + s) for lo, s in zip(gn.lo, gn.size, strict=True))
        self.fill = fill

    def _moved(self, a: Array) -> Array:
        """(A, B, *spatial) <-> (B, A, *spatial): batch and channels swapped."""
        return a.swapaxes(0, 1)

    def pack(self, x: Array) -> Array:
        gn = self.gn
        shape = (x.shape[1], gn.n, *self.padded)
        fresh = xp.zeros if self.fill == 0 else functools.partial(xp.full, fill_value=self.fill)
        grid = fresh(shape, dtype=x.dtype)
        grid[(slice(None), slice(None), *self.inner)] = self._moved(x)  # (C, N, *padded)
        return grid

    def fields(self, buf: Array) -> Array:
        gn = self.gn
        c, n, *sp = buf.strides
        shape = (buf.shape[0], *gn.k, gn.n, *gn.out)
        taps = tuple(d * st for d, st in zip(gn.d, sp, strict=True))
        steps = tuple(s * st for s, st in zip(gn.s, sp, strict=True))
        # (C, *k, N, *out)
        return xp.lib.stride_tricks.as_strided(buf, shape, (c, *taps, n, *steps))

    def crop(self, out: Array) -> Array:
        gn = self.gn
        return self._moved(out.reshape(-1, gn.n, *gn.out))

    def widen(self, g: Array) -> Array:
        return self._moved(g).reshape(g.shape[1], self.m)

    def col2im(self, dcols: Array) -> Array:
        gn = self.gn
        grid = xp.zeros((dcols.shape[0], gn.n, *self.padded), dtype=dcols.dtype)
        for k, tap in enumerate(itertools.product(*(range(k) for k in gn.k))):
            view = grid[(slice(None), slice(None), *self._reads(tap))]
            view += dcols[:, k].reshape(view.shape)  # (C, N, *out)
        return self._moved(grid[(slice(None), slice(None), *self.inner)])

    def _reads(self, tap: tuple[int, ...]) -> tuple[slice, ...]:
        """Where kernel offset ``tap`` reads, per spatial dim: a strided slice of the grid."""
        gn = self.gn
        return tuple(
            slice(a * d, a * d + s * (o - 1) + 1, s)
            for a, d, s, o in zip(tap, gn.d, gn.s, gn.out, strict=True)
        )


@functools.lru_cache(maxsize=128)
def layout(g: Geom | GeomN) -> Layout:
    """The layout of a convolution (one per geometry, cached): flat lines for 2-d stride 1."""
    if isinstance(g, GeomN):
        return Grid(g)
    return Flat(g) if g.sh == g.sw == 1 else Grid(g)


def _bmm(a: Array, b: Array) -> Array:
    """Per-group GEMM (G, p, q) @ (G, q, r) -> (G, p, r); one plain GEMM when G = 1."""
    out: Array = (a[0] @ b[0])[None] if a.shape[0] == 1 else xp.matmul(a, b)
    return out


def conv_gemm(w: Array, cols: Array, groups: int) -> Array:
    """(Co, C/G*kh*kw) weights times (C*kh*kw, M) columns, per group -> (Co, M)."""
    m = cols.shape[1]
    wg = w.reshape(groups, w.shape[0] // groups, -1)  # (G, Co/G, Kg)
    return _bmm(wg, cols.reshape(groups, -1, m)).reshape(-1, m)


def input_cols(w: Array, g: Array, groups: int) -> Array:
    """w.T @ g per group: (Co, ...) weights, (Co, M) gradient -> (C, kh*kw, M) columns."""
    m, kk = g.shape[1], math.prod(w.shape[2:])
    wg = w.reshape(groups, w.shape[0] // groups, -1)  # (G, Co/G, Kg)
    # the small transposed weights copied: OpenBLAS runs this GEMM 5x slower on the view
    wt = xp.ascontiguousarray(wg.transpose(0, 2, 1))  # (G, Kg, Co/G)
    return _bmm(wt, g.reshape(groups, -1, m)).reshape(-1, kk, m)


_GEMM_CHUNK = 1 << 19  # (outputs x inner) per GEMM that OpenBLAS runs single-threaded


def weight_grad(g: Array, cols: Array, groups: int) -> Array:
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


__all__ = []
