"""conv3d: a 3-d convolution, the 2-d im2col op run on the N-d grid layout.

The columns of a (N, C, D, H, W) input are its (C*kd*kh*kw) receptive fields, one per
output position (see ``_im2col.Grid``); forward and backward are conv2d's GEMMs.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.ops._registry import register
from scratchgrad.ops._spatial import shapes, unbatched
from scratchgrad.ops.conv import Conv2d, _apply_conv, _check_inputs, _conv_geom
from scratchgrad.tensor import Tensor


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


__all__ = ["conv3d"]
