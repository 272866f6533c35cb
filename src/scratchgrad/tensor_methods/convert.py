"""Conversions: ``to``, ``type``, ``float``, ``long``, ... and ``clone``.

Each returns a new tensor of another dtype (a cast that autograd sees), or self when
nothing changes, as PyTorch's methods of these names do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scratchgrad.backend import xp
from scratchgrad.devices import is_device_like, require_available
from scratchgrad.dtypes import as_dtype
from scratchgrad.types import _bool, _int

if TYPE_CHECKING:
    from scratchgrad.ops import elementwise as _elementwise
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _elementwise.

# torch's legacy tensor type names: x.type() -> "torch.FloatTensor"
_TENSOR_TYPES = {
    xp.dtype(xp.float32): "torch.FloatTensor",
    xp.dtype(xp.float64): "torch.DoubleTensor",
    xp.dtype(xp.float16): "torch.HalfTensor",
    xp.dtype(xp.int64): "torch.LongTensor",
    xp.dtype(xp.int32): "torch.IntTensor",
    xp.dtype(xp.int16): "torch.ShortTensor",
    xp.dtype(xp.int8): "torch.CharTensor",
    xp.dtype(xp.uint8): "torch.ByteTensor",
    xp.dtype(xp.bool_): "torch.BoolTensor",
}
_TENSOR_TYPE_DTYPES = {name: d for d, name in _TENSOR_TYPES.items()}


class ConvertMethods:
    """Conversions, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def to(
        self: Tensor, *args: Any, dtype: Any = None, copy: _bool = False, **kwargs: Any
    ) -> Tensor:
        """The tensor on a device and/or of a dtype, as ``torch.Tensor.to``.

        Takes ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's
        dtype) and the keywords ``device``, ``dtype``, ``copy``, ``non_blocking``,
        ``memory_format``. Returns self when nothing changes and ``copy`` is False.

        Raises:
            RuntimeError: for a device other than the CPU.
        """
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif is_device_like(a) or (isinstance(a, _int) and not isinstance(a, _bool)):
                require_available(a, "to")
            else:
                dtype = a
        if kwargs.get("device") is not None:
            require_available(kwargs["device"], "to")
        if dtype is None and not copy:
            return self
        return _elementwise.cast(self, as_dtype(dtype or self.dtype), copy=copy)

    def type(self: Tensor, dtype: Any = None, non_blocking: _bool = False) -> Any:
        """Without ``dtype`` the type's name (``"torch.FloatTensor"``), else converted to it.

        ``dtype`` is a dtype or a name such as ``"torch.LongTensor"``.
        """
        if dtype is None:
            return _TENSOR_TYPES.get(self.dtype, f"torch.{self.dtype}Tensor")
        if isinstance(dtype, str) and dtype in _TENSOR_TYPE_DTYPES:
            dtype = _TENSOR_TYPE_DTYPES[dtype]
        return _elementwise.cast(self, as_dtype(dtype))

    def type_as(self: Tensor, other: Tensor) -> Tensor:
        """The tensor converted to ``other``'s dtype."""
        return _elementwise.cast(self, other.dtype)

    def float(self: Tensor) -> Tensor:
        """Converted to float32."""
        return _elementwise.cast(self, xp.dtype(xp.float32))

    def double(self: Tensor) -> Tensor:
        """Converted to float64."""
        return _elementwise.cast(self, xp.dtype(xp.float64))

    def half(self: Tensor) -> Tensor:
        """Converted to float16."""
        return _elementwise.cast(self, xp.dtype(xp.float16))

    def byte(self: Tensor) -> Tensor:
        """Converted to uint8."""
        return _elementwise.cast(self, xp.dtype(xp.uint8))

    def char(self: Tensor) -> Tensor:
        """Converted to int8."""
        return _elementwise.cast(self, xp.dtype(xp.int8))

    def short(self: Tensor) -> Tensor:
        """Converted to int16."""
        return _elementwise.cast(self, xp.dtype(xp.int16))

    def bfloat16(self: Tensor) -> Tensor:
        """Raises: scratchgrad has no bfloat16 dtype (NumPy has none)."""
        return _elementwise.cast(self, as_dtype("bfloat16"))

    def long(self: Tensor) -> Tensor:
        """Converted to int64."""
        return _elementwise.cast(self, xp.dtype(xp.int64))

    def int(self: Tensor) -> Tensor:
        """Converted to int32."""
        return _elementwise.cast(self, xp.dtype(xp.int32))

    def bool(self: Tensor) -> Tensor:
        """Converted to bool."""
        return _elementwise.cast(self, xp.dtype(xp.bool_))

    def clone(self: Tensor) -> Tensor:
        """A copy with its own memory, still in the graph."""
        return _elementwise.cast(self, self.array.dtype, copy=True)

    def __dlpack__(
        self: Tensor,
        *,
        stream: Any = None,
        max_version: tuple[_int, _int] | None = None,
        dl_device: tuple[_int, _int] | None = None,
        copy: _bool | None = None,
    ) -> Any:
        """A DLPack capsule sharing this tensor's memory (the array API's protocol).

        ``torch.from_dlpack(x)`` and ``numpy.from_dlpack(x)`` see the same memory, no copy.

        Raises:
            RuntimeError: if the tensor requires grad (as torch: ``detach()`` first).
        """
        if self.requires_grad:
            raise RuntimeError(
                "__dlpack__: can't export a tensor that requires grad; use tensor.detach()"
            )
        return self.array.__dlpack__(
            stream=stream, max_version=max_version, dl_device=dl_device, copy=copy
        )

    def __dlpack_device__(self: Tensor) -> tuple[_int, _int]:
        """(device type, device id) of the memory: (1, 0) is the CPU in DLPack's enum."""
        device: tuple[_int, _int] = self.array.__dlpack_device__()
        return device
