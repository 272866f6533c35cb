"""``map_location``, as PyTorch's loader applies it on a machine without a GPU.

Every saved storage has a location (``"cpu"``, ``"cuda:0"``); ``map_location`` may move
it. scratchgrad runs on the CPU only, so whatever the mapping, a storage must end up on
the CPU, or loading stops with torch's advice: pass ``map_location="cpu"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.errors import ReportedLoadRuntimeError, ReportedLoadTypeError
from scratchgrad.tensor import Tensor

MapLocation = str | Mapping[str, Any] | Callable[[Tensor, str], Any] | object | None
"""What ``load``'s ``map_location`` accepts: a device string, a device object (with a
``type``), a dict from saved location to location, a function, or None."""


def _device_type(device: object) -> str:
    """``"cuda"`` for ``"cuda:1"`` or a ``torch.device("cuda", 1)``."""
    text = device if isinstance(device, str) else getattr(device, "type", None)
    if not isinstance(text, str):
        raise TypeError(
            f"load: map_location must be a device string, a device, a dict or a function, "
            f"got {type(device).__name__}"
        )
    return text.split(":")[0]


def _cpu_only(device: object, name: str) -> None:
    kind = _device_type(device)
    if kind != "cpu":
        raise ReportedLoadRuntimeError(
            f"load: {name}: a tensor would go to device {device!s}, but scratchgrad runs on "
            "the CPU only (NumPy); pass map_location='cpu' to load it there"
        )


def check_map_location(map_location: MapLocation) -> None:
    """Refuse a ``map_location`` that sends every tensor to a device other than the CPU.

    Args:
        map_location: as PyTorch's loader takes it.

    Raises:
        RuntimeError: for ``"cuda"``, ``"cuda:0"``, ``"mps"``, ... or such a device.
        TypeError: for a value of another kind.

    >>> check_map_location("cpu")
    """
    if map_location is None or callable(map_location) or isinstance(map_location, Mapping):
        return
    _cpu_only(map_location, "map_location")


def restore_location(
    storage: Array, location: str, map_location: MapLocation, name: str = "file"
) -> Array:
    """A storage saved at ``location`` after ``map_location``, as torch on a CPU-only machine.

    None keeps the saved location; a string or device replaces it; a dict maps it
    (``{"cuda:0": "cpu"}``); a function is called as ``map_location(storage, location)``
    with the storage as a flat Tensor, and its result (a Tensor or array of the same
    size) is used unless it is None. The final location must be the CPU.

    Args:
        storage: the saved data, any shape.
        location: where it was saved: ``"cpu"``, ``"cuda:0"``, ...
        map_location: see above.
        name: the file, for error messages.

    Returns:
        The data, same shape.

    Raises:
        RuntimeError: when the data would end up on a device other than the CPU.

    >>> restore_location(xp.zeros(2), "cuda:0", {"cuda:0": "cpu"}).tolist()
    [0.0, 0.0]
    """
    if isinstance(map_location, Mapping):
        location = map_location.get(location, location)
    elif callable(map_location):
        return _call_map_location(map_location, storage, location, name)
    elif map_location is not None:
        location = map_location  # type: ignore[assignment]  # a device: checked below
    _cpu_only(location, name)
    return storage


def _call_map_location(fn: Callable[..., Any], storage: Array, location: str, name: str) -> Array:
    try:
        result = fn(Tensor(storage.reshape(-1)), location)
    except Exception as e:
        raise ReportedLoadRuntimeError(f"load: {name}: map_location raised {e!r}") from e
    if result is None:
        _cpu_only(location, name)
        return storage
    data = result.array if isinstance(result, Tensor) else result
    if not isinstance(data, xp.ndarray) or data.size != storage.size:
        raise ReportedLoadTypeError(
            f"load: {name}: map_location returned a {type(result).__name__}; it must return "
            f"the storage it was given (a Tensor of {storage.size} elements) or None"
        )
    return data.reshape(storage.shape)


__all__ = ["MapLocation", "check_map_location", "restore_location"]
