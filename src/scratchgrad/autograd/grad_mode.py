"""Grad mode: whether operations are recorded for backward.

``no_grad``, ``enable_grad`` and ``set_grad_enabled`` work as context managers and as
decorators, as in PyTorch (``no_grad`` and ``enable_grad`` also bare: ``@no_grad``).
Ops read the mode through :func:`is_grad_enabled`; the hot paths (``Function.apply``, the
elementwise dispatcher) read ``grad_mode._grad_enabled``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_grad_enabled = True


class _GradMode:
    """Context manager and decorator that sets whether operations are recorded."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.prev: list[bool] = []

    def __enter__(self) -> None:
        global _grad_enabled
        self.prev.append(_grad_enabled)
        _grad_enabled = self.enabled

    def __exit__(
        self, tp: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        global _grad_enabled
        _grad_enabled = self.prev.pop()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _GradMode(self.enabled):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _FixedGradMode(_GradMode):
    """A mode without parameters: usable bare as a decorator, ``@no_grad``, as in PyTorch.

    ``no_grad(func)`` (what a bare ``@no_grad`` calls) returns the decorated function;
    ``no_grad()`` returns the context manager / decorator as before.
    """

    enabled_value = False

    def __new__(cls, func: F | None = None) -> Any:
        """The mode, or with ``func`` (a bare decorator) ``func`` wrapped in the mode."""
        mode = super().__new__(cls)
        if func is None:
            return mode
        _GradMode.__init__(mode, cls.enabled_value)
        return mode(func)

    def __init__(self, func: None = None) -> None:
        super().__init__(self.enabled_value)


class no_grad(_FixedGradMode):  # noqa: N801 - PyTorch's name
    """Do not record operations (inference, parameter updates).

    A context manager, or a decorator with or without parentheses.

    >>> import scratchgrad as sg
    >>> x = sg.ones(2, requires_grad=True)
    >>> with sg.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    >>> @sg.no_grad
    ... def double(t):
    ...     return t * 2
    >>> double(x).requires_grad
    False
    """

    enabled_value = False


class enable_grad(_FixedGradMode):  # noqa: N801 - PyTorch's name
    """Record operations again inside a ``no_grad`` block (also ``@enable_grad``)."""

    enabled_value = True


class set_grad_enabled(_GradMode):  # noqa: N801 - PyTorch's name
    """Turn recording on or off: as a function call, a context manager or a decorator."""

    def __init__(self, mode: bool) -> None:
        super().__init__(mode)
        global _grad_enabled
        self.prev.append(_grad_enabled)
        _grad_enabled = mode

    def __enter__(self) -> None:
        pass  # already applied in __init__, as torch.set_grad_enabled

    def __call__(self, func: F) -> F:
        """Used as a decorator: undo the mode set by the call, apply it inside ``func``."""
        global _grad_enabled
        _grad_enabled = self.prev.pop()
        return super().__call__(func)


def is_grad_enabled() -> bool:
    """True when operations are being recorded for autograd."""
    return _grad_enabled


__all__ = ["enable_grad", "is_grad_enabled", "no_grad", "set_grad_enabled"]
