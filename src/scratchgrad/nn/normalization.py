"""Normalisation layers: BatchNorm1d/2d/3d, LayerNorm, RMSNorm.

Parameters, buffers, state_dict keys and reprs are PyTorch's: ``weight``, ``bias``,
``running_mean``, ``running_var`` and ``num_batches_tracked`` (int64).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchgrad.autograd import no_grad
from scratchgrad.backend import check_device
from scratchgrad.creation import ones, tensor, zeros
from scratchgrad.dtypes import int64
from scratchgrad.errors import ShapeError
from scratchgrad.nn import init
from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.neural.norm import batch_norm, layer_norm
from scratchgrad.ops.neural.rms_norm import rms_norm
from scratchgrad.tensor import Tensor


class _BatchNorm(Module):
    """Shared by BatchNorm1d and BatchNorm2d, which only say which input ranks they take.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance.
        momentum: weight of each batch in the running statistics; None for a cumulative
            average over all batches so far.
        affine: learn a per-channel scale (weight, ones at start) and shift (bias, zeros).
        track_running_stats: keep running statistics for eval; if False, eval also uses
            the batch's statistics.
        device: "cpu" or None (the only device).
        dtype: parameter and buffer dtype (default: the default float dtype).
        bias: learn the shift too (when affine).
    """

    _ranks: tuple[int, ...] = ()
    _expected: str = ""
    weight: Parameter | None
    bias: Parameter | None
    running_mean: Tensor | None
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device, type(self).__name__)
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _affine_parameters(self, (num_features,), affine, bias, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen."""
        if self.running_mean is not None and self.running_var is not None:
            self.running_mean.array.fill(0)
            self.running_var.array.fill(1)
        if self.num_batches_tracked is not None:
            self.num_batches_tracked.array.fill(0)

    def reset_parameters(self) -> None:
        """Reset the running statistics, weight to ones and bias to zeros."""
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input_dim(self, x: Tensor) -> None:
        if x.ndim not in self._ranks:
            raise ShapeError(
                f"{type(self).__name__}: expected {self._expected} input (got {x.ndim}D input, "
                f"shape {x.shape})"
            )

    def forward(self, x: Tensor) -> Tensor:
        """Normalise each channel: batch statistics in training, running ones in eval."""
        self._check_input_dim(x)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.array += 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.array)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        running = (self.running_mean, self.running_var) if keep else (None, None)
        return self._normalize(x, running, use_batch, factor)

    def _normalize(
        self,
        x: Tensor,
        running: tuple[Tensor | None, Tensor | None],
        use_batch: bool,
        momentum: float,
    ) -> Tensor:
        """The normalisation op itself (SyncBatchNorm takes its statistics over the ranks)."""
        mean, var = running
        return batch_norm(x, mean, var, self.weight, self.bias, use_batch, momentum, self.eps)

    def extra_repr(self) -> str:
        """``3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True``."""
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, per channel C.

    Shape:
        (N, C) -> (N, C), or (N, C, L) -> (N, C, L).

    Raises:
        ShapeError: for inputs of another rank.

    >>> import scratchgrad as sg
    >>> BatchNorm1d(3)(sg.randn(4, 3)).shape
    (4, 3)
    """

    _ranks = (2, 3)
    _expected = "2D or 3D"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs, per channel C.

    Shape:
        (N, C, H, W) -> (N, C, H, W).

    Raises:
        ShapeError: for inputs that are not 4-d.

    >>> import scratchgrad as sg
    >>> BatchNorm2d(3)(sg.randn(2, 3, 4, 4)).shape
    (2, 3, 4, 4)
    """

    _ranks = (4,)
    _expected = "4D"


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) inputs, per channel C.

    Shape:
        (N, C, D, H, W) -> (N, C, D, H, W).

    Raises:
        ShapeError: for inputs that are not 5-d.

    >>> import scratchgrad as sg
    >>> BatchNorm3d(3)(sg.randn(2, 3, 2, 2, 2)).shape
    (2, 3, 2, 2, 2)
    """

    _ranks = (5,)
    _expected = "5D"


class LayerNorm(Module):
    """Normalises each sample over its last dims, then scales and shifts elementwise.

    Args:
        normalized_shape: the trailing shape to normalise over, e.g. C or (C,).
        eps: added to the variance.
        elementwise_affine: learn weight (ones at start) and bias (zeros at start), each
            of shape normalized_shape.
        bias: learn the bias too (when elementwise_affine).
        device: "cpu" or None (the only device).
        dtype: parameter dtype (default: the default float dtype).

    Shape:
        (*, *normalized_shape) -> same.

    >>> import scratchgrad as sg
    >>> LayerNorm(4)(sg.randn(2, 4)).shape
    (2, 4)
    """

    weight: Parameter | None
    bias: Parameter | None

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "LayerNorm")
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias, dtype)

    def reset_parameters(self) -> None:
        """Weight to ones and bias to zeros."""
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        """layer_norm(x) over normalized_shape, scaled and shifted."""
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        """``(4,), eps=1e-05, elementwise_affine=True, bias=True``."""
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class RMSNorm(Module):
    """Divides each sample by its root mean square over the last dims, then scales.

    Args:
        normalized_shape: the trailing shape to normalise over, e.g. C or (C,).
        eps: added to the mean square; None for the input dtype's machine epsilon.
        elementwise_affine: learn a weight (ones at start) of shape normalized_shape.
        device: "cpu" or None (the only device).
        dtype: parameter dtype (default: the default float dtype).

    Shape:
        (*, *normalized_shape) -> same.

    >>> import scratchgrad as sg
    >>> RMSNorm(4)(sg.randn(2, 4)).shape
    (2, 4)
    """

    weight: Parameter | None

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device, "RMSNorm")
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    def reset_parameters(self) -> None:
        """Weight to ones."""
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        """rms_norm(x, normalized_shape, weight, eps)."""
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        """``(4,), eps=None, elementwise_affine=True``."""
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


def _affine_parameters(
    m: Module, shape: tuple[int, ...], affine: bool, bias: bool, dtype: Any
) -> None:
    """Give ``m`` a weight of ones and a bias of zeros (or None for each) of ``shape``."""
    if affine:
        m.weight = Parameter(ones(*shape, dtype=dtype))
        if bias:
            m.bias = Parameter(zeros(*shape, dtype=dtype))
        else:
            m.register_parameter("bias", None)
    else:
        m.register_parameter("weight", None)
        m.register_parameter("bias", None)


def _reset_affine(m: Module) -> None:
    """``m``'s weight to ones and bias to zeros, those it has."""
    weight, bias = getattr(m, "weight", None), getattr(m, "bias", None)
    with no_grad():
        if weight is not None:
            init.ones_(weight)
        if bias is not None:
            init.zeros_(bias)


__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "RMSNorm"]
