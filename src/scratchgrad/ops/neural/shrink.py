"""Shrinkage activations, composed of primitives: ``tanhshrink``, ``softshrink``, ``hardshrink``.

- tanhshrink(x) = x - tanh(x).
- softshrink(x) = x - clamp(x, -lambd, lambd): x moved lambd towards 0, 0 within lambd.
- hardshrink(x) = x where |x| > lambd, else 0.

Their gradients come from the primitives (1 outside [-lambd, lambd], 0 inside).
"""

from __future__ import annotations

from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.select import clamp, where
from scratchgrad.tensor import Tensor


def tanhshrink(input: Tensor) -> Tensor:  # noqa: A002 - PyTorch's name
    """x - tanh(x). (*) -> (*).

    >>> import scratchgrad as sg
    >>> round(tanhshrink(sg.tensor([1.0])).item(), 4)
    0.2384
    """
    x = _as_float(input)
    return x - x.tanh()


def _check_lambd(op: str, lambd: float) -> None:
    if lambd < 0:
        raise ValueError(f"{op}: lambda must be greater or equal to 0, but found to be {lambd}")


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002 - PyTorch's name
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0. (*) -> (*).

    Raises:
        ValueError: for lambd < 0.

    >>> import scratchgrad as sg
    >>> softshrink(sg.tensor([-2.0, 0.25, 1.0])).tolist()
    [-1.5, 0.0, 0.5]
    """
    _check_lambd("softshrink", lambd)
    x = _as_float(input)
    return x - clamp(x, -lambd, lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002 - PyTorch's name
    """x where |x| > lambd, else 0. (*) -> (*).

    >>> import scratchgrad as sg
    >>> hardshrink(sg.tensor([-2.0, 0.25, 1.0])).tolist()
    [-2.0, 0.0, 1.0]
    """
    x = _as_float(input)
    return where(x.abs() > lambd, x, 0.0)


__all__ = ["hardshrink", "softshrink", "tanhshrink"]
