"""Compatibility facade for ``torch.nn.modules.dropout``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.linear import Dropout, Dropout1d, Dropout2d, Dropout3d
from scratchgrad.nn.stochastic import AlphaDropout, FeatureAlphaDropout

__all__ = [
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "AlphaDropout",
    "FeatureAlphaDropout",
]
