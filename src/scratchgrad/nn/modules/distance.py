"""Compatibility facade for ``torch.nn.modules.distance``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.distance import CosineSimilarity, PairwiseDistance

__all__ = ["CosineSimilarity", "PairwiseDistance"]
