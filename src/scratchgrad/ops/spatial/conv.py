"""Convolutions: conv2d, conv1d (a height-1 conv2d), conv3d and their transposes.

conv_transpose2d and conv_transpose3d are the adjoints of conv2d and conv3d;
conv_transpose1d is a height-1 conv_transpose2d.

Each is one op computed by im2col and a GEMM (see ``im2col`` for the memory layouts).
Without groups, the bias rides in the forward GEMM as a row of ones. Pooling and pad
live in :mod:`~scratchgrad.ops.spatial.pool` and :mod:`~scratchgrad.ops.spatial.pad`.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import squeeze, unsqueeze
from scratchgrad.ops.spatial._args import (
    Pair,
    check_float,
    check_ndim,
    ntuple,
    shapes,
    stride_and_dilation,
    unbatched,
)
from scratchgrad.ops.spatial.im2col import (
    Geom,
    GeomN,
    conv_gemm,
    input_cols,
    layout,
    out_size,
    weight_grad,
)
from scratchgrad.tensor import Tensor


def _same_padding(k: int, d: int) -> Pair:
    """torch's 'same': total d*(k-1), the odd one extra on the right/bottom."""
    total = d * (k - 1)
    return total // 2, total - total // 2


Ints = tuple[int, ...]


def _padding_nd(padding: Any, k: Ints, s: Ints, d: Ints, op: str) -> tuple[Ints, Ints]:
    """(before, after) per spatial dim from an int, a tuple, 'valid' or 'same'."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0,) * len(k), (0,) * len(k)
        if padding != "same":
            raise ValueError(f"{op}: padding must be 'valid', 'same' or ints, got {padding!r}")
        if any(v != 1 for v in s):
            raise ValueError(f"{op}: padding='same' is not supported for strided convolutions")
        same = [_same_padding(a, b) for a, b in zip(k, d, strict=True)]
        return tuple(lo for lo, _ in same), tuple(hi for _, hi in same)
    p = ntuple(padding, len(k), "padding", op)
    if min(p) < 0:
        raise ValueError(f"{op}: negative padding is not supported: padding={p}")
    return p, p


def _conv_geom(op: str, x: Ints, wt: Ints, args: tuple[Any, Any, Any, int], shown: str) -> GeomN:
    """Check a convolution call over any number of spatial dims and describe it.

    Args:
        op: the op name, for messages.
        x: input shape (N, C, *size).
        wt: weight shape (Co, C/groups, *k).
        args: (stride, padding, dilation, groups) as the user gave them.
        shown: the user's shapes, for messages.
    """
    stride, padding, dilation, groups = args
    (n, c, *size), (co, cg, *k) = x, wt
    s, d = stride_and_dilation(op, stride, dilation, groups, len(k))
    if co % groups:
        raise ShapeError(
            f"{op}: groups must divide out_channels: out_channels={co}, groups={groups} ({shown})"
        )
    if c != cg * groups:
        raise ShapeError(
            f"{op}: input channels must equal weight.shape[1] * groups: "
            f"x.shape[1]={c} != {cg} * {groups} ({shown})"
        )
    lo, hi = _padding_nd(padding, tuple(k), s, d, op)
    ext = tuple(b * (a - 1) + 1 for a, b in zip(k, d, strict=True))
    padded = tuple(v + a + b for v, a, b in zip(size, lo, hi, strict=True))
    if any(e > p for e, p in zip(ext, padded, strict=True)):
        raise ShapeError(
            f"{op}: kernel larger than padded input: dilated kernel {ext} > "
            f"padded input {padded} ({shown})"
        )
    pads = tuple(a + b for a, b in zip(lo, hi, strict=True))
    out = tuple(out_size(*v) for v in zip(size, pads, k, s, d, strict=True))
    return GeomN(n, c, tuple(size), tuple(k), s, d, lo, hi, groups, out)


def _geom2(g: GeomN) -> Geom:
    """A 2-d GeomN as the 2-d Geom (which may take the fast stride-1 layout)."""
    (h, w), (kh, kw), (sh, sw), (dh, dw), (ho, wo) = g.size, g.k, g.s, g.d, g.out
    pads = (g.lo[0], g.hi[0], g.lo[1], g.hi[1])
    return Geom(g.n, g.c, h, w, kh, kw, sh, sw, dh, dw, *pads, g.groups, ho, wo)


@register("conv2d")
class Conv2d(Function):
    """out = w (cross-correlated with) x + b, as one GEMM on the im2col columns.

    x: (N, C, H, W), w: (Co, C/G, kh, kw), b: (Co,) -> (N, Co, Ho, Wo).
    backward: dw = g @ cols.T, dx = col2im(w.T @ g), db = g summed over (N, Ho, Wo).
    Without groups the bias rides in the GEMM: a row of ones in cols, a column in w.
    """

    def forward(self, x: Array, w: Array, b: Array | None = None, *, geom: Geom | GeomN) -> Array:
        lay, groups = layout(geom), geom.groups
        self.fold = b is not None and groups == 1
        self.lay, self.w = lay, w
        self.cols = lay.cols(x, ones=self.fold)  # (C*kh*kw [+1], M)
        if b is not None and self.fold:
            w = xp.concatenate([w.reshape(w.shape[0], -1), b[:, None]], axis=1)  # (Co, K+1)
        out = conv_gemm(w, self.cols, groups)  # (Co, M)
        if b is not None and not self.fold:
            out += b[:, None]
        return xp.ascontiguousarray(lay.crop(out))  # (N, Co, Ho, Wo), so .view works after it

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        lay, w, need = self.lay, self.w, self.needs_input_grad
        g = lay.widen(grad)  # (Co, M), zero in unused columns
        gx = gw = gb = None
        if need[0]:
            gx = lay.col2im(input_cols(w, g, lay.g.groups))
        if need[1] or self.fold:
            gwb = weight_grad(g, self.cols, lay.g.groups)  # (Co, C/G*kh*kw [+1])
            gw = gwb[:, : w[0].size].reshape(w.shape)
            gb = gwb[:, -1] if self.fold else None
        if len(need) > 2 and need[2] and gb is None:
            gb = g.sum(1)
        return (gx, gw, gb)[: len(need)]


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
    _check_inputs("conv2d", x, weight, bias, "(Co, C/groups, kh, kw)")
    if x.ndim == 3:
        return unbatched(conv2d, x, weight, bias, stride, padding, dilation, groups)
    args = (stride, padding, dilation, groups)
    geom = _geom2(_conv_geom("conv2d", x.shape, weight.shape, args, shapes(x=x, weight=weight)))
    return _apply_conv(Conv2d, x, weight, bias, geom, weight.shape[0])


@register("conv1d")
class Conv1d(Conv2d):
    """conv2d on a height-1 image. x: (N, C, L), w: (Co, C/G, k), b: (Co,) -> (N, Co, Lo)."""

    def forward(self, x: Array, w: Array, b: Array | None = None, *, geom: Geom | GeomN) -> Array:
        return super().forward(x[:, :, None], w[:, :, None], b, geom=geom)[:, :, 0]

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        grads = super().backward(grad[:, :, None])  # (gx, gw[, gb]) in 2-d
        return tuple(None if g is None or g.ndim < 3 else g[:, :, 0] for g in grads[:2]) + grads[2:]


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
    _check_inputs(op, x, weight, bias, "(Co, C/groups, k)")
    if x.ndim == 2:
        return unbatched(conv1d, x, weight, bias, stride, padding, dilation, groups)
    pad2 = padding if isinstance(padding, str) else (0, *ntuple(padding, 1, "padding", op))
    args = (
        (1, *ntuple(stride, 1, "stride", op)),
        pad2,
        (1, *ntuple(dilation, 1, "dilation", op)),
        groups,
    )
    (n, c, length), (co, cg, k) = x.shape, weight.shape
    shown = shapes(x=x, weight=weight)
    geom = _geom2(_conv_geom(op, (n, c, 1, length), (co, cg, 1, k), args, shown))
    return _apply_conv(Conv1d, x, weight, bias, geom, co)


@register("conv_transpose2d")
class ConvTranspose2d(Function):
    """The adjoint of conv2d: each input pixel spreads w over the output, plus b.

    x: (N, Ci, H, W), w: (Ci, Co/G, kh, kw), b: (Co,) -> (N, Co, Ho, Wo).
    ``geom`` is the conv2d from the output back to x. forward = conv2d's input gradient;
    backward: dx = conv2d(g, w), dw = x @ im2col(g).T, db = g summed over (N, Ho, Wo).
    """

    def forward(self, x: Array, w: Array, b: Array | None = None, *, geom: Geom | GeomN) -> Array:
        lay = layout(geom)
        self.lay, self.w = lay, w
        self.x = lay.widen(x)  # (Ci, M)
        out = lay.col2im(input_cols(w, self.x, geom.groups))  # (N, Co, Ho, Wo)
        if b is not None:
            out += b.reshape(-1, *(1,) * (out.ndim - 2))
        return xp.ascontiguousarray(out)

    def backward(self, grad: Array) -> tuple[Array | None, ...]:
        lay, w, need = self.lay, self.w, self.needs_input_grad
        cols = lay.cols(grad)  # (Co*kh*kw, M)
        gx = gw = gb = None
        if need[0]:
            gx = lay.crop(conv_gemm(w, cols, lay.g.groups))  # (N, Ci, H, W)
        if need[1]:
            gw = weight_grad(self.x, cols, lay.g.groups).reshape(w.shape)
        if len(need) > 2 and need[2]:
            gb = grad.sum((0, *range(2, grad.ndim)))
        return (gx, gw, gb)[: len(need)]


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
    _check_inputs(op, x, weight, bias, "(Ci, Co/groups, kh, kw)")
    args = (stride, padding, output_padding, groups, dilation)
    if x.ndim == 3:
        return unbatched(conv_transpose2d, x, weight, bias, *args)
    geom = _geom2(_transpose_geom(op, x, weight, args))
    return _apply_conv(ConvTranspose2d, x, weight, bias, geom, geom.c)


def _apply_conv(
    fn: type[Function], x: Tensor, weight: Tensor, bias: Tensor | None, geom: Geom | GeomN, co: int
) -> Tensor:
    if bias is None:
        return fn.apply(x, weight, geom=geom)
    if tuple(bias.shape) != (co,):
        raise ShapeError(
            f"{fn.name}: bias must have one value per output channel: bias={tuple(bias.shape)} "
            f"!= ({co},) ({shapes(x=x, weight=weight)})"
        )
    return fn.apply(x, weight, bias, geom=geom)


def _check_inputs(op: str, x: Tensor, weight: Tensor, bias: Tensor | None, dims: str) -> None:
    """x batched or not, a weight of ``dims`` (its ndim: the batched input's), one float dtype."""
    ndim = dims.count(",") + 1
    check_ndim(op, x, ndim)
    if weight.ndim != ndim:
        raise ShapeError(
            f"{op}: weight must be {ndim}-D {dims}: got {weight.ndim}-D "
            f"({shapes(x=x, weight=weight)})"
        )
    check_float(op, x, weight, bias)


def _transpose_geom(op: str, x: Tensor, weight: Tensor, args: tuple[Any, ...]) -> GeomN:
    """The convolution from a transposed convolution's output (N, Co, *out) back to x.

    args = (stride, padding, output_padding, groups, dilation), as the user gave them.
    The full transposed output is cropped by p on each side; output_padding keeps
    op_ more rows (columns, ...) at the end of each dim, zero where no window reaches.
    """
    stride, padding, output_padding, groups, dilation = args
    shown, nd = shapes(x=x, weight=weight), x.ndim - 2
    s, d = stride_and_dilation(op, stride, dilation, groups, nd)
    p = ntuple(padding, nd, "padding", op)
    op_ = ntuple(output_padding, nd, "output_padding", op)
    if min(*p, *op_) < 0:
        raise ValueError(f"{op}: negative padding is not supported: padding={p}, {op_}")
    n, ci, *size = x.shape
    if ci != weight.shape[0] or ci % groups:
        rule = "groups must divide in_channels" if ci % groups else "input channels must match"
        raise ShapeError(
            f"{op}: {rule}: x.shape[1]={ci}, weight.shape[0]={weight.shape[0]}, "
            f"groups={groups} ({shown})"
        )
    if any(o >= max(a, b) for o, a, b in zip(op_, s, d, strict=True)):
        raise ValueError(
            f"{op}: output padding must be smaller than either stride or dilation: "
            f"output_padding={op_}, stride={s}, dilation={d}"
        )
    _, cog, *k = weight.shape
    out = tuple(
        (h - 1) * a - 2 * b + c * (kk - 1) + o + 1
        for h, a, b, c, kk, o in zip(size, s, p, d, k, op_, strict=True)
    )
    if min(out) < 1:
        raise ShapeError(f"{op}: output size must be positive: {out} ({shown})")
    hi = tuple(max(a - o, 0) for a, o in zip(p, op_, strict=True))
    return GeomN(n, cog * groups, out, tuple(k), s, d, p, hi, groups, tuple(size))


def conv_transpose1d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 1-d convolution (the gradient of conv1d): a height-1 conv_transpose2d.

    Args:
        x: input, shape (N, Ci, L) or unbatched (Ci, L).
        weight: shape (Ci, Co/groups, k).
        bias: shape (Co,), or None.
        stride: an int (or a 1-tuple), as the conv1d this is the transpose of.
        padding: as the conv1d this is the transpose of (cropped from the output).
        output_padding: extra positions added at the end of the output.
        groups: channel groups.
        dilation: as the conv1d this is the transpose of.

    Returns:
        Shape (N, Co, Lo), Lo = (L-1)*s - 2*p + d*(k-1) + output_padding + 1.

    Raises:
        ShapeError: wrong ndim, channels or groups that do not match the weight.

    >>> import scratchgrad as sg
    >>> conv_transpose1d(sg.ones(1, 1, 3), sg.ones(1, 1, 2), stride=2).tolist()
    [[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]]
    """
    op = "conv_transpose1d"
    _check_inputs(op, x, weight, bias, "(Ci, Co/groups, k)")
    if x.ndim == 2:
        args = (stride, padding, output_padding, groups, dilation)
        return unbatched(conv_transpose1d, x, weight, bias, *args)
    one = tuple(
        (0 if name.endswith("padding") else 1, *ntuple(v, 1, name, op))
        for name, v in (
            ("stride", stride),
            ("padding", padding),
            ("output_padding", output_padding),
            ("dilation", dilation),
        )
    )
    s, p, op_, d = one
    out = conv_transpose2d(unsqueeze(x, 2), unsqueeze(weight, 2), bias, s, p, op_, groups, d)
    return squeeze(out, 2)


@register("conv3d")
class Conv3d(Conv2d):
    """out = w (cross-correlated with) x + b over three spatial dims, as one GEMM.

    x: (N, C, D, H, W), w: (Co, C/G, kd, kh, kw), b: (Co,) -> (N, Co, Do, Ho, Wo).
    forward and backward are conv2d's (dw = g @ cols.T, dx = col2im(w.T @ g)) on the
    N-d grid layout that its ``GeomN`` geometry selects.
    """


def conv3d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """3-d cross-correlation, as ``torch.nn.functional.conv3d``.

    Args:
        x: input, shape (N, C, D, H, W) or unbatched (C, D, H, W).
        weight: kernels, shape (Co, C/groups, kd, kh, kw).
        bias: shape (Co,), or None.
        stride: step between windows, an int or (sd, sh, sw).
        padding: zeros on each side: an int, 3 ints, 'valid' (none) or 'same'.
        dilation: spacing between kernel taps, an int or 3 ints.
        groups: split channels into groups convolved separately.

    Returns:
        Shape (N, Co, Do, Ho, Wo), Do = (D + 2*pd - dd*(kd-1) - 1) // sd + 1, same for H, W.

    Raises:
        ShapeError: wrong ndim, channels that do not match, groups that do not divide
            the channels, or a kernel larger than the padded input.

    >>> import scratchgrad as sg
    >>> conv3d(sg.ones(1, 1, 4, 4, 4), sg.ones(2, 1, 2, 2, 2), padding=(0, 1, 0)).shape
    (1, 2, 3, 5, 3)
    """
    _check_inputs("conv3d", x, weight, bias, "(Co, C/groups, kd, kh, kw)")
    if x.ndim == 4:
        return unbatched(conv3d, x, weight, bias, stride, padding, dilation, groups)
    args = (stride, padding, dilation, groups)
    geom = _conv_geom("conv3d", x.shape, weight.shape, args, shapes(x=x, weight=weight))
    return _apply_conv(Conv3d, x, weight, bias, geom, weight.shape[0])


@register("conv_transpose3d")
class ConvTranspose3d(ConvTranspose2d):
    """The adjoint of conv3d: each input voxel spreads w over the output, plus b.

    x: (N, Ci, D, H, W), w: (Ci, Co/G, kd, kh, kw), b: (Co,) -> (N, Co, Do, Ho, Wo).
    forward and backward are conv_transpose2d's on the N-d grid layout of its ``GeomN``.
    """


def conv_transpose3d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """Transposed 3-d convolution (the gradient of conv3d), as torch's.

    Args:
        x: input, shape (N, Ci, D, H, W) or unbatched (Ci, D, H, W).
        weight: shape (Ci, Co/groups, kd, kh, kw).
        bias: shape (Co,), or None.
        stride: an int or 3 ints, as the conv3d this is the transpose of.
        padding: as the conv3d this is the transpose of (cropped from the output).
        output_padding: extra planes/rows/columns at the end of each output dim.
        groups: channel groups.
        dilation: as the conv3d this is the transpose of.

    Returns:
        Shape (N, Co, Do, Ho, Wo), Do = (D-1)*sd - 2*pd + dd*(kd-1) + output_padding + 1,
        same for H, W.

    Raises:
        ShapeError: wrong ndim, channels or groups that do not match the weight.

    >>> import scratchgrad as sg
    >>> conv_transpose3d(sg.ones(1, 2, 2, 3, 4), sg.ones(2, 1, 2, 2, 2), stride=2).shape
    (1, 1, 4, 6, 8)
    """
    op = "conv_transpose3d"
    _check_inputs(op, x, weight, bias, "(Ci, Co/groups, kd, kh, kw)")
    args = (stride, padding, output_padding, groups, dilation)
    if x.ndim == 4:
        return unbatched(conv_transpose3d, x, weight, bias, *args)
    geom = _transpose_geom(op, x, weight, args)
    return _apply_conv(ConvTranspose3d, x, weight, bias, geom, geom.c)


__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
]
