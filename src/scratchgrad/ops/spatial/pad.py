"""pad: constant, reflect, replicate and circular padding of the last dims, as torch's."""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor

_MODES = ("constant", "reflect", "replicate", "circular")


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

    (*, H, W) -> (*, H + top + bottom, W + left + right); negative pads crop.
    backward: each output's gradient is summed back onto the element it copies.
    """

    def forward(
        self, x: Array, *, pairs: list[tuple[int, int, int]], mode: str, value: float
    ) -> Array:
        self.shape, self.pairs, self.mode = x.shape, pairs, mode
        if mode != "constant":
            self.index = [_pad_index(x.shape[a], b, e, mode) for a, b, e in pairs]
            for (axis, _, _), idx in zip(pairs, self.index, strict=True):
                x = xp.take(x, idx, axis=axis)  # (..., size + before + after, ...)
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


def pad(x: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last dims, as ``torch.nn.functional.pad``.

    Args:
        x: any shape (*) for constant mode; (C, *S) or (N, C, *S) with S one to three
            spatial dims for the other modes.
        pad: (last_left, last_right, second_last_left, second_last_right, ...);
            negative values crop.
        mode: 'constant', 'reflect' (mirror, edge not repeated: pads < size),
            'replicate' (repeat the edge) or 'circular' (wrap around: pads <= size).
        value: the fill of constant mode (default 0).

    Returns:
        x padded; each padded dim grows by its two pads.

    Raises:
        ValueError: an odd or too long pad.
        NotImplementedError: an unknown mode, or a pad length that does not suit the
            input's ndim in a non-constant mode (as torch).
        ShapeError: a reflect/circular pad larger than its dimension allows.

    >>> import scratchgrad as sg
    >>> pad(sg.ones(1, 2), (1, 0)).tolist()
    [[0.0, 1.0, 1.0]]
    >>> pad(sg.arange(4.0).reshape(1, 4), (2, 1), mode="reflect").tolist()
    [[2.0, 1.0, 0.0, 1.0, 2.0, 3.0, 2.0]]
    """
    pad = tuple(pad)
    if mode != "constant":
        _check_modes(x, len(pad), mode, pad)
    pairs = _pad_pairs(pad, x.ndim)
    for axis, before, after in pairs if mode == "constant" else ():  # each crop in turn
        if x.shape[axis] + min(before, 0) + min(after, 0) < 0:
            raise ShapeError(
                f"pad: resulting size must be non-negative: {x.shape[axis]} + {before} + "
                f"{after} on dim {axis} (x={tuple(x.shape)})"
            )
    fill = 0.0 if value is None else value
    return Pad.apply(x, pairs=pairs, mode=mode, value=fill)


def _pad_index(size: int, before: int, after: int, mode: str) -> Array:
    """Which input element each output element copies, along one axis.

    Output j reads input position i = j - before, mapped into [0, size) by the mode:
    mirrored at the ends (reflect), clamped (replicate) or wrapped (circular, around
    the part that negative pads leave, as torch).
    """
    i = xp.arange(-before, size + after)
    if mode == "replicate":
        out: Array = xp.clip(i, 0, size - 1)
        return out
    if mode == "circular":
        lo, kept = max(-before, 0), size - max(-before, 0) - max(-after, 0)
        out = lo + (i - lo) % kept
        return out
    last = size - 1
    out = last - xp.abs(last - xp.abs(i))  # reflect: ... 2 1 | 0 1 2 ... last | last-1 ...
    return out


def _check_modes(x: Tensor, n_pad: int, mode: str, pad: Any) -> None:
    """torch's rules for reflect/replicate/circular: which ndim, how large a pad."""
    if mode not in _MODES:
        raise NotImplementedError(f"pad: unrecognised padding mode {mode!r}; use one of {_MODES}")
    dims = n_pad // 2
    if n_pad % 2 or not 1 <= dims <= 3 or x.ndim not in (dims + 1, dims + 2):
        raise NotImplementedError(
            f"pad: padding size {n_pad} is not supported for a {x.ndim}-D input in {mode} "
            f"mode: pad 2, 4 or 6 values for a (batched) 1-, 2- or 3-d signal: "
            f"{dims + 1}-D or {dims + 2}-D (x={tuple(x.shape)})"
        )
    sizes = []
    for axis, before, after in _pad_pairs(pad, x.ndim):
        size = x.shape[axis]
        sizes.append(size + before + after)
        limit = {"reflect": size - 1, "circular": size}.get(mode)
        kept = size - max(-before, 0) - max(-after, 0)  # what negative pads leave
        # circular wraps around what negative pads leave; reflect and replicate index
        # the whole input, so they may crop past it while the output is not empty
        small = kept < 1 if mode == "circular" else size + before + after < 0
        if small or (limit is not None and max(before, after) > limit):
            raise ShapeError(
                f"pad: {mode} padding must be at most {limit} for a dimension of size {size}: "
                f"padding=({before}, {after}) on dim {axis} (x={tuple(x.shape)})"
            )
    if max(sizes) < 1:
        raise ShapeError(f"pad: input {tuple(x.shape)} is too small: every padded size is 0")


__all__ = ["pad"]
