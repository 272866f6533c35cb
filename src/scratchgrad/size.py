"""``Size``: a tensor's shape as PyTorch returns it from ``size()``, a tuple with ``numel``."""

from __future__ import annotations

import math
from typing import SupportsIndex, overload


class Size(tuple[int, ...]):
    """A shape: a tuple of ints that prints and counts like ``torch.Size``.

    >>> s = Size((2, 3))
    >>> s, s.numel(), s[1:]
    (torch.Size([2, 3]), 6, torch.Size([3]))
    """

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)

    @overload
    def __getitem__(self, index: SupportsIndex) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Size: ...

    def __getitem__(self, index: SupportsIndex | slice) -> int | Size:
        if isinstance(index, slice):
            return Size(tuple.__getitem__(self, index))
        return tuple.__getitem__(self, index)

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    __str__ = __repr__


__all__ = ["Size"]
