"""Compatibility facade for ``torch.nn.modules.container``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.container import ModuleDict, ModuleList, Sequential

__all__ = ["ModuleDict", "ModuleList", "Sequential"]
