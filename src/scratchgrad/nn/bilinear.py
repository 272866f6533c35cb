"""Bilinear and ChannelShuffle layers, as ``torch.nn``."""

from __future__ import annotations

import math
from typing import Any

from scratchgrad.autograd import no_grad
from scratchgrad.backend import check_device
from scratchgrad.creation import empty
from scratchgrad.nn import init
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.neural.linear import bilinear
from scratchgrad.ops.spatial.channel_shuffle import channel_shuffle
from scratchgrad.tensor import Tensor


class Bilinear(Module):
    """A bilinear map: y_k = x1 @ weight[k] @ x2 + bias[k].

    Args:
        in1_features: size of each first input sample.
        in2_features: size of each second input sample.
        out_features: size of each output sample.
        bias: learn an additive bias.
        device: "cpu" or None (the only device).
        dtype: parameter dtype (default: the default float dtype).

    Shape:
        (*, in1_features), (*, in2_features) -> (*, out_features).

    Attributes:
        weight: shape (out, in1, in2), U(-1/sqrt(in1), 1/sqrt(in1)) at start (PyTorch's).
        bias: shape (out,), drawn alike, or None.

    >>> import scratchgrad as sg
    >>> Bilinear(2, 3, 4)(sg.ones(5, 2), sg.ones(5, 3)).shape
    (5, 4)
    """

    bias: Parameter | None

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "Bilinear")
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in1_features, in2_features, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weight and bias again from U(-1/sqrt(in1), 1/sqrt(in1))."""
        bound = 1 / math.sqrt(self.in1_features) if self.in1_features > 0 else 0.0
        with no_grad():
            init.uniform_(self.weight, -bound, bound)
            if self.bias is not None:
                init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        """bilinear(input1, input2, weight, bias)."""
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        """``in1_features=3, in2_features=4, out_features=5, bias=True``."""
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )


class ChannelShuffle(Module):
    """Interleaves the channels of ``groups`` groups (ShuffleNet). (N, C, *) -> (N, C, *).

    Args:
        groups: the number of groups, dividing C.

    >>> ChannelShuffle(2)
    ChannelShuffle(groups=2)
    """

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, x: Tensor) -> Tensor:
        """channel_shuffle(x, groups)."""
        return channel_shuffle(x, self.groups)

    def extra_repr(self) -> str:
        """``groups=2``."""
        return f"groups={self.groups}"


__all__ = ["Bilinear", "ChannelShuffle"]
