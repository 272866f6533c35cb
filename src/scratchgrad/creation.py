"""Functions that make new tensors: from data, filled, ranges, identity, random.

Sizes are given as ``zeros(2, 3)`` or ``zeros((2, 3))``. Dtypes default as in PyTorch:
floats become the default float (float32), Python ints int64, bools bool.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.devices import DeviceLike, require_available
from scratchgrad.dtypes import DType, as_dtype, get_default_dtype, scalar_dtype
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor

SizeArg = int | Sequence[int]


def _shape(size: tuple[Any, ...]) -> tuple[int, ...]:
    """Sizes given as ``f(2, 3)`` or ``f((2, 3))`` -> ``(2, 3)``."""
    if len(size) == 1 and not isinstance(size[0], int | xp.integer):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, int | xp.integer) or s < 0:
            raise ValueError(f"size: expected non-negative integers, got {size}")
    return tuple(int(s) for s in size)


def _float(dtype: Any) -> DType:
    return get_default_dtype() if dtype is None else as_dtype(dtype)


def _new(data: Array, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad=requires_grad)


def _infer_dtype(arr: Array) -> DType:
    """PyTorch's dtype for data given as Python lists/scalars."""
    if arr.dtype.kind == "f":
        return get_default_dtype()
    if arr.dtype.kind in "iu":
        return xp.dtype(xp.int64)
    if arr.dtype.kind == "b":
        return xp.dtype(xp.bool_)
    raise TypeError(f"tensor: can't make a tensor from data of type {arr.dtype}")


def tensor(
    data: Any, dtype: Any = None, requires_grad: bool = False, *, device: DeviceLike = None
) -> Tensor:
    """A new tensor holding a copy of ``data``.

    Args:
        data: a Python number, a (nested) list or tuple, a NumPy array or a Tensor.
        dtype: the dtype; by default a NumPy array keeps its dtype and Python data
            gets PyTorch's (floats -> float32, ints -> int64, bools -> bool).
        requires_grad: record operations for autograd.
        device: where the tensor lives; only the CPU is available.

    >>> tensor([[1, 2], [3, 4]]).shape
    (2, 2)
    """
    require_available(device, "tensor")
    if isinstance(data, Tensor):
        data = data.array
    keep = isinstance(data, xp.ndarray | xp.generic)
    arr = xp.array(data)
    d = (
        as_dtype(dtype)
        if dtype is not None
        else (as_dtype(arr.dtype) if keep else _infer_dtype(arr))
    )
    return _new(arr.astype(d, copy=False), requires_grad)


def as_tensor(data: Any, dtype: Any = None, *, device: DeviceLike = None) -> Tensor:
    """Like ``tensor``, but shares memory with a NumPy array or Tensor when it can."""
    require_available(device, "as_tensor")
    if isinstance(data, Tensor) and (dtype is None or as_dtype(dtype) == data.dtype):
        return data
    if isinstance(data, xp.ndarray) and (dtype is None or as_dtype(dtype) == data.dtype):
        return Tensor(data)
    return tensor(data, dtype)


