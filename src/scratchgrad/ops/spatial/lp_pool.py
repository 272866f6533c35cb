"""Power-average pooling: ``lp_pool1d``, ``lp_pool2d``, ``lp_pool3d``, composed as PyTorch's.

out = (sum over each window of x^p)^(1 / p): the average pooling of x^p times the window
size, with the sign kept (``sign(s) * relu(|s|)``) before the root. p = 1 is sum
pooling; p -> inf approaches max pooling.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from scratchgrad.ops.neural.piecewise import relu
from scratchgrad.ops.spatial._args import ntuple
from scratchgrad.ops.spatial.pool import avg_pool2d
from scratchgrad.ops.spatial.pool1d import avg_pool1d
from scratchgrad.ops.spatial.pool3d import avg_pool3d
from scratchgrad.tensor import Tensor


def _lp(
    op: str,
    avg: Callable[..., Tensor],
    dims: int,
    x: Tensor,
    norm_type: float,
    kernel_size: Any,
    stride: Any,
    ceil_mode: bool,
) -> Tensor:
    """(sum of x^p over each window)^(1/p) with ``avg``, the average pooling of ``dims`` dims."""
    size = math.prod(ntuple(kernel_size, dims, "kernel_size", op))
    out = avg(x.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs()) * size).pow(1.0 / norm_type)


def lp_pool1d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """p-norm over sliding windows along the last dim. (N, C, L) or (C, L) -> (..., Lo).

    Args:
        input: shape (N, C, L) or (C, L).
        norm_type: p.
        kernel_size: window size, an int.
        stride: step between windows; defaults to the kernel size.
        ceil_mode: round the output size up.

    >>> import scratchgrad as sg
    >>> lp_pool1d(sg.tensor([[[3.0, 4.0]]]), 2, 2).tolist()
    [[[5.0]]]
    """
    return _lp("lp_pool1d", avg_pool1d, 1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """p-norm over sliding 2-d windows. (N, C, H, W) or (C, H, W) -> (..., Ho, Wo).

    Args:
        input: shape (N, C, H, W) or (C, H, W).
        norm_type: p.
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to the kernel size.
        ceil_mode: round the output size up.
    """
    return _lp("lp_pool2d", avg_pool2d, 2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """p-norm over sliding 3-d windows. (N, C, D, H, W) or (C, D, H, W) -> pooled.

    Args:
        input: shape (N, C, D, H, W) or (C, D, H, W).
        norm_type: p.
        kernel_size: window size, an int or (kd, kh, kw).
        stride: step between windows; defaults to the kernel size.
        ceil_mode: round the output size up.
    """
    return _lp("lp_pool3d", avg_pool3d, 3, input, norm_type, kernel_size, stride, ceil_mode)


__all__ = ["lp_pool1d", "lp_pool2d", "lp_pool3d"]
