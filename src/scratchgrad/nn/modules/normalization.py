"""Compatibility facade for ``torch.nn.modules.normalization``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.channel_norm import GroupNorm, LocalResponseNorm
from scratchgrad.nn.normalization import LayerNorm, RMSNorm

__all__ = ["GroupNorm", "LayerNorm", "LocalResponseNorm", "RMSNorm"]
