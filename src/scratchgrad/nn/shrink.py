"""Shrinkage activation layers, as ``torch.nn``: Tanhshrink, Softshrink, Hardshrink.

Elementwise, shape (*) -> (*), no parameters; the functions are in
:mod:`scratchgrad.ops.neural.shrink`.
"""

from __future__ import annotations

from scratchgrad.nn.module import Module
from scratchgrad.ops.neural.shrink import hardshrink, softshrink, tanhshrink
from scratchgrad.tensor import Tensor


class Tanhshrink(Module):
    """x - tanh(x). Shape (*) -> (*).

    >>> import scratchgrad as sg
    >>> Tanhshrink()(sg.zeros(2)).tolist()
    [0.0, 0.0]
    """

    def forward(self, x: Tensor) -> Tensor:
        """tanhshrink(x)."""
        return tanhshrink(x)


class Softshrink(Module):
    """x moved lambd towards 0, and 0 within [-lambd, lambd]. Shape (*) -> (*).

    Args:
        lambd: the half-width of the dead zone, >= 0.

    >>> import scratchgrad as sg
    >>> Softshrink(1.0)(sg.tensor([-3.0, 0.5, 2.0])).tolist()
    [-2.0, 0.0, 1.0]
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, x: Tensor) -> Tensor:
        """softshrink(x, lambd)."""
        return softshrink(x, self.lambd)

    def extra_repr(self) -> str:
        """``0.5``."""
        return str(self.lambd)


class Hardshrink(Softshrink):
    """x where |x| > lambd, else 0. Shape (*) -> (*).

    Args:
        lambd: the half-width of the zeroed zone.

    >>> import scratchgrad as sg
    >>> Hardshrink(1.0)(sg.tensor([-3.0, 0.5, 2.0])).tolist()
    [-3.0, 0.0, 2.0]
    """

    def forward(self, x: Tensor) -> Tensor:
        """hardshrink(x, lambd)."""
        return hardshrink(x, self.lambd)


__all__ = ["Hardshrink", "Softshrink", "Tanhshrink"]
