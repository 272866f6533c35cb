"""Compiling kernels with numba, on first use, and the switch back to the NumPy reference.

A kernel is a plain Python function of loops over arrays, decorated with :func:`jit`. It
is compiled by numba the first time it is called (``cache=True``: the machine code is kept
in ``__pycache__``, so later processes load it instead of compiling). ``import
scratchgrad`` does not import numba; the first kernel call does.

Every op that has a kernel keeps its NumPy code as the readable reference and asks
:func:`enabled` which to run. ``SCRATCHGRAD_KERNELS=numpy`` in the environment, or
``with use("numpy"):`` in code, runs the reference everywhere.

Example:
    >>> from scratchgrad.kernels import enabled, use
    >>> with use("numpy"):
    ...     enabled()
    False
"""

from __future__ import annotations

import importlib
import os
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, ParamSpec, TypeVar

from scratchgrad.errors import SettingsError

P = ParamSpec("P")
R = TypeVar("R")

MODES = ("numba", "numpy")
"""The values ``SCRATCHGRAD_KERNELS`` takes: compiled kernels, or the NumPy reference."""

_mode: str | None = None


def _numba_importable() -> bool:
    try:
        importlib.import_module("numba")
    except ImportError:
        return False
    return True


def check_setting() -> str:
    """``SCRATCHGRAD_KERNELS`` read and checked (numba is not imported); "numba" when unset.

    Raises:
        SettingsError: the variable holds neither mode.
    """
    value = os.environ.get("SCRATCHGRAD_KERNELS", "numba").strip().lower() or "numba"
    if value not in MODES:
        raise SettingsError(
            f"SCRATCHGRAD_KERNELS: got {value!r}; expected one of {', '.join(MODES)}"
        )
    return value


def _mode_from_env() -> str:
    value = check_setting()
    if value == "numba" and not _numba_importable():
        return "numpy"  # a platform without numba wheels still runs, on the reference
    return value


def mode() -> str:
    """The kernels in use: ``"numba"`` (compiled) or ``"numpy"`` (the reference).

    Raises:
        SettingsError: ``SCRATCHGRAD_KERNELS`` holds neither value.
    """
    global _mode
    if _mode is None:
        _mode = _mode_from_env()
    return _mode


def enabled() -> bool:
    """Whether ops run their compiled kernel rather than the NumPy reference."""
    return (_mode or mode()) == "numba"


def takes(*arrays: Any) -> bool:
    """Whether kernels are on and take these arrays (C-contiguous float32 or float64, one dtype).

    Args:
        arrays: NumPy arrays an op would hand a kernel.
    """
    first = arrays[0]
    return (
        enabled()
        and first.dtype.char in "fd"  # float32, float64 (.name is 10x slower to read)
        and first.size > 0
        and all(a.flags.c_contiguous and a.dtype == first.dtype for a in arrays)
    )


@contextmanager
def use(name: str) -> Iterator[None]:
    """Run the block with ``"numba"`` kernels or the ``"numpy"`` reference, then restore.

    Raises:
        SettingsError: ``name`` is neither.
    """
    global _mode
    if name not in MODES:
        raise SettingsError(f"kernels: got {name!r}; expected one of {', '.join(MODES)}")
    before = mode()
    _mode = name if name == "numpy" or _numba_importable() else "numpy"
    try:
        yield
    finally:
        _mode = before


class Kernel(Generic[P, R]):
    """A loop function compiled by numba on its first call.

    Kernels run on the calling thread (numba's parallel loops were measured slower here:
    docs/performance.md); they release the GIL, so Python threads may run them at once.

    Attributes:
        py_func: the plain Python function (runs anywhere, slowly; for reading and tests).
    """

    def __init__(self, fn: Callable[P, R], reassociate: bool = False) -> None:
        self.py_func = fn
        self.reassociate = reassociate
        self._compiled: Callable[P, R] | None = None
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    def _compile(self) -> Callable[P, R]:
        numba: Any = importlib.import_module("numba")
        self._link_callees()
        options: dict[str, Any] = {"nogil": True, "error_model": "numpy"}
        if self.reassociate:
            options["fastmath"] = {"reassoc"}
        try:
            self._compiled = numba.njit(cache=True, **options)(self.py_func)
        except RuntimeError:  # no writable cache folder: compile in every process instead
            self._compiled = numba.njit(**options)(self.py_func)
        return self._compiled

    def compiled(self) -> Callable[P, R]:
        """The numba function (compiled now if it was not yet)."""
        return self._compiled or self._compile()

    def _link_callees(self) -> None:
        """Compile the kernels this one calls, by name or as ``module.name``.

        numba sees a callee only as a compiled function, so each is swapped for its
        compiled form where the caller looks it up (its module's globals).
        """
        scope, names = self.py_func.__globals__, self.py_func.__code__.co_names
        for name in names:
            value = scope.get(name)
            if isinstance(value, Kernel):
                scope[name] = value.compiled()
            elif isinstance(value, types.ModuleType):
                for attr in names:
                    inner = getattr(value, attr, None)
                    if isinstance(inner, Kernel):
                        setattr(value, attr, inner.compiled())

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run the compiled function (compiling it on the first call)."""
        return self.compiled()(*args, **kwargs)


def jit(*, reassociate: bool = False) -> Callable[[Callable[P, R]], Kernel[P, R]]:
    """Decorate a loop function as a :class:`Kernel` (compiled on first call, cached).

    ``reassociate`` lets the compiler reorder sums (several SIMD partial sums, as BLAS
    and torch do); every other float operation stays exact IEEE arithmetic.
    """

    def wrap(fn: Callable[P, R]) -> Kernel[P, R]:
        return Kernel(fn, reassociate)

    return wrap


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
