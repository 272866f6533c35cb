"""inference_mode: torch's faster no_grad for pure inference, here no_grad itself.

PyTorch's inference mode also marks the tensors made inside it as "inference tensors"
that can never join autograd later; scratchgrad has no such tensors, so the mode is
recording switched off (:class:`scratchgrad.autograd.no_grad`) plus a flag that
:func:`is_inference_mode_enabled` reads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from scratchgrad.autograd import no_grad

F = TypeVar("F", bound=Callable[..., Any])

_state = {"enabled": False}


def is_inference_mode_enabled() -> bool:
    """Whether an ``inference_mode()`` region (with mode True) is active.

    >>> with inference_mode():
    ...     is_inference_mode_enabled()
    True
    """
    return _state["enabled"]


class inference_mode:  # noqa: N801 - PyTorch's name
    """Do not record operations: a context manager, ``@inference_mode()`` or bare decorator.

    Args:
        mode: True to turn inference mode on, False for a region that changes nothing
            (``inference_mode(False)`` inside an inference region leaves recording off,
            as torch's, since it does not turn grad mode back on).

    >>> import scratchgrad as sg
    >>> x = sg.ones(2, requires_grad=True)
    >>> @inference_mode
    ... def predict(x):
    ...     return x * 2
    >>> predict(x).requires_grad
    False
    """

    def __new__(cls, mode: bool | Callable[..., Any] = True) -> Any:
        """Bare ``@inference_mode`` passes the function as ``mode``: wrap it at once."""
        if not isinstance(mode, bool) and callable(mode):
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode
        self._saved: list[tuple[bool, no_grad | None]] = []

    def __enter__(self) -> None:
        grad = no_grad() if self.mode else None
        self._saved.append((_state["enabled"], grad))
        _state["enabled"] = self.mode
        if grad is not None:
            grad.__enter__()

    def __exit__(
        self, tp: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        enabled, grad = self._saved.pop()
        if grad is not None:
            grad.__exit__(tp, e, tb)
        _state["enabled"] = enabled

    def __call__(self, func: F) -> F:
        """Used as a decorator: run ``func`` inside an inference region."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(self.mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def clone(self) -> inference_mode:
        """A new region with the same mode (torch's API)."""
        return inference_mode(self.mode)


__all__ = ["inference_mode", "is_inference_mode_enabled"]
