"""Type aliases for tensor signatures, as ``torch.types``: numbers, operands and dims.

Tensor has methods called ``int``, ``float`` and ``bool``, so inside its classes the
builtins go by ``_int``, ``_float`` and ``_bool``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from scratchgrad.tensor import Tensor

_int: TypeAlias = int
_float: TypeAlias = float
_bool: TypeAlias = bool
Scalar: TypeAlias = bool | int | float
"""A Python number: what an operand may be besides a tensor."""
Operand: TypeAlias = "Tensor | Scalar"
"""A tensor or a Python number, as the right side of ``x + 2``."""
DimArg: TypeAlias = int | Sequence[int] | None
"""One dim, several dims, or None for all of them."""

__all__ = ["DimArg", "Operand", "Scalar"]
