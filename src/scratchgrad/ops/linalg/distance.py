"""Distances and norms between tensors: dist, cdist, pdist, renorm."""

from __future__ import annotations

from scratchgrad.backend import xp
from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.elementwise.select import where
from scratchgrad.ops.reduce.stats import norm
from scratchgrad.ops.shape.view import reshape
from scratchgrad.tensor import Tensor


def dist(a: Tensor, b: Tensor, p: float = 2) -> Tensor:
    """The p-norm of a - b over all elements (broadcast first); a 0-d tensor."""
    return norm(reshape(a - b, (-1,)), p)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0) -> Tensor:
    """Pairwise p-norm distances: (*B, P, M) and (*B, R, M) -> (*B, P, R)."""
    if x1.ndim < 2 or x2.ndim < 2 or x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"cdist(): x1 {x1.shape} and x2 {x2.shape} need (.., P, M), (.., R, M)")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)  # (*B, P, R, M)
    return norm(diff, p, dim=-1)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:  # noqa: A002 - PyTorch's name
    """p-norm distances between the rows of input, i < j in row-major order.

    Args:
        input: shape (N, M).
        p: the norm's exponent.

    Returns:
        Shape (N * (N - 1) / 2,): d(0, 1), d(0, 2), ..., d(N - 2, N - 1).

    Raises:
        ValueError: for input that is not 2-d.

    >>> import scratchgrad as sg
    >>> pdist(sg.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]])).tolist()
    [5.0, 1.0, 4.242640495300293]
    """
    if input.ndim != 2:
        raise ValueError(f"pdist: only supports 2D tensors, got: {input.ndim}D")
    i, j = xp.triu_indices(input.shape[0], k=1)
    return norm(input[Tensor(i)] - input[Tensor(j)], p, dim=-1)


def renorm(x: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """Each slice along ``dim`` with p-norm above maxnorm rescaled to maxnorm; same shape."""
    d = normalize_dim(dim, x.ndim, "renorm")
    others = [i for i in range(x.ndim) if i != d]
    norms = norm(x, p, dim=others, keepdim=True) if others else abs(x)
    factor = where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return x * factor


__all__ = ["cdist", "dist", "pdist", "renorm"]
