"""Compatibility facade for ``torch.nn.modules.sparse``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.embedding_bag import EmbeddingBag
from scratchgrad.nn.linear import Embedding

__all__ = ["Embedding", "EmbeddingBag"]
