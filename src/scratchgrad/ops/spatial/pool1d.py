"""1-d max pooling: ``max_pool1d``, the 2-d max pooling of a height-1 view.

(N, C, L) runs as (N, C, 1, L) with a (1, k) window, so values, gradients and indices
(positions in L: the flat index in a 1 x L plane) are max_pool2d's.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.ops.spatial._args import check_ndim, ntuple
from scratchgrad.ops.spatial.pool import max_pool2d
from scratchgrad.tensor import Tensor


def max_pool1d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """Max over sliding windows along the last dim, as ``torch.nn.functional.max_pool1d``.

    Args:
        input: shape (N, C, L) or (C, L).
        kernel_size: window size, an int or (k,).
        stride: step between windows; defaults to the kernel size.
        padding: implicit -inf border, at most half the (dilated) kernel.
        dilation: spacing between window taps.
        ceil_mode: round the output size up (a last, partial window).
        return_indices: also return each max's int64 position in L.

    Returns:
        Values (N, C, Lo) (or (C, Lo)), or (values, indices) with return_indices.

    Raises:
        ShapeError: input not 2-D or 3-D, or a window larger than the padded input.

    >>> import scratchgrad as sg
    >>> max_pool1d(sg.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
    [[[3.0, 2.0]]]
    """
    check_ndim("max_pool1d", input, 3)
    op = "max_pool1d"
    k = ntuple(kernel_size, 1, "kernel_size", op)
    s = k if stride is None or stride == () else ntuple(stride, 1, "stride", op)
    p, d = ntuple(padding, 1, "padding", op), ntuple(dilation, 1, "dilation", op)
    out = max_pool2d(
        input.unsqueeze(-2), (1, *k), (1, *s), (0, *p), (1, *d), ceil_mode, return_indices
    )
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


__all__ = ["max_pool1d"]
