"""Margin and embedding losses, composed of primitive ops, as PyTorch computes them.

``margin_ranking_loss``, ``hinge_embedding_loss``, ``soft_margin_loss``,
``multilabel_soft_margin_loss``, ``cosine_embedding_loss`` and ``triplet_margin_loss``.
Targets are labels (+1 / -1, or 0 / 1 for the multi-label loss); the primitives' backwards
give the gradients of the inputs.
"""

from __future__ import annotations

from scratchgrad.errors import ShapeError
from scratchgrad.ops.elementwise.select import clamp_min, minimum, where
from scratchgrad.ops.loss._common import check_pair, check_reduction, reduce
from scratchgrad.ops.neural.similarity import pairwise_distance
from scratchgrad.ops.neural.smooth import logsigmoid
from scratchgrad.tensor import Tensor

COSINE_EPS = 1e-12  # PyTorch's, added to each squared norm in cosine_embedding_loss


def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    reduction: str = "mean",
) -> Tensor:
    """Ranking hinge max(0, -target * (input1 - input2) + margin).

    input1 should rank above input2 by margin where target is 1, below where it is -1.

    Args:
        input1: scores, shape (*) (or () ).
        input2: scores, broadcasting with input1, the same number of dims.
        target: 1 or -1, broadcasting with them, the same number of dims.
        margin: the gap required.
        reduction: "none" (the broadcast shape), "mean" or "sum".

    Raises:
        ShapeError: for inputs with different numbers of dims.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> x, y = sg.tensor([1.0, 0.0]), sg.tensor([0.0, 0.5])
    >>> margin_ranking_loss(x, y, sg.tensor([1.0, 1.0]), reduction="none").tolist()
    [0.0, 0.5]
    """
    check_reduction("margin_ranking_loss", reduction)
    if not input1.ndim == input2.ndim == target.ndim:
        raise ShapeError(
            f"margin_ranking_loss: all input tensors should have the same number of dims, "
            f"got input1 {input1.shape}, input2 {input2.shape}, target {target.shape}"
        )
    return reduce(clamp_min(-target * (input1 - input2) + margin, 0.0), reduction)


def hinge_embedding_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    margin: float = 1.0,
    reduction: str = "mean",
) -> Tensor:
    """input where target is 1, max(0, margin - input) where it is -1 (input: a distance).

    Args:
        input: distances, shape (*).
        target: 1 or -1, broadcasting with input.
        margin: the distance dissimilar pairs should exceed.
        reduction: "none" (the broadcast shape), "mean" or "sum".

    Raises:
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> d = sg.tensor([0.5, 0.25])
    >>> hinge_embedding_loss(d, sg.tensor([1.0, -1.0]), reduction="none").tolist()
    [0.5, 0.75]
    """
    check_reduction("hinge_embedding_loss", reduction)
    pull = where(target != 1, clamp_min(margin - input, 0.0), 0.0)
    push = where(target != -1, input, 0.0)
    return reduce(pull + push, reduction)


def soft_margin_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
) -> Tensor:
    """Logistic loss of scores against +1 / -1 labels: log(1 + exp(-target * input)).

    Args:
        input: scores, float, shape (*).
        target: 1 or -1, shape (*).
        reduction: "none" (shape (*)), "mean" or "sum".

    Raises:
        ShapeError: if target's shape is not input's.
        TypeError: for a non-float input.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> round(soft_margin_loss(sg.tensor([0.0]), sg.tensor([1.0])).item(), 4)
    0.6931
    """
    check_pair("soft_margin_loss", input, target, reduction)
    return reduce(-logsigmoid(target * input), reduction)


def multilabel_soft_margin_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy of logits per label, averaged over the C labels of each sample.

    Args:
        input: logits, float, shape (N, C) (or (C,)).
        target: 0 or 1 per label, shape (N, C).
        weight: a weight per label, broadcasting with (N, C), or None.
        reduction: "none" (shape (N,)), "mean" or "sum".

    Raises:
        ShapeError: if target's shape is not input's.
        TypeError: for a non-float input.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> round(multilabel_soft_margin_loss(sg.zeros(1, 2), sg.tensor([[1.0, 0.0]])).item(), 4)
    0.6931
    """
    check_pair("multilabel_soft_margin_loss", input, target, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    c = input.shape[-1] if input.ndim else 1
    return reduce(loss.sum(max(input.ndim, 1) - 1) / c, reduction)


def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    reduction: str = "mean",
) -> Tensor:
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1.

    Args:
        input1: embeddings, shape (N, D) (or (D,) with a 0-d target).
        input2: embeddings, shape (N, D) (or (D,)).
        target: 1 or -1, shape (N,) (or ()).
        margin: the cosine dissimilar pairs should stay below, in [-1, 1].
        reduction: "none" (shape (N,)), "mean" or "sum".

    Raises:
        ShapeError: for a target that is not 0-d or 1-d, or inputs of the wrong rank.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([[1.0, 0.0]])
    >>> cosine_embedding_loss(x, x, sg.tensor([1.0])).item()
    0.0
    """
    check_reduction("cosine_embedding_loss", reduction)
    if target.ndim > 1:
        raise ShapeError(
            f"cosine_embedding_loss: 0D or 1D target tensor expected, multi-target not "
            f"supported: got {target.shape}"
        )
    rank = target.ndim + 1
    if input1.ndim != rank or input2.ndim != rank:
        raise ShapeError(
            f"cosine_embedding_loss: {target.ndim}D target tensor expects {rank}D input "
            f"tensors, but found inputs with sizes {input1.shape} and {input2.shape}"
        )
    d = target.ndim
    dot = (input1 * input2).sum(d)
    sq = ((input1 * input1).sum(d) + COSINE_EPS) * ((input2 * input2).sum(d) + COSINE_EPS)
    cos = dot / sq.sqrt()
    pos = where(target == 1, 1 - cos, 0.0)
    neg = where(target == -1, clamp_min(cos - margin, 0.0), 0.0)
    return reduce(pos + neg, reduction)


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin), d the pairwise p-norm distance.

    Args:
        anchor: embeddings, shape (N, D) or (D,).
        positive: embeddings like the anchor's, the same number of dims.
        negative: embeddings unlike the anchor's, the same number of dims.
        margin: the gap required between the two distances, > 0.
        p: the norm's exponent.
        eps: added to the differences (see :func:`pairwise_distance`).
        swap: use min(d(a, n), d(p, n)) as the negative distance (distance swap).
        reduction: "none" (shape (N,)), "mean" or "sum".

    Raises:
        ShapeError: for inputs with different numbers of dims.
        ValueError: for margin <= 0 or an unknown reduction.

    >>> import scratchgrad as sg
    >>> a = sg.zeros(1, 2)
    >>> triplet_margin_loss(a, a, sg.ones(1, 2), eps=0.0).item()
    0.0
    """
    check_reduction("triplet_margin_loss", reduction)
    if not margin > 0:
        raise ValueError(f"triplet_margin_loss: margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise ShapeError(
            f"triplet_margin_loss: anchor, positive and negative must have the same number "
            f"of dims: {anchor.shape}, {positive.shape}, {negative.shape}"
        )
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return reduce(clamp_min(margin + d_pos - d_neg, 0.0), reduction)


__all__ = [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "multilabel_soft_margin_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
]
