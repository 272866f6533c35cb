"""Padding layers, as ``torch.nn``: zero, constant, reflection, replication and circular, 1-3 d.

Each pads the last 1, 2 or 3 dims with :func:`~scratchgrad.ops.spatial.pad.pad` in its mode.
``padding`` is an int (the same on every side) or a tuple of 2, 4 or 6 ints (left, right,
top, bottom, front, back), stored as a tuple, so reprs match PyTorch's.
"""

from __future__ import annotations

from typing import ClassVar

from scratchgrad.nn.module import Module
from scratchgrad.ops.spatial.pad import pad
from scratchgrad.tensor import Tensor


class _PadNd(Module):
    """Pads the last ``_dims`` dims of its input in ``_mode``.

    Args:
        padding: an int, or 2 * dims ints (left, right, top, bottom, front, back).
    """

    _dims: ClassVar[int] = 1
    _mode: ClassVar[str] = "constant"
    value: float | None = None

    def __init__(self, padding: int | tuple[int, ...]) -> None:
        super().__init__()
        n = 2 * self._dims
        self.padding = (padding,) * n if isinstance(padding, int) else tuple(padding)

    def forward(self, x: Tensor) -> Tensor:
        """x padded: (*, S) -> (*, S + left + right) in each padded dim."""
        return pad(x, self.padding, self._mode, self.value)

    def extra_repr(self) -> str:
        """``(1, 1, 2, 2)``."""
        return str(self.padding)


class _ConstantPadNd(_PadNd):
    """Pads with a constant ``value``.

    Args:
        padding: an int, or 2 * dims ints.
        value: the fill.
    """

    def __init__(self, padding: int | tuple[int, ...], value: float) -> None:
        super().__init__(padding)
        self.value = value

    def extra_repr(self) -> str:
        """``padding=(1, 1), value=0.5``."""
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with ``value``. (C, W) or (N, C, W) -> W + left + right.

    >>> import scratchgrad as sg
    >>> ConstantPad1d(1, 9.0)(sg.zeros(1, 2)).tolist()
    [[9.0, 0.0, 0.0, 9.0]]
    """


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dims with ``value``: (left, right, top, bottom). (*, H, W) -> padded."""

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dims with ``value``: (left, right, top, bottom, front, back)."""

    _dims = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding: int | tuple[int, ...]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        """``(1, 1)``."""
        return str(self.padding)


class ZeroPad1d(_ZeroPadNd):
    """Pads the last dim with zeros. (*, W) -> (*, W + left + right).

    >>> import scratchgrad as sg
    >>> ZeroPad1d((0, 2))(sg.ones(1, 1)).tolist()
    [[1.0, 0.0, 0.0]]
    """


class ZeroPad2d(_ZeroPadNd):
    """Pads the last 2 dims with zeros: (left, right, top, bottom). (*, H, W) -> padded."""

    _dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last 3 dims with zeros: (left, right, top, bottom, front, back)."""

    _dims = 3


class ReflectionPad1d(_PadNd):
    """Mirrors the last dim at its edges (edge not repeated). (C, W) or (N, C, W) -> padded.

    >>> import scratchgrad as sg
    >>> ReflectionPad1d(2)(sg.arange(4.0).reshape(1, 4)).tolist()
    [[2.0, 1.0, 0.0, 1.0, 2.0, 3.0, 2.0, 1.0]]
    """

    _mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    """Mirrors the last 2 dims: (left, right, top, bottom). (C, H, W) or (N, C, H, W)."""

    _dims = 2


class ReflectionPad3d(ReflectionPad1d):
    """Mirrors the last 3 dims. (C, D, H, W) or (N, C, D, H, W)."""

    _dims = 3


class ReplicationPad1d(_PadNd):
    """Repeats the edge values of the last dim. (C, W) or (N, C, W) -> padded.

    >>> import scratchgrad as sg
    >>> ReplicationPad1d((1, 2))(sg.tensor([[1.0, 2.0]])).tolist()
    [[1.0, 1.0, 2.0, 2.0, 2.0]]
    """

    _mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    """Repeats the edges of the last 2 dims. (C, H, W) or (N, C, H, W)."""

    _dims = 2


class ReplicationPad3d(ReplicationPad1d):
    """Repeats the edges of the last 3 dims. (C, D, H, W) or (N, C, D, H, W)."""

    _dims = 3


class CircularPad1d(_PadNd):
    """Wraps the last dim around. (C, W) or (N, C, W) -> padded.

    >>> import scratchgrad as sg
    >>> CircularPad1d(1)(sg.tensor([[1.0, 2.0, 3.0]])).tolist()
    [[3.0, 1.0, 2.0, 3.0, 1.0]]
    """

    _mode = "circular"


class CircularPad2d(CircularPad1d):
    """Wraps the last 2 dims around. (C, H, W) or (N, C, H, W)."""

    _dims = 2


class CircularPad3d(CircularPad1d):
    """Wraps the last 3 dims around. (C, D, H, W) or (N, C, D, H, W)."""

    _dims = 3


__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]