def from_numpy(array: Array) -> Tensor:
    """A tensor sharing memory with ``array`` (same dtype and shape)."""
    if not isinstance(array, xp.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray, got {type(array).__name__}")
    as_dtype(array.dtype)
    return Tensor(array)


def from_dlpack(ext_tensor: Any) -> Tensor:
    """A tensor sharing memory with any object that speaks DLPack (torch, NumPy, JAX, CuPy).

    ``ext_tensor`` has ``__dlpack__`` and ``__dlpack_device__`` (or is a legacy capsule).
    The result has its shape and dtype; writing into one changes the other.

    Raises:
        BufferError: for memory on a device other than the CPU.

    >>> import numpy as np
    >>> a = np.arange(3.0)
    >>> t = from_dlpack(a)
    >>> t[0] = 5.0
    >>> a.tolist()
    [5.0, 1.0, 2.0]
    """
    array = xp.from_dlpack(ext_tensor)
    as_dtype(array.dtype)
    return Tensor(array)


def zeros(
    *size: Any, dtype: Any = None, requires_grad: bool = False, device: DeviceLike = None
) -> Tensor:
    """A tensor of zeros, shape ``size``."""
    require_available(device, "zeros")
    return _new(xp.zeros(_shape(size), _float(dtype)), requires_grad)


def ones(
    *size: Any, dtype: Any = None, requires_grad: bool = False, device: DeviceLike = None
) -> Tensor:
    """A tensor of ones, shape ``size``."""
    require_available(device, "ones")
    return _new(xp.ones(_shape(size), _float(dtype)), requires_grad)


def empty(
    *size: Any, dtype: Any = None, requires_grad: bool = False, device: DeviceLike = None
) -> Tensor:
    """An uninitialised tensor, shape ``size``."""
    require_available(device, "empty")
    return _new(xp.empty(_shape(size), _float(dtype)), requires_grad)


def full(
    size: SizeArg,
    fill_value: bool | int | float,
    dtype: Any = None,
    requires_grad: bool = False,
    *,
    device: DeviceLike = None,
) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value`` (dtype inferred from it)."""
    require_available(device, "full")
    d = scalar_dtype(fill_value) if dtype is None else as_dtype(dtype)
    return _new(xp.full(_shape((size,)), fill_value, d), requires_grad)


def zeros_like(
    t: Tensor, dtype: Any = None, requires_grad: bool = False, *, device: DeviceLike = None
) -> Tensor:
    """Zeros with ``t``'s shape (and dtype unless given)."""
    require_available(device, "zeros_like")
    return _new(xp.zeros(t.shape, as_dtype(dtype) if dtype else t.dtype), requires_grad)


def ones_like(
    t: Tensor, dtype: Any = None, requires_grad: bool = False, *, device: DeviceLike = None
) -> Tensor:
    """Ones with ``t``'s shape (and dtype unless given)."""
    require_available(device, "ones_like")
    return _new(xp.ones(t.shape, as_dtype(dtype) if dtype else t.dtype), requires_grad)


def empty_like(
    t: Tensor, dtype: Any = None, requires_grad: bool = False, *, device: DeviceLike = None
) -> Tensor:
    """An uninitialised tensor with ``t``'s shape (and dtype unless given)."""
    require_available(device, "empty_like")
    return _new(xp.empty(t.shape, as_dtype(dtype) if dtype else t.dtype), requires_grad)


def full_like(
    t: Tensor,
    fill_value: bool | int | float,
    dtype: Any = None,
    requires_grad: bool = False,
    *,
    device: DeviceLike = None,
) -> Tensor:
    """``fill_value`` everywhere, with ``t``'s shape (and dtype unless given)."""
    require_available(device, "full_like")
    return _new(xp.full(t.shape, fill_value, as_dtype(dtype) if dtype else t.dtype), requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: DeviceLike = None,
) -> Tensor:
    """Values from ``start`` up to (not including) ``end`` by ``step``.

    With one argument it is the end, as ``range``. All-integer arguments give int64,
    otherwise the default float.

    >>> arange(3).tolist()
    [0, 1, 2]
    """
    require_available(device, "arange")
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise ValueError(
            f"arange: upper bound and larger bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )
    ints = all(isinstance(v, int) for v in (start, end, step))
    d = (
        as_dtype(dtype)
        if dtype is not None
        else (xp.dtype(xp.int64) if ints else get_default_dtype())
    )
    n = max(0, int(xp.ceil((end - start) / step)))
    return _new(
        (start + step * xp.arange(n, dtype=xp.float64)).astype(d)
        if not ints
        else xp.arange(start, end, step, dtype=d),
        requires_grad,
    )


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: DeviceLike = None,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    require_available(device, "linspace")
    return _new(xp.linspace(start, end, steps).astype(_float(dtype)), requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: DeviceLike = None,
) -> Tensor:
    """The identity matrix, shape (n, m) (m defaults to n)."""
    require_available(device, "eye")
    return _new(xp.eye(n, m, dtype=_float(dtype)), requires_grad)


def rand(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: DeviceLike = None,
) -> Tensor:
    """Uniform samples from [0, 1), shape ``size``."""
    require_available(device, "rand")
    d = _float(dtype)
    if d == xp.float16:  # NumPy draws no float16: draw float32, round, and stay below 1
        data = numpy_generator(generator).random(_shape(size), dtype=xp.float32).astype(d)
        return _new(xp.minimum(data, xp.nextafter(d.type(1), d.type(0))), requires_grad)
    return _new(numpy_generator(generator).random(_shape(size), dtype=d), requires_grad)


def randn(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: DeviceLike = None,
) -> Tensor:
    """Standard normal samples, shape ``size``."""
    require_available(device, "randn")
    d = _float(dtype)
    rng = numpy_generator(generator)
    data = rng.standard_normal(_shape(size), dtype=d if d != xp.float16 else xp.float32)
    return _new(data.astype(d, copy=False), requires_grad)


def randint(
    low: int = 0,
    high: Any = None,
    size: SizeArg = (),
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    device: DeviceLike = None,
) -> Tensor:
    """Integers drawn uniformly from [low, high); ``randint(high, size)`` means low = 0."""
    require_available(device, "randint")
    if high is None:
        low, high = 0, low
    elif not isinstance(high, int | xp.integer):  # randint(high, size), both positional
        low, high, size = 0, low, high
    d = xp.dtype(xp.int64) if dtype is None else as_dtype(dtype)
    data = numpy_generator(generator).integers(low, high, _shape((size,)))
    return Tensor(data.astype(d, copy=False))


def randperm(
    n: int, *, generator: Generator | None = None, dtype: Any = None, device: DeviceLike = None
) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    require_available(device, "randperm")
    d = xp.dtype(xp.int64) if dtype is None else as_dtype(dtype)
    return Tensor(numpy_generator(generator).permutation(n).astype(d))


def rand_like(
    t: Tensor, generator: Generator | None = None, dtype: Any = None, *, device: DeviceLike = None
) -> Tensor:
    """Uniform [0, 1) samples with ``t``'s shape (and float dtype unless given)."""
    require_available(device, "rand_like")
    return rand(t.shape, generator=generator, dtype=dtype or t.dtype)


def randn_like(
    t: Tensor, generator: Generator | None = None, dtype: Any = None, *, device: DeviceLike = None
) -> Tensor:
    """Standard normal samples with ``t``'s shape (and float dtype unless given)."""
    require_available(device, "randn_like")
    return randn(t.shape, generator=generator, dtype=dtype or t.dtype)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: Any = None,
    device: DeviceLike = None,
) -> Tensor:
    """base ** linspace(start, end, steps): (steps,)."""
    require_available(device, "logspace")
    exps = linspace(start, end, steps, dtype=xp.float64)
    out = Tensor(xp.power(base, exps.array))
    return out.to(as_dtype(dtype) if dtype is not None else get_default_dtype())


__all__ = [
    "logspace",
    "arange",
    "as_tensor",
    "empty",
    "empty_like",
    "eye",
    "from_dlpack",
    "from_numpy",
    "full",
    "full_like",
    "linspace",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "tensor",
    "zeros",
    "zeros_like",
]
