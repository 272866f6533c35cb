"""embedding_bag: the sum, mean or max of the embeddings of each bag of indices, composed.

The bags' embeddings are looked up with :func:`embedding`, then reduced per bag with
``index_add`` (sum, mean) or ``scatter_reduce`` (max), so the gradients are theirs: each
row of the weight gets the gradient of the bags it is in. Entries equal to
``padding_idx`` are left out (not counted in a mean); an empty bag gives zeros.
"""

from __future__ import annotations

from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.index.scatter_reduce import index_add, scatter_reduce
from scratchgrad.ops.neural.linear import embedding
from scratchgrad.tensor import Tensor

MODES = ("sum", "mean", "max")


def _bags(
    input: Tensor,  # noqa: A002 - PyTorch's name
    offsets: Tensor | None,
    include_last_offset: bool,
) -> tuple[Array, Array, int]:
    """The flat indices (L,), the bag of each (L,), and the number of bags B."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("embedding_bag: if input is 2D, then offsets has to be None")
        b, n = input.shape
        return input.array.reshape(-1), xp.repeat(xp.arange(b), n), b
    if input.ndim != 1 or offsets is None or offsets.ndim != 1:
        raise ShapeError(
            f"embedding_bag: input must be 2D (B, N), or 1D (L,) with 1D offsets (B,): "
            f"got input {input.shape} and offsets {None if offsets is None else offsets.shape}"
        )
    starts = offsets.array.astype(xp.int64)
    if include_last_offset:
        starts = starts[:-1]
    if starts.size and (starts[0] != 0 or (xp.diff(starts) < 0).any()):
        raise ValueError("embedding_bag: offsets must start at 0 and never decrease")
    bag = xp.searchsorted(starts, xp.arange(input.shape[0]), side="right") - 1
    return input.array, bag, int(starts.size)


def embedding_bag(
    input: Tensor,  # noqa: A002 - PyTorch's name
    weight: Tensor,
    offsets: Tensor | None = None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Tensor | None = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """Reduce the embeddings of each bag: (B, N) indices, or (L,) with offsets -> (B, D).

    Args:
        input: int indices: (B, N), B bags of N, or (L,) cut into bags by ``offsets``.
        weight: the table, shape (V, D).
        offsets: (B,) start of each bag in ``input`` (with include_last_offset, (B + 1,)).
        max_norm: not supported (renormalising the table in place).
        norm_type: unused without max_norm.
        scale_grad_by_freq: not supported.
        mode: "sum", "mean" or "max".
        sparse: accepted; gradients are dense.
        per_sample_weights: a weight per index, input's shape, only with mode "sum".
        include_last_offset: offsets holds B + 1 boundaries, the last one the end.
        padding_idx: an index whose entries are left out of every bag.

    Returns:
        Shape (B, D); an empty bag gives zeros.

    Raises:
        ShapeError: for inputs of the wrong rank or per_sample_weights of another shape.
        ValueError: for an unknown mode, weights with a mode other than "sum", or offsets
            that do not start at 0 and increase.
        NotImplementedError: for max_norm or scale_grad_by_freq.

    >>> import scratchgrad as sg
    >>> w = sg.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    >>> embedding_bag(sg.tensor([0, 1, 2]), w, sg.tensor([0, 2]), mode="sum").tolist()
    [[1.0, 1.0], [2.0, 2.0]]
    """
    _check_options(mode, max_norm, scale_grad_by_freq, per_sample_weights, input)
    flat, bag, b = _bags(input, offsets, include_last_offset)
    v, d = weight.shape
    if padding_idx is not None and padding_idx < 0:
        padding_idx += v
    keep = xp.ones(flat.shape, dtype=bool) if padding_idx is None else flat != padding_idx
    flat, bag = flat[keep], bag[keep]
    rows = embedding(Tensor(flat), weight)  # (L', D)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1)[Tensor(xp.nonzero(keep)[0])].unsqueeze(1)
    zeros = Tensor(xp.zeros((b, d), dtype=weight.array.dtype))
    if mode == "max":
        index = Tensor(xp.broadcast_to(bag[:, None], rows.shape).copy())
        return scatter_reduce(zeros, 0, index, rows, "amax", include_self=False)
    out = index_add(zeros, 0, Tensor(bag), rows)
    if mode == "mean":
        counts = xp.bincount(bag, minlength=b).astype(weight.array.dtype)
        out = out / Tensor(xp.maximum(counts, 1)[:, None])
    return out


def _check_options(
    mode: str,
    max_norm: float | None,
    scale_grad_by_freq: bool,
    per_sample_weights: Tensor | None,
    input: Tensor,  # noqa: A002 - PyTorch's name
) -> None:
    if mode not in MODES:
        raise ValueError(f"embedding_bag: mode has to be one of sum, mean or max, got {mode!r}")
    if max_norm is not None or scale_grad_by_freq:
        raise NotImplementedError(
            "embedding_bag: max_norm and scale_grad_by_freq are not supported"
        )
    if per_sample_weights is None:
        return
    if mode != "sum":
        raise ValueError(
            f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode={mode!r})"
        )
    if per_sample_weights.shape != input.shape:
        raise ShapeError(
            f"embedding_bag: per_sample_weights must have the input's shape: "
            f"{per_sample_weights.shape} != {input.shape}"
        )


__all__ = ["embedding_bag"]
