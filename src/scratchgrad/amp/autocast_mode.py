"""autocast: torch's mixed-precision region; here every op already runs in float32."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CPU_DTYPES = ("bfloat16", "float16")  # what torch's CPU autocast accepts
_enabled: dict[str, bool] = {}  # device type -> inside an enabled autocast region


def is_autocast_enabled(device_type: str = "cuda") -> bool:
    """Whether an enabled autocast region for ``device_type`` is active (torch's default cuda).

    >>> with autocast("cpu"):
    ...     is_autocast_enabled("cpu")
    True
    """
    return _enabled.get(device_type, False)


class autocast:  # noqa: N801 - PyTorch's name
    """Mixed-precision region, as ``torch.autocast``: a context manager and decorator.

    Without a GPU, a ``"cuda"`` (or other accelerator) region is disabled with torch's
    warning. A ``"cpu"`` region is entered as torch's is (``is_autocast_enabled("cpu")``
    is True) but ops keep running in float32: scratchgrad has no bfloat16, and float32 is
    the more precise of the two, so results differ from torch's only by bf16 rounding.
    A dtype torch's CPU autocast refuses disables the region with torch's warning.

    Args:
        device_type: "cpu", "cuda", ...
        dtype: the low-precision dtype (a dtype or its name); default bfloat16 on cpu.
        enabled: False makes the region a no-op (``enabled=use_amp``).
        cache_enabled: accepted for torch compatibility.

    >>> import scratchgrad as sg
    >>> with autocast(device_type="cuda", enabled=False):
    ...     y = sg.ones(2, 2) @ sg.ones(2, 2)
    >>> y.dtype
    dtype('float32')
    """

    def __init__(
        self,
        device_type: str,
        dtype: Any = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device = device_type
        self.fast_dtype = dtype if dtype is not None else "bfloat16"
        self._cache_enabled = cache_enabled
        self._enabled = bool(enabled) and self._supported()
        self._prev: list[bool] = []

    def _supported(self) -> bool:
        """Whether this machine can enable the region; warns as torch when not."""
        if self.device != "cpu":
            warnings.warn(
                "CUDA is not available or torch_xla is imported. Disabling autocast.",
                stacklevel=3,
            )
            return False
        if _dtype_name(self.fast_dtype) not in _CPU_DTYPES:
            warnings.warn(
                "In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                "CPU Autocast only supports dtypes of torch.bfloat16, torch.float16 currently.",
                stacklevel=3,
            )
            return False
        return True

    def __enter__(self) -> None:
        self._prev.append(_enabled.get(self.device, False))
        _enabled[self.device] = self._enabled

    def __exit__(
        self, tp: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        _enabled[self.device] = self._prev.pop()

    def __call__(self, func: F) -> F:
        """Used as a decorator: run ``func`` inside this region."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def _dtype_name(dtype: Any) -> str:
    """``torch.bfloat16`` / ``"bfloat16"`` / a NumPy dtype -> its bare name."""
    return str(dtype).rsplit(".", 1)[-1]


__all__ = ["autocast", "is_autocast_enabled"]
