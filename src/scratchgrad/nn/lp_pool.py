"""Power-average pooling layers, as ``torch.nn``: LPPool1d, LPPool2d, LPPool3d."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from scratchgrad.nn.module import Module
from scratchgrad.ops.spatial.lp_pool import lp_pool1d, lp_pool2d, lp_pool3d
from scratchgrad.tensor import Tensor


class _LPPool(Module):
    """(sum of x^p over each window)^(1/p), arguments stored as given (reprs as torch's).

    Args:
        norm_type: p.
        kernel_size: window size, an int or one int per pooled dim.
        stride: step between windows; None for the kernel size.
        ceil_mode: round the output size up.
    """

    pool: ClassVar[Callable[..., Tensor]]

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, x: Tensor) -> Tensor:
        """The pooled x."""
        pool = type(self).pool
        return pool(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        """``norm_type=2, kernel_size=3, stride=None, ceil_mode=False``."""
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, ceil_mode={self.ceil_mode}"
        )


class LPPool1d(_LPPool):
    """p-norm pooling along the last dim. (N, C, L) -> (N, C, Lo).

    >>> LPPool1d(2, 3)
    LPPool1d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)
    """

    pool = lp_pool1d


class LPPool2d(_LPPool):
    """p-norm pooling over 2-d windows. (N, C, H, W) -> (N, C, Ho, Wo).

    >>> LPPool2d(2, 3, 2)
    LPPool2d(norm_type=2, kernel_size=3, stride=2, ceil_mode=False)
    """

    pool = lp_pool2d


class LPPool3d(_LPPool):
    """p-norm pooling over 3-d windows. (N, C, D, H, W) -> (N, C, Do, Ho, Wo)."""

    pool = lp_pool3d


__all__ = ["LPPool1d", "LPPool2d", "LPPool3d"]
