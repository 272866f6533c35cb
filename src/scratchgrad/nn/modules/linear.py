"""Compatibility facade for ``torch.nn.modules.linear``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.linear import Identity, Linear

__all__ = ["Identity", "Linear"]
