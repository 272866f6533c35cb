"""Softmax2d, as ``torch.nn``: softmax over the channels of each position of an image."""

from __future__ import annotations

from scratchgrad.errors import ShapeError
from scratchgrad.nn.module import Module
from scratchgrad.ops.neural.softmax import softmax
from scratchgrad.tensor import Tensor


class Softmax2d(Module):
    """Softmax over the channel dim, at each spatial position.

    Shape:
        (N, C, H, W) or (C, H, W) -> same, summing to 1 over C.

    Raises:
        ShapeError: for inputs that are not 3-d or 4-d.

    >>> import scratchgrad as sg
    >>> Softmax2d()(sg.zeros(2, 1, 1)).flatten().tolist()
    [0.5, 0.5]
    """

    def forward(self, x: Tensor) -> Tensor:
        """softmax(x, dim=-3)."""
        if x.ndim not in (3, 4):
            raise ShapeError(
                f"Softmax2d: expected input of 3 or 4 dims (C, H, W) or (N, C, H, W), got "
                f"{x.ndim} (shape {x.shape})"
            )
        return softmax(x, -3)


__all__ = ["Softmax2d"]
