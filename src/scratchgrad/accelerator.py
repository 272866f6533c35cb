"""``torch.accelerator``: none here; scratchgrad computes on the CPU."""

from __future__ import annotations

from scratchgrad.devices import device


def is_available() -> bool:
    """False: no accelerator."""
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """None: no accelerator (PyTorch returns None on a CPU-only machine)."""
    return None


def device_count() -> int:
    """0 accelerators."""
    return 0


__all__ = ["current_accelerator", "device_count", "is_available"]
