"""Compatibility facade for ``torch.nn.modules.flatten``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.linear import Flatten, Unflatten

__all__ = ["Flatten", "Unflatten"]
