"""channel_shuffle: interleave the channels of G groups (ShuffleNet), composed of views."""

from __future__ import annotations

from scratchgrad.errors import ShapeError
from scratchgrad.tensor import Tensor


def channel_shuffle(input: Tensor, groups: int) -> Tensor:  # noqa: A002 - PyTorch's name
    """Channels (g, i) of G groups of C / G reordered as (i, g). (N, C, *) -> (N, C, *).

    Args:
        input: shape (N, C, *), C divisible by groups.
        groups: G.

    Raises:
        ShapeError: for input with fewer than 3 dims or C not divisible by groups.
        ValueError: for groups < 1.

    >>> import scratchgrad as sg
    >>> channel_shuffle(sg.arange(4.0).reshape(1, 4, 1), 2).flatten().tolist()
    [0.0, 2.0, 1.0, 3.0]
    """
    if groups < 1:
        raise ValueError(
            f"channel_shuffle: number of groups to divide channels in must be positive, "
            f"got {groups}"
        )
    if input.ndim < 3:
        raise ShapeError(
            f"channel_shuffle: expected input of at least 3 dims (N, C, *), got {input.shape}"
        )
    n, c = input.shape[:2]
    if c % groups:
        raise ShapeError(
            f"channel_shuffle: number of channels must be divisible by groups: got {c} "
            f"channels and {groups} groups"
        )
    rest = input.shape[2:]
    grouped = input.reshape(n, groups, c // groups, *rest)
    return grouped.transpose(1, 2).reshape(n, c, *rest)


__all__ = ["channel_shuffle"]
