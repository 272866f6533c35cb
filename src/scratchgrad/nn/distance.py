"""Distance layers, as ``torch.nn``: CosineSimilarity and PairwiseDistance (no parameters)."""

from __future__ import annotations

from scratchgrad.nn.module import Module
from scratchgrad.ops.neural.similarity import cosine_similarity, pairwise_distance
from scratchgrad.tensor import Tensor


class CosineSimilarity(Module):
    """Cosine similarity of x1 and x2 along ``dim``, each norm at least eps.

    Args:
        dim: the dim of the vectors.
        eps: the smallest norm.

    Shape:
        x1 and x2 broadcasting to (*) -> (*) without ``dim``; e.g. (N, D), (N, D) -> (N,).

    >>> import scratchgrad as sg
    >>> CosineSimilarity()(sg.tensor([[1.0, 0.0]]), sg.tensor([[2.0, 0.0]])).tolist()
    [1.0]
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        """cosine_similarity(x1, x2, dim, eps)."""
        return cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm distance of x1 - x2 + eps over the last dim.

    Args:
        p: the norm's exponent.
        eps: added to every difference.
        keepdim: keep the last dim, with size 1.

    Shape:
        (N, D), (N, D) -> (N,) (or (N, 1) with keepdim); (D,), (D,) -> ().

    >>> import scratchgrad as sg
    >>> PairwiseDistance(eps=0.0)(sg.tensor([[3.0, 4.0]]), sg.zeros(1, 2)).tolist()
    [5.0]
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        """pairwise_distance(x1, x2, p, eps, keepdim)."""
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


__all__ = ["CosineSimilarity", "PairwiseDistance"]
