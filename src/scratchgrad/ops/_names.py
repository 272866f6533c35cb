"""PyTorch's names for dtypes, as its error messages spell them: int64 is "Long"."""

from __future__ import annotations

from typing import Any

# dtype -> (torch ScalarType name, C++ type name): torch's error messages use both
_TORCH_NAMES = {
    "bool": ("Bool", "bool"),
    "uint8": ("Byte", "unsigned char"),
    "int8": ("Char", "signed char"),
    "int16": ("Short", "short int"),
    "int32": ("Int", "int"),
    "int64": ("Long", "long int"),
    "float16": ("Half", "c10::Half"),
    "float32": ("Float", "float"),
    "float64": ("Double", "double"),
}


def torch_name(dtype: Any, cpp: bool = False) -> str:
    """torch's ScalarType name of a dtype ("Long"), or with ``cpp`` its C++ type ("long int")."""
    names = _TORCH_NAMES.get(str(dtype), (str(dtype), str(dtype)))
    return names[1] if cpp else names[0]


__all__ = ["torch_name"]
