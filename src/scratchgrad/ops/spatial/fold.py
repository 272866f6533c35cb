"""unfold and fold: im2col made public, and its adjoint (col2im), as torch's.

``unfold`` copies every sliding block of a (N, C, H, W) input into a column,
(N, C*kh*kw, L) with L blocks; ``fold`` sums such columns back onto an image, each
value where ``unfold`` read it. Each is the other's backward; both run the N-d grid
layout of ``_im2col`` that the convolutions use.
"""

from __future__ import annotations

import math
from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.ops.spatial._args import check_positive, ntuple, unbatched
from scratchgrad.ops.spatial.im2col import GeomN, layout, out_size
from scratchgrad.tensor import Tensor


def _blocks(g: GeomN, cols: Array) -> Array:
    """Layout columns (C*kh*kw, N*L) -> torch's blocks (N, C*kh*kw, L), a view."""
    return cols.reshape(cols.shape[0], g.n, -1).swapaxes(0, 1)


def _cols(g: GeomN, blocks: Array) -> Array:
    """torch's blocks (N, C*kh*kw, L) -> layout columns (C, kh*kw, N*L)."""
    return blocks.swapaxes(0, 1).reshape(g.c, math.prod(g.k), -1)


@register("im2col")  # ATen's name for F.unfold; "unfold" is Tensor.unfold
class Unfold(Function):
    """out[n, (c, i, j), l] = padded x[n, c, block l's row + i*dh, its column + j*dw].

    x: (N, C, H, W) -> (N, C*kh*kw, L); backward: col2im, each block summed back.
    """

    def forward(self, x: Array, *, geom: GeomN) -> Array:
        self.geom = geom
        return _blocks(geom, layout(geom).cols(x))

    def backward(self, grad: Array) -> tuple[Array]:
        return (layout(self.geom).col2im(_cols(self.geom, grad)),)


def unfold(
    x: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Sliding blocks of an image as columns, as ``torch.nn.functional.unfold``.

    Args:
        x: shape (N, C, H, W) or unbatched (C, H, W).
        kernel_size: block size, an int or (kh, kw).
        dilation: spacing between taps, an int or a pair.
        padding: zeros on each side, an int or a pair.
        stride: step between blocks, an int or a pair.

    Returns:
        Shape (N, C*kh*kw, L), L = Lh * Lw blocks, Lh = (H + 2*ph - dh*(kh-1) - 1) // sh + 1;
        rows ordered (channel, kernel row, kernel column), blocks row-major.

    Raises:
        ShapeError: an input that is not 3-D or 4-D, or no block fits.

    >>> import scratchgrad as sg
    >>> unfold(sg.arange(9.0).reshape(1, 1, 3, 3), 2).tolist()
    [[[0.0, 1.0, 3.0, 4.0], [1.0, 2.0, 4.0, 5.0], [3.0, 4.0, 6.0, 7.0], [4.0, 5.0, 7.0, 8.0]]]
    """
    if x.ndim not in (3, 4):
        raise ShapeError(
            f"unfold: input must be 3-D (C, H, W) or 4-D (N, C, H, W): got {x.ndim}-D "
            f"(x={tuple(x.shape)})"
        )
    if x.ndim == 3:
        return unbatched(unfold, x, kernel_size, dilation, padding, stride)
    n, c, h, w = x.shape
    geom = _geom("unfold", n, c, (h, w), (kernel_size, dilation, padding, stride))
    return Unfold.apply(x, geom=geom)


@register("col2im")  # ATen's name for F.fold
class Fold(Function):
    """out = the sum of the blocks of x, each added where unfold would have read it.

    x: (N, C*kh*kw, L) -> (N, C, H, W); backward: unfold (im2col) of the gradient.
    """

    def forward(self, x: Array, *, geom: GeomN) -> Array:
        self.geom = geom
        return layout(geom).col2im(_cols(geom, x))

    def backward(self, grad: Array) -> tuple[Array]:
        return (_blocks(self.geom, layout(self.geom).cols(grad)),)


def fold(
    x: Tensor,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> Tensor:
    """Sum sliding blocks back onto an image (unfold's adjoint), as ``torch.nn.functional.fold``.

    Args:
        x: blocks, shape (N, C*kh*kw, L) or unbatched (C*kh*kw, L).
        output_size: the image size (H, W), an int or a pair.
        kernel_size: block size, an int or (kh, kw).
        dilation: spacing between taps, an int or a pair.
        padding: zeros on each side (cropped away), an int or a pair.
        stride: step between blocks, an int or a pair.

    Returns:
        Shape (N, C, H, W); overlapping block values are summed.

    Raises:
        ShapeError: an input that is not 2-D or 3-D, channels not divisible by kh*kw, or
            L not the number of blocks that fit in output_size.

    >>> import scratchgrad as sg
    >>> fold(sg.ones(1, 4, 4), 3, 2).tolist()
    [[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]
    """
    if x.ndim not in (2, 3):
        raise ShapeError(
            f"fold: input must be 2-D (C*kh*kw, L) or 3-D (N, C*kh*kw, L): got {x.ndim}-D "
            f"(x={tuple(x.shape)})"
        )
    if x.ndim == 2:
        return unbatched(fold, x, output_size, kernel_size, dilation, padding, stride)
    n, ck, length = x.shape
    kk = math.prod(ntuple(kernel_size, 2, "kernel_size", "fold"))
    if kk < 1 or ck % kk:
        raise ShapeError(
            f"fold: x.shape[1] must be divisible by kh*kw: x.shape[1]={ck}, "
            f"kernel_size={kernel_size} (x={tuple(x.shape)})"
        )
    size = ntuple(output_size, 2, "output_size", "fold")
    geom = _geom("fold", n, ck // kk, size, (kernel_size, dilation, padding, stride))
    if math.prod(geom.out) != length:
        raise ShapeError(
            f"fold: x.shape[2] must be the number of sliding blocks: x.shape[2]={length}, "
            f"but output_size={size} holds {geom.out[0]}*{geom.out[1]} blocks "
            f"(x={tuple(x.shape)})"
        )
    return Fold.apply(x, geom=geom)


def _geom(op: str, n: int, c: int, size: tuple[int, ...], args: tuple[Any, ...]) -> GeomN:
    """Check (kernel_size, dilation, padding, stride) on an H x W image; describe the blocks."""
    k, d, p, s = (
        ntuple(v, 2, name, op)
        for v, name in zip(args, ("kernel_size", "dilation", "padding", "stride"), strict=True)
    )
    check_positive(op, kernel_size=k, dilation=d, stride=s)
    if min(p) < 0:
        raise ValueError(f"{op}: padding must be non-negative: padding={p}")
    out = tuple(out_size(size[i], 2 * p[i], k[i], s[i], d[i]) for i in range(2))
    if min(out) < 1:
        raise ShapeError(
            f"{op}: no sliding block fits: size={size}, kernel_size={k}, dilation={d}, "
            f"padding={p}, stride={s} give {out} blocks"
        )
    return GeomN(n, c, size, k, s, d, p, p, 1, out)


__all__ = ["fold", "unfold"]
