"""Margin and embedding losses, composed of primitive ops, as PyTorch computes them.

``margin_ranking_loss``, ``hinge_embedding_loss``, ``soft_margin_loss``,
``multilabel_soft_margin_loss``, ``multilabel_margin_loss``, ``cosine_embedding_loss``,
``triplet_margin_loss`` and ``triplet_margin_with_distance_loss``.
Targets are labels (+1 / -1, or 0 / 1 for the multi-label loss); the primitives' backwards
give the gradients of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable

from scratchgrad.backend import Array, xp
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

    def distance(x1: Tensor, x2: Tensor) -> Tensor:
        return pairwise_distance(x1, x2, p, eps)

    args = (anchor, positive, negative, distance, margin, swap, reduction)
    return _triplet("triplet_margin_loss", *args)


def triplet_margin_with_distance_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    *,
    distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) for any distance d (pairwise_distance by default).

    Args:
        anchor: embeddings, shape (N, D) or (D,).
        positive: embeddings like the anchor's, the same number of dims.
        negative: embeddings unlike the anchor's, the same number of dims.
        distance_function: d(x1, x2) -> one distance per pair, shape (N,).
        margin: the gap required between the two distances, > 0.
        swap: use min(d(a, n), d(p, n)) as the negative distance.
        reduction: "none" (shape (N,)), "mean" or "sum".

    Raises:
        ShapeError: for inputs with different numbers of dims.
        ValueError: for margin <= 0 or an unknown reduction.
    """
    d = distance_function if distance_function is not None else pairwise_distance
    args = (anchor, positive, negative, d, margin, swap, reduction)
    return _triplet("triplet_margin_with_distance_loss", *args)


def _triplet(
    op: str,
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    d: Callable[[Tensor, Tensor], Tensor],
    margin: float,
    swap: bool,
    reduction: str,
) -> Tensor:
    """The triplet loss with distance d, checked; ``op`` names the caller in errors."""
    check_reduction(op, reduction)
    if not margin > 0:
        raise ValueError(f"{op}: margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise ShapeError(
            f"{op}: anchor, positive and negative must have the same number of dims: "
            f"{anchor.shape}, {positive.shape}, {negative.shape}"
        )
    d_pos, d_neg = d(anchor, positive), d(anchor, negative)
    if swap:
        d_neg = minimum(d_neg, d(positive, negative))
    return reduce(clamp_min(margin + d_pos - d_neg, 0.0), reduction)


def _multilabel_weights(target: Tensor, shape: tuple[int, ...]) -> tuple[Array, Array]:
    """Per sample: how often each class is listed (before the first -1), and non-targets.

    Both (N, C) of 0/1 (counts for the first); a target may list a class twice, counted twice
    as in PyTorch.
    """
    t = target.array.reshape(shape)
    listed = xp.cumprod(t != -1, axis=1).astype(bool)  # entries before the first -1
    rows, cols = xp.nonzero(listed)
    counts = xp.zeros(shape)
    xp.add.at(counts, (rows, t[rows, cols]), 1.0)
    return counts, (counts == 0).astype(counts.dtype)


def multilabel_margin_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
) -> Tensor:
    """Hinge between each target class and each other class: sum max(0, 1 - (x_j - x_i)) / C.

    j runs over the classes listed in the target (up to its first -1), i over the classes
    not listed.

    Args:
        input: scores, float, shape (N, C) or (C,).
        target: int class indices, the input's shape, each row ended by -1 (or full).
        reduction: "none" (shape (N,) or ()), "mean" or "sum".

    Raises:
        ShapeError: for inputs not 1-d or 2-d, or a target of another shape.
        TypeError: for a non-integer target.
        IndexError: for a class index outside [-1, C).
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([[0.1, 0.2, 0.4, 0.8]])
    >>> round(multilabel_margin_loss(x, sg.tensor([[3, 0, -1, 1]])).item(), 4)
    0.85
    """
    check_reduction("multilabel_margin_loss", reduction)
    if input.ndim not in (1, 2) or target.shape != input.shape:
        raise ShapeError(
            f"multilabel_margin_loss: expected input (N, C) or (C,) and a target of its shape, "
            f"got input {input.shape} and target {target.shape}"
        )
    if target.dtype.kind not in "iu":
        raise TypeError(f"multilabel_margin_loss: expected an integer target, got {target.dtype}")
    c = input.shape[-1]
    if target.numel() and (int(target.array.min()) < -1 or int(target.array.max()) >= c):
        raise IndexError(f"multilabel_margin_loss: target indices must be in [-1, {c})")
    x = input.reshape(-1, c)
    counts, others = _multilabel_weights(target, x.shape)
    weight = Tensor((counts[:, :, None] * others[:, None, :]).astype(x.array.dtype))
    hinge = clamp_min(1.0 - x.unsqueeze(2) + x.unsqueeze(1), 0.0)  # [n, j, i]
    loss = (hinge * weight).sum((1, 2)) / c
    return reduce(loss if input.ndim == 2 else loss.reshape(()), reduction)


__all__ = [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]
