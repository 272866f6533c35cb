"""Pooling layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, as ``torch.nn``.

Arguments are stored as given (an int stays an int), so reprs match PyTorch's; the
layers hold no parameters.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.nn.module import Module
from scratchgrad.ops.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from scratchgrad.tensor import Tensor


class _Pool2d(Module):
    """Shared by the sliding-window layers: the window arguments, stored as given."""

    def __init__(self, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode


class MaxPool2d(_Pool2d):
    """Max over sliding windows. (N, C, H, W) -> (N, C, Ho, Wo).

    Args:
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to kernel_size.
        padding: implicit -inf border, at most half the (dilated) kernel.
        dilation: spacing between window taps.
        return_indices: forward also returns each max's index in its H*W plane.
        ceil_mode: round the output size up (a last, partial window).

    >>> MaxPool2d(2)
    MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.dilation = dilation
        self.return_indices = return_indices

    def forward(self, x: Tensor) -> Any:
        """(N, C, H, W) -> values (N, C, Ho, Wo), or (values, int64 indices)."""
        return max_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            ceil_mode=self.ceil_mode,
            return_indices=self.return_indices,
        )

    def extra_repr(self) -> str:
        """``kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False``."""
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(_Pool2d):
    """Mean over sliding windows. (N, C, H, W) -> (N, C, Ho, Wo).

    Args:
        kernel_size: window size, an int or (kh, kw).
        stride: step between windows; defaults to kernel_size.
        padding: implicit zero border, at most half the kernel.
        ceil_mode: round the output size up (a last, partial window).
        count_include_pad: count the padding zeros in each window's divisor.
        divisor_override: divide every window sum by this instead.

    >>> AvgPool2d(3, 2, 1)
    AvgPool2d(kernel_size=3, stride=2, padding=1)
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, H, W) -> (N, C, Ho, Wo)."""
        return avg_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        """``kernel_size=3, stride=2, padding=1``."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Mean over windows chosen to give a fixed output size. (N, C, H, W) -> (N, C, *output_size).

    Args:
        output_size: an int, or (Ho, Wo) where None keeps that input size.

    >>> AdaptiveAvgPool2d((None, 3))
    AdaptiveAvgPool2d(output_size=(None, 3))
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, H, W) -> (N, C, Ho, Wo)."""
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        """``output_size=(None, 3)``."""
        return f"output_size={self.output_size}"


__all__ = ["AdaptiveAvgPool2d", "AvgPool2d", "MaxPool2d"]
