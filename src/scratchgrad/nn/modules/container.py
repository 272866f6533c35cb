"""Compatibility facade for ``torch.nn.modules.container``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.container import ModuleDict, ModuleList, Sequential
from scratchgrad.nn.parameter_container import ParameterDict, ParameterList

__all__ = ["ModuleDict", "ModuleList", "ParameterDict", "ParameterList", "Sequential"]
