"""Dispatch shared by the elementwise families: PyTorch type promotion, then the op."""

from __future__ import annotations

from typing import Any

from scratchgrad.autograd import Function, grad_mode
from scratchgrad.backend import xp
from scratchgrad.dtypes import get_default_dtype, result_type
from scratchgrad.ops.dims import broadcast_shapes
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.tensor import Tensor, wrap
from scratchgrad.types import Operand


def _promote(a: Operand, b: Operand) -> tuple[Operand, Operand]:
    """Cast the tensor operands to the PyTorch result dtype of ``a`` op ``b``.

    Python scalars stay Python scalars: NumPy keeps the array's dtype for them. NumPy
    scalars become Python scalars first: NumPy would let ``np.float64(2.0)`` promote a
    float32 array to float64, where PyTorch treats it as a Python number.
    """
    if isinstance(a, xp.generic):
        a = a.item()
    if isinstance(b, xp.generic):
        b = b.item()
    d = result_type(a, b)
    if isinstance(a, Tensor) and a.array.dtype != d:
        a = cast(a, d)
    if isinstance(b, Tensor) and b.array.dtype != d:
        b = cast(b, d)
    return a, b


def _binary(cls: type[Function], a: Operand, b: Operand) -> Tensor:
    """Apply a broadcasting binary op after PyTorch type promotion.

    Two tensors of one dtype take a fast path that does what ``Function.apply`` does
    with fewer checks: the commonest call in a training step.
    """
    try:
        if isinstance(a, Tensor) and isinstance(b, Tensor) and a.array.dtype is b.array.dtype:
            fn = cls()
            out = wrap(fn.forward(a.array, b.array))
            if (
                (a.requires_grad or b.requires_grad)
                and grad_mode._grad_enabled
                and cls.differentiable
            ):
                fn.record(out, (a, b))
            return out
        a, b = _promote(a, b)
        return cls.apply(a, b)
    except ValueError:
        _raise_if_not_broadcastable(a, b)
        raise


def _raise_if_not_broadcastable(a: Operand, b: Operand) -> None:

    broadcast_shapes(*(x.shape for x in (a, b) if isinstance(x, Tensor)))


def _as_float(x: Tensor) -> Tensor:
    """x itself when floating, else x cast to the default float (as PyTorch's exp(int))."""
    return x if x.array.dtype.kind == "f" else cast(x, get_default_dtype())


__all__ = []


def zero_d_safe(cls: type[Function]) -> type[Function]:
    """Let a unary elementwise op written with ``out=`` arguments take a 0-d input.

    NumPy returns a scalar, not an array, from arithmetic on 0-d arrays, and ``out=``
    refuses scalars; the decorated op runs on a (1,) view and gives () back, forward and
    backward. Shapes: x () -> out (), or any (*) -> (*) unchanged.
    """
    forward, backward = cls.forward, cls.backward

    def forward_any(self: Function, x: Any, *args: Any, **params: Any) -> Any:
        if getattr(x, "ndim", 1):
            return forward(self, x, *args, **params)
        return forward(self, x.reshape(1), *args, **params).reshape(())

    def backward_any(self: Function, grad: Any) -> Any:
        if grad.ndim:
            return backward(self, grad)
        grads = backward(self, grad.reshape(1))
        return tuple(None if g is None else g.reshape(()) for g in grads)

    forward_any.__doc__, backward_any.__doc__ = forward.__doc__, backward.__doc__
    cls.forward, cls.backward = forward_any, backward_any  # type: ignore[method-assign]
    return cls
