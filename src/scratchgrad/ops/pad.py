"""pad: constant, reflect, replicate and circular padding of the last dims, as torch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops._registry import register
from scratchgrad.tensor import Tensor

_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pad_pairs(pad: Any, ndim: int) -> list[tuple[int, int, int]]:
    """(axis, before, after) for each padded axis, from torch's (last_l, last_r, ...)."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise ValueError(f"pad: padding length must be divisible by 2, got {len(pad)}")
    if len(pad) // 2 > ndim:
        raise ValueError(f"pad: padding length too large: {len(pad)} for a {ndim}-D input")
    return [(ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _crop_slices(size: int, before: int, after: int) -> tuple[slice, slice]:
    """(in the input, in the output): the part of the input kept, and where it lands."""
    keep = size - max(-before, 0) - max(-after, 0)
    src = slice(max(-before, 0), max(-before, 0) + keep)
    return src, slice(max(before, 0), max(before, 0) + keep)


@register("pad")
class Pad(Function):
    """out = x surrounded by ``value`` (constant) or by copies of its own elements.

    (*, H, W) -> (*, H + top + bottom, W + left + right); negative pads crop (constant).
    backward: each output's gradient is summed back onto the element it copies.
    """

    def forward(
        self, x: Array, *, pairs: list[tuple[int, int, int]], mode: str, value: float
    ) -> Array:
        self.shape, self.pairs, self.mode = x.shape, pairs, mode
        if mode != "constant":
            self.index = [_pad_index(x.shape[a], b, e, mode) for a, b, e in pairs]
            for (axis, _, _), idx in zip(pairs, self.index, strict=True):
                x = xp.take(x, idx, axis=axis)
            return x
        shape, src, dst = list(x.shape), [slice(None)] * x.ndim, [slice(None)] * x.ndim
        for axis, before, after in pairs:
            shape[axis] += before + after
            src[axis], dst[axis] = _crop_slices(x.shape[axis], before, after)
        out = xp.full(shape, value, dtype=x.dtype)
        out[tuple(dst)] = x[tuple(src)]
        self.src, self.dst = tuple(src), tuple(dst)
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        if self.mode == "constant":
            gx = xp.zeros(self.shape, dtype=grad.dtype)
            gx[self.src] = grad[self.dst]
            return (gx,)
        for (axis, _, _), idx in reversed(list(zip(self.pairs, self.index, strict=True))):
            moved = xp.moveaxis(grad, axis, 0)
            acc = xp.zeros((self.shape[axis], *moved.shape[1:]), dtype=grad.dtype)
            xp.add.at(acc, idx, moved)  # several outputs may copy one input
            grad = xp.moveaxis(acc, 0, axis)
        return (grad,)


def _pad_index(size: int, before: int, after: int, mode: str) -> Array:
    """Which input element each output element copies, along one axis."""
    limit = size - 1 if mode == "reflect" else size
    if min(before, after) < 0 or max(before, after) > limit:
        raise ShapeError(
            f"pad: {mode} padding must be in [0, {limit}] for a dimension of size {size}: "
            f"padding=({before}, {after})"
        )
    idx: Array = np.pad(xp.arange(size), (before, after), mode=_NUMPY_MODES[mode])  # type: ignore[call-overload]
    return idx


def pad(x: Tensor, pad: Any, mode: str = "constant", value: float = 0.0) -> Tensor:
    """Pad the last dims, as ``torch.nn.functional.pad``.

    Args:
        x: any shape (*).
        pad: (last_left, last_right, second_last_left, second_last_right, ...);
            negative values crop (constant mode).
        mode: 'constant', 'reflect', 'replicate' or 'circular'.
        value: the fill of constant mode.

    Returns:
        x padded; each padded dim grows by its two pads.

    Raises:
        ValueError: an odd or too long pad, or an unknown mode.
        ShapeError: a reflect/circular pad larger than the dimension.

    >>> import scratchgrad as sg
    >>> pad(sg.ones(1, 2), (1, 0)).tolist()
    [[0.0, 1.0, 1.0]]
    """
    if mode != "constant" and mode not in _NUMPY_MODES:
        raise ValueError(f"pad: unknown mode {mode!r}; use constant, reflect, replicate, circular")
    pairs = _pad_pairs(pad, x.ndim)
    for axis, before, after in pairs:
        if x.shape[axis] + before + after < 0:
            raise ShapeError(
                f"pad: resulting size must be non-negative: {x.shape[axis]} + {before} + "
                f"{after} on dim {axis} (x={tuple(x.shape)})"
            )
    return Pad.apply(x, pairs=pairs, mode=mode, value=value)


__all__ = ["pad"]
