"""Compatibility facade for ``torch.nn.modules.normalization``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.normalization import LayerNorm

__all__ = ["LayerNorm"]
