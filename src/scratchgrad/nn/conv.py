"""Convolution layers: Conv1d/2d/3d, ConvTranspose1d/2d/3d, as ``torch.nn``.

Same constructor arguments, attributes, state_dict keys (``weight``, ``bias``), default
initialisation and repr as PyTorch. A ``padding_mode`` other than ``'zeros'`` pads with
:func:`~scratchgrad.ops.spatial.pad.pad` first and convolves without padding, as PyTorch does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from scratchgrad.creation import empty
from scratchgrad.errors import ShapeError
from scratchgrad.nn import init
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.spatial._args import ntuple
from scratchgrad.ops.spatial.conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)
from scratchgrad.ops.spatial.pad import pad
from scratchgrad.tensor import Tensor

_MODES = ("zeros", "reflect", "replicate", "circular")
_CONV: dict[int, Callable[..., Tensor]] = {1: conv1d, 2: conv2d, 3: conv3d}  # by the layer's dims
_TRANSPOSED: dict[int, Callable[..., Tensor]] = {
    1: conv_transpose1d,
    2: conv_transpose2d,
    3: conv_transpose3d,
}


class _ConvNd(Module):
    """Shared by the convolution layers: arguments, parameters, init and repr.

    The constructor is Conv1d's, Conv2d's and Conv3d's (torch's order); ConvTranspose2d, whose
    order differs, passes its arguments on and sets its ``output_padding`` after.
    """

    transposed = False
    dims = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self.dims
        _check_groups(name, in_channels, out_channels, groups)
        if padding_mode not in _MODES:
            raise ValueError(
                f"{name}: padding_mode must be one of {_MODES}, got padding_mode={padding_mode!r}"
            )
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _ntuple(kernel_size, n, "kernel_size", name)
        self.stride = _ntuple(stride, n, "stride", name)
        self.dilation = _ntuple(dilation, n, "dilation", name)
        self.padding: Any = _check_padding(name, padding, self.stride, n)
        self.output_padding = (0,) * n
        self.padding_mode = padding_mode
        self._reversed_padding_repeated_twice = _reversed_padding(
            self.padding, self.kernel_size, self.dilation
        )
        w_shape = (
            (in_channels, out_channels // groups)
            if self.transposed
            else (out_channels, in_channels // groups)
        )
        self.weight = Parameter(empty(*w_shape, *self.kernel_size, dtype=dtype))
        if bias:
            self.bias: Parameter | None = Parameter(empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's defaults: kaiming_uniform_(a=sqrt(5)) weight, U(+-1/sqrt(fan_in)) bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _padded(self, x: Tensor) -> Tensor:
        """x padded by padding_mode when that is not 'zeros' (then conv pads nothing)."""
        return pad(x, self._reversed_padding_repeated_twice, mode=self.padding_mode)

    def extra_repr(self) -> str:
        """PyTorch's text: ``3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)``."""
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        s += f", stride={self.stride}"
        extras = [
            ("padding", self.padding, (0,) * self.dims),
            ("dilation", self.dilation, (1,) * self.dims),
            ("output_padding", self.output_padding, (0,) * self.dims),
            ("groups", self.groups, 1),
        ]
        s += "".join(f", {k}={v}" for k, v, default in extras if v != default)
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


def _ntuple(v: Any, n: int, name: str, layer: str) -> tuple[int, ...]:
    """An int or exactly n ints (a layer takes no 1-tuple for n, unlike the functions)."""
    return ntuple(v, n, name, layer, repeat_one=False)


def _check_groups(name: str, cin: int, cout: int, groups: int) -> None:
    if groups <= 0:
        raise ValueError(f"{name}: groups must be a positive integer: groups={groups}")
    for what, c in (("in_channels", cin), ("out_channels", cout)):
        if c % groups:
            raise ShapeError(f"{name}: groups must divide {what}: {what}={c}, groups={groups}")


def _check_padding(name: str, padding: Any, stride: tuple[int, ...], n: int) -> Any:
    if not isinstance(padding, str):
        return _ntuple(padding, n, "padding", name)
    if padding not in ("valid", "same"):
        raise ValueError(
            f"{name}: invalid padding string {padding!r}, should be one of ('valid', 'same')"
        )
    if padding == "same" and any(s != 1 for s in stride):
        raise ValueError(f"{name}: padding='same' is not supported for strided convolutions")
    return padding


