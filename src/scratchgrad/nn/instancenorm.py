"""Instance normalisation layers, as ``torch.nn``: InstanceNorm1d, InstanceNorm2d, InstanceNorm3d.

Each channel of each sample is normalised over its spatial dims. Parameters and buffers
are BatchNorm's (``weight``, ``bias``, ``running_mean``, ``running_var``,
``num_batches_tracked``), but off by default: ``affine=False``,
``track_running_stats=False``. With running statistics, evaluation uses them instead of
each instance's; ``momentum=None`` leaves them unchanged (PyTorch's behaviour).
"""

from __future__ import annotations

import warnings
from typing import Any

from scratchgrad.nn.normalization import _BatchNorm
from scratchgrad.ops.neural.channel_norm import instance_norm
from scratchgrad.tensor import Tensor


class _InstanceNorm(_BatchNorm):
    """Shared by the InstanceNorm layers, which say which input ranks they take.

    Args:
        num_features: C, the number of channels.
        eps: added to the variance.
        momentum: weight of each batch in the running statistics (None: 0).
        affine: learn a per-channel scale (ones at start) and shift (zeros at start).
        track_running_stats: keep running statistics, used in evaluation.
        device: "cpu" or None (the only device).
        dtype: parameter and buffer dtype (default: the default float dtype).
        bias: learn the shift too (when affine).
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias
        )

    def _check_channels(self, x: Tensor) -> None:
        dim = x.ndim - self._ranks[0]  # 0 unbatched, 1 batched
        if x.shape[dim] == self.num_features:
            return
        if self.affine:
            raise ValueError(
                f"{type(self).__name__}: expected input's size at dim={dim} to match "
                f"num_features ({self.num_features}), but got: {x.shape[dim]}."
            )
        warnings.warn(
            f"{type(self).__name__}: input's size at dim={dim} does not match num_features. "
            f"You can silence this warning by not passing in num_features, which is not used "
            f"because affine=False",
            UserWarning,
            stacklevel=3,
        )

    def forward(self, x: Tensor) -> Tensor:
        """Normalise each channel of each sample (running statistics in eval, if tracked)."""
        self._check_input_dim(x)
        self._check_channels(x)
        unbatched = x.ndim == self._ranks[0]
        out = instance_norm(
            x.unsqueeze(0) if unbatched else x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            0.0 if self.momentum is None else self.momentum,
            self.eps,
        )
        return out.squeeze(0) if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or unbatched (C, L) inputs.

    Shape:
        (N, C, L) -> (N, C, L), or (C, L) -> (C, L).

    Raises:
        ShapeError: for inputs of another rank.

    >>> import scratchgrad as sg
    >>> InstanceNorm1d(3)(sg.randn(2, 3, 5)).shape
    (2, 3, 5)
    """

    _ranks = (2, 3)
    _expected = "2D or 3D"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or unbatched (C, H, W) inputs.

    Shape:
        (N, C, H, W) -> (N, C, H, W), or (C, H, W) -> (C, H, W).

    Raises:
        ShapeError: for inputs of another rank.

    >>> import scratchgrad as sg
    >>> InstanceNorm2d(3)(sg.randn(2, 3, 4, 4)).shape
    (2, 3, 4, 4)
    """

    _ranks = (3, 4)
    _expected = "3D or 4D"


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or unbatched (C, D, H, W) inputs.

    Shape:
        (N, C, D, H, W) -> same, or (C, D, H, W) -> same.

    Raises:
        ShapeError: for inputs of another rank.

    >>> import scratchgrad as sg
    >>> InstanceNorm3d(2)(sg.randn(1, 2, 3, 3, 3)).shape
    (1, 2, 3, 3, 3)
    """

    _ranks = (4, 5)
    _expected = "4D or 5D"


__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]
