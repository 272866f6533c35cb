"""Ops that change a tensor's dtype or write into it in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchgrad import autograd
from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import DType, as_dtype
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor, wrap


@register("cast")
class Cast(Function):
    """out = x converted to ``dtype``; the gradient is converted back."""

    def forward(self, x: Array, dtype: DType, copy: bool = False) -> Array:
        """(*) -> (*), converted."""
        self.src = x.dtype
        return x.astype(dtype, copy=copy)

    def backward(self, grad: Array) -> tuple[Array]:
        """The gradient converted back to the input's dtype."""
        return (grad.astype(self.src, copy=False),)


def cast(x: Tensor, dtype: Any, copy: bool = False) -> Tensor:
    """x as ``dtype`` (differentiable when both dtypes are floating).

    Args:
        x: any tensor, shape (*).
        dtype: the target dtype.
        copy: copy even when the dtype already matches.

    Returns:
        A tensor of shape (*) and dtype ``dtype``.
    """
    d = as_dtype(dtype)
    if d == x.array.dtype and not copy:
        return x
    out = Cast.apply(x, dtype=d, copy=copy)
    if d.kind != "f":  # integers and bools carry no gradient
        out.grad_fn, out.requires_grad = None, False
    return out


def _check_inplace_allowed(x: Tensor) -> None:
    if x.requires_grad and x.grad_fn is None and autograd.is_grad_enabled():
        raise RuntimeError(
            "in-place: a leaf Variable that requires grad is being used in an in-place "
            "operation; wrap it in no_grad() or use an out-of-place op"
        )


def _write(x: Tensor, out: Tensor) -> Tensor:
    """Make ``x`` hold ``out``: into its memory outside the graph, by rebinding inside it."""
    if not xp.can_cast(out.array.dtype, x.array.dtype, casting="same_kind"):
        raise RuntimeError(
            f"in-place: result type {out.array.dtype} can't be cast to the desired output "
            f"type {x.array.dtype}"
        )
    if out.array.shape != x.array.shape:
        raise RuntimeError(
            f"in-place: output with shape {x.array.shape} doesn't match the broadcast "
            f"shape {out.array.shape}"
        )
    if out.requires_grad:
        x.array = out.array.astype(x.array.dtype, copy=False)
        x.grad_fn, x.requires_grad = out.grad_fn, True
    else:
        xp.copyto(x.array, out.array, casting="same_kind")
    return x


def inplace(x: Tensor, op: Callable[..., Tensor], *args: Any) -> Tensor:
    """Run ``op(x, *args)`` and store the result in ``x``; returns ``x``.

    Raises:
        RuntimeError: on a leaf that requires grad (outside ``no_grad``), when the
            result's dtype can't be cast to x's, or when it has another shape.
    """
    _check_inplace_allowed(x)
    if autograd.is_grad_enabled():
        # The new node must see x as it was: give it a stand-in for x's old self, since
        # x itself is about to become the node's output (else the graph loops).
        before = _alias(x)
        return _write(x, op(before, *(before if a is x else a for a in args)))
    return _write(x, op(x, *args))


def _alias(x: Tensor) -> Tensor:
    """A second tensor object for x's current data and graph node."""
    t = wrap(x.array)
    t.grad_fn, t.requires_grad = x.grad_fn, x.requires_grad
    return t


def fill_(x: Tensor, value: bool | int | float) -> Tensor:
    """Fill ``x`` with ``value`` in place; returns ``x`` (no gradient flows through)."""
    _check_inplace_allowed(x)
    if x.grad_fn is not None and autograd.is_grad_enabled():
        # a non-leaf in the graph: rebind, so nodes that saved its old value keep it
        x.array = xp.full_like(x.array, value)
        x.grad_fn, x.requires_grad = None, False
    else:
        x.array.fill(value)
    return x


def copy_(x: Tensor, src: Tensor) -> Tensor:
    """Copy ``src`` (broadcast to x's shape, cast to x's dtype) into ``x``; returns ``x``."""
    from scratchgrad.ops.shape.view import broadcast_to

    _check_inplace_allowed(x)
    return _write(x, cast(broadcast_to(src, x.shape), x.dtype, copy=True))


__all__ = ["cast", "copy_", "fill_", "inplace"]
