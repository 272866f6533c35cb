"""Devices as PyTorch names them: ``device("cpu")``, ``device("cuda", 0)``, ``"cuda:1"``.

scratchgrad computes on the CPU (the NumPy backend), so a program that asks for a CUDA
device finds none, as PyTorch's CPU build behaves: ``cuda.is_available()`` is False and
moving a tensor to "cuda" raises. Device strings are parsed and checked with PyTorch's
messages, so a typo fails the same way it fails there.

>>> device("cpu")
device(type='cpu')
>>> str(device("cuda", 1))
'cuda:1'
"""

from __future__ import annotations

from typing import Any, TypeAlias

from scratchgrad.backend import check_device

# PyTorch's device types, in the order its error message lists them
_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
    "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)  # fmt: skip


class device:  # noqa: N801 - PyTorch's name
    """Where a tensor lives: a type ("cpu", "cuda", ...) and an optional index.

    Args:
        type: "cpu", "cuda", ..., optionally with an index ("cuda:1"); or a device.
        index: the device index (>= 0), when ``type`` has none.

    Raises:
        RuntimeError: for an unknown type or a malformed string, with PyTorch's message.
    """

    __slots__ = ("index", "type")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        spec: object = type
        if isinstance(spec, device):
            other: device = spec
            index = other.index if index is None else index
            spec = other.type
        if not isinstance(spec, str):
            raise TypeError(f"device(): expected a string or a device, got {spec!r}")
        name, colon, rest = spec.partition(":")
        if name not in _TYPES:
            raise RuntimeError(
                f"Expected one of {', '.join(_TYPES)} device type at start of device string: {spec}"
            )
        if colon:
            if not rest.isdigit() or index is not None:
                raise RuntimeError(f"Invalid device string: '{spec}'")
            index = int(rest)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type: str = name
        self.index: int | None = index

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __enter__(self) -> device:
        """``with device("cpu"):`` is the default anyway; other devices are refused."""
        require_available(self, "device")
        return self

    def __exit__(self, *exc: object) -> None:
        return None


DeviceLike: TypeAlias = "device | str | int | None"
"""What a ``device=`` argument takes: a device, a string, an index, or None (the CPU)."""

CPU = device("cpu")


def as_device(d: DeviceLike) -> device:
    """A device from PyTorch's accepted forms; None is the CPU, an int a CUDA index."""
    if d is None:
        return CPU
    if isinstance(d, bool) or not isinstance(d, int | str | device):
        raise TypeError(f"expected a device, a device string or an index, got {d!r}")
    return device("cuda", d) if isinstance(d, int) else device(d)


def require_available(d: DeviceLike, op: str) -> device:
    """The device, when this build computes on it.

    Args:
        d: any device form.
        op: the caller, first in the error message ("to", "zeros", ...).

    Raises:
        RuntimeError: for a device this build does not have (CUDA, MPS, ...).

    >>> require_available("cuda", "to")
    Traceback (most recent call last):
    RuntimeError: to: device 'cuda' is not available; scratchgrad runs on the CPU
    """
    dev = as_device(d)
    check_device(str(dev), op)
    return dev


def is_device_like(value: Any) -> bool:
    """True for a device or a device string, as ``Tensor.to`` tells a device from a dtype."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in _TYPES


__all__ = ["CPU", "DeviceLike", "as_device", "device", "is_device_like", "require_available"]
