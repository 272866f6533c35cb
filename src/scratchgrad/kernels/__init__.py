"""Compiled kernels (numba) for the loops NumPy cannot fuse; NumPy stays the reference.

Each kernel module mirrors an op family (``pool``, ``norm``, ``optim``, ...). An op with
a kernel names it next to its NumPy code and calls it when :func:`enabled` says so;
``SCRATCHGRAD_KERNELS=numpy`` runs the NumPy reference everywhere.
"""

from scratchgrad.kernels.jit import (
    MODES,
    Kernel,
    check_setting,
    enabled,
    jit,
    mode,
    takes,
    use,
)

__all__ = [
    "MODES",
    "Kernel",
    "check_setting",
    "enabled",
    "jit",
    "mode",
    "takes",
    "use",
]
