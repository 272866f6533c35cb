"""Helpers that compiled kernels call: compiled with numba alongside them, on first use.

A :class:`scratchgrad.kernels.Kernel` cannot be called from inside another kernel, so a
kernel module marks its loop helpers with :func:`_helper`; :func:`_bind` (called before the
first kernel call) swaps each for its numba-compiled version in its module, with the options
kernels use (``cache=True``, ``nogil=True``). Until then they are plain Python functions.
A kernel reaches a helper of another module as ``module._name`` (looked up when it compiles).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_HELPERS: list[Callable[..., Any]] = []
_bound = False
_lock = threading.Lock()


def _helper(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark a loop function that kernels call; :func:`_bind` compiles it."""
    _HELPERS.append(fn)
    return fn


def _bind() -> None:
    """Compile the marked helpers in place (once); call before a kernel that uses them."""
    global _bound
    with _lock:
        if _bound:
            return
        numba: Any = importlib.import_module("numba")
        for fn in _HELPERS:
            options = {"cache": True, "nogil": True, "error_model": "numpy"}
            fn.__globals__[fn.__name__] = numba.njit(**options)(fn)
        _bound = True
