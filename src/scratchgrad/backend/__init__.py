"""The array namespace: the one place that decides which array library runs.

NumPy is the only backend today. Every op takes its array functions from ``xp``
(``from scratchgrad.backend import xp``) instead of importing an array library itself,
so a second backend (CuPy on a GPU) is a change to this file, not to every op.
"""

from typing import Any

import numpy
import numpy.typing
import scipy.special

from scratchgrad.backend.allocator import keep_freed_memory

keep_freed_memory()  # arrays' memory is reused, not page-faulted in again each step

xp = numpy
"""The array module ops call: ``xp.exp``, ``xp.matmul``, ..."""

special = scipy.special
"""Special functions on ``xp`` arrays: ``special.erfc``, ``special.erfinv``, ...

SciPy's for NumPy arrays; with CuPy this would be ``cupyx.scipy.special``.
"""

Array = numpy.typing.NDArray[Any]
"""An array of the active backend, any dtype and shape."""

DTypeLike = numpy.typing.DTypeLike
"""Anything the backend accepts as a dtype: a dtype, a scalar type or its name."""


_DEVICE_TYPES = ("cpu",)
"""The device types the active backend runs on (NumPy: the CPU only)."""


def check_device(device: object, op: str) -> None:
    """Accept PyTorch's ``device`` argument when the backend has that device.

    Args:
        device: None (the default device), or a device type with an optional index:
            ``"cpu"``, ``"cpu:0"``, ``"cuda"``, or an object whose ``str`` is such a string.
        op: the caller, first in the message: ``"to"``, ``"Linear"``.

    Raises:
        RuntimeError: for a device the backend does not have.

    >>> check_device("cpu:0", "to")
    >>> check_device("cuda", "Linear")
    Traceback (most recent call last):
    RuntimeError: Linear: device 'cuda' is not available; scratchgrad runs on the CPU
    """
    if device is not None and str(device).split(":")[0] not in _DEVICE_TYPES:
        raise RuntimeError(f"{op}: device {device!r} is not available; scratchgrad runs on the CPU")


__all__ = ["Array", "DTypeLike", "check_device", "special", "xp"]
