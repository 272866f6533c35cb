"""1-d pooling: ``max_pool1d``, ``avg_pool1d``, ``adaptive_avg_pool1d``, ``adaptive_max_pool1d``.

Each is its 2-d pooling of a height-1 view: (N, C, L) runs as (N, C, 1, L) with a (1, k)
window, so values, gradients and indices (positions in L: the flat index in a 1 x L
plane) are the 2-d op's.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.ops.spatial._args import check_ndim, ntuple
from scratchgrad.ops.spatial.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from scratchgrad.ops.spatial.unpool import adaptive_max_pool2d
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
    k, s, p = _window("max_pool1d", kernel_size, stride, padding)
    d = (1, *ntuple(dilation, 1, "dilation", "max_pool1d"))
    out = max_pool2d(input.unsqueeze(-2), k, s, p, d, ceil_mode, return_indices)
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


def _window(op: str, kernel_size: Any, stride: Any, padding: Any) -> tuple[Any, Any, Any]:
    """kernel, stride (the kernel's when None or empty) and padding as (1, k) pairs."""
    k = ntuple(kernel_size, 1, "kernel_size", op)
    s = k if stride is None or stride == () else ntuple(stride, 1, "stride", op)
    return (1, *k), (1, *s), (0, *ntuple(padding, 1, "padding", op))


def avg_pool1d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """Mean over sliding windows along the last dim, as ``torch.nn.functional.avg_pool1d``.

    Args:
        input: shape (N, C, L) or (C, L).
        kernel_size: window size, an int or (k,).
        stride: step between windows; defaults to the kernel size.
        padding: implicit zero border, at most half the kernel.
        ceil_mode: round the output size up (a last, partial window).
        count_include_pad: count the padding zeros in each window's divisor.

    Returns:
        Shape (N, C, Lo) (or (C, Lo)).

    >>> import scratchgrad as sg
    >>> avg_pool1d(sg.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
    [[[2.0, 1.0]]]
    """
    check_ndim("avg_pool1d", input, 3)
    k, s, p = _window("avg_pool1d", kernel_size, stride, padding)
    out = avg_pool2d(input.unsqueeze(-2), k, s, p, ceil_mode, count_include_pad)
    return out.squeeze(-2)


def _adaptive_size(op: str, output_size: Any) -> tuple[int, Any]:
    """(1, Lo) from an int or (Lo,) (None keeps L)."""
    size = output_size if isinstance(output_size, int | None) else tuple(output_size)
    if isinstance(size, tuple):
        if len(size) != 1:
            raise ValueError(f"{op}: output_size must be 1 value, got {output_size!r}")
        size = size[0]
    return (1, size)


def adaptive_avg_pool1d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    output_size: Any,
) -> Tensor:
    """Mean over Lo windows that tile the last dim as evenly as possible.

    Args:
        input: shape (N, C, L) or (C, L).
        output_size: Lo, an int or (Lo,).

    Returns:
        Shape (N, C, Lo) (or (C, Lo)).

    >>> import scratchgrad as sg
    >>> adaptive_avg_pool1d(sg.tensor([[[1.0, 3.0, 2.0]]]), 1).tolist()
    [[[2.0]]]
    """
    check_ndim("adaptive_avg_pool1d", input, 3)
    size = _adaptive_size("adaptive_avg_pool1d", output_size)
    return adaptive_avg_pool2d(input.unsqueeze(-2), size).squeeze(-2)


def adaptive_max_pool1d(
    input: Tensor,  # noqa: A002 - PyTorch's name
    output_size: Any,
    return_indices: bool = False,
) -> Any:
    """Max over Lo windows that tile the last dim, as torch's ``adaptive_max_pool1d``.

    Args:
        input: float, shape (N, C, L) or (C, L).
        output_size: Lo, an int or (Lo,).
        return_indices: also return each max's int64 position in L.

    Returns:
        Values (N, C, Lo) (or (C, Lo)), or (values, indices) with return_indices.

    >>> import scratchgrad as sg
    >>> adaptive_max_pool1d(sg.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
    [[[3.0, 2.0]]]
    """
    check_ndim("adaptive_max_pool1d", input, 3)
    size = _adaptive_size("adaptive_max_pool1d", output_size)
    out = adaptive_max_pool2d(input.unsqueeze(-2), size, return_indices)
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


__all__ = ["adaptive_avg_pool1d", "adaptive_max_pool1d", "avg_pool1d", "max_pool1d"]
