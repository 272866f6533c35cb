"""``torch.cuda.amp``: the older spelling of ``torch.amp`` with the device fixed to CUDA.

``GradScaler(...)`` is ``amp.GradScaler("cuda", ...)`` and ``autocast(...)`` is
``amp.autocast("cuda", ...)``; without a GPU both are disabled with torch's warnings.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.amp import GradScaler as _GradScaler
from scratchgrad.amp import autocast as _autocast


class GradScaler(_GradScaler):
    """``torch.cuda.amp.GradScaler``: a GradScaler for the "cuda" device."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("cuda", *args, **kwargs)


class autocast(_autocast):  # noqa: N801 - PyTorch's name
    """``torch.cuda.amp.autocast``: an autocast region for the "cuda" device."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("cuda", *args, **kwargs)


__all__ = ["GradScaler", "autocast"]
