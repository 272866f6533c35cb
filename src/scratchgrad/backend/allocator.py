"""Keep freed array memory in the process, so a training step does not page-fault.

NumPy takes every array from ``malloc``. glibc serves large blocks with fresh ``mmap``
pages and hands freed memory back to the kernel, so each step's temporaries (im2col
columns, activations, gradients) are page-faulted in again, zero-filled, every step:
measured, half of the benchmark CNN's step time. Two ``mallopt`` settings stop that:
blocks up to 32 MiB come from the heap, and up to 256 MiB of free heap stays with the
process. Peak memory is unchanged; memory freed after the peak is reused, not returned.

``SCRATCHGRAD_MALLOC=system`` (or any ``MALLOC_*`` variable of glibc's own) leaves the
allocator as it is. Other C libraries (macOS, musl) have no ``mallopt``: nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
MMAP_THRESHOLD = 32 << 20
"""Blocks smaller than this come from the heap, not from fresh ``mmap`` pages."""
TRIM_THRESHOLD = 256 << 20
"""Free heap kept by the process before any is handed back."""


def _wanted() -> bool:
    if os.environ.get("SCRATCHGRAD_MALLOC", "").strip().lower() == "system":
        return False
    return sys.platform.startswith("linux") and not any(k.startswith("MALLOC_") for k in os.environ)


def keep_freed_memory() -> bool:
    """Set glibc's thresholds (once per process is enough); whether they were set.

    Returns:
        True when glibc took both settings; False when switched off or not glibc.
    """
    if not _wanted():
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "keep_freed_memory"]
