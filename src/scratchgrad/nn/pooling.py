"""Pooling layers: max, average and adaptive pooling, and max unpooling, as ``torch.nn``.

MaxPool1d/2d/3d, AvgPool1d/2d/3d, AdaptiveAvgPool1d/2d, AdaptiveMaxPool1d/2d, MaxUnpool2d. Arguments
are stored as given (an int stays an int; MaxUnpool2d stores pairs, as torch), so reprs
match PyTorch's; the layers hold no parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from scratchgrad.nn.module import Module
from scratchgrad.ops.spatial._args import pair
from scratchgrad.ops.spatial.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from scratchgrad.ops.spatial.pool1d import (
    adaptive_avg_pool1d,
    adaptive_max_pool1d,
    avg_pool1d,
    max_pool1d,
)
from scratchgrad.ops.spatial.pool3d import avg_pool3d, max_pool3d
from scratchgrad.ops.spatial.unpool import adaptive_max_pool2d, max_unpool2d
from scratchgrad.tensor import Tensor


class _Pool(Module):
    """Shared by the sliding-window layers: the window arguments, stored as given.

    ``pool`` is the functional op a subclass runs (its 2-d or 3-d form).
    """

    pool: ClassVar[Callable[..., Any]]

    def __init__(self, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode


class _MaxPool(_Pool):
    """Max over sliding windows (MaxPool2d, MaxPool3d). (N, C, *size) -> (N, C, *out).

    Args:
        kernel_size: window size, an int or one int per spatial dim.
        stride: step between windows; defaults to kernel_size.
        padding: implicit -inf border, at most half the (dilated) kernel.
        dilation: spacing between window taps.
        return_indices: forward also returns each max's index in its input plane.
        ceil_mode: round the output size up (a last, partial window).
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
        """(N, C, *size) -> values (N, C, *out), or (values, int64 indices)."""
        return type(self).pool(
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


class MaxPool1d(_MaxPool):
    """Max over sliding windows along the last dim. (N, C, L) -> (N, C, Lo).

    Arguments as :class:`MaxPool2d`, each an int (or 1 int); indices are positions in L.

    >>> MaxPool1d(2)
    MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    """

    pool = max_pool1d


class MaxPool2d(_MaxPool):
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

    pool = max_pool2d


class MaxPool3d(_MaxPool):
    """Max over sliding 3-d windows. (N, C, D, H, W) -> (N, C, Do, Ho, Wo).

    Arguments as :class:`MaxPool2d`, each an int or 3 ints; indices are into each
    D*H*W plane.

    >>> MaxPool3d(2)
    MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    """

    pool = max_pool3d


class _AvgPool(_Pool):
    """Mean over sliding windows (AvgPool2d, AvgPool3d). (N, C, *size) -> (N, C, *out).

    Args:
        kernel_size: window size, an int or one int per spatial dim.
        stride: step between windows; defaults to kernel_size.
        padding: implicit zero border, at most half the kernel.
        ceil_mode: round the output size up (a last, partial window).
        count_include_pad: count the padding zeros in each window's divisor.
        divisor_override: divide every window sum by this instead.
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
        """(N, C, *size) -> (N, C, *out)."""
        out: Tensor = type(self).pool(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )
        return out

    def extra_repr(self) -> str:
        """``kernel_size=3, stride=2, padding=1``."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPool):
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

    pool = avg_pool2d


class AvgPool3d(_AvgPool):
    """Mean over sliding 3-d windows. (N, C, D, H, W) -> (N, C, Do, Ho, Wo).

    Arguments as :class:`AvgPool2d`, each an int or 3 ints.

    >>> AvgPool3d(3, 2, 1)
    AvgPool3d(kernel_size=3, stride=2, padding=1)
    """

    pool = avg_pool3d


def _single(v: Any) -> tuple[Any, ...]:
    """An int as a 1-tuple; a sequence as a tuple (torch's ``_single``)."""
    return tuple(v) if isinstance(v, tuple | list) else (v,)


class AvgPool1d(_AvgPool):
    """Mean over sliding windows along the last dim. (N, C, L) -> (N, C, Lo).

    Args:
        kernel_size: window size, an int or (k,).
        stride: step between windows; defaults to kernel_size.
        padding: implicit zero border, at most half the kernel.
        ceil_mode: round the output size up (a last, partial window).
        count_include_pad: count the padding zeros in each window's divisor.

    The sizes are stored as 1-tuples, as torch's.

    >>> AvgPool1d(3, 2, 1)
    AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        k = _single(kernel_size)
        s = k if stride is None else _single(stride)
        super().__init__(k, s, _single(padding), ceil_mode, count_include_pad)

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, L) -> (N, C, Lo)."""
        return avg_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )


class AdaptiveAvgPool1d(Module):
    """Mean over windows chosen to give a fixed output length. (N, C, L) -> (N, C, Lo).

    Args:
        output_size: Lo.

    >>> AdaptiveAvgPool1d(3)
    AdaptiveAvgPool1d(output_size=3)
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, L) -> (N, C, Lo)."""
        return adaptive_avg_pool1d(x, self.output_size)

    def extra_repr(self) -> str:
        """``output_size=3``."""
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(Module):
    """Max over windows chosen to give a fixed output length. (N, C, L) -> (N, C, Lo).

    Args:
        output_size: Lo.
        return_indices: forward also returns each max's int64 position in L.

    >>> AdaptiveMaxPool1d(3)
    AdaptiveMaxPool1d(output_size=3)
    """

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, x: Tensor) -> Any:
        """(N, C, L) -> values (N, C, Lo), or (values, int64 indices)."""
        return adaptive_max_pool1d(x, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        """``output_size=3``."""
        return f"output_size={self.output_size}"


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


class AdaptiveMaxPool2d(Module):
    """Max over windows chosen to give a fixed output size. (N, C, H, W) -> (N, C, *output_size).

    Args:
        output_size: an int, or (Ho, Wo) where None keeps that input size.
        return_indices: forward also returns each max's int64 index in its H*W plane.

    >>> AdaptiveMaxPool2d((None, 3))
    AdaptiveMaxPool2d(output_size=(None, 3))
    """

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, x: Tensor) -> Any:
        """(N, C, H, W) -> values (N, C, Ho, Wo), or (values, int64 indices)."""
        return adaptive_max_pool2d(x, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        """``output_size=(None, 3)``."""
        return f"output_size={self.output_size}"


class MaxUnpool2d(Module):
    """The inverse of MaxPool2d: values back at their indices, zeros elsewhere.

    (N, C, H, W) values and int64 indices -> (N, C, Ho, Wo), Ho = (H-1)*sh - 2*ph + kh
    unless forward is given ``output_size``.

    Args:
        kernel_size: the pooling's window size, an int or (kh, kw).
        stride: the pooling's stride; defaults to kernel_size.
        padding: the pooling's padding.

    >>> MaxUnpool2d(2)
    MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        name = "MaxUnpool2d"
        self.kernel_size = pair(kernel_size, "kernel_size", name)
        self.stride = pair(kernel_size if stride is None else stride, "stride", name)
        self.padding = pair(padding, "padding", name)

    def forward(self, x: Tensor, indices: Tensor, output_size: Any = None) -> Tensor:
        """(N, C, H, W) values and indices -> (N, C, Ho, Wo)."""
        return max_unpool2d(x, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        """``kernel_size=(2, 2), stride=(2, 2), padding=(0, 0)``."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool2d",
]
