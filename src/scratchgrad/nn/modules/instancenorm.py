"""Compatibility facade for ``torch.nn.modules.instancenorm``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]
