"""Fold and Unfold layers: sliding blocks to columns and back, as ``torch.nn``."""

from __future__ import annotations

from typing import Any

from scratchgrad.nn.module import Module
from scratchgrad.ops.spatial.fold import fold, unfold
from scratchgrad.tensor import Tensor


class Unfold(Module):
    """Sliding blocks of an image as columns. (N, C, H, W) -> (N, C*kh*kw, L).

    Args:
        kernel_size: block size, an int or (kh, kw).
        dilation: spacing between taps.
        padding: zeros on each side.
        stride: step between blocks.

    >>> Unfold((2, 3), padding=1)
    Unfold(kernel_size=(2, 3), dilation=1, padding=1, stride=1)
    """

    def __init__(
        self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, H, W) or (C, H, W) -> (N, C*kh*kw, L) or (C*kh*kw, L)."""
        return unfold(x, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        """``kernel_size=(2, 3), dilation=1, padding=1, stride=1``."""
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )


class Fold(Module):
    """Sum columns of sliding blocks back onto an image. (N, C*kh*kw, L) -> (N, C, H, W).

    Args:
        output_size: the image size (H, W), an int or a pair.
        kernel_size: block size, an int or (kh, kw).
        dilation: spacing between taps.
        padding: zeros on each side (cropped away).
        stride: step between blocks.

    >>> Fold(4, 2)
    Fold(output_size=4, kernel_size=2, dilation=1, padding=0, stride=1)
    """

    def __init__(
        self,
        output_size: Any,
        kernel_size: Any,
        dilation: Any = 1,
        padding: Any = 0,
        stride: Any = 1,
    ) -> None:
        super().__init__()
        self.output_size, self.kernel_size, self.dilation = output_size, kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, x: Tensor) -> Tensor:
        """(N, C*kh*kw, L) or (C*kh*kw, L) -> (N, C, H, W) or (C, H, W)."""
        args = (self.kernel_size, self.dilation, self.padding, self.stride)
        return fold(x, self.output_size, *args)

    def extra_repr(self) -> str:
        """``output_size=4, kernel_size=2, dilation=1, padding=0, stride=1``."""
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
            f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}"
        )


__all__ = ["Fold", "Unfold"]
