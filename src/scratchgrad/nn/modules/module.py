"""Compatibility facade for ``torch.nn.modules.module``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.module import Module

__all__ = ["Module"]
