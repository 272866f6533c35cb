"""Compatibility facade for ``torch.nn.modules.fold``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.fold import Fold, Unfold

__all__ = ["Fold", "Unfold"]
