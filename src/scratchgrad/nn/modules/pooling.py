"""Compatibility facade for ``torch.nn.modules.pooling``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.lp_pool import LPPool1d, LPPool2d, LPPool3d
from scratchgrad.nn.pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    MaxUnpool2d,
)

__all__ = [
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    "AdaptiveAvgPool1d",
    "AdaptiveMaxPool1d",
    "AvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "AvgPool2d",
    "AvgPool3d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool2d",
    "MaxPool1d",
]
