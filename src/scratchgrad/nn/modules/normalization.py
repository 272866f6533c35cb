"""Compatibility facade for ``torch.nn.modules.normalization``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.normalization import GroupNorm, LayerNorm, LocalResponseNorm, RMSNorm

__all__ = ["GroupNorm", "LayerNorm", "LocalResponseNorm", "RMSNorm"]
