"""Automatic mixed precision, as ``torch.amp``, for a CPU-only float32 library.

``autocast`` and ``GradScaler`` behave as torch's do on a machine without a GPU: a CUDA
autocast or scaler is disabled with torch's warning, so the common
``autocast(device_type="cuda", enabled=use_amp)`` / ``GradScaler(enabled=use_amp)``
training loop runs unchanged. CPU autocast runs in float32 (there is no bfloat16 here);
a CPU ``GradScaler`` scales, unscales, skips non-finite steps and adapts its scale as
torch's does.
"""

from scratchgrad.amp.autocast_mode import autocast, is_autocast_enabled
from scratchgrad.amp.grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "is_autocast_enabled"]
