"""Compatibility facade for ``torch.nn.modules.pooling``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.pooling import (
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    AvgPool2d,
    AvgPool3d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    MaxUnpool2d,
)

__all__ = [
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "AvgPool2d",
    "AvgPool3d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool2d",
    "MaxPool1d",
]
