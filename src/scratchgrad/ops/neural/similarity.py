"""Vector similarities along a dim: ``normalize``, ``cosine_similarity``, ``pairwise_distance``.

All three are compositions of differentiable primitives (``norm``, ``clamp``, ``div``),
exactly as PyTorch computes them, so their gradients come from those ops:

- normalize divides by ``max(norm, eps)``: a zero vector stays zero.
- cosine_similarity divides each vector by its norm before the dot product (between -1
  and 1), the norm raised to ``eps`` without touching its gradient, as PyTorch does.
- pairwise_distance is ``norm(x1 - x2 + eps)`` over the last dim.
"""

from __future__ import annotations

from scratchgrad.ops.dims import normalize_dim
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.select import clamp_min
from scratchgrad.ops.reduce.stats import norm
from scratchgrad.ops.shape.view import broadcast_tensors
from scratchgrad.tensor import Tensor


def normalize(
    input: Tensor,  # noqa: A002 - PyTorch's name
    p: float = 2.0,
    dim: int = 1,
    eps: float = 1e-12,
    out: Tensor | None = None,
) -> Tensor:
    """Each vector along ``dim`` divided by its p-norm, or by eps when the norm is smaller.

    Args:
        input: float tensor, shape (*).
        p: the norm's exponent (a positive number, inf or -inf).
        dim: the dim of the vectors.
        eps: the smallest divisor; keeps zero vectors zero.
        out: a tensor of input's shape to write the result into (no gradient), or None.

    Returns:
        Shape (*), like input.

    >>> import scratchgrad as sg
    >>> normalize(sg.tensor([[3.0, 4.0], [0.0, 0.0]]))
    tensor([[0.6000, 0.8000],
            [0.0000, 0.0000]])
    """
    x = _as_float(input)
    d = normalize_dim(dim, max(x.ndim, 1), "normalize")
    result = x / clamp_min(norm(x, p, dim=d, keepdim=True), eps)
    if out is None:
        return result
    out.array[...] = result.array
    return out


def _unit(x: Tensor, dim: int, eps: float) -> Tensor:
    """x divided by its 2-norm along ``dim``, the norm raised to eps with an unchanged gradient."""
    n = norm(x, 2, dim=dim, keepdim=True)
    floor = clamp_min(n.detach(), eps) - n.detach()  # 0 unless the norm is below eps
    return x / (n + floor)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Cosine of the angle between x1 and x2 along ``dim``: x1 . x2 / (|x1| |x2|).

    Each norm is taken as at least eps, so a zero vector has similarity 0.

    Args:
        x1: shape broadcasting with x2's to a common shape (*).
        x2: as x1.
        dim: the dim of the vectors, in the common shape.
        eps: the smallest norm.

    Returns:
        The common shape without ``dim``.

    >>> import scratchgrad as sg
    >>> cosine_similarity(sg.tensor([[1.0, 0.0]]), sg.tensor([[1.0, 1.0]])).tolist()
    [0.7071067690849304]
    """
    a, b = broadcast_tensors(_as_float(x1), _as_float(x2))
    d = normalize_dim(dim, max(a.ndim, 1), "cosine_similarity")
    return (_unit(a, d, eps) * _unit(b, d, eps)).sum(d)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """The p-norm of x1 - x2 + eps over the last dim (eps avoids a zero norm's gradient).

    Args:
        x1: shape (*, D), broadcasting with x2.
        x2: shape (*, D) or (D,).
        p: the norm's exponent.
        eps: added to every difference.
        keepdim: keep the last dim, with size 1.

    Returns:
        Shape (*) (or (*, 1) with keepdim).

    >>> import scratchgrad as sg
    >>> pairwise_distance(sg.tensor([[3.0, 4.0]]), sg.zeros(1, 2), eps=0.0).tolist()
    [5.0]
    """
    diff = _as_float(x1) - _as_float(x2) + eps
    return norm(diff, p, dim=max(diff.ndim, 1) - 1, keepdim=keepdim)


__all__ = ["cosine_similarity", "normalize", "pairwise_distance"]
