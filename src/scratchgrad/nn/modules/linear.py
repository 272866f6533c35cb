"""Compatibility facade for ``torch.nn.modules.linear``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.bilinear import Bilinear
from scratchgrad.nn.linear import Identity, Linear

__all__ = ["Bilinear", "Identity", "Linear"]