def _reversed_padding(
    padding: Any, kernel: tuple[int, ...], dilation: tuple[int, ...]
) -> tuple[int, ...]:
    """F.pad's (last_left, last_right, ...) for padding_mode != 'zeros', as torch."""
    if padding == "valid":
        padding = (0,) * len(kernel)
    if padding != "same":
        return tuple(p for p in reversed(padding) for _ in range(2))
    out: list[int] = []
    for d, k in zip(reversed(dilation), reversed(kernel), strict=True):
        total = d * (k - 1)
        out += [total // 2, total - total // 2]
    return tuple(out)


class _Conv(_ConvNd):
    """Conv1d and Conv2d: a forward that pads by padding_mode, then convolves."""

    def forward(self, x: Tensor) -> Tensor:
        """(N, Cin, *size) or (Cin, *size) -> (N, Cout, *out_size) or (Cout, *out_size)."""
        conv = _CONV[self.dims]
        if self.padding_mode != "zeros":
            return conv(
                self._padded(x), self.weight, self.bias, self.stride, 0, self.dilation, self.groups
            )
        return conv(
            x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )


class Conv2d(_Conv):
    """2-d convolution layer. x: (N, Cin, H, W) -> (N, Cout, Ho, Wo).

    Args:
        in_channels: Cin.
        out_channels: Cout.
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw).
        padding: an int, (ph, pw), 'valid' or 'same'.
        dilation: an int or (dh, dw).
        groups: channel groups; must divide Cin and Cout.
        bias: learn a bias per output channel.
        padding_mode: 'zeros', 'reflect', 'replicate' or 'circular'.
        device: only None or 'cpu'.
        dtype: parameter dtype (default float32).

    Weight (Cout, Cin/groups, kh, kw) and bias (Cout,) start as torch's defaults.

    >>> Conv2d(1, 8, 3, padding=1)
    Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    """


class Conv1d(_Conv):
    """1-d convolution layer. x: (N, Cin, L) -> (N, Cout, Lo); arguments as :class:`Conv2d`.

    >>> Conv1d(2, 4, 3)
    Conv1d(2, 4, kernel_size=(3,), stride=(1,))
    """

    dims = 1


class Conv3d(_Conv):
    """3-d convolution layer. x: (N, Cin, D, H, W) -> (N, Cout, Do, Ho, Wo).

    Arguments as :class:`Conv2d`, with an int or 3 ints for kernel_size, stride, padding
    and dilation. Weight (Cout, Cin/groups, kd, kh, kw) and bias (Cout,) start as
    torch's defaults.

    >>> Conv3d(2, 4, 3, padding=(1, 0, 1))
    Conv3d(2, 4, kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=(1, 0, 1))
    """

    dims = 3


class ConvTranspose2d(_ConvNd):
    """Transposed 2-d convolution (the gradient of Conv2d). (N, Cin, H, W) -> (N, Cout, Ho, Wo).

    Args:
        in_channels: Cin.
        out_channels: Cout.
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw).
        padding: an int or (ph, pw), cropped from the output.
        output_padding: extra rows/columns on the bottom/right of the output.
        groups: channel groups; must divide Cin and Cout.
        bias: learn a bias per output channel.
        dilation: an int or (dh, dw).
        padding_mode: only 'zeros'.
        device: only None or 'cpu'.
        dtype: parameter dtype (default float32).

    Weight (Cin, Cout/groups, kh, kw) and bias (Cout,) start as torch's defaults.
    """

    transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        name = type(self).__name__
        if padding_mode != "zeros":
            raise ValueError(f'{name}: only "zeros" padding mode is supported')
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )
        self.output_padding = _ntuple(output_padding, self.dims, "output_padding", name)

    def forward(self, x: Tensor, output_size: Any = None) -> Tensor:
        """(N, Cin, H, W) -> (N, Cout, Ho, Wo); ``output_size`` picks output_padding.

        Raises:
            ValueError: an output_size that no output_padding reaches.
        """
        out_pad = self._output_padding(x, output_size)
        return _TRANSPOSED[self.dims](
            x,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            out_pad,
            self.groups,
            self.dilation,
        )

    def _output_padding(self, x: Tensor, output_size: Any) -> tuple[int, ...]:
        """The output_padding that gives ``output_size`` (its spatial sizes) (or the stored one)."""
        if output_size is None:
            return self.output_padding
        n = self.dims
        size = [int(s) for s in output_size][-n:]
        out: list[int] = []
        for d in range(n):
            low = (
                (x.shape[x.ndim - n + d] - 1) * self.stride[d]
                - 2 * self.padding[d]
                + self.dilation[d] * (self.kernel_size[d] - 1)
                + 1
            )
            if not low <= size[d] < low + self.stride[d]:
                raise ValueError(
                    f"{type(self).__name__}: requested an output size of {size}, but valid sizes "
                    f"range from {low} to {low + self.stride[d] - 1} in dim {d}"
                )
            out.append(size[d] - low)
        return tuple(out)


class ConvTranspose1d(ConvTranspose2d):
    """Transposed 1-d convolution (the gradient of Conv1d). (N, Cin, L) -> (N, Cout, Lo).

    Arguments as :class:`ConvTranspose2d`, with an int (or a 1-tuple) for kernel_size,
    stride, padding, output_padding and dilation. Weight (Cin, Cout/groups, k) and bias
    (Cout,) start as torch's defaults.

    >>> ConvTranspose1d(2, 4, 3, stride=2)
    ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,))
    """

    dims = 1


class ConvTranspose3d(ConvTranspose2d):
    """Transposed 3-d convolution (the gradient of Conv3d). (N, Cin, D, H, W) -> (N, Cout, *out).

    Arguments as :class:`ConvTranspose2d`, with an int or 3 ints for kernel_size, stride,
    padding, output_padding and dilation. Weight (Cin, Cout/groups, kd, kh, kw) and bias
    (Cout,) start as torch's defaults.

    >>> ConvTranspose3d(2, 4, 3, output_padding=(0, 1, 0), stride=2)
    ConvTranspose3d(2, 4, kernel_size=(3, 3, 3), stride=(2, 2, 2), output_padding=(0, 1, 0))
    """

    dims = 3


__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]
