"""``torch.cuda`` as PyTorch's CPU build has it: no CUDA device, seeding calls accepted.

Programs test ``cuda.is_available()`` and take the CPU path; seeding (``manual_seed``,
``manual_seed_all``) is accepted and does nothing, as in PyTorch without a GPU, and the
calls that need a device raise, naming it.
"""

from __future__ import annotations

from scratchgrad.devices import require_available

# isort: split
from scratchgrad.cuda import amp


def is_available() -> bool:
    """False: scratchgrad computes on the CPU."""
    return False


def device_count() -> int:
    """0 CUDA devices."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored, as PyTorch does when CUDA is not available."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored, as PyTorch does when CUDA is not available."""


def empty_cache() -> None:
    """Nothing to free: no CUDA memory."""


def is_bf16_supported() -> bool:
    """False: no CUDA device (and no bfloat16 dtype in scratchgrad)."""
    return False


def current_device() -> int:
    """Raises: there is no current CUDA device."""
    require_available("cuda", "cuda.current_device")
    return 0  # pragma: no cover - never reached


def synchronize(device: object = None) -> None:
    """Raises: there is no CUDA device to wait for."""
    require_available("cuda", "cuda.synchronize")


def get_device_name(device: object = None) -> str:
    """Raises: there is no CUDA device to name."""
    require_available("cuda", "cuda.get_device_name")
    return ""  # pragma: no cover - never reached


__all__ = [
    "amp",
    "current_device",
    "device_count",
    "empty_cache",
    "get_device_name",
    "is_available",
    "is_bf16_supported",
    "manual_seed",
    "manual_seed_all",
    "synchronize",
]
