"""Normalisation layers over groups of channels, as ``torch.nn``: GroupNorm, LocalResponseNorm.

Parameters and reprs are PyTorch's; the functions are in
:mod:`scratchgrad.ops.neural.channel_norm`.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import check_device
from scratchgrad.nn.module import Module
from scratchgrad.nn.normalization import _affine_parameters, _reset_affine
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.neural.channel_norm import group_norm, local_response_norm
from scratchgrad.tensor import Tensor


class GroupNorm(Module):
    """Normalises each group of channels of each sample, then scales and shifts each channel.

    Args:
        num_groups: G; the C channels form G groups of C / G consecutive channels.
        num_channels: C.
        eps: added to the variance.
        affine: learn a per-channel weight (ones at start) and bias (zeros at start).
        device: "cpu" or None (the only device).
        dtype: parameter dtype (default: the default float dtype).
        bias: learn the bias too (when affine).

    Shape:
        (N, C, *) -> (N, C, *).

    Raises:
        ValueError: if num_channels is not divisible by num_groups.

    >>> import scratchgrad as sg
    >>> GroupNorm(2, 4)(sg.randn(3, 4, 5)).shape
    (3, 4, 5)
    """

    weight: Parameter | None
    bias: Parameter | None

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device, "GroupNorm")
        if num_channels % num_groups != 0:
            raise ValueError("GroupNorm: num_channels must be divisible by num_groups")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_parameters(self, (num_channels,), affine, bias, dtype)

    def reset_parameters(self) -> None:
        """Weight to ones and bias to zeros."""
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        """group_norm(x, num_groups, weight, bias, eps)."""
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        """``2, 4, eps=1e-05, affine=True, bias=True``."""
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class LocalResponseNorm(Module):
    """Divides by (k + alpha * mean of squares over ``size`` neighbouring channels)^beta.

    Args:
        size: the number of neighbouring channels.
        alpha: multiplier of the mean of squares.
        beta: exponent.
        k: additive constant.

    Shape:
        (N, C, *) -> (N, C, *), at least 3 dims.

    >>> import scratchgrad as sg
    >>> LocalResponseNorm(2)(sg.randn(1, 4, 3)).shape
    (1, 4, 3)
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, x: Tensor) -> Tensor:
        """local_response_norm(x, size, alpha, beta, k)."""
        return local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        """``2, alpha=0.0001, beta=0.75, k=1.0``."""
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


__all__ = ["GroupNorm", "LocalResponseNorm"]
