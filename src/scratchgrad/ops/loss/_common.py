"""What every loss shares: the reductions, and the checks of input, target and weights.

A composed loss reduces a Tensor with :func:`reduce`; a fused one reduces its array in
its forward with :func:`reduce_array` and spreads the gradient back with
:func:`per_element`.
"""

from __future__ import annotations

from typing import Literal

from scratchgrad.backend import Array, xp
from scratchgrad.errors import ShapeError
from scratchgrad.tensor import Tensor

Reduction = Literal["none", "mean", "sum"]


REDUCTIONS = ("none", "mean", "sum")


def check_reduction(op: str, reduction: str, allowed: tuple[str, ...] = REDUCTIONS) -> None:
    """Raise ValueError naming ``reduction`` unless it is one of ``allowed``."""
    if reduction not in allowed:
        names = ", ".join(repr(r) for r in allowed[:-1]) + f" or {allowed[-1]!r}"
        raise ValueError(f"{op}: reduction must be {names}, got {reduction!r}")


def check_pair(op: str, input: Tensor, target: Tensor, reduction: str) -> None:  # noqa: A002
    """Input and target of an elementwise loss: float input, equal shapes, a valid reduction."""
    check_reduction(op, reduction)
    if input.dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating point input, got {input.dtype}")
    if target.shape != input.shape:
        raise ShapeError(
            f"{op}: target shape must equal the input's (no broadcasting): "
            f"target {target.shape} != input {input.shape}"
        )


def check_fits(op: str, name: str, w: Tensor | None, shape: tuple[int, ...]) -> Array | None:
    """``w``'s array if it broadcasts to ``shape`` without enlarging it, else ShapeError."""
    if w is None:
        return None
    try:
        fits = xp.broadcast_shapes(w.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(
            f"{op}: {name} must broadcast to the input's shape: {name} {w.shape} does not "
            f"fit input {shape}"
        )
    return w.array


def reduce(loss: Tensor, reduction: str) -> Tensor:
    """A composed loss's elements reduced: themselves, their mean or their sum."""
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def reduce_array(loss: Array, reduction: str) -> Array:
    """A fused loss's elements reduced, in its forward."""
    if reduction == "none":
        return loss
    return xp.asarray(loss.mean() if reduction == "mean" else loss.sum())  # 0-d, loss's dtype


def per_element(grad: Array, reduction: str, n: int) -> Array:
    """The gradient reaching each of a fused loss's ``n`` elements before its reduction."""
    return grad / n if reduction == "mean" else grad


__all__ = ["check_fits", "check_pair", "check_reduction", "per_element", "reduce", "reduce_array"]
