"""Parity-case helpers for the ops that users reach through ``nn.functional``."""

from collections.abc import Callable
from typing import Any

X = (2, 3, 6, 7)  # (N, C, H, W): odd sizes, so that windows and strides do not tile


def functional(name: str, **kw: object) -> Callable[..., Any]:
    """fn(lib, *inputs) calling lib.nn.functional.<name>(*inputs, **kw)."""
    return lambda m, *xs: getattr(m.nn.functional, name)(*xs, **kw)
