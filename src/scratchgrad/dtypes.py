"""Data types and PyTorch's type-promotion rules.

scratchgrad's dtypes are NumPy dtype objects, so ``x.dtype == scratchgrad.float32`` and
``x.numpy().dtype`` agree. Promotion follows PyTorch, not NumPy:

- categories rank bool < integer < floating;
- tensors with dimensions outrank zero-dimensional tensors, which outrank Python scalars;
  a lower-priority operand changes the result only when its category is higher;
- a Python float counts as the default float dtype (float32), a Python int as int64.

So ``float32 tensor * 2.5`` stays float32 and ``int32 tensor / 2`` becomes float32.
"""

from typing import Any

from scratchgrad.backend import xp

DType = xp.dtype[Any]

bool_ = xp.dtype(xp.bool_)
uint8 = xp.dtype(xp.uint8)
uint16 = xp.dtype(xp.uint16)
uint32 = xp.dtype(xp.uint32)
uint64 = xp.dtype(xp.uint64)
int8 = xp.dtype(xp.int8)
int16 = xp.dtype(xp.int16)
int32 = xp.dtype(xp.int32)
int64 = xp.dtype(xp.int64)
float16 = xp.dtype(xp.float16)
float32 = xp.dtype(xp.float32)
float64 = xp.dtype(xp.float64)
half, double, long, short = float16, float64, int64, int16  # PyTorch's aliases


class UnsupportedDType:
    """A PyTorch dtype that NumPy, so scratchgrad, lacks (``bfloat16``).

    It exists so that programs which only name it (a dict of dtypes, a default argument)
    run; using it to make or convert a tensor raises a TypeError naming it.

    >>> bfloat16
    bfloat16
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_floating_point = True

    def __repr__(self) -> str:
        return self.name


bfloat16 = UnsupportedDType("bfloat16")

_SUPPORTED = frozenset(
    {bool_, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16, float32, float64}
)
_LIMITED = frozenset({uint16, uint32, uint64})
"""PyTorch's "limited support" unsigned types: they promote only with floats."""
_ALIASES = {
    "bool": bool_,
    "float": float32,
    "double": float64,
    "long": int64,
    "int": int32,
    "half": float16,
    "short": int16,
}
_default_float: DType = float32


def get_default_dtype() -> DType:
    """The dtype that Python floats and float-creating functions produce (float32)."""
    return _default_float


def set_default_dtype(dtype: Any) -> None:
    """Set the default floating dtype, as ``torch.set_default_dtype``.

    Raises:
        TypeError: if ``dtype`` is not a floating dtype.
    """
    global _default_float
    d = as_dtype(dtype)
    if d.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating dtype, got {d}")
    _default_float = d


def as_dtype(dtype: Any) -> DType:
    """Turn a dtype-like (np.dtype, NumPy type, Python type or name) into a dtype.

    Python ``float`` maps to float64 and ``int`` to int64, as in PyTorch.

    Raises:
        TypeError: for dtypes scratchgrad does not support (complex, strings, objects).
    """
    if isinstance(dtype, UnsupportedDType) or dtype == "bfloat16":
        raise TypeError(
            "bfloat16 is not supported: NumPy, scratchgrad's array library, has no bfloat16 "
            "(use float32, or float16 to halve memory)"
        )
    if dtype is float:
        return float64
    if dtype is int:
        return int64
    d = _ALIASES.get(dtype) if isinstance(dtype, str) else None
    if d is None:
        try:
            d = xp.dtype(dtype)
        except TypeError as e:
            raise TypeError(f"unsupported dtype: {dtype!r}") from e
    if d not in _SUPPORTED:
        names = sorted(str(s) for s in _SUPPORTED)
        raise TypeError(f"unsupported dtype: {d} (supported: {', '.join(names)})")
    return d


def promote_types(a: DType, b: DType) -> DType:
    """The smallest dtype both ``a`` and ``b`` convert to, by PyTorch's table.

    Unlike NumPy, an integer with a float gives that float (int64 + float32 -> float32).

    >>> promote_types(int64, float32)
    dtype('float32')
    """
    if a == b:
        return a
    a_float, b_float = a.kind == "f", b.kind == "f"
    if a_float != b_float:
        return a if a_float else b
    if a in _LIMITED or b in _LIMITED:
        raise RuntimeError(
            f"Promotion for uint16, uint32, uint64 types is not supported, attempted to "
            f"promote {a} and {b}"
        )
    return xp.promote_types(a, b)


def _combine(higher: DType | None, lower: DType | None) -> DType | None:
    """Merge a higher-priority result with a lower one (PyTorch's combine_categories)."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value: bool | int | float) -> DType:
    """The dtype PyTorch gives a Python scalar taking part in an operation."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    return _default_float


def result_type(*operands: Any) -> DType:
    """The dtype of an operation's result, by PyTorch's promotion rules.

    Args:
        operands: Tensors, NumPy arrays or Python scalars (bool, int, float).

    >>> import scratchgrad as sg
    >>> result_type(sg.ones(3), 2.5)
    dtype('float32')
    >>> result_type(sg.ones(3, dtype=sg.int32), sg.tensor(1.0, dtype=sg.float64))
    dtype('float64')
    """
    groups: list[DType | None] = [None, None, None]  # dimensioned, zero-dim, Python scalar
    for x in operands:
        if isinstance(x, bool | int | float):
            slot, d = 2, scalar_dtype(x)
        else:
            slot, d = (0 if x.ndim else 1), x.dtype
        prev = groups[slot]
        groups[slot] = d if prev is None else promote_types(prev, d)
    out = _combine(groups[0], _combine(groups[1], groups[2]))
    if out is None:
        raise TypeError("result_type: expected at least one operand")
    return out


__all__ = [
    "DType",
    "UnsupportedDType",
    "as_dtype",
    "bfloat16",
    "bool_",
    "double",
    "float16",
    "float32",
    "float64",
    "get_default_dtype",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "long",
    "promote_types",
    "result_type",
    "scalar_dtype",
    "set_default_dtype",
    "short",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
]
